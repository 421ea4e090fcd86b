//! The saved play queue: one per listener, its songs in order, the one
//! playing and where, and which client saved it.

use sqlx::{AnyConnection, Row};

use crate::clock::now_millis;
use crate::db::DbError;
use crate::persistence::songs::{SELECT_SONGS, SongRecord};

/// A queue to save.
pub struct NewPlayQueue<'a> {
    pub song_ids: &'a [String],
    pub current_song_id: Option<&'a str>,
    pub position_ms: i64,
    pub changed_by: &'a str,
}

/// A saved queue.
#[derive(Debug, Clone)]
pub struct PlayQueueRecord {
    pub songs: Vec<SongRecord>,
    pub current_song_id: Option<String>,
    pub position_ms: i64,
    pub changed_at: i64,
    pub changed_by: String,
}

/// Replaces the user's queue (in the caller's transaction).
pub async fn save(
    conn: &mut AnyConnection,
    user_id: &str,
    queue: &NewPlayQueue<'_>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO play_queues (user_id, current_song_id, position_ms, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id) DO UPDATE SET current_song_id = excluded.current_song_id, \
           position_ms = excluded.position_ms, changed_at = excluded.changed_at, \
           changed_by = excluded.changed_by",
    )
    .bind(user_id)
    .bind(queue.current_song_id)
    .bind(queue.position_ms)
    .bind(now_millis())
    .bind(queue.changed_by)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM play_queue_entries WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for (position, song_id) in queue.song_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO play_queue_entries (user_id, position, song_id) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(song_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Forgets the user's queue.
pub async fn clear(conn: &mut AnyConnection, user_id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM play_queues WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user's saved queue, if any.
pub async fn find(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<PlayQueueRecord>, DbError> {
    let Some(row) = sqlx::query(
        "SELECT current_song_id, position_ms, changed_at, changed_by FROM play_queues \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let entries = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT catalogue.* FROM play_queue_entries e \
         JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = e.song_id \
         WHERE e.user_id = $1 ORDER BY e.position"
    )))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(PlayQueueRecord {
        songs: entries
            .iter()
            .map(SongRecord::from_row)
            .collect::<Result<_, _>>()?,
        current_song_id: row.try_get("current_song_id")?,
        position_ms: row.try_get("position_ms")?,
        changed_at: row.try_get("changed_at")?,
        changed_by: row.try_get("changed_by")?,
    }))
}
