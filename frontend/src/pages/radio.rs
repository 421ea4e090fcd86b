//! `/radio`: the stations, and tuning in to one. Tuned in, the page plays
//! the schedule itself: each song from its live offset, the next one when
//! the schedule says, kept within a second of it by the server's clock
//! (the offset to the browser's is measured on every `/now`, at the
//! request's round-trip midpoint). There is nothing to skip or seek; the
//! queue's player is paused, and playing it again leaves the station.

use std::time::Duration;

use leptos::prelude::*;
use soundstream_types::{Page, PlaybackUrl, ScheduledSong, Station, StationNow};

use crate::api::{self, ApiError};
use crate::components::loaded::Loaded;
use crate::format;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::player::use_player;

/// Drift from the schedule corrected by seeking (well within the second
/// promised, and more than a seek's own jitter).
const MAX_DRIFT_MS: f64 = 250.0;

async fn stations() -> Result<Vec<Station>, ApiError> {
    api::get::<Page<Station>>("/api/v1/stations?limit=100")
        .await
        .map(|page| page.items)
}

/// `/now` and the server clock's lead over the browser's.
async fn now_playing(id: &str) -> Result<(StationNow, f64), ApiError> {
    let sent = js_sys::Date::now();
    let now: StationNow = api::get(&format!("/api/v1/stations/{}/now", api::encode(id))).await?;
    let received = js_sys::Date::now();
    let offset = now.server_time_ms as f64 - (sent + received) / 2.0;
    Ok((now, offset))
}

/// What the tuned-in page knows: the station, the song on air, what comes
/// next, and the server clock's offset.
#[derive(Debug, Clone, PartialEq)]
struct Tuned {
    station: Station,
    current: Option<ScheduledSong>,
    next: Vec<ScheduledSong>,
    offset_ms: f64,
}

impl Tuned {
    fn server_now(&self) -> f64 {
        js_sys::Date::now() + self.offset_ms
    }
}

