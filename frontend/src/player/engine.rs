//! The audio engine: two `<audio>` elements — the one playing and the next
//! track preloading in the other, so the next song starts the moment this
//! one ends, or fades in over its last seconds with a crossfade — their
//! listeners, loading stream URLs at the quality set, the Web Audio gains
//! that normalize volume and fade, and the play reports for the listening
//! history.

use std::cell::RefCell;

use js_sys::Reflect;
use leptos::prelude::*;
use soundstream_types::{PlayRequest, PlaybackUrl};
use wasm_bindgen::prelude::*;
use web_sys::{AudioContext, AudioContextState, GainNode, HtmlAudioElement};

use super::media_session;
use super::plays;
use super::queue::Advance;
use super::settings;
use super::state::Player;
use crate::api::{self, ApiError, Method};

/// The two audio elements and what each holds.
pub(super) struct Engine {
    pub(super) elements: [HtmlAudioElement; 2],
    pub(super) active: usize,
    /// Entry uid loaded into each element.
    pub(super) loaded: [Option<u64>; 2],
    /// What the API chose for each element (rendition, bit rate).
    sources: [Option<PlaybackUrl>; 2],
    /// The rendition codecs this browser plays (`&formats=opus,aac,mp3`),
    /// probed once.
    formats: String,
    /// Web Audio routing for normalization and crossfades, from the first
    /// play with either on.
    graph: Option<Graph>,
    /// The element fading out during a crossfade (the other one plays the
    /// next song); nothing is preloaded into it until the fade is over.
    pub(super) fading_out: Option<usize>,
    /// Bumped at each crossfade, so a finished fade's timer knows it is stale.
    fade_id: u64,
    /// Bumped on every load, so a slow stream-URL answer for a song the
    /// listener already skipped is ignored.
    pub(super) generation: u64,
    /// Restored position to apply once the metadata is known.
    pub(super) pending_seek_ms: Option<f64>,
    /// Whether this load's play was reported to the history.
    pub(super) reported: bool,
    pub(super) last_saved_ms: f64,
}

/// Each element → its own `GainNode` → the speakers. Once an element feeds
/// a graph it is heard only through it, so the elements are connected only
/// when the context runs (browsers start it after a user gesture): until
/// then they play as before, without normalization.
struct Graph {
    context: AudioContext,
    gains: Option<[GainNode; 2]>,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

pub(super) fn with_engine<R>(f: impl FnOnce(&mut Engine) -> R) -> Option<R> {
    ENGINE.with_borrow_mut(|engine| engine.as_mut().map(f))
}

pub(super) fn active_element() -> Option<HtmlAudioElement> {
    with_engine(|engine| engine.elements[engine.active].clone())
}

/// Creates the two audio elements, listening for `player`.
pub(super) fn install(player: Player) {
    let elements = [player.create_element(0), player.create_element(1)];
    let formats = settings::formats_parameter(&elements[0]);
    ENGINE.with_borrow_mut(|engine| {
        *engine = Some(Engine {
            elements,
            active: 0,
            loaded: [None, None],
            sources: [None, None],
            formats,
            graph: None,
            fading_out: None,
            fade_id: 0,
            generation: 0,
            pending_seek_ms: None,
            reported: false,
            last_saved_ms: 0.0,
        });
    });
}

impl Player {
    fn create_element(self, index: usize) -> HtmlAudioElement {
        let element = HtmlAudioElement::new().expect("the browser can create <audio>");
        element.set_preload("auto");
        // Web Audio hears media from another origin (S3) only through CORS.
        element.set_cross_origin(Some("anonymous"));
        element.set_class_name("player-audio");
        // In the document (hidden) so tests and devtools can inspect playback.
        if let Some(body) = document().body() {
            let _ = body.append_child(&element);
        }
        let on = |event: &str, handler: Box<dyn FnMut()>| {
            let closure = Closure::<dyn FnMut()>::wrap(handler);
            let _ =
                element.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
            // The elements live as long as the page: so do their listeners.
            closure.forget();
        };
        let is_active = move || with_engine(|engine| engine.active == index).unwrap_or(false);
        let player = self;
        on(
            "timeupdate",
            Box::new(move || {
                if is_active() {
                    player.on_time_update();
                }
            }),
        );
        on(
            "durationchange",
            Box::new(move || {
                if is_active()
                    && let Some(element) = active_element()
                {
                    player.duration_ms.set(element.duration() * 1000.0);
                }
            }),
        );
        on(
            "loadedmetadata",
            Box::new(move || {
                if is_active()
                    && let Some(Some(ms)) = with_engine(|engine| engine.pending_seek_ms.take())
                    && let Some(element) = active_element()
                {
                    element.set_current_time(ms / 1000.0);
                }
            }),
        );
        on(
            "play",
            Box::new(move || {
                if is_active() {
                    player.playing.set(true);
                    media_session::set_playback_state("playing");
                }
            }),
        );
        on(
            "playing",
            Box::new(move || {
                if is_active() {
                    player.buffering.set(false);
                }
            }),
        );
        on(
            "waiting",
            Box::new(move || {
                if is_active() {
                    player.buffering.set(true);
                }
            }),
        );
        on(
            "pause",
            Box::new(move || {
                if is_active() {
                    player.playing.set(false);
                    media_session::set_playback_state("paused");
                    player.save();
                }
            }),
        );
        on(
            "ended",
            Box::new(move || {
                if is_active() {
                    player.on_ended();
                }
            }),
        );
        on(
            "error",
            Box::new(move || {
                if is_active() {
                    player.buffering.set(false);
                    player.playing.set(false);
                    player.error.set(Some(String::new()));
                }
            }),
        );
        element
    }

