//! Playlists and their ordered entries.
//!
//! `position` is only a sort key: a deleted song leaves a gap, and the API
//! shows 0-based places. Callers change a playlist's entries inside a
//! write transaction that first takes [`lock`], so concurrent edits of one
//! playlist apply one after the other and never interleave.

use soundstream_types::{Playlist, PlaylistOwner};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::songs::{SELECT_SONGS, SongRecord};
use super::{flag, for_update};
use crate::clock::{now_millis, rfc3339};
use crate::db::DbError;
use crate::domain::CatalogueName;
use crate::persistence::search_index::{self, SearchEntry, SearchKind};

/// A playlist as stored, with its owner, cover and totals.
#[derive(Debug, Clone)]
pub struct PlaylistRecord {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The cover's object and content type (covers are image uploads).
    pub cover: Option<(String, String)>,
    pub is_public: bool,
    pub owner: PlaylistOwner,
    pub song_count: i64,
    pub duration_ms: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PlaylistRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            cover: row
                .try_get::<Option<String>, _>("cover_object_key")?
                .zip(row.try_get::<Option<String>, _>("cover_content_type")?),
            is_public: flag(row, "is_public")?,
            owner: PlaylistOwner {
                id: row.try_get("owner_id")?,
                username: row.try_get("owner_username")?,
                display_name: row.try_get("owner_display_name")?,
            },
            song_count: row.try_get("song_count")?,
            duration_ms: row.try_get("duration_ms")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// Whether `user_id` may see it: its owner, or anyone when public.
    pub fn visible_to(&self, user_id: &str) -> bool {
        self.is_public || self.owner.id == user_id
    }

    pub fn to_dto(&self, cover_url: Option<String>) -> Playlist {
        Playlist {
            id: self.id.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            cover_url,
            is_public: self.is_public,
            owner: self.owner.clone(),
            song_count: u32::try_from(self.song_count).unwrap_or(u32::MAX),
            duration_ms: u64::try_from(self.duration_ms).unwrap_or(0),
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        }
    }
}

/// Playlists with owner, cover type and totals. Sums are cast to BIGINT:
/// PostgreSQL's NUMERIC does not pass through the `Any` driver.
pub(crate) const SELECT_PLAYLISTS: &str = "SELECT p.id, p.name, p.description, p.cover_object_key, \
        cover.content_type AS cover_content_type, p.is_public, p.owner_id, \
        owner.username AS owner_username, owner.display_name AS owner_display_name, \
        p.created_at, p.updated_at, \
        (SELECT COUNT(*) FROM playlist_entries e WHERE e.playlist_id = p.id) AS song_count, \
        (SELECT CAST(COALESCE(SUM(s.duration_ms), 0) AS BIGINT) FROM playlist_entries e \
           JOIN songs s ON s.id = e.song_id WHERE e.playlist_id = p.id) AS duration_ms \
    FROM playlists p JOIN users owner ON owner.id = p.owner_id \
    LEFT JOIN uploads cover ON cover.object_key = p.cover_object_key";

pub struct NewPlaylist<'a> {
    pub owner_id: &'a str,
    pub name: &'a CatalogueName,
    pub description: Option<&'a str>,
    pub is_public: bool,
    pub cover_object_key: Option<&'a str>,
}

/// Creates a playlist and indexes it for search. Returns its id.
pub async fn insert(conn: &mut AnyConnection, new: &NewPlaylist<'_>) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO playlists (id, owner_id, name, description, cover_object_key, is_public, \
                                created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(new.owner_id)
    .bind(new.name.as_str())
    .bind(new.description)
    .bind(new.cover_object_key)
    .bind(new.is_public)
    .bind(now_millis())
    .execute(&mut *conn)
    .await?;
    search_index::insert(
        conn,
        &SearchEntry::playlist(&id, new.name.as_str(), new.description),
    )
    .await?;
    Ok(id)
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<PlaylistRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_PLAYLISTS} WHERE p.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(PlaylistRecord::from_row).transpose()?)
}

/// Locks the playlist's row for the rest of the transaction and returns
/// its owner, or `None` when there is no such playlist.
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<Option<(String, bool)>, DbError> {
    let sql = format!(
        "SELECT owner_id, is_public FROM playlists WHERE id = $1{}",
        for_update(conn)
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row
        .map(|row| Ok::<_, sqlx::Error>((row.try_get("owner_id")?, flag(&row, "is_public")?)))
        .transpose()?)
}

/// The playlists `viewer_id` may see (their own, and public ones unless
/// `mine_only`), newest first, after `(created_at, id)`.
pub async fn list(
    conn: &mut AnyConnection,
    viewer_id: &str,
    mine_only: bool,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<PlaylistRecord>, DbError> {
    let (at, id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_PLAYLISTS} WHERE (p.owner_id = $1 OR (p.is_public = $2 AND NOT $3)) \
           AND ($4 IS NULL OR p.created_at < $4 OR (p.created_at = $4 AND p.id < $5)) \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $6"
    )))
    .bind(viewer_id)
    .bind(true)
    .bind(mine_only)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(PlaylistRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// Changes what is `Some`; `Some(None)` clears the description or cover.
pub struct PlaylistChanges<'a> {
    pub name: Option<&'a CatalogueName>,
    pub description: Option<Option<&'a str>>,
    pub is_public: Option<bool>,
    pub cover_object_key: Option<Option<&'a str>>,
}

