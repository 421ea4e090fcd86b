//! Objects waiting to be deleted from media storage.

use sqlx::AnyConnection;

use crate::db::DbError;

/// Queues an object for deletion (queuing it twice is harmless).
pub async fn enqueue(conn: &mut AnyConnection, object_key: &str, now: i64) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO storage_garbage (object_key, enqueued_at) VALUES ($1, $2) \
         ON CONFLICT (object_key) DO NOTHING",
    )
    .bind(object_key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes up to `limit` queued keys off the queue; each key goes to exactly
/// one caller.
pub async fn claim(conn: &mut AnyConnection, limit: i64) -> Result<Vec<String>, DbError> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM storage_garbage WHERE object_key IN \
           (SELECT object_key FROM storage_garbage ORDER BY enqueued_at LIMIT $1) \
         RETURNING object_key",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}
