//! Fixed-window rate limits kept in the database, so they hold across
//! instances.

use sqlx::AnyConnection;

use crate::db::DbError;

/// Counts one hit for `key` in the window starting at `window_start` and
/// returns the hits so far in it (atomic across instances).
pub async fn hit(conn: &mut AnyConnection, key: &str, window_start: i64) -> Result<i64, DbError> {
    let (hits,): (i64,) = sqlx::query_as(
        "INSERT INTO rate_limit_windows (limit_key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (limit_key) DO UPDATE SET \
           hits = CASE WHEN rate_limit_windows.window_start = $2 \
                       THEN rate_limit_windows.hits + 1 ELSE 1 END, \
           window_start = $2 \
         RETURNING hits",
    )
    .bind(key)
    .bind(window_start)
    .fetch_one(conn)
    .await?;
    Ok(hits)
}
