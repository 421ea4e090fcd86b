//! The interface language switcher (remembered in this browser).

use leptos::prelude::*;

use crate::i18n::{self, t_string, use_i18n};

#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="language-select">
            <span class="visually-hidden">{move || t_string!(i18n, language)}</span>
            <select
                prop:value=move || i18n::code(i18n.get_locale())
                on:change=move |event| {
                    if let Some(locale) = i18n::from_tag(&event_target_value(&event)) {
                        i18n::choose(i18n, locale);
                    }
                }
            >
                {i18n::all()
                    .iter()
                    .map(|&locale| view! { <option value=i18n::code(locale)>{i18n::name(locale)}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
