//! The player's reactive state, provided as context: the queue, what the
//! audio element is doing, the volume, the playback settings and the open
//! side panel.

use leptos::prelude::*;
use soundstream_types::{PlaybackQuality, PlaybackUrl, Song};

use super::queue::Queue;
use super::saved::{self, SavedQueue};

/// Which side panel is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Closed,
    Queue,
    Lyrics,
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
    /// The quality setting; `None` is "Automatic".
    pub quality: RwSignal<Option<PlaybackQuality>>,
    /// The "Normalize volume" setting.
    pub normalize: RwSignal<bool>,
    /// The crossfade between songs in seconds; 0 is off (gapless).
    pub crossfade_s: RwSignal<u32>,
    /// What the playing element was given: the rendition and its bit rate.
    pub source: RwSignal<Option<PlaybackUrl>>,
    /// The normalization gain in effect, in dB (0 when off, for a song not
    /// measured yet, or before the browser let audio processing start).
    pub gain_db: RwSignal<f64>,
}

pub fn use_player() -> Player {
    expect_context::<Player>()
}

impl Player {
    /// Remembers the queue and the position for the next visit.
    pub(super) fn save(self) {
        saved::save_queue(&SavedQueue {
            queue: self.queue.get_untracked(),
            position_ms: self.position_ms.get_untracked(),
            saved_at_ms: js_sys::Date::now(),
        });
    }

    /// When this browser last saved its queue (0: never).
    pub fn saved_at_ms(self) -> f64 {
        saved::queue().map_or(0.0, |saved| saved.saved_at_ms)
    }

    pub(super) fn current_uid(self) -> Option<u64> {
        self.queue
            .with_untracked(|queue| queue.current().map(|entry| entry.uid))
    }

    pub fn current_song(self) -> Option<Song> {
        self.queue
            .with_untracked(|queue| queue.current().map(|entry| entry.song.clone()))
    }
}
