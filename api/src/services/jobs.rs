//! Background work, queued in the database and done by every instance:
//! each runs `SOUNDSTREAM_JOB_WORKERS` workers that claim jobs one at a
//! time (exactly once: see `persistence::jobs`), keep their lease alive
//! while they work, and settle them — done, retried later with backoff,
//! or failed with the reason. A job whose instance died is taken over
//! when its lease runs out; one that keeps killing its workers fails after
//! [`MAX_ATTEMPTS`].

use std::time::{Duration, Instant};

use soundstream_types::{FailedJob, JobKindCounts, JobsOverview, SongRef};
use sqlx::AnyConnection;
use tokio::sync::watch;

use crate::clock::{millis, now_millis, rfc3339};
use crate::db::{Database, DbError};
use crate::persistence::jobs::{self, ClaimedJob};
use crate::persistence::{renditions, songs};
use crate::services::ServiceResult;
use crate::services::audio_work::{self, JobContext, WorkError};
use crate::state::AppState;
use crate::telemetry::error_chain;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Loudness and audio facts.
    Analysis,
    /// The renditions.
    Renditions,
}

impl JobKind {
    pub const ALL: [Self; 2] = [Self::Analysis, Self::Renditions];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Analysis => "analysis",
            Self::Renditions => "renditions",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// How long a claim holds without renewal: a worker renews it every
/// [`HEARTBEAT`], so only a dead instance lets it run out.
pub const LEASE: Duration = Duration::from_secs(60);
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_secs(2);
/// Attempts before a job that keeps failing (or killing its worker) fails.
pub const MAX_ATTEMPTS: u32 = 4;
/// Finished jobs are forgotten after this.
pub const KEEP_FINISHED: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The wait before attempt `attempts + 1`: 30 s, 2 min, 8 min, … ≤ 1 h.
fn backoff(attempts: u32) -> Duration {
    let factor = 4_u64.saturating_pow(attempts.saturating_sub(1));
    Duration::from_secs(30_u64.saturating_mul(factor).min(3600))
}

/// Queues the work every new song needs (call it in the transaction that
/// files the song); false when all of it was queued already.
pub async fn enqueue_song_work(
    conn: &mut AnyConnection,
    song_id: &str,
    now: i64,
) -> Result<bool, DbError> {
    jobs::enqueue(conn, &JobKind::ALL.map(JobKind::as_str), song_id, now).await
}

/// Which songs `soundstream renditions` processes again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reprocess {
    /// Every song: renditions made again, loudness measured again.
    All,
    /// Songs lacking a rendition or their loudness.
    Missing,
}

/// Queues the work for the library; returns for how many songs work was
/// queued (not counting songs whose work was waiting already).
pub async fn enqueue_library(db: &Database, scope: Reprocess) -> ServiceResult<u64> {
    const PAGE: i64 = 500;
    let expected = i64::try_from(soundstream_transcode::Rendition::ALL.len()).unwrap_or(0);
    let mut after = String::new();
    let mut queued = 0;
    loop {
        let mut tx = db.begin_write().await?;
        // Each song with the kinds of work it needs.
        let work: Vec<(String, Vec<JobKind>)> = match scope {
            Reprocess::All => songs::ids_after(&mut tx, &after, PAGE)
                .await?
                .into_iter()
                .map(|id| (id, JobKind::ALL.to_vec()))
                .collect(),
            Reprocess::Missing => renditions::songs_missing_work(&mut tx, expected, &after, PAGE)
                .await?
                .into_iter()
                .map(|(id, analysis, renditions)| {
                    let kinds = [
                        (analysis, JobKind::Analysis),
                        (renditions, JobKind::Renditions),
                    ]
                    .into_iter()
                    .filter_map(|(needed, kind)| needed.then_some(kind))
                    .collect();
                    (id, kinds)
                })
                .collect(),
        };
        let now = now_millis();
        for (id, kinds) in &work {
            let kinds: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
            queued += u64::from(jobs::enqueue(&mut tx, &kinds, id, now).await?);
        }
        tx.commit().await?;
        match work.last() {
            Some((last, _)) => after.clone_from(last),
            None => break,
        }
    }
    Ok(queued)
}

/// How many jobs are queued or running, anywhere.
pub async fn unfinished(db: &Database) -> ServiceResult<u64> {
    let mut conn = db.acquire().await?;
    Ok(jobs::unfinished(&mut conn).await?)
}

