//! Periodic clean-up of media storage: uploads never completed within a
//! day, completed uploads nothing uses after a grace period (never used,
//! or replaced avatars and covers), and objects of deleted entities
//! (queued in `storage_garbage`) and thumbnails of pictures gone; and cached translations unused for
//! `SOUNDSTREAM_TRANSLATION_CACHE_DAYS`; and finished background jobs.
//! Every instance runs it; each row is claimed by exactly one instance
//! (`DELETE … RETURNING`), so running it N times at once deletes each
//! object once and never fails for the overlap.

use std::time::Duration;

use soundstream_storage::ObjectKey;

use crate::auth::throttle::purge_known_addresses;
use crate::clock::{millis, now_millis};
use crate::persistence::{faces, garbage, jobs, thumbnails, translations, uploads};
use crate::services::jobs::KEEP_FINISHED;
use crate::services::{ServiceError, sessions};
use crate::state::AppState;
use crate::storage::MediaStorage;
use crate::telemetry::error_chain;

/// Uploads still pending after this are abandoned.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
const INTERVAL: Duration = Duration::from_secs(10 * 60);
const BATCH: i64 = 100;
/// A partial file untouched this long has no writer: uploads stop after
/// 10 s without a byte (`http::body::BODY_IDLE_TIMEOUT`) and imports copy
/// without pause.
const PARTIAL_IDLE: Duration = Duration::from_secs(30);
const PARTIAL_INTERVAL: Duration = Duration::from_secs(10);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub abandoned_uploads: usize,
    pub unused_uploads: usize,
    pub garbage_objects: usize,
    /// Ended sessions, refresh tokens, stale known sign-in addresses and
    /// unanswered face-login challenges.
    pub expired_session_rows: u64,
    pub expired_translations: u64,
    /// Jobs done a week ago, and failures of songs since deleted.
    pub finished_jobs: u64,
}

/// One pass: deletes what is due, in batches, until nothing is left.
pub async fn sweep(state: &AppState) -> Result<SweepReport, ServiceError> {
    let mut report = SweepReport::default();
    let cutoff = now_millis() - millis(ABANDONED_AFTER);
    loop {
        let mut conn = state.db.acquire().await?;
        let keys = uploads::claim_abandoned(&mut conn, cutoff, now_millis(), BATCH).await?;
        drop(conn);
        if keys.is_empty() {
            break;
        }
        report.abandoned_uploads += keys.len();
        delete_objects(state, keys).await?;
    }
    let unused_cutoff = now_millis() - millis(state.settings.usage.unused_upload_grace);
    loop {
        let mut conn = state.db.acquire().await?;
        let keys = uploads::unused_completed(&mut conn, unused_cutoff, BATCH).await?;
        drop(conn);
        let mut released = 0;
        for key in &keys {
            // One transaction each: the lock it takes is held briefly.
            let mut tx = state.db.begin_write().await?;
            if uploads::release_if_unused(&mut tx, key, now_millis()).await? {
                released += 1;
            }
            tx.commit().await?;
        }
        report.unused_uploads += released;
        // A batch that released nothing was all taken meanwhile: stop.
        if keys.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) || released == 0 {
            break;
        }
    }
    // Thumbnails of pictures gone (released above or earlier) follow them.
    loop {
        let mut conn = state.db.acquire().await?;
        let keys = thumbnails::claim_orphans(&mut conn, BATCH).await?;
        drop(conn);
        if keys.is_empty() {
            break;
        }
        report.garbage_objects += keys.len();
        delete_objects(state, keys).await?;
    }
    loop {
        let mut conn = state.db.acquire().await?;
        let keys = garbage::claim(&mut conn, now_millis(), BATCH).await?;
        drop(conn);
        if keys.is_empty() {
            break;
        }
        report.garbage_objects += keys.len();
        delete_objects(state, keys).await?;
    }
    report.expired_session_rows = sessions::purge_ended(state).await?;
    let mut conn = state.db.acquire().await?;
    report.expired_session_rows += purge_known_addresses(&mut conn, now_millis()).await?;
    report.expired_session_rows +=
        faces::delete_expired_challenges(&mut conn, now_millis()).await?;
    let retention_cutoff = now_millis() - millis(state.settings.usage.translation_cache_retention);
    report.expired_translations =
        translations::delete_unused_since(&mut conn, retention_cutoff).await?;
    report.finished_jobs =
        jobs::purge_finished(&mut conn, now_millis() - millis(KEEP_FINISHED)).await?;
    Ok(report)
}

/// Deletes the objects; one that cannot be deleted now goes back on the queue.
async fn delete_objects(state: &AppState, keys: Vec<String>) -> Result<(), ServiceError> {
    for key in keys {
        let Some(object_key) = ObjectKey::parse(&key) else {
            tracing::warn!(%key, "not an object key; dropped from clean-up");
            continue;
        };
        if let Err(error) = state.storage.store.delete(&object_key).await {
            tracing::warn!(%key, error = %error_chain(&error), "object deletion failed; will retry");
            let mut conn = state.db.acquire().await?;
            garbage::enqueue(&mut conn, &key, now_millis()).await?;
        }
    }
    Ok(())
}

/// Removes local storage's temporary files left by writers that died (a
/// vanished client, a killed process); returns how many.
pub async fn remove_stale_partials(storage: &MediaStorage) -> usize {
    let Some(local) = &storage.local else {
        return 0;
    };
    match local.remove_stale_partials(PARTIAL_IDLE).await {
        Ok(removed) => removed,
        Err(error) => {
            tracing::warn!(error = %error_chain(&error), "removing stale partial files failed");
            0
        }
    }
}

/// Runs [`sweep`] every ten minutes, and removes stale partial files more
/// often (a restart after a crash finds them gone within a minute), for as
/// long as the process lives.
pub fn spawn_periodic(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut sweeps = tokio::time::interval(INTERVAL);
        sweeps.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut partial_sweeps = tokio::time::interval(PARTIAL_INTERVAL);
        partial_sweeps.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = sweeps.tick() => match sweep(&state).await {
                    Ok(report) if report != SweepReport::default() => {
                        tracing::info!(?report, "media clean-up");
                    }
                    Ok(_) => {}
                    Err(error) => {
                        tracing::warn!(error = %error_chain(&error), "media clean-up failed");
                    }
                },
                _ = partial_sweeps.tick() => {
                    let removed = remove_stale_partials(&state.storage).await;
                    if removed > 0 {
                        tracing::info!(removed, "removed partial files of interrupted writes");
                    }
                }
            }
        }
    })
}
