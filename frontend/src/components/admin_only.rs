//! What wraps every administrator's page: a listener who types its URL is
//! told the page is not for them.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::use_auth;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

/// Shows its children to admins, and a "not allowed" page to anyone else.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show when=move || auth.is_admin() fallback=NotAllowed>
            {children()}
        </Show>
    }
}

#[component]
fn NotAllowed() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.not_allowed_heading));
    let i18n = use_i18n();
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, admin.not_allowed_heading)}</h1>
            <p>{move || t_string!(i18n, admin.not_allowed_body)}</p>
            <p>
                <A href="/" attr:class="button">{move || t_string!(i18n, not_found_home_link)}</A>
            </p>
        </div>
    }
}