#[component]
pub fn RadioPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, radio_heading));
    let i18n = use_i18n();
    let player = use_player();
    let list = LocalResource::new(stations);
    let tuned = RwSignal::new(None::<Tuned>);
    // The song loaded into the radio's audio element.
    let loaded = RwSignal::new(None::<String>);
    let position_ms = RwSignal::new(0.0_f64);
    let audio = NodeRef::<leptos::html::Audio>::new();

    let leave = move || {
        tuned.set(None);
        loaded.set(None);
        if let Some(element) = audio.get_untracked() {
            let _ = element.pause();
            let _ = element.remove_attribute("src");
        }
    };
    // Playing the queue again leaves the station.
    Effect::new(move |was_playing: Option<bool>| {
        let playing = player.playing.get();
        if playing && was_playing == Some(false) && tuned.get_untracked().is_some() {
            leave();
        }
        playing
    });
    on_cleanup(leave);

    // Loads a song into the audio element at its live offset.
    let load = move |entry: ScheduledSong| {
        loaded.set(Some(entry.song.id.clone()));
        leptos::task::spawn_local(async move {
            let url: Result<PlaybackUrl, ApiError> = api::get(&format!(
                "/api/v1/songs/{}/stream",
                api::encode(&entry.song.id)
            ))
            .await;
            let (Ok(url), Some(element)) = (url, audio.get_untracked()) else {
                return;
            };
            if loaded.get_untracked().as_deref() != Some(entry.song.id.as_str()) {
                return;
            }
            element.set_src(&url.url);
            let start = tuned
                .with_untracked(|t| t.as_ref().map(Tuned::server_now))
                .map_or(0.0, |now| (now - entry.starts_at_ms as f64).max(0.0));
            element.set_current_time(start / 1000.0);
            // A play() cut short (the next song, or leaving) rejects its
            // promise: expected here, so it is awaited and let go.
            if let Ok(promise) = element.play() {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            }
        });
    };

    // Every quarter second: follow the schedule and hold the live offset.
    let tick = move || {
        let Some(state) = tuned.get_untracked() else {
            return;
        };
        let now = state.server_now();
        let Some(current) = state.current.clone() else {
            return;
        };
        let ends_at = current.starts_at_ms as f64 + current.duration_ms as f64;
        if now >= ends_at {
            // The schedule moves on: the next song, or ask again.
            let mut following = state.next.clone();
            if following.is_empty() {
                refresh(state.station.id, tuned, load);
                return;
            }
            let next = following.remove(0);
            let running_low = following.len() < 2;
            tuned.set(Some(Tuned {
                current: Some(next.clone()),
                next: following,
                ..state.clone()
            }));
            load(next);
            if running_low {
                refresh(state.station.id, tuned, load);
            }
            return;
        }
        let expected = now - current.starts_at_ms as f64;
        position_ms.set(expected);
        if loaded.get_untracked().as_deref() != Some(current.song.id.as_str()) {
            load(current);
            return;
        }
        if let Some(element) = audio.get_untracked()
            && element.ready_state() >= 1
            && (element.current_time() * 1000.0 - expected).abs() > MAX_DRIFT_MS
        {
            element.set_current_time(expected / 1000.0);
        }
    };
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(250)) {
        on_cleanup(move || handle.clear());
    }

    let tune_in = move |station: Station| {
        if player.playing.get_untracked() {
            player.toggle();
        }
        leptos::task::spawn_local(async move {
            if let Ok((now, offset_ms)) = now_playing(&station.id).await {
                let current = now.current.clone();
                tuned.set(Some(Tuned {
                    station,
                    current: now.current,
                    next: now.next,
                    offset_ms,
                }));
                if let Some(current) = current {
                    load(current);
                }
            }
        });
    };

    view! {
        <div class="page radio-page">
            <h1>{move || t_string!(i18n, radio_heading)}</h1>
            <audio node_ref=audio class="radio-audio" preload="auto"></audio>
            {move || tuned.get().map(|state| {
                let title = state.current.as_ref().map(|entry| format!("{} · {}", entry.song.title, entry.song.artist.name));
                let duration = state.current.as_ref().map_or(0.0, |entry| entry.duration_ms as f64);
                view! {
                    <section class="radio-tuned" aria-labelledby="radio-on-air">
                        <h2 id="radio-on-air">{state.station.name.clone()}</h2>
                        <p class="radio-now" aria-live="polite">
                            <span class="muted">{move || t_string!(i18n, radio_now_playing)}": "</span>
                            <span class="radio-title">{title.unwrap_or_else(|| t_string!(i18n, radio_silent).to_owned())}</span>
                        </p>
                        <p class="radio-position">
                            <span class="radio-clock" data-position-ms=move || format!("{:.0}", position_ms.get())>
                                {move || format::clock(position_ms.get())}
                            </span>
                            " / "{format::clock(duration)}
                        </p>
                        <h3>{move || t_string!(i18n, radio_up_next)}</h3>
                        <ol class="radio-next">
                            {state.next.iter().take(5).map(|entry| view! {
                                <li>{format!("{} · {}", entry.song.title, entry.song.artist.name)}</li>
                            }).collect_view()}
                        </ol>
                        <button type="button" class="button" on:click=move |_| leave()>
                            {move || t_string!(i18n, radio_leave)}
                        </button>
                    </section>
                }
            })}
            <Loaded resource=list what={|l| td_string!(l, radio_failed)} min_height="4rem" render={move |list: Vec<Station>| {
                if list.is_empty() {
                    view! { <p class="muted">{t_string!(i18n, radio_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="radio-stations">
                            {list.into_iter().map(|station| {
                                let name = station.name.clone();
                                let description = station.description.clone().unwrap_or_default();
                                let label = format!("{} {}", t_string!(i18n, radio_tune_in), station.name);
                                view! {
                                    <li class="radio-station">
                                        <h2>{name}</h2>
                                        <p class="muted">{description}</p>
                                        <button type="button" class="button primary" aria-label=label
                                            on:click=move |_| tune_in(station.clone())>
                                            {move || t_string!(i18n, radio_tune_in)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }} />
        </div>
    }
}

/// Asks `/now` again and takes its schedule (and a fresh clock offset).
fn refresh(
    station_id: String,
    tuned: RwSignal<Option<Tuned>>,
    load: impl Fn(ScheduledSong) + Copy + 'static,
) {
    leptos::task::spawn_local(async move {
        let Ok((now, offset_ms)) = now_playing(&station_id).await else {
            return;
        };
        let Some(state) = tuned.get_untracked() else {
            return;
        };
        if state.station.id != station_id {
            return;
        }
        let changed =
            state.current.as_ref().map(|c| &c.song.id) != now.current.as_ref().map(|c| &c.song.id);
        let current = now.current.clone();
        tuned.set(Some(Tuned {
            current: now.current,
            next: now.next,
            offset_ms,
            ..state
        }));
        if changed && let Some(current) = current {
            load(current);
        }
    });
}
