//! `/songs`: the whole library, sorted by any column, filtered by artist,
//! loaded a page at a time as the listener scrolls.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use soundstream_types::{Artist, Page};

use crate::api;
use crate::components::song_list::PagedSongs;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

pub const PAGE_SIZE: u32 = 40;

#[component]
pub fn SongsPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, songs_heading));
    let i18n = use_i18n();
    let query = use_query_map();
    let sort = RwSignal::new(
        query
            .with_untracked(|query| query.get("sort"))
            .unwrap_or_else(|| "title".to_owned()),
    );
    let order = RwSignal::new(
        query
            .with_untracked(|query| query.get("order"))
            .unwrap_or_else(|| "asc".to_owned()),
    );
    let artist = RwSignal::new(
        query
            .with_untracked(|query| query.get("artist_id"))
            .unwrap_or_default(),
    );
    let artists = LocalResource::new(|| async {
        api::get::<Page<Artist>>("/api/v1/artists?limit=200")
            .await
            .map(|page| page.items)
    });
    let path = Signal::derive(move || {
        let mut path = format!(
            "/api/v1/songs?limit={PAGE_SIZE}&sort={}&order={}",
            api::encode(&sort.get()),
            api::encode(&order.get())
        );
        let artist = artist.get();
        if !artist.is_empty() {
            path.push_str(&format!("&artist_id={}", api::encode(&artist)));
        }
        path
    });
    let sort_options = move || {
        let l = i18n.get_locale();
        [
            ("title", td_string!(l, title)),
            ("artist", td_string!(l, artist)),
            ("album", td_string!(l, album)),
            ("added", td_string!(l, added)),
            ("duration", td_string!(l, duration)),
        ]
    };
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, songs_heading)}</h1>
            <div class="toolbar">
                <label class="field-inline">
                    <span>{move || t_string!(i18n, sort_by)}</span>
                    <select prop:value=move || sort.get() on:change=move |event| sort.set(event_target_value(&event))>
                        {move || sort_options().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </label>
                <button
                    type="button"
                    class="button button-quiet"
                    aria-label=move || if order.get() == "asc" { t_string!(i18n, ascending) } else { t_string!(i18n, descending) }
                    on:click=move |_| order.update(|order| *order = if order == "asc" { "desc".into() } else { "asc".into() })
                >
                    {move || if order.get() == "asc" { "↑ " } else { "↓ " }}
                    {move || if order.get() == "asc" { t_string!(i18n, ascending) } else { t_string!(i18n, descending) }}
                </button>
                <label class="field-inline">
                    <span>{move || t_string!(i18n, filter)} " (" {move || t_string!(i18n, artist)} ")"</span>
                    <select prop:value=move || artist.get() on:change=move |event| artist.set(event_target_value(&event))>
                        <option value="">"—"</option>
                        {move || match artists.get() {
                            Some(Ok(list)) => list.into_iter().map(|artist| view! { <option value=artist.id>{artist.name.clone()}</option> }).collect_view().into_any(),
                            _ => ().into_any(),
                        }}
                    </select>
                </label>
            </div>
            <PagedSongs path what={|l| td_string!(l, songs_failed)} empty={|l| td_string!(l, no_songs)} />
        </div>
    }
}
