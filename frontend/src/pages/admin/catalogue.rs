//! `/admin/songs`: the catalogue, newest uploads first, with edit and
//! delete (after confirmation); `/admin/songs/:id`: every field of a song,
//! its cover and lyrics, and the names of its artist and album.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde::de::IgnoredAny;
use soundstream_types::{
    AlbumDetail, AlbumRef, ArtistRef, Lyrics, Page, Song, UpdateAlbumRequest, UpdateArtistRequest,
    UpdateSongRequest,
};

use crate::api::{self, ApiError, Method};
use crate::components::admin_only::AdminOnly;
use crate::components::form_error::FormError;
use crate::components::load_error::LoadError;
use crate::components::loaded::Loaded;
use crate::form_fields::{non_empty, number};
use crate::format;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::notice::use_notices;
use crate::uploads::{chosen_file, upload_image};

const PAGE_SIZE: u32 = 50;

#[component]
pub fn CataloguePage() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.catalogue_heading));
    view! {
        <AdminOnly>
            <Catalogue />
        </AdminOnly>
    }
}

#[component]
fn Catalogue() -> impl IntoView {
    let i18n = use_i18n();
    let songs = RwSignal::new(Vec::<Song>::new());
    let cursor = RwSignal::new(None::<String>);
    let (loading, set_loading) = signal(false);
    let error = RwSignal::new(None::<ApiError>);
    let load = move |more: bool| {
        set_loading.set(true);
        error.set(None);
        let mut path = format!("/api/v1/songs?sort=added&order=desc&limit={PAGE_SIZE}");
        if more && let Some(cursor) = cursor.get_untracked() {
            path.push_str(&format!("&cursor={}", api::encode(&cursor)));
        }
        leptos::task::spawn_local(async move {
            match api::get::<Page<Song>>(&path).await {
                Ok(page) => {
                    if more {
                        songs.update(|songs| songs.extend(page.items));
                    } else {
                        songs.set(page.items);
                    }
                    cursor.set(page.next_cursor);
                }
                Err(failure) => error.set(Some(failure)),
            }
            set_loading.set(false);
        });
    };
    load(false);
    let retry = Callback::new(move |()| load(!songs.with_untracked(Vec::is_empty)));
    let removed =
        Callback::new(move |id: String| songs.update(|songs| songs.retain(|song| song.id != id)));
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, admin.catalogue_heading)}</h1>
            <p class="muted">{move || t_string!(i18n, admin.newest_first)}</p>
            <div class="table-scroll">
                <table class="admin-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || t_string!(i18n, title)}</th>
                            <th scope="col">{move || t_string!(i18n, artist)}</th>
                            <th scope="col" class="hide-narrow">{move || t_string!(i18n, album)}</th>
                            <th scope="col" class="hide-narrow">{move || t_string!(i18n, added)}</th>
                            <th scope="col"><span class="visually-hidden">{move || t_string!(i18n, more_actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || songs.get() key=|song| (song.id.clone(), song.title.clone()) let:song>
                            <CatalogueRow song removed />
                        </For>
                    </tbody>
                </table>
            </div>
            {move || (!loading.get() && error.get().is_none() && songs.with(Vec::is_empty))
                .then(|| view! { <p class="muted">{t_string!(i18n, no_songs)}</p> })}
            {move || error.get().map(|error| view! {
                <LoadError what=t_string!(i18n, admin.catalogue_failed) error on_retry=retry pending=loading />
            })}
            <Show when=move || cursor.with(Option::is_some) && error.with(Option::is_none)>
                <button type="button" class="button" disabled=move || loading.get() on:click=move |_| load(true)>
                    {move || t_string!(i18n, admin.load_more)}
                </button>
            </Show>
        </div>
    }
}

#[component]
fn CatalogueRow(song: Song, removed: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(song.id.clone());
    let delete = move |_| {
        busy.set(true);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/songs/{}", api::encode(&id));
            match api::send_empty::<()>(Method::Delete, &path, None).await {
                Ok(()) => {
                    notices.info(t_string!(i18n, admin.song_deleted));
                    removed.run(id);
                }
                Err(failure) => {
                    notices.error(t_string!(i18n, admin.delete_failed), failure);
                    busy.set(false);
                    confirming.set(false);
                }
            }
        });
    };
    let added = song
        .created_at
        .get(..10)
        .unwrap_or(&song.created_at)
        .to_owned();
    let edit_href = format!("/admin/songs/{}", song.id);
    view! {
        <tr>
            <td><A href=edit_href.clone()>{song.title.clone()}</A></td>
            <td>{song.artist.name.clone()}</td>
            <td class="hide-narrow">{song.album.map(|album| album.title)}</td>
            <td class="hide-narrow">{added}</td>
            <td>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <div class="button-row">
                            <A href=edit_href.clone() attr:class="button button-quiet">{move || t_string!(i18n, admin.edit)}</A>
                            <button type="button" class="button button-quiet" on:click=move |_| confirming.set(true)>
                                {move || t_string!(i18n, admin.delete)}
                            </button>
                        </div>
                    }
                >
                    <div class="confirm" role="group" aria-label=move || t_string!(i18n, admin.delete)>
                        <p class="small">{move || t_string!(i18n, admin.confirm_delete)}</p>
                        <div class="button-row">
                            <button type="button" class="button button-danger" disabled=move || busy.get() on:click=delete>
                                {move || t_string!(i18n, admin.confirm_delete_button)}
                            </button>
                            <button type="button" class="button button-quiet" on:click=move |_| confirming.set(false)>
                                {move || t_string!(i18n, admin.cancel)}
                            </button>
                        </div>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

