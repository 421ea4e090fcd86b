//! The heart button of a song: "Add to favorites" / "Remove from favorites".

use leptos::prelude::*;

use crate::components::icons::HeartIcon;
use crate::favorites::use_favorites;
use crate::i18n::{t_string, use_i18n};
use crate::notice::use_notices;

#[component]
pub fn FavoriteButton(song_id: String) -> impl IntoView {
    let favorites = use_favorites();
    let notices = use_notices();
    let i18n = use_i18n();
    let id = StoredValue::new(song_id);
    let is_favorite = move || id.with_value(|id| favorites.contains(id));
    let toggle = move |_| {
        let song_id = id.get_value();
        let favorite = !favorites.contains(&song_id);
        leptos::task::spawn_local(async move {
            if let Err(error) = favorites.set(song_id, favorite).await {
                notices.error(t_string!(i18n, favorite_failed), error);
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
                if is_favorite() { t_string!(i18n, remove_from_favorites) } else { t_string!(i18n, add_to_favorites) }
            }
            on:click=toggle
        >
            <HeartIcon filled=Signal::derive(is_favorite) />
        </button>
    }
}
