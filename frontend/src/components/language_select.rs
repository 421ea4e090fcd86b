//! The interface language switcher (remembered in this browser).

use leptos::prelude::*;

use crate::i18n::{Lang, use_i18n};

#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="language-select">
            <span class="visually-hidden">{move || i18n.t().language}</span>
            <select
                prop:value=move || i18n.lang().code()
                on:change=move |event| {
                    if let Some(lang) = Lang::from_tag(&event_target_value(&event)) {
                        i18n.set(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| view! { <option value=lang.code()>{lang.name()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
