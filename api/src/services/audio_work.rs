//! The work done on a song's audio after it is filed: analysis (EBU R128
//! loudness and true peak, channels, and the genre, bit rate and sample
//! rate ingest could not read) and renditions (the smaller encodings
//! playback picks from). Both read the original from media storage into a
//! scratch file and run ffmpeg on it; neither touches the original.

use std::time::Duration;

use std::sync::Arc;

use prometheus::IntCounterVec;
use soundstream_storage::{ObjectKey, ObjectStore};
use soundstream_transcode::{
    AudioFacts, Ffmpeg, LoudnessMeasurement, Rendition, TranscodeError, combined_lufs,
};
use tokio::io::AsyncWriteExt;

use crate::clock::now_millis;
use crate::db::Database;
use crate::domain::CatalogueName;
use crate::persistence::garbage;
use crate::persistence::renditions::{self, RenditionRecord};
use crate::persistence::songs::{self, Analysis};
use crate::services::ServiceError;
use crate::storage::new_object_key;
use crate::telemetry::error_chain;

/// What background work needs: the database, media storage and ffmpeg
/// (the API's instances and `soundstream renditions` alike).
#[derive(Clone)]
pub struct JobContext {
    pub db: Database,
    pub store: Arc<dyn ObjectStore>,
    pub ffmpeg: Ffmpeg,
    /// `soundstream_jobs_total`.
    pub metrics: IntCounterVec,
}

/// Why a piece of work did not complete.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// The audio itself is the problem: trying again cannot help.
    #[error("{0}")]
    Unusable(String),
    /// Something that may pass (storage, database, ffmpeg missing or slow).
    #[error("{0}")]
    Transient(String),
}

impl From<ServiceError> for WorkError {
    fn from(error: ServiceError) -> Self {
        Self::Transient(error_chain(&error))
    }
}

impl From<crate::db::DbError> for WorkError {
    fn from(error: crate::db::DbError) -> Self {
        Self::Transient(error_chain(&error))
    }
}

impl From<sqlx::Error> for WorkError {
    fn from(error: sqlx::Error) -> Self {
        Self::from(crate::db::DbError::from(error))
    }
}

impl From<soundstream_storage::StorageError> for WorkError {
    fn from(error: soundstream_storage::StorageError) -> Self {
        Self::Transient(format!("media storage: {}", error_chain(&error)))
    }
}

impl From<TranscodeError> for WorkError {
    fn from(error: TranscodeError) -> Self {
        if error.is_permanent() {
            Self::Unusable(error.to_string())
        } else {
            Self::Transient(error_chain(&error))
        }
    }
}

impl From<std::io::Error> for WorkError {
    fn from(error: std::io::Error) -> Self {
        Self::Transient(format!("scratch file: {error}"))
    }
}

/// How long ffmpeg may take on a song: generous for a slow machine (one
/// core renders a minute of audio in about a second), bounded for a hung
/// process.
fn time_limit(duration: Duration) -> Duration {
    Duration::from_secs(120) + duration
}

/// A song's original, copied into a scratch directory.
struct Original {
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    duration: Duration,
}

/// Copies the song's original out of media storage; None when the song is
/// gone (deleted since the job was queued: nothing to do).
async fn fetch_original(ctx: &JobContext, song_id: &str) -> Result<Option<Original>, WorkError> {
    let mut conn = ctx.db.acquire().await?;
    let Some(song) = songs::find(&mut conn, song_id).await? else {
        return Ok(None);
    };
    drop(conn);
    let key = ObjectKey::parse(&song.audio_object_key).ok_or_else(|| {
        WorkError::Transient(format!("malformed object key {:?}", song.audio_object_key))
    })?;
    let dir = tempfile::Builder::new()
        .prefix("soundstream-job-")
        .tempdir()?;
    let path = dir.path().join("original");
    let mut file = tokio::fs::File::create(&path).await?;
    const CHUNK: u64 = 4 * 1024 * 1024;
    let mut offset = 0;
    loop {
        let bytes = ctx.store.read_range(&key, offset, CHUNK).await?;
        if bytes.is_empty() {
            break;
        }
        file.write_all(&bytes).await?;
        offset += bytes.len() as u64;
        if (bytes.len() as u64) < CHUNK {
            break;
        }
    }
    file.flush().await?;
    Ok(Some(Original {
        dir,
        path,
        duration: Duration::from_millis(u64::try_from(song.duration_ms).unwrap_or(0)),
    }))
}

/// Measures the song and stores what was found, then the album's
/// loudness. A song deleted meanwhile is not an error.
pub async fn analyse(ctx: &JobContext, song_id: &str) -> Result<(), WorkError> {
    let Some(original) = fetch_original(ctx, song_id).await? else {
        return Ok(());
    };
    let limit = time_limit(original.duration);
    let facts = ctx.ffmpeg.probe(&original.path, limit).await?;
    let loudness = ctx.ffmpeg.measure_loudness(&original.path, limit).await?;
    drop(original);
    store_analysis(ctx, song_id, &facts, loudness).await
}

