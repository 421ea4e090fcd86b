//! `/favorites`: the listener's favourite songs, most recent first.

use leptos::prelude::*;

use crate::components::song_list::PagedSongs;
use crate::favorites::use_favorites;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

#[component]
pub fn FavoritesPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, favorites_heading));
    let i18n = use_i18n();
    let favorites = use_favorites();
    // Reloaded when a heart changes elsewhere (the player bar).
    let path = Signal::derive(move || {
        favorites.version.track();
        "/api/v1/me/favorites?limit=50".to_owned()
    });
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, favorites_heading)}</h1>
            <PagedSongs path what={|l| td_string!(l, favorites_failed)} empty={|l| td_string!(l, no_favorites)} />
        </div>
    }
}
