//! What survives a reload, in `localStorage`: the queue with the position
//! in the current song, and the volume.

use serde::{Deserialize, Serialize};

use super::queue::Queue;
use crate::storage;

const QUEUE_KEY: &str = "soundstream.player";
const VOLUME_KEY: &str = "soundstream.volume";

/// The queue and where in its current song the listener was.
#[derive(Debug, Serialize, Deserialize)]
pub struct SavedQueue {
    pub queue: Queue,
    pub position_ms: f64,
    /// When it was saved (ms since the epoch), to weigh it against the
    /// queue other devices saved on the server.
    #[serde(default)]
    pub saved_at_ms: f64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SavedVolume {
    pub volume: f64,
    pub muted: bool,
}

pub fn queue() -> Option<SavedQueue> {
    storage::get_json(QUEUE_KEY)
}

pub fn save_queue(saved: &SavedQueue) {
    storage::set_json(QUEUE_KEY, saved);
}

pub fn volume() -> Option<SavedVolume> {
    storage::get_json(VOLUME_KEY)
}

pub fn save_volume(saved: &SavedVolume) {
    storage::set_json(VOLUME_KEY, saved);
}
