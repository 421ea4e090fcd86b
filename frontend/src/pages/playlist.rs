//! `/playlists/:id`: a playlist's cover, details and songs, a page at a
//! time (more load as the end of the list scrolls into view, or with
//! "Load more"); "Play all" and a row's "Play" fetch the rest first, so
//! the whole playlist is queued. Its owner can edit the details and cover, delete it, remove
//! songs and move them by drag and drop or with the move buttons; a move
//! names the entry and its new predecessor, and one the playlist no longer
//! has (changed elsewhere meanwhile) reloads the page.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use soundstream_types::{Page, Playlist, PlaylistEntry, Song, UpdatePlaylistRequest};

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::icons::ListIcon;
use crate::components::list_end::watch_list_end;
use crate::components::loaded::Loaded;
use crate::components::playlist_fields::PlaylistFields;
use crate::components::song_table::{RowExtras, SongTable};
use crate::format;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::notice::use_notices;
use crate::player::use_player;
use crate::playlists;
use crate::uploads::{chosen_file, upload_image};

#[component]
pub fn PlaylistPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, playlist));
    let params = use_params_map();
    let first = LocalResource::new(move || {
        let id = params.with(|params| params.get("id")).unwrap_or_default();
        async move {
            let playlist = playlists::detail(&id).await?;
            let page = playlists::entries(&id, None, playlists::ENTRIES_PAGE).await?;
            Ok::<_, ApiError>((playlist, page))
        }
    });
    let reload = Callback::new(move |()| first.refetch());
    view! {
        <div class="page">
            <Loaded resource=first what={|l| td_string!(l, playlist_failed)} min_height="12rem" render={move |(playlist, page): (Playlist, Page<PlaylistEntry>)| {
                view! { <PlaylistView playlist page reload /> }
            }} />
        </div>
    }
}

