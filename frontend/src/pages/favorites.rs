//! `/favorites`: the listener's favourite songs, most recent first.

use leptos::prelude::*;

use crate::components::song_list::PagedSongs;
use crate::favorites::use_favorites;
use crate::i18n::use_i18n;

#[component]
pub fn FavoritesPage() -> impl IntoView {
    super::set_document_title(|t| t.favorites_heading);
    let i18n = use_i18n();
    let favorites = use_favorites();
    // Reloaded when a heart changes elsewhere (the player bar).
    let path = Signal::derive(move || {
        favorites.version.track();
        "/api/v1/me/favorites?limit=50".to_owned()
    });
    view! {
        <div class="page">
            <h1>{move || i18n.t().favorites_heading}</h1>
            <PagedSongs path what={|t| t.favorites_failed} empty={|t| t.no_favorites} />
        </div>
    }
}
