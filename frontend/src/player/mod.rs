//! Playback: the queue (pure, in `queue`), two `<audio>` elements — the
//! one playing and the next track preloading in the other, so the next song
//! starts the moment this one ends — the Media Session (lock screen and
//! hardware keys), play history reports and the state kept across reloads.

pub mod plays;
pub mod queue;

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use soundstream_types::{PlayRequest, PlaybackUrl, Song};
use wasm_bindgen::prelude::*;
use web_sys::HtmlAudioElement;

use crate::api::{self, Method};
use crate::storage;
use queue::{Advance, PreviousAction, Queue, Repeat};

const QUEUE_KEY: &str = "soundstream.player";
const VOLUME_KEY: &str = "soundstream.volume";

/// Which side panel is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Closed,
    Queue,
    Lyrics,
}

/// What survives a reload.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    queue: Queue,
    position_ms: f64,
}

#[derive(Debug, Serialize, Deserialize)]
struct SavedVolume {
    volume: f64,
    muted: bool,
}

/// The player's reactive state, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct Player {
    pub queue: RwSignal<Queue>,
    pub playing: RwSignal<bool>,
    /// Waiting for audio data (a spinner on Play).
    pub buffering: RwSignal<bool>,
    pub position_ms: RwSignal<f64>,
    pub duration_ms: RwSignal<f64>,
    pub volume: RwSignal<f64>,
    pub muted: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    pub panel: RwSignal<Panel>,
}

pub fn use_player() -> Player {
    expect_context::<Player>()
}

/// The two audio elements and what each holds.
struct Engine {
    elements: [HtmlAudioElement; 2],
    active: usize,
    /// Entry uid loaded into each element.
    loaded: [Option<u64>; 2],
    /// Bumped on every load, so a slow stream-URL answer for a song the
    /// listener already skipped is ignored.
    generation: u64,
    /// Restored position to apply once the metadata is known.
    pending_seek_ms: Option<f64>,
    /// Whether this load's play was reported to the history.
    reported: bool,
    last_saved_ms: f64,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

fn with_engine<R>(f: impl FnOnce(&mut Engine) -> R) -> Option<R> {
    ENGINE.with_borrow_mut(|engine| engine.as_mut().map(f))
}

fn active_element() -> Option<HtmlAudioElement> {
    with_engine(|engine| engine.elements[engine.active].clone())
}

impl Player {
    /// Creates the audio elements and restores the queue, position and
    /// volume of the last visit (paused: browsers only play after a gesture).
    pub fn start() -> Self {
        let saved_volume = storage::get_json::<SavedVolume>(VOLUME_KEY);
        let player = Self {
            queue: RwSignal::new(Queue::new(js_sys::Date::now() as u64)),
            playing: RwSignal::new(false),
            buffering: RwSignal::new(false),
            position_ms: RwSignal::new(0.0),
            duration_ms: RwSignal::new(0.0),
            volume: RwSignal::new(saved_volume.as_ref().map_or(1.0, |saved| saved.volume)),
            muted: RwSignal::new(saved_volume.is_some_and(|saved| saved.muted)),
            error: RwSignal::new(None),
            panel: RwSignal::new(Panel::Closed),
        };
        let elements = [player.create_element(0), player.create_element(1)];
        ENGINE.with_borrow_mut(|engine| {
            *engine = Some(Engine {
                elements,
                active: 0,
                loaded: [None, None],
                generation: 0,
                pending_seek_ms: None,
                reported: false,
                last_saved_ms: 0.0,
            });
        });
        player.apply_volume();
        Effect::new(move |_| {
            player.volume.track();
            player.muted.track();
            player.apply_volume();
            storage::set_json(
                VOLUME_KEY,
                &SavedVolume {
                    volume: player.volume.get_untracked(),
                    muted: player.muted.get_untracked(),
                },
            );
        });
        if let Some(saved) = storage::get_json::<Saved>(QUEUE_KEY)
            && saved.queue.current().is_some()
        {
            player.queue.set(saved.queue);
            player.position_ms.set(saved.position_ms);
            player.load_current(false, Some(saved.position_ms));
        }
        // Persist the queue whenever it changes.
        Effect::new(move |_| {
            player.queue.track();
            player.save();
        });
        player.install_media_session();
        player
    }