#[component]
fn PlaylistView(
    playlist: Playlist,
    page: Page<PlaylistEntry>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let player = use_player();
    let notices = use_notices();
    let is_owner = auth.user.with_untracked(|user| {
        user.as_ref()
            .is_some_and(|user| user.id == playlist.owner.id)
    });
    let id = StoredValue::new(playlist.id.clone());
    let playlist = RwSignal::new(playlist);
    let entries = RwSignal::new(page.items);
    // Where the next page starts; `None` once every entry is loaded.
    let cursor = RwSignal::new(page.next_cursor);
    let loading = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let songs = Signal::derive(move || {
        entries.with(|entries| {
            entries
                .iter()
                .map(|entry| entry.song.clone())
                .collect::<Vec<Song>>()
        })
    });

    let load_more = move || {
        let Some(after) = cursor.get_untracked() else {
            return;
        };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let playlist_id = id.get_value();
        leptos::task::spawn_local(async move {
            match playlists::entries(&playlist_id, Some(&after), playlists::ENTRIES_PAGE).await {
                Ok(page) => {
                    entries.try_update(|entries| entries.extend(page.items));
                    cursor.try_set(page.next_cursor);
                }
                Err(error) => notices.error(t_string!(i18n, playlist_failed), error),
            }
            loading.try_set(false);
        });
    };
    let list_end = NodeRef::<Div>::new();
    let end_visible = RwSignal::new(false);
    watch_list_end(list_end, end_visible);
    Effect::new(move |_| {
        if end_visible.get() && !loading.get() && cursor.with(Option::is_some) {
            load_more();
        }
    });

    // The whole playlist is queued, from `start`: what is not loaded yet
    // is fetched first.
    let play_from = move |start: usize| {
        let Some(after) = cursor.get_untracked() else {
            player.play_songs(songs.get_untracked(), start);
            return;
        };
        loading.set(true);
        let playlist_id = id.get_value();
        leptos::task::spawn_local(async move {
            match playlists::entries_after(&playlist_id, after).await {
                Ok(rest) => {
                    entries.try_update(|entries| entries.extend(rest));
                    cursor.try_set(None);
                    if let Some(all) = songs.try_get_untracked() {
                        player.play_songs(all, start);
                    }
                }
                Err(error) => notices.error(t_string!(i18n, playlist_failed), error),
            }
            loading.try_set(false);
        });
    };
    let on_play = Callback::new(play_from);

    // Optimistic: the new order shows at once and is undone if refused.
    let move_entry = move |(from, to): (usize, usize)| {
        if busy.get_untracked() {
            return;
        }
        let previous = entries.get_untracked();
        let Some((moved, request)) = playlists::reordered(&previous, from, to) else {
            return;
        };
        entries.set(moved);
        busy.set(true);
        // Nothing after an `await` may assume the page is still shown.
        let playlist_id = id.get_value();
        leptos::task::spawn_local(async move {
            match playlists::move_entry(&playlist_id, &request).await {
                Ok(()) => {}
                Err(error) if playlists::is_conflict(&error) => {
                    notices.error(t_string!(i18n, playlist_changed_elsewhere), "");
                    reload.try_run(());
                }
                Err(error) => {
                    entries.try_set(previous);
                    notices.error(t_string!(i18n, playlist_change_failed), error);
                }
            }
            busy.try_set(false);
        });
    };
    let remove_entry = move |entry: PlaylistEntry| {
        busy.set(true);
        let playlist_id = id.get_value();
        leptos::task::spawn_local(async move {
            match playlists::remove_entry(&playlist_id, &entry.id).await {
                Ok(()) => {
                    entries.try_update(|entries| entries.retain(|kept| kept.id != entry.id));
                    playlist.try_update(|playlist| {
                        playlist.song_count = playlist.song_count.saturating_sub(1);
                        playlist.duration_ms =
                            playlist.duration_ms.saturating_sub(entry.song.duration_ms);
                    });
                }
                Err(error) => notices.error(t_string!(i18n, playlist_change_failed), error),
            }
            busy.try_set(false);
        });
    };
    let extras: Option<RowExtras> = is_owner.then(|| {
        Callback::new(move |(index, _song): (usize, Song)| {
            let (entry, count) =
                entries.with_untracked(|entries| (entries.get(index).cloned(), entries.len()));
            let Some(entry) = entry else {
                return ().into_any();
            };
            view! {
                <button type="button" class="icon-button small-button" aria-label=move || t_string!(i18n, move_up)
                    title=move || t_string!(i18n, move_up)
                    disabled=move || index == 0 || busy.get()
                    on:click=move |_| move_entry((index, index - 1))>"↑"</button>
                <button type="button" class="icon-button small-button" aria-label=move || t_string!(i18n, move_down)
                    title=move || t_string!(i18n, move_down)
                    disabled=move || index + 1 == count || busy.get()
                    on:click=move |_| move_entry((index, index + 1))>"↓"</button>
                <button type="button" class="icon-button small-button" aria-label=move || t_string!(i18n, remove_from_playlist)
                    title=move || t_string!(i18n, remove_from_playlist)
                    disabled=move || busy.get()
                    on:click=move |_| remove_entry(entry.clone())>"×"</button>
            }
            .into_any()
        })
    });
    let on_reorder = is_owner.then(|| Callback::new(move_entry));

    view! {
        <div class="playlist-header">
            <span class="playlist-cover" aria-hidden="true">
                {move || match playlist.with(|playlist| playlist.cover_url.clone()) {
                    Some(url) => view! { <img src=api::media_url(&url) alt="" width="160" height="160" /> }.into_any(),
                    None => view! { <ListIcon /> }.into_any(),
                }}
            </span>
            <div class="playlist-facts">
                <p class="eyebrow">
                    {move || t_string!(i18n, playlist)} " · "
                    {move || if playlist.with(|playlist| playlist.is_public) { t_string!(i18n, public_badge) } else { t_string!(i18n, private_badge) }}
                </p>
                <h1>{move || playlist.with(|playlist| playlist.name.clone())}</h1>
                {move || playlist.with(|playlist| playlist.description.clone()).map(|text| view! { <p class="playlist-description">{text}</p> })}
                <p class="muted">
                    {move || format!(
                        "{} {} · {} · {}",
                        t_string!(i18n, by_owner),
                        playlist.with(|playlist| playlist.owner.display_name.clone()),
                        t_string!(i18n, song_count, count = playlist.with(|playlist| playlist.song_count)),
                        format::clock(playlist.with(|playlist| playlist.duration_ms) as f64)
                    )}
                </p>
            </div>
        </div>
        <div class="button-row">
            <button type="button" class="button button-primary"
                disabled=move || entries.with(Vec::is_empty) || loading.get()
                on:click=move |_| play_from(0)>{move || t_string!(i18n, play_all)}</button>
            {is_owner.then(|| view! {
                <button type="button" class="button" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|editing| *editing = !*editing)>{move || t_string!(i18n, edit_details)}</button>
                <button type="button" class="button button-quiet" on:click=move |_| confirming.set(true)>
                    {move || t_string!(i18n, delete_playlist)}
                </button>
            })}
        </div>
        <Show when=move || confirming.get()>
            <ConfirmDelete id=id.get_value() on_cancel=Callback::new(move |()| confirming.set(false)) />
        </Show>
        <Show when=move || editing.get()>
            <EditDetails playlist on_done=Callback::new(move |()| editing.set(false)) />
        </Show>
        <Show
            when=move || !entries.with(Vec::is_empty)
            fallback=move || view! { <p class="muted empty">{t_string!(i18n, playlist_empty)}</p> }
        >
            {match (extras, on_reorder) {
                (Some(extras), Some(on_reorder)) => view! { <SongTable songs extras on_reorder on_play /> }.into_any(),
                _ => view! { <SongTable songs on_play /> }.into_any(),
            }}
        </Show>
        <div node_ref=list_end class="list-end">
            {move || if loading.get() {
                view! { <p class="muted loading">{t_string!(i18n, loading)}</p> }.into_any()
            } else if cursor.with(Option::is_some) {
                view! {
                    <button type="button" class="button button-quiet" on:click=move |_| load_more()>
                        {t_string!(i18n, load_more)}
                    </button>
                }.into_any()
            } else {
                ().into_any()
            }}
        </div>
    }
}

