//! One module per page of the player, each a routed component.

pub mod home;
pub mod not_found;
pub mod status;

use leptos::prelude::*;

use crate::strings;

/// Sets the browser tab title while a page is shown, so history entries and
/// screen-reader announcements name the page.
fn set_document_title(page: &'static str) {
    Effect::new(move || document().set_title(&strings::document_title(page)));
}
