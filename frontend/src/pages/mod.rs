//! One module per page of the player, each a routed component.

pub mod album;
pub mod artist;
pub mod favorites;
pub mod home;
pub mod login;
pub mod not_found;
pub mod playlist;
pub mod playlists;
pub mod profile;
pub mod search;
pub mod songs;
pub mod status;
// Issue #9: the administrator's pages.
pub mod admin;

use leptos::prelude::*;

use crate::i18n::{Texts, use_i18n};

/// Sets the browser tab title while a page is shown (in the interface
/// language), so history entries and screen-reader announcements name the page.
fn set_document_title(page: fn(&Texts) -> &'static str) {
    let i18n = use_i18n();
    Effect::new(move || {
        let texts = i18n.t();
        document().set_title(&texts.document_title(page(texts)));
    });
}