/// Asks before deleting; once deleted, goes to the playlists page.
#[component]
fn ConfirmDelete(id: String, on_cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let delete = move |_| {
        busy.set(true);
        let navigate = navigate.clone();
        let playlist_id = id.get_value();
        leptos::task::spawn_local(async move {
            match playlists::delete(&playlist_id).await {
                Ok(()) => {
                    notices.info(t_string!(i18n, playlist_deleted));
                    navigate("/playlists", Default::default());
                }
                Err(error) => {
                    notices.error(t_string!(i18n, delete_failed), error);
                    busy.try_set(false);
                }
            }
        });
    };
    view! {
        <div class="card confirm" role="alertdialog" aria-labelledby="confirm-delete-text">
            <p id="confirm-delete-text">{move || t_string!(i18n, confirm_delete_playlist)}</p>
            <div class="button-row">
                <button type="button" class="button button-danger" disabled=move || busy.get() on:click=delete>
                    {move || t_string!(i18n, delete)}
                </button>
                <button type="button" class="button button-quiet" on:click=move |_| on_cancel.run(())>
                    {move || t_string!(i18n, cancel)}
                </button>
            </div>
        </div>
    }
}

/// Name, description, public toggle and cover (uploaded like the avatar).
#[component]
fn EditDetails(
    playlist: RwSignal<soundstream_types::Playlist>,
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let current = playlist.get_untracked();
    let name = RwSignal::new(current.name.clone());
    let description = RwSignal::new(current.description.clone().unwrap_or_default());
    let public = RwSignal::new(current.is_public);
    let remove_cover = RwSignal::new(false);
    let file = StoredValue::new_local(None::<web_sys::File>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let has_cover = current.cover_url.is_some();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let chosen = file.get_value();
        let description = description.get_untracked().trim().to_owned();
        let mut request = UpdatePlaylistRequest {
            name: Some(name.get_untracked().trim().to_owned()),
            description: Some((!description.is_empty()).then_some(description)),
            is_public: Some(public.get_untracked()),
            cover_upload_id: remove_cover.get_untracked().then_some(None),
        };
        let playlist_id = playlist.with_untracked(|playlist| playlist.id.clone());
        leptos::task::spawn_local(async move {
            if let Some(chosen) = chosen {
                match upload_image(&chosen).await {
                    Ok(upload) => request.cover_upload_id = Some(Some(upload)),
                    Err(failure) => {
                        error.try_set(Some(failure));
                        busy.try_set(false);
                        return;
                    }
                }
            }
            match playlists::update(&playlist_id, &request).await {
                Ok(updated) => {
                    playlist.try_set(updated);
                    notices.info(t_string!(i18n, saved));
                    on_done.try_run(());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="playlist-edit">
            <h2 class="card-title" id="playlist-edit">{move || t_string!(i18n, edit_details)}</h2>
            <form class="form" on:submit=submit>
                <PlaylistFields name description public />
                <label class="field">
                    <span>{move || t_string!(i18n, cover)}</span>
                    <input type="file" accept="image/jpeg,image/png,image/webp" on:change=move |event| file.set_value(chosen_file(&event)) />
                </label>
                {has_cover.then(|| view! {
                    <label class="field-inline">
                        <input type="checkbox" bind:checked=remove_cover />
                        <span>{move || t_string!(i18n, remove_cover)}</span>
                    </label>
                })}
                {move || error.get().map(|error| view! { <p class="form-error" role="alert">{t_string!(i18n, save_failed)} " " {error.to_string()}</p> })}
                <div class="button-row">
                    <button type="submit" class="button button-primary" disabled=move || busy.get()>{move || t_string!(i18n, save)}</button>
                    <button type="button" class="button button-quiet" on:click=move |_| on_done.run(())>{move || t_string!(i18n, cancel)}</button>
                </div>
            </form>
        </section>
    }
}
