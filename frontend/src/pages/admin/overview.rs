//! `/admin`: the library in numbers and its most played songs.

use leptos::prelude::*;
use soundstream_types::LibraryStats;

use crate::api;
use crate::components::admin_only::AdminOnly;
use crate::components::loaded::Loaded;
use crate::format;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

#[component]
pub fn OverviewPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.overview_heading));
    view! {
        <AdminOnly>
            <Overview />
        </AdminOnly>
    }
}

#[component]
fn Overview() -> impl IntoView {
    let i18n = use_i18n();
    let stats = LocalResource::new(|| api::get::<LibraryStats>("/api/v1/admin/stats"));
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, admin.overview_heading)}</h1>
            <Loaded resource=stats what={|l| td_string!(l, admin.stats_failed)} min_height="12rem" render={move |stats: LibraryStats| {
                let counts = move || {
                    let l = i18n.get_locale();
                    [
                        (td_string!(l, admin.stat_users), stats.users.to_string()),
                        (td_string!(l, admin.stat_songs), stats.songs.to_string()),
                        (td_string!(l, admin.stat_artists), stats.artists.to_string()),
                        (td_string!(l, admin.stat_albums), stats.albums.to_string()),
                        (td_string!(l, admin.stat_playlists), stats.playlists.to_string()),
                        (td_string!(l, admin.stat_plays), stats.plays.to_string()),
                        (td_string!(l, admin.stat_audio), format::bytes(stats.audio_bytes)),
                        (td_string!(l, admin.stat_duration), format::clock(stats.total_duration_ms as f64)),
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
                        <h2 id="most-played" class="section-title">{move || t_string!(i18n, admin.most_played)}</h2>
                        {if most_played.is_empty() {
                            view! { <p class="muted">{move || t_string!(i18n, admin.nothing_played)}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="most-played">
                                    {most_played.into_iter().map(|entry| view! {
                                        <li>
                                            <span>{entry.song.title}</span>
                                            " — "
                                            <span class="muted">{entry.song.artist.name}</span>
                                            " · "
                                            <span>{entry.plays} " " {move || t_string!(i18n, admin.plays)}</span>
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
