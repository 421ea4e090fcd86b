//! Renditions of songs: smaller encodings in media storage beside the
//! original.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::DbError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenditionRecord {
    /// `opus-96`, `opus-160`, `aac-128` or `mp3-128`.
    pub name: String,
    pub object_key: String,
    pub content_type: String,
    pub bit_rate_kbps: i64,
    pub size: i64,
    pub duration_ms: i64,
}

impl RenditionRecord {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            name: row.try_get("name")?,
            object_key: row.try_get("object_key")?,
            content_type: row.try_get("content_type")?,
            bit_rate_kbps: row.try_get("bit_rate_kbps")?,
            size: row.try_get("size_bytes")?,
            duration_ms: row.try_get("duration_ms")?,
        })
    }
}

const COLUMNS: &str = "name, object_key, content_type, bit_rate_kbps, size_bytes, duration_ms";

/// A song's renditions, by name.
pub async fn for_song(
    conn: &mut AnyConnection,
    song_id: &str,
) -> Result<Vec<RenditionRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM renditions WHERE song_id = $1 ORDER BY name"
    )))
    .bind(song_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(RenditionRecord::from_row)
        .collect::<Result<_, _>>()
        .map_err(DbError::from)
}

/// One rendition of a song.
pub async fn find(
    conn: &mut AnyConnection,
    song_id: &str,
    name: &str,
) -> Result<Option<RenditionRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM renditions WHERE song_id = $1 AND name = $2"
    )))
    .bind(song_id)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.as_ref()
        .map(RenditionRecord::from_row)
        .transpose()
        .map_err(DbError::from)
}

/// Stores a rendition of a song, replacing one of the same name; returns
/// the replaced rendition's object key.
pub async fn replace(
    conn: &mut AnyConnection,
    song_id: &str,
    rendition: &RenditionRecord,
    now: i64,
) -> Result<Option<String>, DbError> {
    let previous: Option<(String,)> = sqlx::query_as(
        "DELETE FROM renditions WHERE song_id = $1 AND name = $2 RETURNING object_key",
    )
    .bind(song_id)
    .bind(&rendition.name)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO renditions (song_id, {COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )))
    .bind(song_id)
    .bind(&rendition.name)
    .bind(&rendition.object_key)
    .bind(&rendition.content_type)
    .bind(rendition.bit_rate_kbps)
    .bind(rendition.size)
    .bind(rendition.duration_ms)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(previous.map(|(key,)| key))
}

/// Deletes a song's renditions; returns their object keys.
pub async fn delete_for_song(
    conn: &mut AnyConnection,
    song_id: &str,
) -> Result<Vec<String>, DbError> {
    let keys: Vec<(String,)> =
        sqlx::query_as("DELETE FROM renditions WHERE song_id = $1 RETURNING object_key")
            .bind(song_id)
            .fetch_all(conn)
            .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// Ids of songs after `after` (in id order) lacking one of the `expected`
/// renditions or their loudness, a page at a time.
pub async fn songs_missing_work(
    conn: &mut AnyConnection,
    expected: i64,
    after: &str,
    limit: i64,
) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT s.id FROM songs s WHERE s.id > $1 AND (s.loudness_lufs IS NULL \
            OR (SELECT COUNT(*) FROM renditions r WHERE r.song_id = s.id) < $2) \
         ORDER BY s.id LIMIT $3",
    )
    .bind(after)
    .bind(expected)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
