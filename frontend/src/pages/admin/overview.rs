//! `/admin`: the library in numbers and its most played songs.

use leptos::prelude::*;
use soundstream_types::LibraryStats;

use super::texts::AdminTexts;
use super::{AdminOnly, use_admin_texts};
use crate::api;
use crate::components::loaded::Loaded;
use crate::format;

#[component]
pub fn OverviewPage() -> impl IntoView {
    super::super::set_document_title(|t| AdminTexts::matching(t).overview_heading);
    view! {
        <AdminOnly>
            <Overview />
        </AdminOnly>
    }
}

#[component]
fn Overview() -> impl IntoView {
    let texts = use_admin_texts();
    let stats = LocalResource::new(|| api::get::<LibraryStats>("/api/v1/admin/stats"));
    view! {
        <div class="page">
            <h1>{move || texts().overview_heading}</h1>
            <Loaded resource=stats what={|t| AdminTexts::matching(t).stats_failed} min_height="12rem" render={move |stats: LibraryStats| {
                let counts = move || {
                    let t = texts();
                    [
                        (t.stat_users, stats.users.to_string()),
                        (t.stat_songs, stats.songs.to_string()),
                        (t.stat_artists, stats.artists.to_string()),
                        (t.stat_albums, stats.albums.to_string()),
                        (t.stat_playlists, stats.playlists.to_string()),
                        (t.stat_plays, stats.plays.to_string()),
                        (t.stat_audio, format::bytes(stats.audio_bytes)),
                        (t.stat_duration, format::clock(stats.total_duration_ms as f64)),
                    ]
                };
                let most_played = stats.most_played.clone();
                view! {
                    <dl class="stat-grid">
                        {move || counts().into_iter().map(|(label, value)| view! {
                            <div class="stat card">
                                <dt class="muted small">{label}</dt>
                                <dd class="stat-value">{value}</dd>
                            </div>
                        }).collect_view()}
                    </dl>
                    <section aria-labelledby="most-played">
                        <h2 id="most-played" class="section-title">{move || texts().most_played}</h2>
                        {if most_played.is_empty() {
                            view! { <p class="muted">{move || texts().nothing_played}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="most-played">
                                    {most_played.into_iter().map(|entry| view! {
                                        <li>
                                            <span>{entry.song.title}</span>
                                            " — "
                                            <span class="muted">{entry.song.artist.name}</span>
                                            " · "
                                            <span>{entry.plays} " " {move || texts().plays}</span>
                                        </li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </section>
                }
            }} />
        </div>
    }
}
