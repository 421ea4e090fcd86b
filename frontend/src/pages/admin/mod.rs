//! The administrator's side of the player: overview and statistics,
//! multi-file upload, catalogue editing and user management. Every page
//! is wrapped in [`AdminOnly`], so a listener who types the URL is told
//! the page is not for them; the sidebar shows [`AdminNav`] to admins only.

pub mod catalogue;
pub mod overview;
pub mod queue;
pub mod texts;
pub mod transfer;
pub mod upload;
pub mod users;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::use_auth;
use crate::components::icons::{ListIcon, SongsIcon, StatusIcon, UserIcon};
use crate::i18n::use_i18n;
use texts::AdminTexts;

/// The admin texts in the current language (reactive).
pub fn use_admin_texts() -> impl Fn() -> &'static AdminTexts + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || AdminTexts::of(i18n.lang())
}

fn is_admin() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let auth = use_auth();
    move || auth.is_admin()
}

/// Shows its children to admins, and a "not allowed" page to anyone else.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let admin = is_admin();
    view! {
        <Show when=admin fallback=NotAllowed>
            {children()}
        </Show>
    }
}

#[component]
fn NotAllowed() -> impl IntoView {
    super::set_document_title(|t| AdminTexts::matching(t).not_allowed_heading);
    let texts = use_admin_texts();
    let i18n = use_i18n();
    view! {
        <div class="page">
            <h1>{move || texts().not_allowed_heading}</h1>
            <p>{move || texts().not_allowed_body}</p>
            <p>
                <A href="/" attr:class="button">{move || i18n.t().not_found_home_link}</A>
            </p>
        </div>
    }
}

/// The sidebar's "Admin" section, for admins only.
#[component]
pub fn AdminNav() -> impl IntoView {
    let texts = use_admin_texts();
    let admin = is_admin();
    view! {
        <Show when=admin>
            <nav class="admin-nav" aria-label=move || texts().nav_admin>
                <p class="nav-section muted small" aria-hidden="true">{move || texts().nav_admin}</p>
                <ul class="nav-list">
                    <li>
                        <A href="/admin" exact=true attr:class="nav-link">
                            <StatusIcon />
                            <span>{move || texts().nav_overview}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/upload" attr:class="nav-link">
                            <SongsIcon />
                            <span>{move || texts().nav_upload}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/songs" attr:class="nav-link">
                            <ListIcon />
                            <span>{move || texts().nav_catalogue}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/users" attr:class="nav-link">
                            <UserIcon />
                            <span>{move || texts().nav_users}</span>
                        </A>
                    </li>
                </ul>
            </nav>
        </Show>
    }
}

/// An optional text field's value: `None` when blank.
fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// An optional number field's value: `None` when blank or not a number
/// (the input's own validation has already said so).
fn number<T: std::str::FromStr>(value: &str) -> Option<T> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_fields_are_absent() {
        assert_eq!(non_empty("  "), None);
        assert_eq!(non_empty(" Sine Waves "), Some("Sine Waves".to_owned()));
        assert_eq!(number::<u32>(""), None);
        assert_eq!(number::<u32>(" 7 "), Some(7));
        assert_eq!(number::<i32>("abc"), None);
    }
}
