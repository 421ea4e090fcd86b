//! Playback: starting the player and the controls pages use. Its reactive
//! state is in `state`, the queue (pure) in `queue`, the `<audio>` elements
//! in `engine`, the lock screen and media keys in `media_session`, and what
//! survives a reload in `saved`. The arrows point one way: this module
//! drives the others, and they know nothing of it.

mod engine;
mod media_session;
pub mod plays;
pub mod queue;
mod saved;
mod settings;
mod state;
mod synced;

use leptos::prelude::*;
use soundstream_types::{PlaybackQuality, Song};

use engine::{active_element, with_engine};
use media_session::Action;
use queue::{Advance, PreviousAction, Queue, Repeat};
use saved::SavedVolume;
pub use state::{Panel, Player, use_player};

impl Player {
    /// Creates the audio elements and restores the queue, position and
    /// volume of the last visit (paused: browsers only play after a gesture).
    pub fn start() -> Self {
        let saved_volume = saved::volume();
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
            quality: RwSignal::new(settings::quality()),
            normalize: RwSignal::new(settings::normalize()),
            crossfade_s: RwSignal::new(settings::crossfade_s()),
            source: RwSignal::new(None),
            gain_db: RwSignal::new(0.0),
        };
        engine::install(player);
        player.apply_volume();
        Effect::new(move |_| {
            player.volume.track();
            player.muted.track();
            player.apply_volume();
            saved::save_volume(&SavedVolume {
                volume: player.volume.get_untracked(),
                muted: player.muted.get_untracked(),
            });
        });
        if let Some(saved) = saved::queue()
            && saved.queue.current().is_some()
        {
            player.queue.set(saved.queue);
            player.position_ms.set(saved.position_ms);
            player.load_current(false, Some(saved.position_ms));
        }
        // Persist the queue whenever it changes (not the one just restored:
        // its time says how old it is).
        Effect::new(move |first: Option<()>| {
            player.queue.track();
            if first.is_some() {
                player.save();
            }
        });
        media_session::install(move |action| match action {
            Action::Toggle => player.toggle(),
            Action::Previous => player.previous(),
            Action::Next => player.next(),
            Action::SeekTo { position_ms } => player.seek(position_ms),
        });
        player
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
                self.source.set(None);
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
            engine.fading_out = None;
            for element in &engine.elements {
                let _ = element.pause();
                element.remove_attribute("src").ok();
            }
        });
        self.position_ms.set(0.0);
        self.duration_ms.set(0.0);
        self.source.set(None);
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
            // The song fading out stops with it.
            self.finish_crossfade();
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

    /// Changes the quality setting. The playing song keeps its stream; the
    /// preloaded next one is fetched again at the new quality.
    pub fn set_quality(self, quality: Option<PlaybackQuality>) {
        self.quality.set(quality);
        settings::save_quality(quality);
        with_engine(|engine| engine.loaded[1 - engine.active] = None);
        self.preload_upcoming();
    }

    /// Turns volume normalization on or off, at once for the playing song
    /// (the click is the gesture browsers want before audio processing).
    pub fn set_normalize(self, on: bool) {
        self.normalize.set(on);
        settings::save_normalize(on);
        if on {
            self.start_audio_graph();
        }
        self.apply_gain();
    }

    /// Sets the crossfade (0 to 12 s; 0 is off). It needs the audio graph,
    /// started here by the listener's gesture.
    pub fn set_crossfade(self, seconds: u32) {
        let seconds = seconds.min(settings::MAX_CROSSFADE_S);
        self.crossfade_s.set(seconds);
        settings::save_crossfade_s(seconds);
        self.start_audio_graph();
    }

    pub fn toggle_panel(self, panel: Panel) {
        self.panel
            .update(|open| *open = if *open == panel { Panel::Closed } else { panel });
    }
}
