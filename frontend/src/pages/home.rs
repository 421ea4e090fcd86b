//! `/`: recently added songs, what the listener played lately and their
//! playlists.

use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::{Page, PlayedSong, Playlist, Song};

use crate::api;
use crate::auth::use_auth;
use crate::components::loaded::Loaded;
use crate::components::playlist_cards::PlaylistCards;
use crate::components::song_table::SongTable;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::playlists;

const SECTION_SIZE: u32 = 8;
/// The recently added table's height once full (`SECTION_SIZE` rows of
/// 3.5rem and its header), reserved while it loads so the sections below do
/// not jump down when the songs arrive (Lighthouse's layout shift).
const ADDED_MIN_HEIGHT: &str = "30.25rem";

#[component]
pub fn HomePage() -> impl IntoView {
    set_document_title(|l| td_string!(l, nav_home));
    let i18n = use_i18n();
    let auth = use_auth();
    let added = LocalResource::new(|| async {
        api::get::<Page<Song>>(&format!(
            "/api/v1/songs?sort=added&order=desc&limit={SECTION_SIZE}"
        ))
        .await
        .map(|page| page.items)
    });
    let played = LocalResource::new(|| async {
        api::get::<Page<PlayedSong>>(&format!("/api/v1/me/history?limit={SECTION_SIZE}"))
            .await
            .map(|page| {
                page.items
                    .into_iter()
                    .map(|played| played.song)
                    .collect::<Vec<_>>()
            })
    });
    let mine = LocalResource::new(|| async {
        playlists::mine().await.map(|mut list| {
            list.truncate(SECTION_SIZE as usize);
            list
        })
    });
    let name = move || {
        auth.user.with(|user| {
            user.as_ref()
                .map(|user| user.display_name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="page">
            <h1>{move || format!("{}, {}", t_string!(i18n, greeting), name())}</h1>
            <section class="home-section" aria-labelledby="recently-added">
                <h2 id="recently-added">{move || t_string!(i18n, recently_added)}</h2>
                <Loaded resource=added what={|l| td_string!(l, home_failed)} min_height=ADDED_MIN_HEIGHT render={move |songs: Vec<Song>| {
                    if songs.is_empty() {
                        view! { <p class="muted">{t_string!(i18n, no_songs)}</p> }.into_any()
                    } else {
                        view! { <SongTable songs=Signal::stored(songs) /> }.into_any()
                    }
                }} />
            </section>
            <section class="home-section" aria-labelledby="recently-played">
                <h2 id="recently-played">{move || t_string!(i18n, recently_played)}</h2>
                <Loaded resource=played what={|l| td_string!(l, home_failed)} min_height="6rem" render={move |songs: Vec<Song>| {
                    if songs.is_empty() {
                        view! { <p class="muted">{t_string!(i18n, nothing_played)}</p> }.into_any()
                    } else {
                        view! { <SongTable songs=Signal::stored(songs) /> }.into_any()
                    }
                }} />
            </section>
            <section class="home-section" aria-labelledby="your-playlists">
                <h2 id="your-playlists">{move || t_string!(i18n, your_playlists)}</h2>
                <Loaded resource=mine what={|l| td_string!(l, playlists_failed)} min_height="4rem" render={move |list: Vec<Playlist>| {
                    if list.is_empty() {
                        view! {
                            <p class="muted">
                                {t_string!(i18n, no_playlists)} " "
                                <A href="/playlists">{t_string!(i18n, new_playlist)}</A>
                            </p>
                        }.into_any()
                    } else {
                        view! { <PlaylistCards playlists=list /> }.into_any()
                    }
                }} />
            </section>
        </div>
    }
}
