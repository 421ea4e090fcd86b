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

/// Adds `amount` to `key`'s count in the window starting at `window_start`
/// (a new window starts from zero) and returns the count (atomic across
/// instances): for budgets counted in units, such as characters.
pub async fn add(
    conn: &mut AnyConnection,
    key: &str,
    window_start: i64,
    amount: i64,
) -> Result<i64, DbError> {
    let (hits,): (i64,) = sqlx::query_as(
        "INSERT INTO rate_limit_windows (limit_key, window_start, hits) VALUES ($1, $2, $3) \
         ON CONFLICT (limit_key) DO UPDATE SET \
           hits = CASE WHEN rate_limit_windows.window_start = $2 \
                       THEN rate_limit_windows.hits + $3 ELSE $3 END, \
           window_start = $2 \
         RETURNING hits",
    )
    .bind(key)
    .bind(window_start)
    .bind(amount)
    .fetch_one(conn)
    .await?;
    Ok(hits)
}

/// Takes back `amount` added to the window starting at `window_start`, if
/// that window is still the current one.
pub async fn refund(
    conn: &mut AnyConnection,
    key: &str,
    window_start: i64,
    amount: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE rate_limit_windows SET hits = hits - $3 \
         WHERE limit_key = $1 AND window_start = $2",
    )
    .bind(key)
    .bind(window_start)
    .bind(amount)
    .execute(conn)
    .await?;
    Ok(())
}
