//! Bookmarks: where a listener stopped in a song, one per song.

use sqlx::{AnyConnection, Row};

use crate::clock::now_millis;
use crate::db::DbError;
use crate::persistence::songs::{SELECT_SONGS, SongRecord};

/// A bookmark with its song.
#[derive(Debug, Clone)]
pub struct BookmarkRecord {
    pub song: SongRecord,
    pub position_ms: i64,
    pub comment: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Creates or moves the user's bookmark in a song.
pub async fn save(
    conn: &mut AnyConnection,
    user_id: &str,
    song_id: &str,
    position_ms: i64,
    comment: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO bookmarks (user_id, song_id, position_ms, comment, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (user_id, song_id) DO UPDATE SET position_ms = excluded.position_ms, \
           comment = excluded.comment, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(song_id)
    .bind(position_ms)
    .bind(comment)
    .bind(now_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the user's bookmark in a song; whether there was one.
pub async fn delete(
    conn: &mut AnyConnection,
    user_id: &str,
    song_id: &str,
) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM bookmarks WHERE user_id = $1 AND song_id = $2")
        .bind(user_id)
        .bind(song_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The user's bookmarks, most recently changed first.
pub async fn list(
    conn: &mut AnyConnection,
    user_id: &str,
    limit: i64,
) -> Result<Vec<BookmarkRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT b.position_ms AS bookmark_position_ms, b.comment AS bookmark_comment, \
                b.created_at AS bookmark_created_at, b.updated_at AS bookmark_updated_at, \
                catalogue.* \
         FROM bookmarks b JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = b.song_id \
         WHERE b.user_id = $1 ORDER BY b.updated_at DESC, b.song_id LIMIT $2"
    )))
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(BookmarkRecord {
                song: SongRecord::from_row(row)?,
                position_ms: row.try_get("bookmark_position_ms")?,
                comment: row.try_get("bookmark_comment")?,
                created_at: row.try_get("bookmark_created_at")?,
                updated_at: row.try_get("bookmark_updated_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}
