//! `/albums/:id`: an album's tracks in order.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use soundstream_types::AlbumDetail;

use crate::api;
use crate::components::loaded::Loaded;
use crate::components::song_table::SongTable;
use crate::format;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::player::use_player;

#[component]
pub fn AlbumPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, album));
    let i18n = use_i18n();
    let player = use_player();
    let params = use_params_map();
    let detail = LocalResource::new(move || {
        let id = params.with(|params| params.get("id")).unwrap_or_default();
        async move { api::get::<AlbumDetail>(&format!("/api/v1/albums/{}", api::encode(&id))).await }
    });
    view! {
        <div class="page">
            <Loaded resource=detail what={|l| td_string!(l, album_failed)} min_height="12rem" render={move |detail: AlbumDetail| {
                let tracks = detail.tracks.clone();
                let total: u64 = detail.tracks.iter().map(|song| song.duration_ms).sum();
                view! {
                    <p class="eyebrow">{t_string!(i18n, album)}</p>
                    <h1>{detail.album.title.clone()}</h1>
                    <p class="muted">
                        <A href=format!("/artists/{}", detail.album.artist.id)>{detail.album.artist.name.clone()}</A>
                        {detail.album.year.map(|year| format!(" · {year}"))}
                        {format!(" · {} · {}", detail.album.song_count, format::clock(total as f64))}
                    </p>
                    <button type="button" class="button button-primary" disabled=tracks.is_empty()
                        on:click=move |_| player.play_songs(tracks.clone(), 0)>{t_string!(i18n, play_all)}</button>
                    <SongTable songs=Signal::stored(detail.tracks) show_album=false />
                }
            }} />
        </div>
    }
}
