//! What listeners keep and play: favourites and play history, listed
//! newest first with the songs they name.

use sqlx::{AnyConnection, Row};

use crate::clock::now_millis;
use crate::db::DbError;
use crate::persistence::Among;
use crate::persistence::songs::{SELECT_SONGS, SongRecord};

/// Songs a user keeps a list of (favourites, plays), newest first, with
/// when each was added: `(song, at)`. `list_sql` yields `song_id, at`
/// for user `$1`, newest first, after `($2, $3)` when given, limited by `$4`.
async fn user_songs(
    conn: &mut AnyConnection,
    list_sql: &str,
    user_id: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<(SongRecord, i64)>, DbError> {
    let sql = format!(
        "WITH listed AS ({list_sql}) \
         SELECT listed.at AS listed_at, catalogue.* FROM listed \
         JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = listed.song_id \
         ORDER BY listed.at DESC, listed.song_id DESC"
    );
    let (after_at, after_id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(after_at)
        .bind(after_id)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                SongRecord::from_row(row)?,
                row.try_get::<i64, _>("listed_at")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}

/// A user's favourite songs, most recently added first.
pub async fn favorites(
    conn: &mut AnyConnection,
    user_id: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<(SongRecord, i64)>, DbError> {
    user_songs(
        conn,
        "SELECT song_id, created_at AS at FROM favorites WHERE user_id = $1 \
           AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND song_id < $3)) \
         ORDER BY created_at DESC, song_id DESC LIMIT $4",
        user_id,
        after,
        limit,
    )
    .await
}

/// The songs a user played, each once, most recently played first.
pub async fn recently_played(
    conn: &mut AnyConnection,
    user_id: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<(SongRecord, i64)>, DbError> {
    user_songs(
        conn,
        // One row per song with its last play (migration `last_plays`).
        "SELECT song_id, played_at AS at FROM last_plays WHERE user_id = $1 \
         AND ($2 IS NULL OR played_at < $2 OR (played_at = $2 AND song_id < $3)) \
         ORDER BY played_at DESC, song_id DESC LIMIT $4",
        user_id,
        after,
        limit,
    )
    .await
}

/// Every favourite song id of a user.
pub async fn favorite_ids(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT song_id FROM favorites WHERE user_id = $1 ORDER BY song_id")
            .bind(user_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn add_favorite(
    conn: &mut AnyConnection,
    user_id: &str,
    song_id: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO favorites (user_id, song_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, song_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(song_id)
    .bind(now_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove_favorite(
    conn: &mut AnyConnection,
    user_id: &str,
    song_id: &str,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM favorites WHERE user_id = $1 AND song_id = $2")
        .bind(user_id)
        .bind(song_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn record_play(
    conn: &mut AnyConnection,
    user_id: &str,
    song_id: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO play_history (id, user_id, song_id, played_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(user_id)
    .bind(song_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The song's duration, or `None` when there is no such song.
pub async fn song_duration_ms(
    conn: &mut AnyConnection,
    song_id: &str,
) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT duration_ms FROM songs WHERE id = $1")
        .bind(song_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(duration,)| duration))
}

/// The user's latest play of the song: its id and when.
pub async fn latest_play(
    conn: &mut AnyConnection,
    user_id: &str,
    song_id: &str,
) -> Result<Option<(String, i64)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, played_at FROM play_history WHERE user_id = $1 AND song_id = $2 \
         ORDER BY played_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(song_id)
    .fetch_optional(conn)
    .await?)
}

/// Moves a play to `now` without counting another one.
pub async fn move_play(conn: &mut AnyConnection, play_id: &str, now: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE play_history SET played_at = $2 WHERE id = $1")
        .bind(play_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Serialises one listener's play reports until the transaction ends, so
/// concurrent reports of a song are judged one after another.
pub async fn lock_listener(conn: &mut AnyConnection, user_id: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// When the user made each of their favourites.
pub async fn favorite_times(
    conn: &mut AnyConnection,
    user_id: &str,
    songs: Among<'_>,
) -> Result<Vec<(String, i64)>, DbError> {
    // For a few songs, through the index on songs (`|| ''` keeps the
    // planner off the user's index, where it would walk every favourite
    // of the user: 5,000 for one search3 of the benchmark's user).
    let user = match songs {
        Among::These(_) => "user_id || '' = $1",
        Among::Everything => "user_id = $1",
    };
    let sql = format!(
        "SELECT song_id, created_at FROM favorites WHERE {user}{}",
        songs.condition("song_id", 2)
    );
    let query = songs.bind(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id));
    Ok(query.fetch_all(conn).await?)
}

/// Notes what the user started playing, and on which client.
pub async fn set_now_playing(
    conn: &mut AnyConnection,
    user_id: &str,
    song_id: &str,
    client: &str,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO now_playing (user_id, song_id, client, started_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET song_id = excluded.song_id, \
           client = excluded.client, started_at = excluded.started_at",
    )
    .bind(user_id)
    .bind(song_id)
    .bind(client)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// What someone is playing: the song, who, on which client, since when.
#[derive(Debug, Clone)]
pub struct NowPlayingRecord {
    pub song: SongRecord,
    pub username: String,
    pub client: String,
    pub started_at: i64,
}

/// Songs started since `since`, the most recent first.
pub async fn now_playing(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Vec<NowPlayingRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.username AS listener_username, np.client AS listener_client, \
                np.started_at AS listener_started_at, catalogue.* \
         FROM now_playing np JOIN users u ON u.id = np.user_id \
         JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = np.song_id \
         WHERE np.started_at >= $1 ORDER BY np.started_at DESC, np.user_id"
    )))
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(NowPlayingRecord {
                song: SongRecord::from_row(row)?,
                username: row.try_get("listener_username")?,
                client: row.try_get("listener_client")?,
                started_at: row.try_get("listener_started_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}