    pub(super) fn apply_volume(self) {
        let volume = self.volume.get_untracked();
        let muted = self.muted.get_untracked();
        with_engine(|engine| {
            for element in &engine.elements {
                element.set_volume(volume);
                element.set_muted(muted);
            }
        });
    }

    fn on_time_update(self) {
        let Some(element) = active_element() else {
            return;
        };
        let position = element.current_time() * 1000.0;
        self.position_ms.set(position);
        let duration = element.duration() * 1000.0;
        let fade_ms = f64::from(self.crossfade_s.get_untracked()) * 1000.0;
        // A third of the song at most: short songs fade briefly.
        let fade_ms = fade_ms.min(duration / 3.0);
        if fade_ms > 0.0 && duration.is_finite() && position >= duration - fade_ms {
            self.start_crossfade(fade_ms / 1000.0);
        }
        let report = with_engine(|engine| {
            let due = !engine.reported && plays::play_counts(position, duration);
            engine.reported |= due;
            due
        });
        if report == Some(true)
            && let Some(song_id) = self.current_song().map(|song| song.id)
        {
            leptos::task::spawn_local(async move {
                let play = PlayRequest { song_id };
                if let Err(error) =
                    api::send_empty(Method::Post, "/api/v1/me/history", Some(&play)).await
                {
                    leptos::logging::warn!("could not record the play: {error}");
                }
            });
        }
        // Remember the position every few seconds, not at every frame.
        let now = js_sys::Date::now();
        let save = with_engine(|engine| {
            let due = now - engine.last_saved_ms > 2_000.0;
            if due {
                engine.last_saved_ms = now;
            }
            due
        });
        if save == Some(true) {
            self.save();
        }
    }

    fn on_ended(self) {
        let before = self.current_uid();
        let mut next = None;
        self.queue
            .update(|queue| next = queue.advance(Advance::Ended));
        match next {
            Some(_) if self.current_uid() == before => {
                // Repeat one: the same element again from the top.
                with_engine(|engine| engine.reported = false);
                if let Some(element) = active_element() {
                    element.set_current_time(0.0);
                    let _ = element.play();
                }
            }
            Some(_) => self.load_current(true, None),
            None => {
                self.playing.set(false);
                self.position_ms.set(0.0);
                if let Some(element) = active_element() {
                    element.set_current_time(0.0);
                }
                self.save();
            }
        }
    }

