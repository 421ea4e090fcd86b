//! A playlist's name, description and public toggle, as creating and
//! editing one show them.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};

#[component]
pub fn PlaylistFields(
    name: RwSignal<String>,
    description: RwSignal<String>,
    public: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || t_string!(i18n, playlist_name)}</span>
            <input type="text" required maxlength="100" bind:value=name />
        </label>
        <label class="field">
            <span>{move || t_string!(i18n, playlist_description)}</span>
            <textarea rows="2" maxlength="1000" bind:value=description></textarea>
        </label>
        <label class="field-inline">
            <input type="checkbox" bind:checked=public />
            <span>{move || t_string!(i18n, playlist_public)}</span>
        </label>
    }
}
