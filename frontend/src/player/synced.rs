//! The queue kept on the server too (`/api/v1/me/play-queue`): the store
//! Subsonic apps save to with `savePlayQueue`, so a queue moves between a
//! phone and the browser. The browser's own copy (`saved`) restores at
//! once; the server's replaces it on sign-in when another app saved it
//! after this browser last did. Changes are sent a moment after they stop.

use leptos::prelude::*;
use soundstream_types::{PlayQueue, SavePlayQueueRequest};

use super::state::Player;
use crate::api;
use crate::transport::Method;

/// How apps list the web player among the listener's devices.
const CLIENT: &str = "SoundStream web player";
/// Quiet time after a change before the queue is sent.
const SEND_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

impl Player {
    /// On sign-in: adopts the server's queue when another app saved it
    /// after this browser's copy was made.
    pub async fn adopt_server_queue(self, saved_at_ms: f64) {
        let server: PlayQueue = match api::get("/api/v1/me/play-queue").await {
            Ok(queue) => queue,
            // 404: nothing saved yet.
            Err(_) => return,
        };
        let changed_ms = js_sys::Date::parse(&server.changed_at);
        if server.songs.is_empty()
            || server.changed_by == CLIENT
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

    /// Sends the queue a moment after it stops changing, while someone is
    /// signed in.
    pub fn send_changes(self, signed_in: Signal<bool>) {
        // Only the last change's timer sends.
        let latest = StoredValue::new(0_u32);
        Effect::new(move |first: Option<()>| {
            self.queue.track();
            // Not for the queue restored at start: nothing changed.
            if first.is_none() {
                return;
            }
            let change = latest.get_value().wrapping_add(1);
            latest.set_value(change);
            set_timeout(
                move || {
                    if latest.get_value() == change && signed_in.get_untracked() {
                        leptos::task::spawn_local(self.send_queue());
                    }
                },
                SEND_AFTER,
            );
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
            client: CLIENT.to_owned(),
        });
        // A failed save is retried with the next change; the browser keeps
        // its own copy meanwhile.
        let _ = api::send_empty(Method::Put, "/api/v1/me/play-queue", Some(&request)).await;
    }
}
