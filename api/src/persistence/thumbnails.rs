//! Cover thumbnails: a picture's object, the size it was scaled to, and
//! the thumbnail's object.

use sqlx::AnyConnection;

use crate::db::DbError;

/// The thumbnail of `object_key` at `size_px`, if made.
pub async fn find(
    conn: &mut AnyConnection,
    object_key: &str,
    size_px: u32,
) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT thumbnail_key FROM cover_thumbnails WHERE object_key = $1 AND size_px = $2",
    )
    .bind(object_key)
    .bind(i64::from(size_px))
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(key,)| key))
}

/// Records a thumbnail; when another instance recorded one first, that
/// one is kept and returned (`Err` holds the key to keep), so the caller
/// discards its own.
pub async fn insert(
    conn: &mut AnyConnection,
    object_key: &str,
    size_px: u32,
    thumbnail_key: &str,
    now: i64,
) -> Result<Result<(), String>, DbError> {
    let inserted = sqlx::query(
        "INSERT INTO cover_thumbnails (object_key, size_px, thumbnail_key, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (object_key, size_px) DO NOTHING",
    )
    .bind(object_key)
    .bind(i64::from(size_px))
    .bind(thumbnail_key)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Ok(()));
    }
    let kept = find(conn, object_key, size_px).await?;
    Ok(Err(kept.unwrap_or_else(|| thumbnail_key.to_owned())))
}

/// Takes up to `limit` thumbnails whose picture no longer exists (its
/// upload was released) off the table; returns their objects.
pub async fn claim_orphans(conn: &mut AnyConnection, limit: i64) -> Result<Vec<String>, DbError> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM cover_thumbnails WHERE (object_key, size_px) IN \
           (SELECT t.object_key, t.size_px FROM cover_thumbnails t \
            WHERE NOT EXISTS (SELECT 1 FROM uploads u WHERE u.object_key = t.object_key) \
            LIMIT $1) \
         RETURNING thumbnail_key",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}
