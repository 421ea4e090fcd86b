//! `/artists/:id`: an artist's popular songs and albums.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use soundstream_types::ArtistDetail;

use crate::api;
use crate::components::loaded::Loaded;
use crate::components::song_table::SongTable;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::player::use_player;

#[component]
pub fn ArtistPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, artist));
    let i18n = use_i18n();
    let player = use_player();
    let params = use_params_map();
    let detail = LocalResource::new(move || {
        let id = params.with(|params| params.get("id")).unwrap_or_default();
        async move { api::get::<ArtistDetail>(&format!("/api/v1/artists/{}", api::encode(&id))).await }
    });
    view! {
        <div class="page">
            <Loaded resource=detail what={|l| td_string!(l, artist_failed)} min_height="12rem" render={move |detail: ArtistDetail| {
                let songs = detail.top_songs.clone();
                view! {
                    <p class="eyebrow">{t_string!(i18n, artist)}</p>
                    <h1>{detail.artist.name.clone()}</h1>
                    <p class="muted">{format!("{} · {}", detail.artist.song_count, t_string!(i18n, songs))}</p>
                    <button type="button" class="button button-primary" disabled=songs.is_empty()
                        on:click=move |_| player.play_songs(songs.clone(), 0)>{t_string!(i18n, play_all)}</button>
                    <h2>{t_string!(i18n, top_songs)}</h2>
                    <SongTable songs=Signal::stored(detail.top_songs) />
                    <h2>{t_string!(i18n, albums)}</h2>
                    <ul class="card-list">
                        {detail.albums.into_iter().map(|album| view! {
                            <li class="card album-card">
                                <A href=format!("/albums/{}", album.id)>{album.title.clone()}</A>
                                <p class="muted small">{album.year.map(|year| year.to_string())}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            }} />
        </div>
    }
}
