//! Objects waiting to be deleted from media storage.

use sqlx::AnyConnection;

use crate::db::DbError;

/// Queues an object for deletion (queuing it twice is harmless).
pub async fn enqueue(conn: &mut AnyConnection, object_key: &str, now: i64) -> Result<(), DbError> {
    enqueue_after(conn, object_key, now, now).await
}

/// Queues an object for deletion no earlier than `not_before`.
pub async fn enqueue_after(
    conn: &mut AnyConnection,
    object_key: &str,
    now: i64,
    not_before: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO storage_garbage (object_key, enqueued_at, not_before) VALUES ($1, $2, $3) \
         ON CONFLICT (object_key) DO NOTHING",
    )
    .bind(object_key)
    .bind(now)
    .bind(not_before)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes up to `limit` keys due by `now` off the queue; each key goes to
/// exactly one caller.
pub async fn claim(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<String>, DbError> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM storage_garbage WHERE object_key IN \
           (SELECT object_key FROM storage_garbage WHERE not_before <= $1 \
            ORDER BY enqueued_at LIMIT $2) \
         RETURNING object_key",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}
