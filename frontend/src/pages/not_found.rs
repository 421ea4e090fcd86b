//! Any client route the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::i18n::use_i18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    super::set_document_title(|t| t.not_found_heading);
    let i18n = use_i18n();
    let path = use_location().pathname;
    view! {
        <div class="page">
            <h1>{move || i18n.t().not_found_heading}</h1>
            <p>{move || i18n.t().not_found_body} " " <code>{move || path.get()}</code> "."</p>
            <p>
                <A href="/" attr:class="button">{move || i18n.t().not_found_home_link}</A>
            </p>
        </div>
    }
}
