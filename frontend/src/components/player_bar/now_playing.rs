//! What is playing: cover, title and artist, with the heart and "Add to
//! playlist" buttons; a hint when nothing is.

use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::Song;

use crate::api;
use crate::components::favorite_button::FavoriteButton;
use crate::components::icons::NoteIcon;
use crate::components::playlist_picker::AddToPlaylistButton;
use crate::i18n::{t_string, use_i18n};

#[component]
pub fn NowPlaying(song: Memo<Option<Song>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="now-playing" aria-label=move || t_string!(i18n, now_playing)>
            {move || match song.get() {
                Some(song) => {
                    let cover = song.cover_url.as_deref().map(api::media_url);
                    view! {
                        <span class="player-art" aria-hidden="true">
                            {match cover {
                                Some(src) => view! { <img src=src alt="" width="48" height="48" /> }.into_any(),
                                None => view! { <NoteIcon /> }.into_any(),
                            }}
                        </span>
                        <div class="now-playing-text">
                            <p class="now-playing-title">{song.title.clone()}</p>
                            <A href=format!("/artists/{}", song.artist.id) attr:class="now-playing-artist muted small">
                                {song.artist.name.clone()}
                            </A>
                        </div>
                        <FavoriteButton song_id=song.id.clone() />
                        <AddToPlaylistButton song_id=song.id />
                    }
                        .into_any()
                }
                None => view! {
                    <span class="player-art" aria-hidden="true"><NoteIcon /></span>
                    <div class="now-playing-text">
                        <p class="now-playing-title">{move || t_string!(i18n, player_idle)}</p>
                        <p class="muted small">{move || t_string!(i18n, player_idle_hint)}</p>
                    </div>
                }
                    .into_any(),
            }}
        </section>
    }
}