    /// Loads the current entry into an element and, with `autoplay`, plays
    /// it. Uses the preloaded element when it already holds this entry.
    pub(super) fn load_current(self, autoplay: bool, start_ms: Option<f64>) {
        let Some((uid, song)) = self
            .queue
            .with_untracked(|queue| queue.current().map(|entry| (entry.uid, entry.song.clone())))
        else {
            return;
        };
        if autoplay {
            // While the click that asked for it still counts as a gesture
            // (the stream URL is fetched before play() is called).
            self.start_audio_graph();
        }
        self.error.set(None);
        self.position_ms.set(start_ms.unwrap_or(0.0));
        self.duration_ms.set(song.duration_ms as f64);
        media_session::update_media_metadata(&song);
        let preloaded = with_engine(|engine| {
            engine.generation += 1;
            engine.reported = false;
            let other = 1 - engine.active;
            // A crossfade lets the old song play on while it fades out.
            if engine.fading_out != Some(engine.active) {
                let _ = engine.elements[engine.active].pause();
            }
            if engine.fading_out == Some(other) {
                // Back to the song fading out: it plays on at full gain.
                engine.fading_out = None;
            }
            if engine.loaded[other] == Some(uid) {
                engine.active = other;
                engine.pending_seek_ms = start_ms;
                true
            } else {
                engine.pending_seek_ms = start_ms;
                false
            }
        })
        .unwrap_or(false);
        if preloaded {
            self.on_element_changed();
            if let Some(element) = active_element() {
                element.set_current_time(start_ms.unwrap_or(0.0) / 1000.0);
                if autoplay {
                    self.play_element(&element);
                }
            }
            self.preload_upcoming();
            return;
        }
        let generation = with_engine(|engine| engine.generation).unwrap_or(0);
        self.buffering.set(autoplay);
        leptos::task::spawn_local(async move {
            let answer = self.stream_url(&song.id).await;
            let current = with_engine(|engine| engine.generation == generation).unwrap_or(false);
            if !current {
                return;
            }
            match answer {
                Ok(playback) => {
                    with_engine(|engine| {
                        let element = &engine.elements[engine.active];
                        element.set_src(&api::media_url(&playback.url));
                        engine.loaded[engine.active] = Some(uid);
                        engine.sources[engine.active] = Some(playback);
                    });
                    self.on_element_changed();
                    if autoplay && let Some(element) = active_element() {
                        self.play_element(&element);
                    }
                    self.preload_upcoming();
                }
                Err(error) => {
                    self.buffering.set(false);
                    self.error.set(Some(error.to_string()));
                }
            }
        });
    }

    /// Moves on to the preloaded next song `seconds` before this one ends,
    /// fading one out while the other fades in. Not for repeat-one (the
    /// same element plays again), nor without the audio graph, nor when the
    /// next song is not preloaded yet: those end as without crossfade.
    fn start_crossfade(self, seconds: f64) {
        let next_uid = self.queue.with_untracked(|queue| {
            let next = queue.entries().get(queue.upcoming()?)?.uid;
            (Some(next) != queue.current().map(|entry| entry.uid)).then_some(next)
        });
        let Some(next_uid) = next_uid else {
            return;
        };
        let ready = with_engine(|engine| {
            engine.fading_out.is_none()
                && engine.loaded[1 - engine.active] == Some(next_uid)
                && engine
                    .graph
                    .as_ref()
                    .is_some_and(|graph| graph.gains.is_some())
        });
        if ready != Some(true) {
            return;
        }
        let fade_id = with_engine(|engine| {
            engine.fading_out = Some(engine.active);
            engine.fade_id += 1;
            engine.fade_id
        })
        .unwrap_or(0);
        self.queue.update(|queue| {
            queue.advance(Advance::Ended);
        });
        self.load_current(true, None);
        with_engine(|engine| {
            let Some(graph) = engine.graph.as_ref() else {
                return;
            };
            let (Some(gains), Some(old)) = (graph.gains.as_ref(), engine.fading_out) else {
                return;
            };
            let now = graph.context.current_time();
            ramp(&gains[old], None, 0.0, now, seconds);
            let new = &gains[engine.active];
            let target = new.gain().value();
            ramp(new, Some(0.0), target, now, seconds);
        });
        set_timeout(
            move || {
                if with_engine(|engine| engine.fade_id == fade_id) == Some(true) {
                    self.finish_crossfade();
                }
            },
            std::time::Duration::from_secs_f64(seconds),
        );
    }

