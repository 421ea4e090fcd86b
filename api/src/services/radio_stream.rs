//! A station's Icecast-compatible stream: the `mp3-128` renditions of the
//! scheduled songs, cut on frame boundaries, paced by the wall clock.
//!
//! Every byte is derived from the schedule and the frame index, never from
//! when the listener connected (except where its stream starts), so two
//! listeners on two instances receive the same frame for the same instant.
//! A frame is sent [`BURST_MS`] before it is due, which gives a joining
//! player a few seconds of buffer at once (as Icecast's burst does) and
//! then keeps pace with real time. Renditions are read a chunk at a time;
//! a listener holds at most one chunk and a few queued ones in memory, and
//! one whose socket does not drain within [`SLOW_LISTENER`] is dropped.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use soundstream_storage::{ObjectKey, ObjectStore};
use tokio::sync::mpsc;

use crate::clock::now_millis;
use crate::domain::radio::{
    ICY_METAINT, icy_metadata, is_info_frame, mp3_frame_length, silent_frame,
};
use crate::persistence::renditions;
use crate::persistence::stations::STREAM_RENDITION;
use crate::services::stations::{self, Listener, ScheduleReader, Segment};
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

/// How far ahead of the clock frames are sent (must stay well under
/// `stations::CHANGE_LEAD_MS`).
pub const BURST_MS: i64 = 3_000;
/// A listener whose socket takes longer than this to take a chunk is dropped.
pub const SLOW_LISTENER: Duration = Duration::from_secs(10);
/// Chunks queued for one listener at most.
const QUEUED_CHUNKS: usize = 4;
/// Audio sent as one chunk at most (about a second).
const CHUNK_BYTES: usize = 16 * 1024;
/// Bytes of a rendition read at a time.
const READ_BYTES: u64 = 128 * 1024;

/// A stream ready to be sent.
pub struct StationStream {
    pub name: String,
    pub description: Option<String>,
    /// With ICY metadata: audio bytes between metadata blocks.
    pub metaint: Option<usize>,
    /// When the first frame sent is on air (Unix ms): with it, a client can
    /// line up what two connections received.
    pub first_frame_at_ms: i64,
    pub chunks: mpsc::Receiver<Bytes>,
}

/// Opens a station's stream at its live point, with ICY metadata if asked.
pub async fn open(
    state: &AppState,
    listener: Listener<'_>,
    id: &str,
    icy: bool,
) -> ServiceResult<StationStream> {
    let station = stations::audible(state, listener, id).await?;
    let permit = state.radio.admit().ok_or_else(|| ServiceError::Busy {
        detail: "This server has as many radio listeners as it serves; try again soon.".into(),
        retry_after: Duration::from_secs(30),
    })?;
    stations::refresh(state, id).await?;
    let mut schedule = ScheduleReader::new(id);
    let segment = schedule.segment_at(state, now_millis()).await?;
    let (sender, chunks) = mpsc::channel(QUEUED_CHUNKS);
    let stream = StationStream {
        name: station.name.clone(),
        description: station.description.clone(),
        metaint: icy.then_some(ICY_METAINT),
        first_frame_at_ms: segment.frame_at_ms(segment.frame_now),
        chunks,
    };
    let output = Output {
        sender,
        pending: Vec::with_capacity(CHUNK_BYTES + 4096),
        icy: icy.then(|| Icy {
            until_block: ICY_METAINT,
            title: station.name.clone(),
            sent: None,
        }),
    };
    let state = state.clone();
    let station_id = station.id.clone();
    tokio::spawn(async move {
        let _permit = permit;
        let outcome = pump(
            &state,
            &station_id,
            &station.name,
            schedule,
            segment,
            output,
        )
        .await;
        match outcome {
            Ok(()) | Err(Ended::Gone) => {}
            Err(Ended::Slow) => {
                tracing::info!(station_id = %station_id, "radio listener dropped: not reading");
            }
            Err(Ended::Failed(error)) => {
                tracing::warn!(station_id = %station_id, error = %crate::telemetry::error_chain(&error), "radio stream ended by a failure");
            }
        }
    });
    Ok(stream)
}

/// Why a stream stopped.
enum Ended {
    /// The listener went away (or the station did).
    Gone,
    Slow,
    Failed(ServiceError),
}

impl From<ServiceError> for Ended {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::NotFound(_) => Self::Gone,
            other => Self::Failed(other),
        }
    }
}