async fn store_analysis(
    ctx: &JobContext,
    song_id: &str,
    facts: &AudioFacts,
    loudness: LoudnessMeasurement,
) -> Result<(), WorkError> {
    // A tag no catalogue name can be (too long, control characters) is left out.
    let genre = facts
        .genre
        .as_deref()
        .and_then(|genre| CatalogueName::parse("genre", genre).ok());
    let analysis = Analysis {
        genre: genre.as_ref(),
        bit_rate_kbps: facts.bit_rate_kbps,
        sample_rate_hz: facts.sample_rate_hz,
        channels: facts.channels,
        loudness_lufs: loudness.integrated_lufs,
        true_peak_dbtp: loudness.true_peak_dbtp,
    };
    let mut tx = ctx.db.begin_write().await?;
    if let Some(Some(album_id)) = songs::record_analysis(&mut tx, song_id, &analysis).await? {
        refresh_album_loudness(&mut tx, &album_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Recombines an album's loudness from its analysed tracks (call it when
/// a track is analysed, moved or deleted).
pub async fn refresh_album_loudness(
    conn: &mut sqlx::AnyConnection,
    album_id: &str,
) -> Result<(), crate::db::DbError> {
    let tracks = songs::album_track_loudness(&mut *conn, album_id).await?;
    let energies: Vec<(f64, Duration)> = tracks
        .iter()
        .map(|(lufs, _, ms)| {
            (
                *lufs,
                Duration::from_millis(u64::try_from(*ms).unwrap_or(0)),
            )
        })
        .collect();
    let peak = tracks.iter().map(|(_, peak, _)| *peak).reduce(f64::max);
    let combined = combined_lufs(&energies).zip(peak);
    songs::set_album_loudness(conn, album_id, combined).await
}

/// Renders every rendition of the song, stores them beside the original
/// and records them; renditions they replace go to the clean-up queue.
pub async fn render(ctx: &JobContext, song_id: &str) -> Result<(), WorkError> {
    let Some(original) = fetch_original(ctx, song_id).await? else {
        return Ok(());
    };
    let limit = time_limit(original.duration);
    let facts = ctx.ffmpeg.probe(&original.path, limit).await?;
    let outputs = ctx
        .ffmpeg
        .render(
            &original.path,
            &facts,
            &Rendition::ALL,
            original.dir.path(),
            limit,
        )
        .await?;
    let mut stored = Vec::with_capacity(outputs.len());
    for output in &outputs {
        let key = new_object_key("rendition");
        let content_type = output.rendition.content_type();
        if let Err(error) = ctx.store.put_file(&key, &output.path, content_type).await {
            forget_objects(
                ctx,
                stored
                    .iter()
                    .map(|r: &RenditionRecord| r.object_key.as_str()),
            )
            .await;
            return Err(error.into());
        }
        stored.push(RenditionRecord {
            name: output.rendition.name().to_owned(),
            object_key: key.to_string(),
            content_type: content_type.to_owned(),
            bit_rate_kbps: i64::from(output.bit_rate_kbps),
            size: i64::try_from(output.size).unwrap_or(i64::MAX),
            duration_ms: i64::try_from(output.duration.as_millis()).unwrap_or(i64::MAX),
        });
    }
    drop(original);
    match record_renditions(ctx, song_id, &stored).await {
        Ok(()) => Ok(()),
        Err(error) => {
            forget_objects(ctx, stored.iter().map(|r| r.object_key.as_str())).await;
            Err(error)
        }
    }
}

/// Records the renditions in one transaction, unless the song was deleted
/// while they were made (then their objects are cleaned up).
async fn record_renditions(
    ctx: &JobContext,
    song_id: &str,
    stored: &[RenditionRecord],
) -> Result<(), WorkError> {
    let mut tx = ctx.db.begin_write().await?;
    let now = now_millis();
    if !songs::lock(&mut tx, song_id).await? {
        for rendition in stored {
            garbage::enqueue(&mut tx, &rendition.object_key, now).await?;
        }
    } else {
        for rendition in stored {
            if let Some(replaced) = renditions::replace(&mut tx, song_id, rendition, now).await? {
                garbage::enqueue(&mut tx, &replaced, now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Queues objects this job stored but could not record for deletion;
/// best effort (the job is failing anyway).
async fn forget_objects<'a>(ctx: &JobContext, keys: impl Iterator<Item = &'a str>) {
    let Ok(mut conn) = ctx.db.acquire().await else {
        return;
    };
    for key in keys {
        if let Err(error) = garbage::enqueue(&mut conn, key, now_millis()).await {
            tracing::warn!(%key, error = %error_chain(&error), "cannot queue an orphaned rendition for deletion");
        }
    }
}

/// Seconds of audio per second of work, for the log.
pub fn speed(audio: Duration, took: Duration) -> f64 {
    audio.as_secs_f64() / took.as_secs_f64().max(0.001)
}