    /// Ends a crossfade: the old song stops, and the song after the new one
    /// is preloaded into its element.
    pub(super) fn finish_crossfade(self) {
        let faded = with_engine(|engine| {
            let old = engine.fading_out.take()?;
            (old != engine.active).then(|| {
                let _ = engine.elements[old].pause();
            })
        })
        .flatten();
        if faded.is_some() {
            self.preload_upcoming();
        }
    }

    /// Shows what the now active element plays and sets its gain.
    fn on_element_changed(self) {
        self.source
            .set(with_engine(|engine| engine.sources[engine.active].clone()).flatten());
        self.apply_gain();
    }

    /// Sets the playing element's gain: the current song's safe gain (the
    /// album's while its album plays in order) with normalization on, else
    /// none. `gain_db` tells what is really applied.
    pub(super) fn apply_gain(self) {
        let normalize = self.normalize.get_untracked();
        let wanted = self
            .queue
            .with_untracked(|queue| queue.normalization_gain_db(normalize));
        let applied = with_engine(|engine| {
            let gains = engine.graph.as_ref()?.gains.as_ref()?;
            // JavaScript's pow: Rust's would add libm's to the bundle.
            let linear = js_sys::Math::pow(10.0, wanted / 20.0);
            let gain = gains[engine.active].gain();
            // A fade's ramp would otherwise override the value.
            let _ = gain.cancel_scheduled_values(0.0);
            gain.set_value(linear as f32);
            Some(wanted)
        })
        .flatten()
        .unwrap_or(0.0);
        self.gain_db.set(applied);
    }

    /// Starts (or resumes) the Web Audio graph when normalization or the
    /// crossfade is on. Called on play, which follows a user gesture in all
    /// but autoplay of the next track, by when the graph already runs.
    pub(super) fn start_audio_graph(self) {
        if !self.normalize.get_untracked() && self.crossfade_s.get_untracked() == 0 {
            return;
        }
        let existing = with_engine(|engine| {
            engine
                .graph
                .as_ref()
                .map(|graph| (graph.context.clone(), graph.gains.is_some()))
        })
        .flatten();
        let context = match existing {
            Some((context, true)) => {
                if context.state() != AudioContextState::Running {
                    let _ = context.resume();
                }
                return;
            }
            Some((context, false)) => context,
            None => {
                let Ok(context) = AudioContext::new() else {
                    return;
                };
                with_engine(|engine| {
                    engine.graph = Some(Graph {
                        context: context.clone(),
                        gains: None,
                    })
                });
                context
            }
        };
        leptos::task::spawn_local(async move {
            // Pending until the browser allows audio (a gesture).
            if let Ok(promise) = context.resume() {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            }
            if context.state() != AudioContextState::Running {
                return;
            }
            let connected = with_engine(|engine| {
                let graph = engine.graph.as_mut()?;
                if graph.gains.is_none() {
                    graph.gains = route_through_gains(&graph.context, &engine.elements);
                }
                graph.gains.as_ref().map(|_| ())
            })
            .flatten();
            if connected.is_some() {
                self.apply_gain();
            }
        });
    }