/// `GET /admin/jobs`.
pub async fn overview(state: &AppState) -> ServiceResult<JobsOverview> {
    let mut conn = state.db.acquire().await?;
    let counts = jobs::counts(&mut conn).await?;
    let failures = jobs::recent_failures(&mut conn, 50).await?;
    drop(conn);
    let mut overview = JobsOverview {
        queued: 0,
        running: 0,
        done: 0,
        failed: 0,
        kinds: JobKind::ALL
            .iter()
            .map(|kind| JobKindCounts {
                kind: kind.as_str().to_owned(),
                queued: 0,
                running: 0,
                done: 0,
                failed: 0,
            })
            .collect(),
        failures: failures
            .into_iter()
            .map(|failure| FailedJob {
                id: failure.id,
                kind: failure.kind,
                song: failure.song_title.map(|title| SongRef {
                    id: failure.subject_id,
                    title,
                }),
                attempts: u32::try_from(failure.attempts).unwrap_or(0),
                error: failure.error.unwrap_or_default(),
                failed_at: rfc3339(failure.failed_at),
            })
            .collect(),
    };
    for (kind, state, count) in counts {
        let Some(by_kind) = overview.kinds.iter_mut().find(|k| k.kind == kind) else {
            continue;
        };
        let (total, of_kind) = match state.as_str() {
            "queued" => (&mut overview.queued, &mut by_kind.queued),
            "running" => (&mut overview.running, &mut by_kind.running),
            "done" => (&mut overview.done, &mut by_kind.done),
            "failed" => (&mut overview.failed, &mut by_kind.failed),
            _ => continue,
        };
        *total += count;
        *of_kind += count;
    }
    Ok(overview)
}

/// What became of a claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Queued again, with this reason.
    Retrying(String),
    /// Failed for good, with this reason.
    Failed(String),
    /// Another worker took it over (this one was too slow to renew its
    /// lease), or the instance is stopping and handed it back.
    Lost,
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Retrying(_) => "retrying",
            Self::Failed(_) => "failed",
            Self::Lost => "lost",
        }
    }
}

/// Claims and does one job; None when there is nothing to do.
pub async fn work_one(
    ctx: &JobContext,
    worker: &str,
    stop: &mut watch::Receiver<bool>,
) -> ServiceResult<Option<(ClaimedJob, Outcome)>> {
    let now = now_millis();
    let mut conn = ctx.db.acquire().await?;
    let Some(job) = jobs::claim(&mut conn, worker, now, now + millis(LEASE)).await? else {
        return Ok(None);
    };
    drop(conn);
    let started = Instant::now();
    let outcome = if job.attempts > MAX_ATTEMPTS {
        // Its workers keep dying on it (a crash, the OOM killer).
        Err(WorkError::Unusable(format!(
            "abandoned by {} workers in a row",
            job.attempts - 1
        )))
    } else {
        match JobKind::parse(&job.kind) {
            None => Err(WorkError::Unusable(format!(
                "unknown kind of job {:?}",
                job.kind
            ))),
            Some(kind) => {
                let work = run(ctx, kind, &job.subject_id);
                match with_lease(&ctx.db, &job, work, stop).await {
                    Leased::Finished(result) => result,
                    Leased::Lost => return Ok(Some((job, Outcome::Lost))),
                    Leased::Stopping => {
                        let mut conn = ctx.db.acquire().await?;
                        jobs::release(&mut conn, &job, now_millis()).await?;
                        return Ok(Some((job, Outcome::Lost)));
                    }
                }
            }
        }
    };
    let outcome = settle(&ctx.db, &job, outcome).await?;
    ctx.metrics
        .with_label_values(&[job.kind.as_str(), outcome.label()])
        .inc();
    let took = started.elapsed();
    match &outcome {
        Outcome::Done => {
            tracing::info!(job_id = %job.id, kind = %job.kind, song_id = %job.subject_id, seconds = took.as_secs_f64(), "job done")
        }
        Outcome::Retrying(reason) => {
            tracing::warn!(job_id = %job.id, kind = %job.kind, song_id = %job.subject_id, attempts = job.attempts, %reason, "job failed; will retry")
        }
        Outcome::Failed(reason) => {
            tracing::warn!(job_id = %job.id, kind = %job.kind, song_id = %job.subject_id, attempts = job.attempts, %reason, "job failed for good")
        }
        Outcome::Lost => {}
    }
    Ok(Some((job, outcome)))
}