#[component]
pub fn EditSongPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.edit_song_heading));
    view! {
        <AdminOnly>
            <EditSong />
        </AdminOnly>
    }
}

#[component]
fn EditSong() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").unwrap_or_default());
    let song = LocalResource::new(move || {
        let id = id();
        async move {
            let path = format!("/api/v1/songs/{}", api::encode(&id));
            let song = api::get::<Song>(&path).await?;
            let lyrics = if song.has_lyrics {
                Some(api::get::<Lyrics>(&format!("{path}/lyrics")).await?)
            } else {
                None
            };
            Ok::<_, ApiError>((song, lyrics))
        }
    });
    let reload = Callback::new(move |()| song.refetch());
    view! {
        <div class="page">
            <p><A href="/admin/songs">{move || t_string!(i18n, admin.back_to_catalogue)}</A></p>
            <h1>{move || t_string!(i18n, admin.edit_song_heading)}</h1>
            <Loaded resource=song what={|l| td_string!(l, admin.song_failed)} render={move |(song, lyrics): (Song, Option<Lyrics>)| {
                let artist = song.artist.clone();
                let album = song.album.clone();
                view! {
                    <div class="card-grid">
                        <SongForm song lyrics reload />
                        <ArtistForm artist reload />
                        <AlbumForm album reload />
                    </div>
                }
            }} />
        </div>
    }
}

