//! `/search?q=`: search as you type. The URL holds the query, so reload,
//! back and forward show the same results; typing updates it after a short
//! pause, and answers to queries that are no longer current are ignored.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use soundstream_types::SearchResults;

use crate::api::{self, ApiError};
use crate::components::icons::SearchIcon;
use crate::components::load_error::LoadError;
use crate::components::playlist_cards::PlaylistCards;
use crate::components::song_table::SongTable;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

/// How long typing must pause before the query is sent.
const DEBOUNCE: Duration = Duration::from_millis(250);
/// Results per kind.
const LIMIT: u32 = 20;

#[derive(Debug, Clone, PartialEq)]
enum Status {
    /// No query yet.
    Idle,
    Busy,
    Ready(SearchResults),
    /// The API refuses queries without a letter or digit (422).
    NeedsLetters,
    Failed(ApiError),
}

/// The `/search` URL for a query (just `/search` when it is blank).
fn search_href(query: &str) -> String {
    if query.trim().is_empty() {
        "/search".to_owned()
    } else {
        format!("/search?q={}", api::encode(query))
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, nav_search));
    let i18n = use_i18n();
    let navigate = use_navigate();
    let url = use_query_map();
    let url_query = Memo::new(move |_| url.with(|query| query.get("q")).unwrap_or_default());
    let text = RwSignal::new(url_query.get_untracked());
    // The last query this page put in the URL: any other change came from
    // outside (back/forward) and must show in the box.
    let pushed = StoredValue::new(url_query.get_untracked());
    let keystrokes = StoredValue::new(0_u64);
    let requests = StoredValue::new(0_u64);
    let status = RwSignal::new(Status::Idle);
    // The results on screen stay while the next ones load, so nothing jumps.
    let shown = RwSignal::new(None::<SearchResults>);
    let (pending, set_pending) = signal(false);

    let run = move |query: String| {
        requests.update_value(|count| *count += 1);
        let ticket = requests.get_value();
        if query.trim().is_empty() {
            status.set(Status::Idle);
            shown.set(None);
            set_pending.set(false);
            return;
        }
        status.set(Status::Busy);
        set_pending.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/search?q={}&limit={LIMIT}", api::encode(&query));
            let result = api::get::<SearchResults>(&path).await;
            // A newer query (or leaving the page) makes this answer stale.
            if requests.try_get_value() != Some(ticket) {
                return;
            }
            set_pending.set(false);
            match result {
                Ok(results) => {
                    shown.set(Some(results.clone()));
                    status.set(Status::Ready(results));
                }
                Err(error) if error.status() == Some(422) => {
                    shown.set(None);
                    status.set(Status::NeedsLetters);
                }
                Err(error) => status.set(Status::Failed(error)),
            }
        });
    };

    Effect::new(move |_| {
        let query = url_query.get();
        if pushed.get_value() != query {
            pushed.set_value(query.clone());
            text.set(query.clone());
        }
        run(query);
    });

    let on_input = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        text.set(value.clone());
        keystrokes.update_value(|count| *count += 1);
        let ticket = keystrokes.get_value();
        let navigate = navigate.clone();
        set_timeout(
            move || {
                if keystrokes.try_get_value() != Some(ticket) {
                    return;
                }
                pushed.set_value(value.clone());
                // Replace: one history entry per search, not per keystroke.
                navigate(
                    &search_href(&value),
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            },
            DEBOUNCE,
        );
    };
    let retry = Callback::new(move |()| run(url_query.get_untracked()));

    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, nav_search)}</h1>
            <form role="search" class="search-form" on:submit=move |event: leptos::ev::SubmitEvent| event.prevent_default()>
                <label class="search-box">
                    <SearchIcon />
                    <input
                        id="search-input"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-label=move || t_string!(i18n, search_label)
                        placeholder=move || t_string!(i18n, search_placeholder)
                        prop:value=move || text.get()
                        on:input=on_input
                    />
                </label>
            </form>
            <div class="search-results" aria-busy=move || pending.get().to_string()>
                {move || match status.get() {
                    Status::Idle => view! { <p class="muted">{t_string!(i18n, search_hint)}</p> }.into_any(),
                    Status::NeedsLetters => view! { <p class="muted">{t_string!(i18n, search_needs_letters)}</p> }.into_any(),
                    Status::Failed(error) => view! {
                        <LoadError what=t_string!(i18n, search_failed) error on_retry=retry pending />
                    }.into_any(),
                    Status::Busy if shown.with(Option::is_none) => {
                        view! { <p class="muted loading">{t_string!(i18n, loading)}</p> }.into_any()
                    }
                    Status::Busy | Status::Ready(_) => ().into_any(),
                }}
                {move || shown.get().map(|results| view! { <Results results /> })}
            </div>
        </div>
    }
}

#[component]
fn Results(results: SearchResults) -> impl IntoView {
    let i18n = use_i18n();
    let SearchResults {
        query,
        songs,
        artists,
        albums,
        playlists,
    } = results;
    if songs.is_empty() && artists.is_empty() && albums.is_empty() && playlists.is_empty() {
        return view! {
            <p class="muted empty" role="status">{move || format!("{} “{}”.", t_string!(i18n, search_no_results), query)}</p>
        }
        .into_any();
    }
    view! {
        {(!songs.is_empty()).then(|| view! {
            <section class="result-group" aria-labelledby="results-songs">
                <h2 id="results-songs">{move || t_string!(i18n, songs_heading)}</h2>
                <SongTable songs=Signal::stored(songs) />
            </section>
        })}
        {(!artists.is_empty()).then(|| view! {
            <section class="result-group" aria-labelledby="results-artists">
                <h2 id="results-artists">{move || t_string!(i18n, artists)}</h2>
                <ul class="card-list">
                    {artists.into_iter().map(|artist| view! {
                        <li class="card">
                            <A href=format!("/artists/{}", artist.id)>{artist.name.clone()}</A>
                            <p class="muted small">{move || t_string!(i18n, song_count, count = artist.song_count)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!albums.is_empty()).then(|| view! {
            <section class="result-group" aria-labelledby="results-albums">
                <h2 id="results-albums">{move || t_string!(i18n, albums)}</h2>
                <ul class="card-list">
                    {albums.into_iter().map(|album| view! {
                        <li class="card">
                            <A href=format!("/albums/{}", album.id)>{album.title.clone()}</A>
                            <p class="muted small">{album.artist.name}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!playlists.is_empty()).then(|| view! {
            <section class="result-group" aria-labelledby="results-playlists">
                <h2 id="results-playlists">{move || t_string!(i18n, playlists_heading)}</h2>
                <PlaylistCards playlists />
            </section>
        })}
    }
    .into_any()
}