    fn create_element(self, index: usize) -> HtmlAudioElement {
        let element = HtmlAudioElement::new().expect("the browser can create <audio>");
        element.set_preload("auto");
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
                    set_playback_state("playing");
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
                    set_playback_state("paused");
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

    fn apply_volume(self) {
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

    fn save(self) {
        let saved = Saved {
            queue: self.queue.get_untracked(),
            position_ms: self.position_ms.get_untracked(),
        };
        storage::set_json(QUEUE_KEY, &saved);
    }

    fn current_uid(self) -> Option<u64> {
        self.queue
            .with_untracked(|queue| queue.current().map(|entry| entry.uid))
    }

    pub fn current_song(self) -> Option<Song> {
        self.queue
            .with_untracked(|queue| queue.current().map(|entry| entry.song.clone()))
    }

    /// Loads the current entry into an element and, with `autoplay`, plays
    /// it. Uses the preloaded element when it already holds this entry.
    fn load_current(self, autoplay: bool, start_ms: Option<f64>) {
        let Some((uid, song)) = self
            .queue
            .with_untracked(|queue| queue.current().map(|entry| (entry.uid, entry.song.clone())))
        else {
            return;
        };
        self.error.set(None);
        self.position_ms.set(start_ms.unwrap_or(0.0));
        self.duration_ms.set(song.duration_ms as f64);
        update_media_metadata(&song);
        let preloaded = with_engine(|engine| {
            engine.generation += 1;
            engine.reported = false;
            let other = 1 - engine.active;
            let old = engine.elements[engine.active].clone();
            let _ = old.pause();
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
            let answer = stream_url(&song.id).await;
            let current = with_engine(|engine| engine.generation == generation).unwrap_or(false);
            if !current {
                return;
            }
            match answer {
                Ok(url) => {
                    with_engine(|engine| {
                        let element = &engine.elements[engine.active];
                        element.set_src(&url);
                        engine.loaded[engine.active] = Some(uid);
                    });
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

    fn play_element(self, element: &HtmlAudioElement) {
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
    fn preload_upcoming(self) {
        let upcoming = self.queue.with_untracked(|queue| {
            let index = queue.upcoming()?;
            let entry = queue.entries().get(index)?;
            (Some(entry.uid) != queue.current().map(|current| current.uid))
                .then(|| (entry.uid, entry.song.id.clone()))
        });
        let Some((uid, song_id)) = upcoming else {
            return;
        };
        let already = with_engine(|engine| engine.loaded[1 - engine.active] == Some(uid));
        if already == Some(true) {
            return;
        }
        let generation = with_engine(|engine| engine.generation).unwrap_or(0);
        leptos::task::spawn_local(async move {
            let Ok(url) = stream_url(&song_id).await else {
                // Not fatal: it is fetched again when its turn comes.
                return;
            };
            with_engine(|engine| {
                if engine.generation != generation {
                    return;
                }
                let idle = 1 - engine.active;
                engine.elements[idle].set_src(&url);
                engine.elements[idle].load();
                engine.loaded[idle] = Some(uid);
            });
        });
    }

    /// Replaces the queue with `songs`, starting at `start`.
    pub fn play_songs(self, songs: Vec<Song>, start: usize) {
        self.queue.update(|queue| queue.play_list(songs, start));
        self.load_current(true, None);
    }

    pub fn play_next(self, song: Song) {
        let was_empty = self.queue.with_untracked(Queue::is_empty);
        self.queue.update(|queue| queue.play_next(song));
        if was_empty {
            self.load_current(false, None);
        } else {
            self.refresh_preload();
        }
    }

    pub fn add_to_queue(self, song: Song) {
        let was_empty = self.queue.with_untracked(Queue::is_empty);
        self.queue.update(|queue| queue.add(song));
        if was_empty {
            self.load_current(false, None);
        } else {
            self.refresh_preload();
        }
    }

    /// After the queue changed around the current entry: the preloaded
    /// track may no longer be the next one.
    fn refresh_preload(self) {
        self.preload_upcoming();
    }

    pub fn remove(self, index: usize) {
        let before = self.current_uid();
        self.queue.update(|queue| queue.remove(index));
        if self.current_uid() != before {
            let was_playing = self.playing.get_untracked();
            if self.current_uid().is_some() {
                self.load_current(was_playing, None);
            } else if let Some(element) = active_element() {
                let _ = element.pause();
                element.remove_attribute("src").ok();
                with_engine(|engine| engine.loaded = [None, None]);
            }
        } else {
            self.refresh_preload();
        }
    }

    pub fn move_entry(self, from: usize, to: usize) {
        self.queue.update(|queue| queue.move_entry(from, to));
        self.refresh_preload();
    }

    pub fn jump_to(self, index: usize) {
        self.queue.update(|queue| queue.jump_to(index));
        self.load_current(true, None);
    }

    pub fn clear(self) {
        if let Some(element) = active_element() {
            let _ = element.pause();
        }
        self.queue
            .update(|queue| *queue = Queue::new(js_sys::Date::now() as u64));
        with_engine(|engine| {
            engine.loaded = [None, None];
            for element in &engine.elements {
                element.remove_attribute("src").ok();
            }
        });
        self.position_ms.set(0.0);
        self.duration_ms.set(0.0);
    }

    pub fn toggle(self) {
        let Some(element) = active_element() else {
            return;
        };
        let loaded = with_engine(|engine| engine.loaded[engine.active]).flatten();
        if loaded.is_none() || loaded != self.current_uid() {
            self.load_current(true, Some(self.position_ms.get_untracked()));
        } else if element.paused() {
            self.play_element(&element);
        } else {
            let _ = element.pause();
        }
    }

    pub fn next(self) {
        let mut next = None;
        self.queue
            .update(|queue| next = queue.advance(Advance::Skip));
        if next.is_some() {
            self.load_current(true, None);
        }
    }

    pub fn previous(self) {
        let mut action = PreviousAction::Nothing;
        let position = self.position_ms.get_untracked();
        self.queue.update(|queue| action = queue.previous(position));
        match action {
            PreviousAction::Moved => self.load_current(true, None),
            PreviousAction::Restart => self.seek(0.0),
            PreviousAction::Nothing => {}
        }
    }

    pub fn seek(self, position_ms: f64) {
        let target = plays::clamped_position(position_ms, self.duration_ms.get_untracked());
        self.position_ms.set(target);
        let loaded = with_engine(|engine| engine.loaded[engine.active].is_some()).unwrap_or(false);
        if loaded && let Some(element) = active_element() {
            element.set_current_time(target / 1000.0);
        } else {
            with_engine(|engine| engine.pending_seek_ms = Some(target));
        }
        self.save();
    }

    pub fn seek_by(self, delta_ms: f64) {
        self.seek(self.position_ms.get_untracked() + delta_ms);
    }

    pub fn set_volume(self, volume: f64) {
        self.volume.set(volume.clamp(0.0, 1.0));
        if volume > 0.0 {
            self.muted.set(false);
        }
    }

    pub fn toggle_shuffle(self) {
        self.queue.update(|queue| {
            let on = !queue.shuffle();
            queue.set_shuffle(on);
        });
        self.refresh_preload();
    }

    pub fn cycle_repeat(self) {
        self.queue.update(|queue| {
            let next: Repeat = queue.repeat().cycled();
            queue.set_repeat(next);
        });
        self.refresh_preload();
    }

    pub fn toggle_panel(self, panel: Panel) {
        self.panel
            .update(|open| *open = if *open == panel { Panel::Closed } else { panel });
    }

    /// Lock-screen, notification and hardware media keys.
    fn install_media_session(self) {
        let Some(session) = media_session() else {
            return;
        };
        let Ok(set_handler) = Reflect::get(&session, &"setActionHandler".into())
            .and_then(|value| value.dyn_into::<Function>())
        else {
            return;
        };
        let player = self;
        let handlers: [(&str, ActionHandler); 6] = [
            ("play", Box::new(move |_| player.toggle())),
            ("pause", Box::new(move |_| player.toggle())),
            ("previoustrack", Box::new(move |_| player.previous())),
            ("nexttrack", Box::new(move |_| player.next())),
            (
                "seekto",
                Box::new(move |details: JsValue| {
                    if let Some(seconds) = Reflect::get(&details, &"seekTime".into())
                        .ok()
                        .and_then(|value| value.as_f64())
                    {
                        player.seek(seconds * 1000.0);
                    }
                }),
            ),
            ("stop", Box::new(move |_| player.toggle())),
        ];
        for (action, handler) in handlers {
            let closure = Closure::<dyn FnMut(JsValue)>::wrap(handler);
            // Browsers throw for actions they do not support; the rest still work.
            let _ = set_handler.call2(&session, &action.into(), closure.as_ref());
            closure.forget();
        }
    }
}

/// A Media Session action handler (its argument: the action's details).
type ActionHandler = Box<dyn FnMut(JsValue)>;

async fn stream_url(song_id: &str) -> Result<String, api::ApiError> {
    let playback: PlaybackUrl =
        api::get(&format!("/api/v1/songs/{}/stream", api::encode(song_id))).await?;
    Ok(api::media_url(&playback.url))
}

/// `navigator.mediaSession`, where the browser has it. Reached through
/// `Reflect`: web-sys only offers it behind its unstable-APIs flag.
fn media_session() -> Option<JsValue> {
    let session = Reflect::get(&window().navigator(), &"mediaSession".into()).ok()?;
    (!session.is_undefined() && !session.is_null()).then_some(session)
}

fn set_playback_state(state: &str) {
    if let Some(session) = media_session() {
        let _ = Reflect::set(&session, &"playbackState".into(), &state.into());
    }
}

/// Title, artist, album and artwork on the lock screen.
fn update_media_metadata(song: &Song) {
    let Some(session) = media_session() else {
        return;
    };
    let Ok(constructor) = Reflect::get(&window(), &"MediaMetadata".into())
        .and_then(|value| value.dyn_into::<Function>())
    else {
        return;
    };
    let init = Object::new();
    let _ = Reflect::set(&init, &"title".into(), &song.title.as_str().into());
    let _ = Reflect::set(&init, &"artist".into(), &song.artist.name.as_str().into());
    if let Some(album) = &song.album {
        let _ = Reflect::set(&init, &"album".into(), &album.title.as_str().into());
    }
    let artwork = Array::new();
    if let Some(cover) = &song.cover_url {
        let image = Object::new();
        let _ = Reflect::set(&image, &"src".into(), &api::media_url(cover).into());
        artwork.push(&image);
    }
    let _ = Reflect::set(&init, &"artwork".into(), &artwork);
    if let Ok(metadata) = Reflect::construct(&constructor, &Array::of1(&init)) {
        let _ = Reflect::set(&session, &"metadata".into(), &metadata);
    }
}