/// Applies the changes (the caller holds [`lock`]) and keeps the search
/// index in step.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    changes: &PlaylistChanges<'_>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE playlists SET name = COALESCE($2, name), \
           description = CASE WHEN $3 THEN $4 ELSE description END, \
           is_public = COALESCE($5, is_public), \
           cover_object_key = CASE WHEN $6 THEN $7 ELSE cover_object_key END, \
           updated_at = $8 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(changes.name.map(CatalogueName::as_str))
    .bind(changes.description.is_some())
    .bind(changes.description.flatten())
    .bind(changes.is_public)
    .bind(changes.cover_object_key.is_some())
    .bind(changes.cover_object_key.flatten())
    .bind(now_millis())
    .execute(&mut *conn)
    .await?;
    if changes.name.is_some() || changes.description.is_some() {
        let (name, description): (String, Option<String>) =
            sqlx::query_as("SELECT name, description FROM playlists WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        search_index::replace(
            conn,
            &SearchEntry::playlist(id, &name, description.as_deref()),
        )
        .await?;
    }
    Ok(())
}

/// Deletes the playlist (its entries go with it); returns its cover's
/// object, if it had one.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, DbError> {
    let (cover,): (Option<String>,) =
        sqlx::query_as("DELETE FROM playlists WHERE id = $1 RETURNING cover_object_key")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    search_index::remove(conn, SearchKind::Playlist, id).await?;
    Ok(cover)
}

/// An entry of a playlist, with its song.
#[derive(Debug, Clone)]
pub struct EntryRecord {
    pub id: String,
    pub song: SongRecord,
    pub added_at: i64,
}

/// The playlist's entries in order.
pub async fn entries(
    conn: &mut AnyConnection,
    playlist_id: &str,
) -> Result<Vec<EntryRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT e.id AS entry_id, e.added_at AS entry_added_at, catalogue.* \
         FROM playlist_entries e JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = e.song_id \
         WHERE e.playlist_id = $1 ORDER BY e.position, e.id"
    )))
    .bind(playlist_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(EntryRecord {
                id: row.try_get("entry_id")?,
                song: SongRecord::from_row(row)?,
                added_at: row.try_get("entry_added_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}

/// How many entries the playlist has.
pub async fn entry_count(conn: &mut AnyConnection, playlist_id: &str) -> Result<usize, DbError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM playlist_entries WHERE playlist_id = $1")
            .bind(playlist_id)
            .fetch_one(conn)
            .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// The ids of the playlist's entries, in order.
pub async fn entry_ids(
    conn: &mut AnyConnection,
    playlist_id: &str,
) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM playlist_entries WHERE playlist_id = $1 ORDER BY position, id",
    )
    .bind(playlist_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

async fn touch(conn: &mut AnyConnection, playlist_id: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE playlists SET updated_at = $2 WHERE id = $1")
        .bind(playlist_id)
        .bind(now_millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds the songs, in order, before the entry now at place `at` (0-based),
/// or at the end when `at` is `None` or past the end. The caller holds
/// [`lock`].
pub async fn add_songs(
    conn: &mut AnyConnection,
    playlist_id: &str,
    song_ids: &[String],
    at: Option<u32>,
) -> Result<(), DbError> {
    let count = i64::try_from(song_ids.len()).unwrap_or(i64::MAX);
    // The sort key of the entry at place `at`, if there is one.
    let before: Option<(i64,)> = match at {
        Some(at) => {
            sqlx::query_as(
                "SELECT position FROM playlist_entries WHERE playlist_id = $1 \
                 ORDER BY position, id LIMIT 1 OFFSET $2",
            )
            .bind(playlist_id)
            .bind(i64::from(at))
            .fetch_optional(&mut *conn)
            .await?
        }
        None => None,
    };
    let first = match before {
        Some((position,)) => {
            sqlx::query(
                "UPDATE playlist_entries SET position = position + $2 \
                 WHERE playlist_id = $1 AND position >= $3",
            )
            .bind(playlist_id)
            .bind(count)
            .bind(position)
            .execute(&mut *conn)
            .await?;
            position
        }
        None => {
            let (next,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(MAX(position) + 1, 0) AS BIGINT) FROM playlist_entries \
                 WHERE playlist_id = $1",
            )
            .bind(playlist_id)
            .fetch_one(&mut *conn)
            .await?;
            next
        }
    };
    let now = now_millis();
    for (offset, song_id) in (0_i64..).zip(song_ids) {
        sqlx::query(
            "INSERT INTO playlist_entries (id, playlist_id, song_id, position, added_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(playlist_id)
        .bind(song_id)
        .bind(first + offset)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    touch(conn, playlist_id).await
}

/// Removes an entry; whether it was there. The caller holds [`lock`].
pub async fn remove_entry(
    conn: &mut AnyConnection,
    playlist_id: &str,
    entry_id: &str,
) -> Result<bool, DbError> {
    let removed = sqlx::query("DELETE FROM playlist_entries WHERE playlist_id = $1 AND id = $2")
        .bind(playlist_id)
        .bind(entry_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if removed {
        touch(conn, playlist_id).await?;
    }
    Ok(removed)
}

/// Puts the entries in the given order, which the caller has checked is a
/// permutation of [`entry_ids`] while holding [`lock`].
pub async fn reorder(
    conn: &mut AnyConnection,
    playlist_id: &str,
    entry_ids: &[String],
) -> Result<(), DbError> {
    for (position, entry_id) in (0_i64..).zip(entry_ids) {
        sqlx::query("UPDATE playlist_entries SET position = $3 WHERE playlist_id = $1 AND id = $2")
            .bind(playlist_id)
            .bind(entry_id)
            .bind(position)
            .execute(&mut *conn)
            .await?;
    }
    touch(conn, playlist_id).await
}
