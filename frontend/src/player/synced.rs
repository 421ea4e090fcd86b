//! The queue kept on the server too (`/api/v1/me/play-queue`): the store
//! Subsonic apps save to with `savePlayQueue`, so a queue moves between a
//! phone and the browser. The browser's own copy (`saved`) restores at
//! once; the server's replaces it on sign-in when another device saved it
//! after this browser last did. Changes are sent a moment after they stop,
//! and when playback pauses.

use leptos::prelude::*;
use soundstream_types::{PlayQueue, SavePlayQueueRequest};

use super::state::Player;
use crate::api;
use crate::storage;
use crate::transport::Method;

/// This browser's name among the listener's devices, as apps show it:
/// made once and kept, so its own saves are told from other devices'.
const DEVICE_KEY: &str = "soundstream.device";
/// Quiet time after a change before the queue is sent.
const SEND_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

fn client_name() -> String {
    let id = storage::get_json::<String>(DEVICE_KEY).unwrap_or_else(|| {
        let id = format!(
            "{:06x}",
            (js_sys::Math::random() * f64::from(0xFF_FFFF)) as u32
        );
        storage::set_json(DEVICE_KEY, &id);
        id
    });
    format!("SoundStream web player {id}")
}

impl Player {
    /// On sign-in: adopts the server's queue when another device saved it
    /// after this browser's copy was made.
    pub async fn adopt_server_queue(self, saved_at_ms: f64) {
        let server: PlayQueue = match api::get("/api/v1/me/play-queue").await {
            Ok(queue) => queue,
            // 404: nothing saved yet.
            Err(_) => return,
        };
        let changed_ms = js_sys::Date::parse(&server.changed_at);
        if server.songs.is_empty()
            || server.changed_by == client_name()
            || changed_ms.is_nan()
            || changed_ms <= saved_at_ms
            || self.playing.get_untracked()
        {
            return;
        }
        let start = server
            .current_song_id
            .as_ref()
            .and_then(|id| server.songs.iter().position(|song| &song.id == id))
            .unwrap_or(0);
        let position = server.position_ms as f64;
        self.queue
            .update(|queue| queue.play_list(server.songs, start));
        self.position_ms.set(position);
        self.load_current(false, Some(position));
    }

    /// Sends the queue a moment after it stops changing, and when playback
    /// pauses (the position), while someone is signed in.
    pub fn send_changes(self, signed_in: Signal<bool>) {
        let pending = StoredValue::new(None::<TimeoutHandle>);
        let schedule = move || {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let handle = set_timeout_with_handle(
                move || {
                    if signed_in.get_untracked() {
                        leptos::task::spawn_local(self.send_queue());
                    }
                },
                SEND_AFTER,
            );
            pending.set_value(handle.ok());
        };
        Effect::new(move |first: Option<()>| {
            self.queue.track();
            // Not for the queue restored at start: nothing changed.
            if first.is_some() {
                schedule();
            }
        });
        Effect::new(move |was_playing: Option<bool>| {
            let playing = self.playing.get();
            if was_playing == Some(true) && !playing {
                schedule();
            }
            playing
        });
    }

    async fn send_queue(self) {
        let request = self.queue.with_untracked(|queue| SavePlayQueueRequest {
            song_ids: queue
                .entries()
                .iter()
                .map(|entry| entry.song.id.clone())
                .collect(),
            current_song_id: queue.current().map(|entry| entry.song.id.clone()),
            position_ms: self.position_ms.get_untracked().max(0.0) as u64,
            client: client_name(),
        });
        if let Err(error) =
            api::send_empty(Method::Put, "/api/v1/me/play-queue", Some(&request)).await
        {
            leptos::logging::warn!("could not save the queue on the server: {error}");
        }
    }
}
