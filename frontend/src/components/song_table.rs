//! Songs as a table: each row is named by its content (title, artist) and
//! holds a "Play" button, the favourite heart and a menu (play next, add to
//! queue, add to playlist). Playing a row queues the whole list from there.

use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::Song;

use crate::components::favorite_button::FavoriteButton;
use crate::components::icons::{MoreIcon, PlayIcon};
use crate::components::playlist_picker::{PlaylistPicker, focus_left};
use crate::format;
use crate::i18n::{t_string, use_i18n};
use crate::notice::use_notices;
use crate::player::use_player;

/// Extra controls a page adds to each row (a playlist's remove and move buttons).
pub type RowExtras = Callback<(usize, Song), AnyView>;

#[component]
pub fn SongTable(
    #[prop(into)] songs: Signal<Vec<Song>>,
    /// Show the album column (not on an album's own page).
    #[prop(default = true)]
    show_album: bool,
    #[prop(optional)] extras: Option<RowExtras>,
    /// Makes rows draggable; called with (from, to) on drop.
    #[prop(optional)]
    on_reorder: Option<Callback<(usize, usize)>>,
    /// Plays from a row instead of queueing the rows shown (a paged
    /// playlist queues its songs not loaded yet too).
    #[prop(optional)]
    on_play: Option<Callback<usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    let dragging = RwSignal::new(None::<usize>);
    let current_id = move || {
        player
            .queue
            .with(|queue| queue.current().map(|entry| entry.song.id.clone()))
    };
    view! {
        <table class="song-table" class:no-album=!show_album class:has-extras=extras.is_some()>
            <thead>
                <tr>
                    <th scope="col" class="col-index">"#"</th>
                    <th scope="col" class="col-title">{move || t_string!(i18n, title)}</th>
                    {show_album.then(|| view! { <th scope="col" class="col-album">{move || t_string!(i18n, album)}</th> })}
                    <th scope="col" class="col-actions"><span class="visually-hidden">{move || t_string!(i18n, more_actions)}</span></th>
                    <th scope="col" class="col-duration">{move || t_string!(i18n, duration)}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let list = songs.get();
                    list.iter()
                        .cloned()
                        .enumerate()
                        .map(|(index, song)| {
                            let id = song.id.clone();
                            let is_current = {
                                let id = id.clone();
                                move || current_id().as_deref() == Some(id.as_str())
                            };
                            let play = move |_| match on_play {
                                Some(on_play) => on_play.run(index),
                                None => player.play_songs(songs.get_untracked(), index),
                            };
                            let artist_href = format!("/artists/{}", song.artist.id);
                            let artist_name = song.artist.name.clone();
                            let title = song.title.clone();
                            let album = song.album.clone();
                            let extra = extras.map(|extras| extras.run((index, song.clone())));
                            view! {
                                <tr
                                    class="song-row"
                                    class:current=is_current
                                    draggable=on_reorder.map(|_| "true")
                                    class:dragging=move || dragging.get() == Some(index)
                                    on:dragstart=move |event| {
                                        if on_reorder.is_some() {
                                            dragging.set(Some(index));
                                            if let Some(transfer) = event.data_transfer() {
                                                let _ = transfer.set_data("text/plain", &index.to_string());
                                                transfer.set_effect_allowed("move");
                                            }
                                        }
                                    }
                                    on:dragover=move |event| {
                                        if on_reorder.is_some() && dragging.get_untracked().is_some() {
                                            event.prevent_default();
                                        }
                                    }
                                    on:drop=move |event| {
                                        event.prevent_default();
                                        if let (Some(reorder), Some(from)) = (on_reorder, dragging.get_untracked())
                                            && from != index {
                                                reorder.run((from, index));
                                            }
                                        dragging.set(None);
                                    }
                                    on:dragend=move |_| dragging.set(None)
                                >
                                    <td class="col-index">
                                        <span class="row-number" aria-hidden="true">{index + 1}</span>
                                        <button type="button" class="row-play icon-button" aria-label=move || t_string!(i18n, play) on:click=play>
                                            <PlayIcon />
                                        </button>
                                    </td>
                                    <td class="col-title">
                                        <span class="song-title">{title}</span>
                                        <A href=artist_href attr:class="song-artist">{artist_name}</A>
                                    </td>
                                    {show_album.then(|| view! {
                                        <td class="col-album">
                                            {album.map(|album| view! {
                                                <A href=format!("/albums/{}", album.id)>{album.title}</A>
                                            })}
                                        </td>
                                    })}
                                    <td class="col-actions">
                                        <div class="row-actions">
                                            <FavoriteButton song_id=id />
                                            <SongMenu song=song.clone() />
                                            {extra}
                                        </div>
                                    </td>
                                    <td class="col-duration">{format::clock(song.duration_ms as f64)}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// The "More actions" menu of a song.
#[component]
pub fn SongMenu(song: Song) -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    let notices = use_notices();
    let open = RwSignal::new(false);
    let song = StoredValue::new(song);
    let picking = RwSignal::new(false);
    let close = move || {
        open.set(false);
        picking.set(false);
    };
    view! {
        <div
            class="menu"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    close();
                }
            }
            on:focusout=move |event| {
                // Close when focus leaves the menu altogether.
                if focus_left(&event) {
                    close();
                }
            }
        >
            <button
                type="button"
                class="icon-button"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-label=move || t_string!(i18n, more_actions)
                on:click=move |_| open.update(|open| *open = !*open)
            >
                <MoreIcon />
            </button>
            <Show when=move || open.get()>
                <div class="menu-popup" role="group" aria-label=move || t_string!(i18n, more_actions)>
                    <button type="button" class="menu-item" on:click=move |_| {
                        player.play_next(song.get_value());
                        notices.info(t_string!(i18n, play_next));
                        close();
                    }>{move || t_string!(i18n, play_next)}</button>
                    <button type="button" class="menu-item" on:click=move |_| {
                        player.add_to_queue(song.get_value());
                        notices.info(t_string!(i18n, add_to_queue));
                        close();
                    }>{move || t_string!(i18n, add_to_queue)}</button>
                    <button
                        type="button"
                        class="menu-item"
                        aria-expanded=move || picking.get().to_string()
                        on:click=move |_| picking.update(|picking| *picking = !*picking)
                    >{move || t_string!(i18n, add_to_playlist)}</button>
                    <Show when=move || picking.get()>
                        <PlaylistPicker song_id=song.with_value(|song| song.id.clone()) on_done=Callback::new(move |()| close()) />
                    </Show>
                </div>
            </Show>
        </div>
    }
}
