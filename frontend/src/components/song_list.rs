//! A song table over a paged endpoint (`items` + `next_cursor`) that loads
//! the next page when the end of the table scrolls into view.

use leptos::html::Div;
use leptos::prelude::*;
use soundstream_types::{Page, Song};

use crate::api::{self, ApiError};
use crate::components::list_end::watch_list_end;
use crate::components::load_error::LoadError;
use crate::components::song_table::SongTable;
use crate::i18n::{Locale, t_string, use_i18n};

#[derive(Debug, Clone, PartialEq)]
enum Loading {
    Idle,
    Busy,
    Done,
    Failed(ApiError),
}

/// `path` is the endpoint with its query (`/api/v1/songs?sort=title`); the
/// cursor is appended to it. A new path starts over.
#[component]
pub fn PagedSongs(
    #[prop(into)] path: Signal<String>,
    what: fn(Locale) -> &'static str,
    empty: fn(Locale) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let songs = RwSignal::new(Vec::<Song>::new());
    let cursor = RwSignal::new(None::<String>);
    let state = RwSignal::new(Loading::Idle);
    let generation = StoredValue::new(0_u64);
    let sentinel = NodeRef::<Div>::new();
    let visible = RwSignal::new(false);

    let load_more = move || {
        if !matches!(state.get_untracked(), Loading::Idle) {
            return;
        }
        state.set(Loading::Busy);
        let base = path.get_untracked();
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = match cursor.get_untracked() {
            Some(cursor) => format!("{base}{separator}cursor={}", api::encode(&cursor)),
            None => base,
        };
        let ticket = generation.get_value();
        leptos::task::spawn_local(async move {
            let result = api::get::<Page<Song>>(&url).await;
            // A newer request (or a page left meanwhile) makes this answer moot.
            if generation.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(page) => {
                    songs.update(|songs| songs.extend(page.items));
                    let done = page.next_cursor.is_none();
                    cursor.set(page.next_cursor);
                    state.set(if done { Loading::Done } else { Loading::Idle });
                }
                Err(error) => state.set(Loading::Failed(error)),
            }
        });
    };

    // A new path: start over from the first page.
    Effect::new(move |_| {
        path.track();
        generation.update_value(|generation| *generation += 1);
        songs.set(Vec::new());
        cursor.set(None);
        state.set(Loading::Idle);
        load_more();
    });
    watch_list_end(sentinel, visible);
    // Keep loading while the end of the list is on screen. The observer's
    // last report may predate the rows just added, so the position is
    // checked again before asking for more.
    Effect::new(move |_| {
        if visible.get() && state.get() == Loading::Idle && cursor.with(Option::is_some) {
            let on_screen = sentinel.get_untracked().is_some_and(|element| {
                let viewport = window()
                    .inner_height()
                    .ok()
                    .and_then(|height| height.as_f64())
                    .unwrap_or(0.0);
                element.get_bounding_client_rect().top() < viewport
            });
            if on_screen {
                load_more();
            }
        }
    });

    let retry = Callback::new(move |()| {
        state.set(Loading::Idle);
        load_more();
    });
    let (pending, _) = signal(false);
    view! {
        <div class="paged-songs" aria-busy=move || (state.get() == Loading::Busy).to_string()>
            <Show
                when=move || !songs.with(Vec::is_empty) || state.get() != Loading::Done
                fallback=move || view! { <p class="muted empty">{empty(i18n.get_locale())}</p> }
            >
                <SongTable songs=songs />
            </Show>
            <div node_ref=sentinel class="list-end">
                {move || match state.get() {
                    Loading::Busy => view! { <p class="muted loading">{t_string!(i18n, loading)}</p> }.into_any(),
                    Loading::Failed(error) => view! {
                        <LoadError what=what(i18n.get_locale()) error on_retry=retry pending />
                    }.into_any(),
                    Loading::Idle => view! {
                        <button type="button" class="button button-quiet" on:click=move |_| load_more()>
                            {t_string!(i18n, load_more)}
                        </button>
                    }.into_any(),
                    Loading::Done => ().into_any(),
                }}
            </div>
        </div>
    }
}
