//! Which songs are the listener's favourites: loaded once after sign-in,
//! changed optimistically (by the heart buttons in `components`) and put
//! back if the API refuses.

use std::collections::HashSet;

use leptos::prelude::*;
use soundstream_types::FavoriteIds;

use crate::api::{self, ApiError, Method};

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

    /// Marks `song_id` as a favourite (or not) at once, tells the API, and
    /// puts the mark back if the API refuses.
    pub async fn set(self, song_id: String, favorite: bool) -> Result<(), ApiError> {
        let mark = |favorite: bool| {
            self.ids.update(|ids| {
                if favorite {
                    ids.insert(song_id.clone());
                } else {
                    ids.remove(&song_id);
                }
            });
        };
        mark(favorite);
        let path = format!("/api/v1/me/favorites/{}", api::encode(&song_id));
        let method = if favorite {
            Method::Put
        } else {
            Method::Delete
        };
        match api::send_empty::<()>(method, &path, None).await {
            Ok(()) => {
                self.version.update(|version| *version += 1);
                Ok(())
            }
            Err(error) => {
                mark(!favorite);
                Err(error)
            }
        }
    }

    pub fn clear(&self) {
        self.ids.set(HashSet::new());
    }
}

pub fn use_favorites() -> Favorites {
    expect_context::<Favorites>()
}
