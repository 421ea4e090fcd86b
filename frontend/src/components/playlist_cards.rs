//! Playlists as a grid of cards (home, the playlists page, search results):
//! cover, name linking to the playlist, owner and song count.

use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::Playlist;

use crate::api;
use crate::components::icons::ListIcon;
use crate::i18n::{t_string, use_i18n};

#[component]
pub fn PlaylistCards(playlists: Vec<Playlist>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="card-list">
            {playlists
                .into_iter()
                .map(|playlist| {
                    let cover = playlist.cover_url.as_deref().map(api::media_url);
                    view! {
                        <li class="card playlist-card">
                            <span class="playlist-thumb" aria-hidden="true">
                                {match cover {
                                    Some(src) => view! { <img src=src alt="" width="64" height="64" loading="lazy" /> }.into_any(),
                                    None => view! { <ListIcon /> }.into_any(),
                                }}
                            </span>
                            <A href=format!("/playlists/{}", playlist.id)>{playlist.name.clone()}</A>
                            <p class="muted small">
                                {move || format!(
                                    "{} {} · {}",
                                    t_string!(i18n, by_owner),
                                    playlist.owner.display_name,
                                    t_string!(i18n, song_count, count = playlist.song_count)
                                )}
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