/// Sends the schedule's frames, segment after segment, until the listener
/// leaves.
async fn pump(
    state: &AppState,
    station_id: &str,
    station_name: &str,
    mut schedule: ScheduleReader,
    mut segment: Segment,
    mut output: Output,
) -> Result<(), Ended> {
    let silence = Bytes::from(silent_frame());
    loop {
        let title = match &segment.song_id {
            Some(song_id) => stations::song_title(state, song_id).await?,
            None => None,
        };
        output.set_title(title.unwrap_or_else(|| station_name.to_owned()));
        let mut frames = match &segment.song_id {
            Some(song_id) => Frames::open(state, song_id).await,
            None => None,
        };
        if let Some(source) = frames.as_mut() {
            source.skip(segment.frame_now).await;
        }
        for frame in segment.frame_now..segment.frames {
            let wait = segment.frame_at_ms(frame) - BURST_MS - now_millis();
            if wait > 0 {
                // A draining instance lets its listeners go, so their apps
                // reconnect (through the load balancer) to another one.
                if state.lifecycle.is_draining() {
                    return Ok(());
                }
                output.flush().await?;
                tokio::time::sleep(Duration::from_millis(wait.unsigned_abs())).await;
            }
            let audio = match frames.as_mut() {
                Some(source) => source.next().await,
                None => None,
            };
            output.push(audio.as_ref().unwrap_or(&silence)).await?;
        }
        let end = segment.ends_at();
        // Changes to the source become epochs here (at least
        // CHANGE_LEAD_MS ahead, so past what any stream has sent).
        stations::refresh(state, station_id).await?;
        segment = schedule.segment_at(state, end).await?;
    }
}

/// A rendition's frames, read a chunk at a time; `None` at its end or on
/// a read failure (the slot is filled with silence).
struct Frames {
    store: Arc<dyn ObjectStore>,
    key: ObjectKey,
    size: u64,
    /// Where the next read starts.
    offset: u64,
    buffer: Vec<u8>,
    position: usize,
}

impl Frames {
    /// The song's rendition, past its Info header frame; `None` when it
    /// has none.
    async fn open(state: &AppState, song_id: &str) -> Option<Self> {
        let mut conn = state.db.acquire().await.ok()?;
        let rendition = renditions::find(&mut conn, song_id, STREAM_RENDITION)
            .await
            .ok()??;
        drop(conn);
        let mut frames = Self {
            store: state.storage.store.clone(),
            key: ObjectKey::parse(&rendition.object_key)?,
            size: u64::try_from(rendition.size).ok()?,
            offset: 0,
            buffer: Vec::new(),
            position: 0,
        };
        let first = frames.next().await?;
        if !is_info_frame(&first) {
            frames.position = 0;
        }
        Some(frames)
    }

    async fn skip(&mut self, count: i64) {
        for _ in 0..count {
            if self.next().await.is_none() {
                return;
            }
        }
    }

    /// Makes `len` bytes from `position` available; `false` at the end.
    async fn fill(&mut self, len: usize) -> bool {
        while self.buffer.len() - self.position < len {
            if self.offset >= self.size {
                return false;
            }
            let chunk = match self
                .store
                .read_range(&self.key, self.offset, READ_BYTES)
                .await
            {
                Ok(chunk) if !chunk.is_empty() => chunk,
                Ok(_) => return false,
                Err(error) => {
                    tracing::warn!(error = %error, "radio could not read a rendition");
                    self.offset = self.size;
                    return false;
                }
            };
            self.buffer.drain(..self.position);
            self.position = 0;
            self.offset += chunk.len() as u64;
            self.buffer.extend_from_slice(&chunk);
        }
        true
    }

    async fn next(&mut self) -> Option<Bytes> {
        if !self.fill(4).await {
            return None;
        }
        let length = mp3_frame_length(&self.buffer[self.position..])?;
        if !self.fill(length).await {
            return None;
        }
        let frame = Bytes::copy_from_slice(&self.buffer[self.position..self.position + length]);
        self.position += length;
        Some(frame)
    }
}

/// ICY metadata: after every `metaint` audio bytes, a block naming the
/// song (only when it changed; an empty block otherwise).
struct Icy {
    until_block: usize,
    title: String,
    sent: Option<String>,
}

struct Output {
    sender: mpsc::Sender<Bytes>,
    pending: Vec<u8>,
    icy: Option<Icy>,
}

impl Output {
    fn set_title(&mut self, title: String) {
        if let Some(icy) = self.icy.as_mut() {
            icy.title = title;
        }
    }

    async fn push(&mut self, mut audio: &[u8]) -> Result<(), Ended> {
        match self.icy.as_mut() {
            None => self.pending.extend_from_slice(audio),
            Some(icy) => {
                while !audio.is_empty() {
                    let take = audio.len().min(icy.until_block);
                    self.pending.extend_from_slice(&audio[..take]);
                    audio = &audio[take..];
                    icy.until_block -= take;
                    if icy.until_block == 0 {
                        if icy.sent.as_deref() == Some(icy.title.as_str()) {
                            self.pending.push(0);
                        } else {
                            self.pending.extend_from_slice(&icy_metadata(&icy.title));
                            icy.sent = Some(icy.title.clone());
                        }
                        icy.until_block = ICY_METAINT;
                    }
                }
            }
        }
        if self.pending.len() >= CHUNK_BYTES {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), Ended> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.pending));
        self.pending.reserve(CHUNK_BYTES + 4096);
        match tokio::time::timeout(SLOW_LISTENER, self.sender.send(chunk)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(Ended::Gone),
            Err(_) => Err(Ended::Slow),
        }
    }
}
