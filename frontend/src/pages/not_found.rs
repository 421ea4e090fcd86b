//! Any client route the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::strings;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    super::set_document_title(strings::NOT_FOUND_HEADING);
    let path = use_location().pathname;
    view! {
        <div class="page">
            <h1>{strings::NOT_FOUND_HEADING}</h1>
            <p>{strings::NOT_FOUND_BODY} " " <code>{move || path.get()}</code> "."</p>
            <p>
                <A href="/" attr:class="button">{strings::NOT_FOUND_HOME_LINK}</A>
            </p>
        </div>
    }
}
