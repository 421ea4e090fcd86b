//! The background work queue. A job is claimed by setting it running with
//! a lease and a fresh claim token: one statement, so two instances never
//! claim the same job (on PostgreSQL the candidate row is locked with
//! `SKIP LOCKED`, so claimers pass each other; SQLite runs writes one at a
//! time). A running job whose lease ran out — its instance died — is
//! claimed again. Every later change names the token: a worker that lost
//! its job to a takeover cannot finish or fail it.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::DbError;
use crate::persistence::is_postgres;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: String,
    pub kind: String,
    pub subject_id: String,
    /// This one included.
    pub attempts: u32,
    pub token: String,
}

/// Queues each of `kinds` of work on `subject_id` (one statement), unless
/// the same work is already queued or running. True when any was queued.
pub async fn enqueue(
    conn: &mut AnyConnection,
    kinds: &[&str],
    subject_id: &str,
    now: i64,
) -> Result<bool, DbError> {
    if kinds.is_empty() {
        return Ok(false);
    }
    // Parameters: $1 the subject, $2 the time, then an id and a kind per row.
    let rows = (0..kinds.len())
        .map(|row| {
            let id = 3 + 2 * row;
            format!("(${id}, ${}, $1, 'queued', 0, $2, $2, $2)", id + 1)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut statement = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO jobs (id, kind, subject_id, state, attempts, run_after, created_at, updated_at) \
         VALUES {rows} \
         ON CONFLICT (kind, subject_id) WHERE state IN ('queued', 'running') DO NOTHING"
    )))
    .bind(subject_id.to_owned())
    .bind(now);
    for kind in kinds {
        statement = statement
            .bind(uuid::Uuid::now_v7().to_string())
            .bind((*kind).to_owned());
    }
    let done = statement.execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

/// Claims the job due longest (queued and due, or running with its lease
/// run out) for `worker`, leased until `lease_until`.
pub async fn claim(
    conn: &mut AnyConnection,
    worker: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<ClaimedJob>, DbError> {
    let skip_locked = if is_postgres(conn) {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let token = uuid::Uuid::now_v7().to_string();
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, claim_token = $1, \
                claimed_by = $2, lease_until = $3, updated_at = $4 \
         WHERE id = (SELECT id FROM jobs \
                     WHERE (state = 'queued' AND run_after <= $4) \
                        OR (state = 'running' AND lease_until < $4) \
                     ORDER BY run_after, id LIMIT 1{skip_locked}) \
         RETURNING id, kind, subject_id, attempts"
    )))
    .bind(&token)
    .bind(worker)
    .bind(lease_until)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|row| claimed(&row, token))
        .transpose()
        .map_err(DbError::from)
}

fn claimed(row: &AnyRow, token: String) -> Result<ClaimedJob, sqlx::Error> {
    Ok(ClaimedJob {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        subject_id: row.try_get("subject_id")?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        token,
    })
}

/// Extends the lease of a job still held; false when it was taken over.
pub async fn extend_lease(
    conn: &mut AnyConnection,
    job: &ClaimedJob,
    lease_until: i64,
    now: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE jobs SET lease_until = $1, updated_at = $2 \
         WHERE id = $3 AND claim_token = $4 AND state = 'running'",
    )
    .bind(lease_until)
    .bind(now)
    .bind(&job.id)
    .bind(&job.token)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a held job done, and forgets earlier failures of the same work.
pub async fn finish(conn: &mut AnyConnection, job: &ClaimedJob, now: i64) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = $1 \
         WHERE id = $2 AND claim_token = $3 AND state = 'running'",
    )
    .bind(now)
    .bind(&job.id)
    .bind(&job.token)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM jobs WHERE kind = $1 AND subject_id = $2 AND state = 'failed'")
        .bind(&job.kind)
        .bind(&job.subject_id)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Puts a held job back in the queue, due at `run_after`, keeping why
/// this attempt failed.
pub async fn retry_later(
    conn: &mut AnyConnection,
    job: &ClaimedJob,
    run_after: i64,
    error: &str,
    now: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'queued', run_after = $1, lease_until = NULL, last_error = $2, \
                updated_at = $3 \
         WHERE id = $4 AND claim_token = $5 AND state = 'running'",
    )
    .bind(run_after)
    .bind(error)
    .bind(now)
    .bind(&job.id)
    .bind(&job.token)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a held job failed for good.
pub async fn fail(
    conn: &mut AnyConnection,
    job: &ClaimedJob,
    error: &str,
    now: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'failed', lease_until = NULL, last_error = $1, updated_at = $2 \
         WHERE id = $3 AND claim_token = $4 AND state = 'running'",
    )
    .bind(error)
    .bind(now)
    .bind(&job.id)
    .bind(&job.token)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hands a held job back untouched (the instance is shutting down): due
/// now, this attempt not counted.
pub async fn release(conn: &mut AnyConnection, job: &ClaimedJob, now: i64) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE jobs SET state = 'queued', attempts = attempts - 1, run_after = $1, \
                lease_until = NULL, updated_at = $1 \
         WHERE id = $2 AND claim_token = $3 AND state = 'running'",
    )
    .bind(now)
    .bind(&job.id)
    .bind(&job.token)
    .execute(conn)
    .await?;
    Ok(())
}

/// Jobs by kind and state.
pub async fn counts(conn: &mut AnyConnection) -> Result<Vec<(String, String, u64)>, DbError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state ORDER BY kind, state",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, state, count)| (kind, state, u64::try_from(count).unwrap_or(0)))
        .collect())
}

/// How many jobs are queued or running.
pub async fn unfinished(conn: &mut AnyConnection) -> Result<u64, DbError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")
            .fetch_one(conn)
            .await?;
    Ok(u64::try_from(count).unwrap_or(0))
}

#[derive(Debug, Clone)]
pub struct FailedJobRecord {
    pub id: String,
    pub kind: String,
    pub subject_id: String,
    /// The song's title, while the song exists.
    pub song_title: Option<String>,
    pub attempts: i64,
    pub error: Option<String>,
    pub failed_at: i64,
}

/// The latest failures, newest first.
pub async fn recent_failures(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<FailedJobRecord>, DbError> {
    let rows = sqlx::query(
        "SELECT j.id, j.kind, j.subject_id, s.title, j.attempts, j.last_error, j.updated_at \
         FROM jobs j LEFT JOIN songs s ON s.id = j.subject_id \
         WHERE j.state = 'failed' ORDER BY j.updated_at DESC, j.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(FailedJobRecord {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                subject_id: row.try_get("subject_id")?,
                song_title: row.try_get("title")?,
                attempts: row.try_get("attempts")?,
                error: row.try_get("last_error")?,
                failed_at: row.try_get("updated_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}

/// Deletes finished jobs last changed before `cutoff` (failures of songs
/// since deleted included).
pub async fn purge_finished(conn: &mut AnyConnection, cutoff: i64) -> Result<u64, DbError> {
    let done = sqlx::query(
        "DELETE FROM jobs WHERE (state = 'done' AND updated_at < $1) \
            OR (state = 'failed' AND NOT EXISTS (SELECT 1 FROM songs s WHERE s.id = jobs.subject_id))",
    )
    .bind(cutoff)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