    pub(super) fn play_element(self, element: &HtmlAudioElement) {
        self.start_audio_graph();
        match element.play() {
            Ok(promise) => {
                let player = self;
                leptos::task::spawn_local(async move {
                    if let Err(error) = wasm_bindgen_futures::JsFuture::from(promise).await {
                        // An interrupted play() (the listener skipped) is not an error.
                        let name = Reflect::get(&error, &"name".into())
                            .ok()
                            .and_then(|name| name.as_string())
                            .unwrap_or_default();
                        if name != "AbortError" {
                            player.buffering.set(false);
                            player.error.set(Some(
                                Reflect::get(&error, &"message".into())
                                    .ok()
                                    .and_then(|message| message.as_string())
                                    .unwrap_or(name),
                            ));
                        }
                    }
                });
            }
            Err(_) => self.error.set(Some(String::new())),
        }
    }

    /// Fetches the next entry into the idle element, so it starts without a gap.
    pub(super) fn preload_upcoming(self) {
        let upcoming = self.queue.with_untracked(|queue| {
            let index = queue.upcoming()?;
            let entry = queue.entries().get(index)?;
            (Some(entry.uid) != queue.current().map(|current| current.uid))
                .then(|| (entry.uid, entry.song.id.clone()))
        });
        let Some((uid, song_id)) = upcoming else {
            return;
        };
        // The idle element still plays the end of a crossfade.
        if with_engine(|engine| engine.fading_out.is_some()) == Some(true) {
            return;
        }
        let player = self;
        let already = with_engine(|engine| engine.loaded[1 - engine.active] == Some(uid));
        if already == Some(true) {
            return;
        }
        let generation = with_engine(|engine| engine.generation).unwrap_or(0);
        leptos::task::spawn_local(async move {
            let Ok(playback) = player.stream_url(&song_id).await else {
                // Not fatal: it is fetched again when its turn comes.
                return;
            };
            with_engine(|engine| {
                if engine.generation != generation {
                    return;
                }
                let idle = 1 - engine.active;
                engine.elements[idle].set_src(&api::media_url(&playback.url));
                engine.elements[idle].load();
                engine.loaded[idle] = Some(uid);
                engine.sources[idle] = Some(playback);
            });
        });
    }

    /// Asks where to stream a song from, at the quality set and in the
    /// formats this browser plays.
    async fn stream_url(self, song_id: &str) -> Result<PlaybackUrl, ApiError> {
        let quality = settings::effective_quality(self.quality.get_untracked());
        // `formats=` is left out when the browser plays none of them.
        let formats = with_engine(|engine| engine.formats.clone()).unwrap_or_default();
        api::get(&format!(
            "/api/v1/songs/{}/stream?quality={}{formats}",
            api::encode(song_id),
            quality.as_str()
        ))
        .await
    }
}

/// Moves `gain` linearly to `to` over `seconds` from `now` (from `from`, or
/// from where it is).
fn ramp(gain: &GainNode, from: Option<f32>, to: f32, now: f64, seconds: f64) {
    let param = gain.gain();
    let start = from.unwrap_or_else(|| param.value());
    let _ = param.cancel_scheduled_values(now);
    let _ = param.set_value_at_time(start, now);
    let _ = param.linear_ramp_to_value_at_time(to, now + seconds);
}

/// Connects both elements to the context, each through a gain of its own.
fn route_through_gains(
    context: &AudioContext,
    elements: &[HtmlAudioElement; 2],
) -> Option<[GainNode; 2]> {
    let route = |element: &HtmlAudioElement| -> Result<GainNode, JsValue> {
        let source = context.create_media_element_source(element)?;
        let gain = context.create_gain()?;
        source.connect_with_audio_node(&gain)?;
        gain.connect_with_audio_node(&context.destination())?;
        Ok(gain)
    };
    Some([route(&elements[0]).ok()?, route(&elements[1]).ok()?])
}