#[component]
fn SongForm(song: Song, lyrics: Option<Lyrics>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
    let title = RwSignal::new(song.title.clone());
    let artist = RwSignal::new(song.artist.name.clone());
    let album = text(song.album.as_ref().map(|album| album.title.clone()));
    let track = text(song.track_number.map(|n| n.to_string()));
    let disc = text(song.disc_number.map(|n| n.to_string()));
    let year = text(song.year.map(|n| n.to_string()));
    let genre = text(song.genre.clone());
    let lyrics_text = text(lyrics.as_ref().map(|lyrics| lyrics.lyrics.clone()));
    let lyrics_language = text(
        lyrics
            .and_then(|lyrics| lyrics.language)
            .or(song.lyrics_language.clone()),
    );
    let new_cover = StoredValue::new_local(None::<web_sys::File>);
    let remove_cover = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(song.id.clone());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = async {
                let cover_upload_id = match new_cover.get_value() {
                    Some(file) => Some(Some(upload_image(&file).await?)),
                    None if remove_cover.get_untracked() => Some(None),
                    None => None,
                };
                let request = UpdateSongRequest {
                    title: Some(title.get_untracked().trim().to_owned()),
                    artist: Some(artist.get_untracked().trim().to_owned()),
                    album: Some(non_empty(&album.get_untracked())),
                    track_number: Some(number(&track.get_untracked())),
                    disc_number: Some(number(&disc.get_untracked())),
                    year: Some(number(&year.get_untracked())),
                    // Empty clears it.
                    genre: Some(non_empty(&genre.get_untracked())),
                    cover_upload_id,
                    // Empty lyrics remove them.
                    lyrics: Some(lyrics_text.get_untracked().trim().to_owned()),
                    lyrics_language: non_empty(&lyrics_language.get_untracked()),
                };
                let path = format!("/api/v1/songs/{}", api::encode(&id.get_value()));
                api::send::<_, Song>(Method::Patch, &path, &request).await
            }
            .await;
            busy.set(false);
            match result {
                Ok(song) => {
                    notices.info(format!(
                        "{} {}",
                        t_string!(i18n, admin.song_saved),
                        song.title
                    ));
                    reload.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let cover_url = song.cover_url.clone();
    view! {
        <section class="card" aria-labelledby="edit-song">
            <h2 class="card-title" id="edit-song">{song.title.clone()}</h2>
            <form class="form" on:submit=submit>
                <label class="field">
                    <span>{move || t_string!(i18n, title)}</span>
                    <input type="text" required maxlength="200" bind:value=title />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, artist)}</span>
                    <input type="text" required maxlength="200" bind:value=artist />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, album)}</span>
                    <input type="text" maxlength="200" bind:value=album />
                </label>
                <div class="song-form-grid">
                    <label class="field">
                        <span>{move || t_string!(i18n, admin.track_number)}</span>
                        <input type="number" min="1" max="999" bind:value=track />
                    </label>
                    <label class="field">
                        <span>{move || t_string!(i18n, admin.disc_number)}</span>
                        <input type="number" min="1" max="99" bind:value=disc />
                    </label>
                    <label class="field">
                        <span>{move || t_string!(i18n, admin.year)}</span>
                        <input type="number" min="1000" max="9999" bind:value=year />
                    </label>
                </div>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.genre)}</span>
                    <input type="text" maxlength="200" bind:value=genre />
                </label>
                <p class="muted small">{move || t_string!(i18n, admin.duration)} ": " {format::clock(song.duration_ms as f64)}</p>
                <div class="cover-row">
                    {cover_url.clone().map(|url| view! {
                        <img class="cover-preview" src=api::media_url(&url) alt=move || t_string!(i18n, admin.cover) width="96" height="96" />
                    })}
                    <label class="field">
                        <span>{move || t_string!(i18n, admin.new_cover)}</span>
                        <input type="file" accept="image/jpeg,image/png,image/webp"
                            on:change=move |event| new_cover.set_value(chosen_file(&event)) />
                    </label>
                    {cover_url.map(|_| view! {
                        <label class="field-inline">
                            <input type="checkbox" bind:checked=remove_cover />
                            <span>{move || t_string!(i18n, admin.remove_cover)}</span>
                        </label>
                    })}
                </div>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.lyrics)}</span>
                    <textarea rows="6" bind:value=lyrics_text></textarea>
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.lyrics_language)}</span>
                    <input type="text" maxlength="35" placeholder="en" pattern="[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*" bind:value=lyrics_language />
                </label>
                {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, admin.save_failed) error /> })}
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || if busy.get() { t_string!(i18n, admin.saving) } else { t_string!(i18n, admin.save_song) }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn ArtistForm(artist: ArtistRef, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let name = RwSignal::new(artist.name.clone());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(artist.id);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let request = UpdateArtistRequest {
            name: name.get_untracked().trim().to_owned(),
        };
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/artists/{}", api::encode(&id.get_value()));
            let result = api::send::<_, IgnoredAny>(Method::Patch, &path, &request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    notices.info(t_string!(i18n, admin.song_saved));
                    // The song form shows the artist's name: refresh it too.
                    reload.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="edit-artist">
            <h2 class="card-title" id="edit-artist">{move || t_string!(i18n, admin.artist_heading)}</h2>
            <form class="form" on:submit=submit>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.artist_name)}</span>
                    <input type="text" required maxlength="200" bind:value=name />
                </label>
                {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, admin.save_failed) error /> })}
                <button type="submit" class="button" disabled=move || busy.get()>{move || t_string!(i18n, admin.rename_artist)}</button>
            </form>
        </section>
    }
}

#[component]
fn AlbumForm(album: Option<AlbumRef>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="edit-album">
            <h2 class="card-title" id="edit-album">{move || t_string!(i18n, admin.album_heading)}</h2>
            {match album {
                Some(album) => view! { <AlbumFields album reload /> }.into_any(),
                None => view! { <p class="muted">{move || t_string!(i18n, admin.no_album)}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AlbumFields(album: AlbumRef, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let title = RwSignal::new(album.title.clone());
    let year = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(album.id);
    // The album's own year is not on the song: fetch it to pre-fill the field.
    leptos::task::spawn_local(async move {
        let path = format!("/api/v1/albums/{}", api::encode(&id.get_value()));
        if let Ok(detail) = api::get::<AlbumDetail>(&path).await {
            year.set(detail.album.year.map(|n| n.to_string()).unwrap_or_default());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let request = UpdateAlbumRequest {
            title: Some(title.get_untracked().trim().to_owned()),
            year: Some(number(&year.get_untracked())),
        };
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/albums/{}", api::encode(&id.get_value()));
            let result = api::send::<_, IgnoredAny>(Method::Patch, &path, &request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    notices.info(t_string!(i18n, admin.song_saved));
                    reload.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit>
            <label class="field">
                <span>{move || t_string!(i18n, admin.album_title)}</span>
                <input type="text" required maxlength="200" bind:value=title />
            </label>
            <label class="field">
                <span>{move || t_string!(i18n, admin.year)}</span>
                <input type="number" min="1000" max="9999" bind:value=year />
            </label>
            {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, admin.save_failed) error /> })}
            <button type="submit" class="button" disabled=move || busy.get()>{move || t_string!(i18n, admin.save_album)}</button>
        </form>
    }
}