async fn run(ctx: &JobContext, kind: JobKind, song_id: &str) -> Result<(), WorkError> {
    match kind {
        JobKind::Analysis => audio_work::analyse(ctx, song_id).await,
        JobKind::Renditions => audio_work::render(ctx, song_id).await,
    }
}

enum Leased<T> {
    Finished(T),
    /// The lease was taken over: the work was abandoned.
    Lost,
    /// The instance is stopping: the work was abandoned.
    Stopping,
}

/// Runs `work` while renewing the job's lease; dropping the work (lost
/// lease, shutdown) kills its ffmpeg.
async fn with_lease<T>(
    db: &Database,
    job: &ClaimedJob,
    work: impl Future<Output = T>,
    stop: &mut watch::Receiver<bool>,
) -> Leased<T> {
    let renew = async {
        let mut ticker = tokio::time::interval(HEARTBEAT);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            let now = now_millis();
            let renewed = match db.acquire().await {
                Ok(mut conn) => jobs::extend_lease(&mut conn, job, now + millis(LEASE), now).await,
                Err(error) => Err(error),
            };
            match renewed {
                Ok(true) => {}
                Ok(false) => return,
                // The database is away: keep working, try again next beat.
                Err(error) => {
                    tracing::warn!(job_id = %job.id, error = %error_chain(&error), "cannot renew a job's lease")
                }
            }
        }
    };
    let stopping = async {
        while !*stop.borrow() {
            if stop.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        result = work => Leased::Finished(result),
        () = renew => {
            tracing::warn!(job_id = %job.id, "job taken over by another worker; abandoned here");
            Leased::Lost
        }
        () = stopping => Leased::Stopping,
    }
}

/// Records how the job ended.
async fn settle(
    db: &Database,
    job: &ClaimedJob,
    result: Result<(), WorkError>,
) -> ServiceResult<Outcome> {
    let now = now_millis();
    let mut conn = db.acquire().await?;
    let (held, outcome) = match result {
        Ok(()) => (jobs::finish(&mut conn, job, now).await?, Outcome::Done),
        Err(WorkError::Unusable(reason)) => (
            jobs::fail(&mut conn, job, &reason, now).await?,
            Outcome::Failed(reason),
        ),
        Err(WorkError::Transient(reason)) if job.attempts >= MAX_ATTEMPTS => (
            jobs::fail(&mut conn, job, &reason, now).await?,
            Outcome::Failed(reason),
        ),
        Err(WorkError::Transient(reason)) => {
            let due = now + millis(backoff(job.attempts));
            (
                jobs::retry_later(&mut conn, job, due, &reason, now).await?,
                Outcome::Retrying(reason),
            )
        }
    };
    Ok(if held { outcome } else { Outcome::Lost })
}

/// What this instance's workers use; None without ffmpeg.
pub fn job_context(state: &AppState) -> Option<JobContext> {
    Some(JobContext {
        db: state.db.clone(),
        store: state.storage.store.clone(),
        ffmpeg: state.transcoder.clone()?,
        metrics: state.job_metrics.clone(),
    })
}

/// Starts this instance's workers (none when ffmpeg is missing or
/// `SOUNDSTREAM_JOB_WORKERS` is 0). Setting `stop` makes each hand back
/// the job it holds and return.
pub fn spawn_workers(
    state: &AppState,
    stop: &watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let Some(ctx) = job_context(state) else {
        return Vec::new();
    };
    let instance = uuid::Uuid::now_v7().simple().to_string();
    (0..state.settings.jobs.workers)
        .map(|n| {
            let ctx = ctx.clone();
            let mut stop = stop.clone();
            let worker = format!("{}-{}/{n}", std::process::id(), &instance[20..]);
            tokio::spawn(async move {
                while !*stop.borrow() {
                    match work_one(&ctx, &worker, &mut stop).await {
                        Ok(Some(_)) => continue,
                        Ok(None) => {}
                        Err(error) => {
                            tracing::warn!(error = %error_chain(&error), "job worker cannot reach the queue");
                        }
                    }
                    tokio::select! {
                        () = tokio::time::sleep(POLL) => {}
                        _ = stop.changed() => {}
                    }
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_fourfold_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(120));
        assert_eq!(backoff(3), Duration::from_secs(480));
        assert_eq!(backoff(9), Duration::from_secs(3600));
    }

    #[test]
    fn kinds_round_trip() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
    }
}
