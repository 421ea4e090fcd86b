//! `soundstream renditions [--all|--missing]`: queues the library's
//! analysis and renditions again and works the queue here until it is
//! empty, with a progress bar. Running API instances work on the same
//! queue meanwhile; the bar counts what anyone finished.

use std::fmt;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::watch;

use crate::services::ServiceError;
use crate::services::audio_work::JobContext;
use crate::services::jobs::{self, Outcome, Reprocess};

/// What this run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub songs_queued: u64,
    pub done: u64,
    /// Job kind, song id and reason.
    pub failed: Vec<(String, String, String)>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} song(s) queued; {} job(s) done here, {} failed",
            self.songs_queued,
            self.done,
            self.failed.len()
        )?;
        for (kind, song_id, reason) in &self.failed {
            writeln!(f, "  failed: {kind} of song {song_id}: {reason}")?;
        }
        Ok(())
    }
}

pub fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} jobs  ETA {eta}  {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Queues `scope` and runs `workers` workers until no job is queued or
/// running anywhere.
pub async fn reprocess(
    ctx: &JobContext,
    scope: Reprocess,
    workers: usize,
    progress: &ProgressBar,
) -> Result<Summary, ServiceError> {
    let mut summary = Summary {
        songs_queued: jobs::enqueue_library(&ctx.db, scope).await?,
        ..Summary::default()
    };
    let total = jobs::unfinished(&ctx.db).await?;
    progress.set_length(total);
    let (_keep_running, stop) = watch::channel(false);
    let worker_id = format!("cli-{}", std::process::id());
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..workers.max(1) {
        let ctx = ctx.clone();
        let mut stop = stop.clone();
        let worker = format!("{worker_id}/{n}");
        tasks.spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                match jobs::work_one(&ctx, &worker, &mut stop).await? {
                    Some((job, outcome)) => outcomes.push((job, outcome)),
                    // Others may still hold jobs (or hold them leased
                    // until their instance's lease runs out): wait.
                    None if jobs::unfinished(&ctx.db).await? > 0 => {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                    None => return Ok::<_, ServiceError>(outcomes),
                }
            }
        });
    }
    let mut ticker = tokio::time::interval(Duration::from_millis(250));
    while !tasks.is_empty() {
        tokio::select! {
            _ = ticker.tick() => {
                let left = jobs::unfinished(&ctx.db).await?;
                progress.set_length(total.max(left));
                progress.set_position(total.saturating_sub(left));
            }
            Some(joined) = tasks.join_next() => {
                let outcomes = joined??;
                for (job, outcome) in outcomes {
                    match outcome {
                        Outcome::Done => summary.done += 1,
                        Outcome::Failed(reason) => {
                            progress.set_message(format!("{} failed", summary.failed.len() + 1));
                            summary.failed.push((job.kind, job.subject_id, reason));
                        }
                        Outcome::Retrying(_) | Outcome::Lost => {}
                    }
                }
            }
        }
    }
    progress.set_position(total);
    Ok(summary)
}
