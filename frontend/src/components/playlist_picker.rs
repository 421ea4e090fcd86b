//! "Add to playlist": a picker of the listener's playlists plus "New
//! playlist", used in every song row's menu and in the player bar.

use leptos::prelude::*;
use soundstream_types::{CreatePlaylistRequest, Playlist};
use wasm_bindgen::JsCast;

use crate::components::icons::PlaylistAddIcon;
use crate::i18n::{t_string, use_i18n};
use crate::notice::use_notices;
use crate::playlists;

/// Whether focus moved outside the element the focus event is bound to,
/// so a menu can close when the listener tabs or clicks away.
pub fn focus_left(event: &leptos::ev::FocusEvent) -> bool {
    let target = event
        .related_target()
        .and_then(|target| target.dyn_into::<web_sys::Node>().ok());
    let container = event
        .current_target()
        .and_then(|target| target.dyn_into::<web_sys::Node>().ok());
    !target
        .zip(container)
        .is_some_and(|(target, container)| container.contains(Some(&target)))
}

/// The list of the listener's playlists (each a button adding the song) and
/// a form to create a new one with the song in it. `on_done` runs once the
/// song was added.
#[component]
pub fn PlaylistPicker(song_id: String, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let mine = LocalResource::new(playlists::mine);
    let song_id = StoredValue::new(song_id);
    // Busy buttons stay enabled (a disabled button loses focus, which would
    // close the menu around the picker); the handlers ignore extra presses.
    let busy = RwSignal::new(false);
    let creating = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let name_input = NodeRef::<leptos::html::Input>::new();

    // The picker may be gone by the time the API answers (the listener
    // closed the menu): nothing after an `await` may assume it is still there.
    let add_to = move |playlist: Playlist| {
        busy.try_set(true);
        let song = song_id.get_value();
        leptos::task::spawn_local(async move {
            match playlists::add_songs(&playlist.id, vec![song]).await {
                Ok(_) => {
                    notices.info(format!(
                        "{} {}",
                        t_string!(i18n, added_to_playlist),
                        playlist.name
                    ));
                    busy.try_set(false);
                    on_done.try_run(());
                }
                Err(error) => {
                    notices.error(t_string!(i18n, add_failed), error);
                    busy.try_set(false);
                }
            }
        });
    };
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = name.get_untracked().trim().to_owned();
        if chosen.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let request = CreatePlaylistRequest {
                name: chosen,
                ..Default::default()
            };
            match playlists::create(&request).await {
                Ok(playlist) => add_to(playlist),
                Err(error) => {
                    notices.error(t_string!(i18n, create_failed), error);
                    busy.try_set(false);
                }
            }
        });
    };

    // The name field takes focus as soon as it appears.
    Effect::new(move |_| {
        if creating.get()
            && let Some(input) = name_input.get()
        {
            let _ = input.focus();
        }
    });

    view! {
        <div class="playlist-picker" role="group" aria-label=move || t_string!(i18n, add_to_playlist) aria-busy=move || busy.get().to_string()>
            {move || match mine.get() {
                None => view! { <p class="muted small picker-note">{t_string!(i18n, loading)}</p> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="form-error small" role="alert">{t_string!(i18n, playlists_failed)} " " {error.to_string()}</p>
                    <button type="button" class="menu-item" on:click=move |_| mine.refetch()>{t_string!(i18n, retry)}</button>
                }.into_any(),
                Some(Ok(list)) => list
                    .into_iter()
                    .map(|playlist| {
                        let label = playlist.name.clone();
                        view! {
                            <button type="button" class="menu-item" aria-disabled=move || busy.get().to_string()
                                on:click=move |_| {
                                    if !busy.get_untracked() {
                                        add_to(playlist.clone());
                                    }
                                }>{label}</button>
                        }
                    })
                    .collect_view()
                    .into_any(),
            }}
            // Stays in place when the form opens, so focus is never lost.
            <button
                type="button"
                class="menu-item"
                aria-expanded=move || creating.get().to_string()
                on:click=move |_| creating.update(|creating| *creating = !*creating)
            >
                "+ " {move || t_string!(i18n, new_playlist)}
            </button>
            <Show when=move || creating.get()>
                <form class="picker-form" on:submit=create>
                    <label class="field">
                        <span>{move || t_string!(i18n, playlist_name)}</span>
                        <input node_ref=name_input type="text" required maxlength="100" bind:value=name />
                    </label>
                    <button type="submit" class="button button-primary" aria-disabled=move || busy.get().to_string()>
                        {move || t_string!(i18n, create)}
                    </button>
                </form>
            </Show>
        </div>
    }
}

/// The player bar's "Add to playlist" button and its picker.
#[component]
pub fn AddToPlaylistButton(song_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let song_id = StoredValue::new(song_id);
    view! {
        <div
            class="menu"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    open.set(false);
                }
            }
            on:focusout=move |event| {
                if focus_left(&event) {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="icon-button"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-label=move || t_string!(i18n, add_to_playlist)
                title=move || t_string!(i18n, add_to_playlist)
                on:click=move |_| open.update(|open| *open = !*open)
            >
                <PlaylistAddIcon />
            </button>
            <Show when=move || open.get()>
                <div class="menu-popup menu-popup-up">
                    <PlaylistPicker song_id=song_id.get_value() on_done=Callback::new(move |()| open.set(false)) />
                </div>
            </Show>
        </div>
    }
}
