//! Any client route the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, not_found_heading));
    let i18n = use_i18n();
    let path = use_location().pathname;
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, not_found_heading)}</h1>
            <p>{move || t_string!(i18n, not_found_body)} " " <code>{move || path.get()}</code> "."</p>
            <p>
                <A href="/" attr:class="button">{move || t_string!(i18n, not_found_home_link)}</A>
            </p>
        </div>
    }
}
