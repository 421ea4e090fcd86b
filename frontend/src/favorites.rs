//! Which songs are the listener's favourites: loaded once after sign-in,
//! changed optimistically by the heart buttons and put back if the API
//! refuses.

use std::collections::HashSet;

use leptos::prelude::*;
use soundstream_types::FavoriteIds;

use crate::api::{self, ApiError, Method};
use crate::i18n::use_i18n;
use crate::notice::use_notices;

#[derive(Debug, Clone, Copy)]
pub struct Favorites {
    ids: RwSignal<HashSet<String>>,
    /// Bumped on every change, so the favourites page reloads.
    pub version: RwSignal<u64>,
}

impl Favorites {
    pub fn new() -> Self {
        Self {
            ids: RwSignal::new(HashSet::new()),
            version: RwSignal::new(0),
        }
    }

    pub fn contains(&self, song_id: &str) -> bool {
        self.ids.with(|ids| ids.contains(song_id))
    }

    /// Loads every favourite id.
    pub async fn load(self) -> Result<(), ApiError> {
        let favorites: FavoriteIds = api::get("/api/v1/me/favorites/ids").await?;
        self.ids.set(favorites.song_ids.into_iter().collect());
        Ok(())
    }

    pub fn clear(&self) {
        self.ids.set(HashSet::new());
    }
}

pub fn use_favorites() -> Favorites {
    expect_context::<Favorites>()
}

/// The heart button of a song: "Add to favorites" / "Remove from favorites".
#[component]
pub fn FavoriteButton(song_id: String) -> impl IntoView {
    let favorites = use_favorites();
    let notices = use_notices();
    let i18n = use_i18n();
    let id = StoredValue::new(song_id);
    let is_favorite = move || id.with_value(|id| favorites.contains(id));
    let toggle = move |_| {
        let song_id = id.get_value();
        let adding = !favorites.contains(&song_id);
        favorites.ids.update(|ids| {
            if adding {
                ids.insert(song_id.clone());
            } else {
                ids.remove(&song_id);
            }
        });
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/me/favorites/{}", api::encode(&song_id));
            let method = if adding { Method::Put } else { Method::Delete };
            match api::send_empty::<()>(method, &path, None).await {
                Ok(()) => favorites.version.update(|version| *version += 1),
                Err(error) => {
                    favorites.ids.update(|ids| {
                        if adding {
                            ids.remove(&song_id);
                        } else {
                            ids.insert(song_id.clone());
                        }
                    });
                    notices.error(i18n.t().favorite_failed, error);
                }
            }
        });
    };
    view! {
        <button
            type="button"
            class="icon-button favorite"
            class:active=is_favorite
            aria-pressed=move || is_favorite().to_string()
            aria-label=move || {
                if is_favorite() { i18n.t().remove_from_favorites } else { i18n.t().add_to_favorites }
            }
            on:click=toggle
        >
            <crate::components::icons::HeartIcon filled=Signal::derive(is_favorite) />
        </button>
    }
}
