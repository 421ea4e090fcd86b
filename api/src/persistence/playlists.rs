//! Playlists and their ordered entries.
//!
//! `position` is only a sort key, spaced [`SPACING`] apart, so adding or
//! moving entries writes just those rows: a new one takes a key between
//! its neighbours' (the API shows 0-based places). Only when two
//! neighbours' keys are adjacent is the whole playlist respaced, with one
//! statement. Callers change a playlist's entries inside a write
//! transaction that first takes [`lock`], so concurrent edits of one
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

/// Playlists with owner, cover type and totals (kept on the playlist by
/// triggers: migration `playlist_totals`).
pub(crate) const SELECT_PLAYLISTS: &str = "SELECT p.id, p.name, p.description, p.cover_object_key, \
        cover.content_type AS cover_content_type, p.is_public, p.owner_id, \
        owner.username AS owner_username, owner.display_name AS owner_display_name, \
        p.created_at, p.updated_at, p.song_count, p.duration_ms \
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
    let lock = for_update(conn);
    owner_and_visibility(conn, id, lock).await
}

/// The playlist's owner and public flag, without its totals (which sum
/// every entry): what paging its entries needs to check access.
pub async fn access(conn: &mut AnyConnection, id: &str) -> Result<Option<(String, bool)>, DbError> {
    owner_and_visibility(conn, id, "").await
}

async fn owner_and_visibility(
    conn: &mut AnyConnection,
    id: &str,
    suffix: &str,
) -> Result<Option<(String, bool)>, DbError> {
    let sql = format!("SELECT owner_id, is_public FROM playlists WHERE id = $1{suffix}");
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

/// The distance between the sort keys of neighbouring entries after a
/// respacing: room for 16 halvings (moves between the same two entries)
/// or a 500-song insert before the next respacing.
const SPACING: i64 = 1 << 16;

/// An entry of a playlist, with its song.
#[derive(Debug, Clone)]
pub struct EntryRecord {
    pub id: String,
    /// The sort key (not the place).
    pub position: i64,
    pub song: SongRecord,
    pub added_at: i64,
}

/// Up to `limit` of the playlist's entries in order, after the entry
/// whose `(position, id)` is `after`.
pub async fn entries_page(
    conn: &mut AnyConnection,
    playlist_id: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<EntryRecord>, DbError> {
    let (at, id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT e.id AS entry_id, e.position AS entry_position, e.added_at AS entry_added_at, \
                catalogue.* \
         FROM playlist_entries e JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = e.song_id \
         WHERE e.playlist_id = $1 \
           AND ($2 IS NULL OR e.position > $2 OR (e.position = $2 AND e.id > $3)) \
         ORDER BY e.position, e.id LIMIT $4"
    )))
    .bind(playlist_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(EntryRecord {
                id: row.try_get("entry_id")?,
                position: row.try_get("entry_position")?,
                song: SongRecord::from_row(row)?,
                added_at: row.try_get("entry_added_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}

/// How many entries sort up to and including `(position, id)`: the place
/// of the entry that follows it.
pub async fn entries_through(
    conn: &mut AnyConnection,
    playlist_id: &str,
    (position, id): (i64, &str),
) -> Result<i64, DbError> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM playlist_entries WHERE playlist_id = $1 \
           AND (position < $2 OR (position = $2 AND id <= $3))",
    )
    .bind(playlist_id)
    .bind(position)
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(count)
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

async fn touch(conn: &mut AnyConnection, playlist_id: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE playlists SET updated_at = $2 WHERE id = $1")
        .bind(playlist_id)
        .bind(now_millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// Spaces the playlist's sort keys [`SPACING`] apart, keeping the order,
/// in one statement. Rare: only when an insert finds no room.
async fn respace(conn: &mut AnyConnection, playlist_id: &str) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE playlist_entries SET position = ranked.place * $2 \
         FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY position, id) AS place \
               FROM playlist_entries WHERE playlist_id = $1) AS ranked \
         WHERE playlist_entries.id = ranked.id",
    )
    .bind(playlist_id)
    .bind(SPACING)
    .execute(conn)
    .await?;
    Ok(())
}

/// The sort key of the entry `entry_id` of the playlist.
async fn position_of(
    conn: &mut AnyConnection,
    playlist_id: &str,
    entry_id: &str,
) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT position FROM playlist_entries WHERE playlist_id = $1 AND id = $2")
            .bind(playlist_id)
            .bind(entry_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(position,)| position))
}

/// The smallest sort key above `above` (any, when `None`), leaving out
/// the entry `except`.
async fn next_position(
    conn: &mut AnyConnection,
    playlist_id: &str,
    above: Option<i64>,
    except: &str,
) -> Result<Option<i64>, DbError> {
    let (next,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(position) FROM playlist_entries \
         WHERE playlist_id = $1 AND ($2 IS NULL OR position > $2) AND id <> $3",
    )
    .bind(playlist_id)
    .bind(above)
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok(next)
}

/// `count` sort keys strictly between `lower` (none: below 0) and `upper`
/// (none: no bound), evenly spread; `None` when there is no room.
fn keys_between(lower: Option<i64>, upper: Option<i64>, count: i64) -> Option<Vec<i64>> {
    match upper {
        None => {
            // An empty playlist starts one spacing up, leaving room above
            // the first entry as between any two.
            let first = lower.unwrap_or(0) + SPACING;
            Some((0..count).map(|k| first + k * SPACING).collect())
        }
        Some(upper) => {
            let lower = lower.unwrap_or(-1);
            let step = (upper - lower) / (count + 1);
            (step >= 1).then(|| (1..=count).map(|k| lower + k * step).collect())
        }
    }
}

/// Adds the songs, in order, before the entry now at place `at` (0-based),
/// or at the end when `at` is `None` or past the end; returns the new
/// entries' ids. Writes only the new rows (and, when the neighbours' keys
/// leave no room, respaces once). The caller holds [`lock`].
pub async fn add_songs(
    conn: &mut AnyConnection,
    playlist_id: &str,
    song_ids: &[String],
    at: Option<u32>,
) -> Result<Vec<String>, DbError> {
    let count = i64::try_from(song_ids.len()).unwrap_or(i64::MAX);
    let mut keys = None;
    for _attempt in 0..2 {
        // The entry now at place `at`, if there is one, and the one before it.
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
        let (lower, upper) = match before {
            Some((upper,)) => {
                let (lower,): (Option<i64>,) = sqlx::query_as(
                    "SELECT MAX(position) FROM playlist_entries \
                     WHERE playlist_id = $1 AND position < $2",
                )
                .bind(playlist_id)
                .bind(upper)
                .fetch_one(&mut *conn)
                .await?;
                (lower, Some(upper))
            }
            None => {
                let (last,): (Option<i64>,) = sqlx::query_as(
                    "SELECT MAX(position) FROM playlist_entries WHERE playlist_id = $1",
                )
                .bind(playlist_id)
                .fetch_one(&mut *conn)
                .await?;
                (last, None)
            }
        };
        keys = keys_between(lower, upper, count);
        if keys.is_some() {
            break;
        }
        respace(conn, playlist_id).await?;
    }
    let keys = keys.ok_or_else(|| {
        DbError::Invariant("a respaced playlist has room for a bounded insert".into())
    })?;
    let now = now_millis();
    let mut ids = Vec::with_capacity(song_ids.len());
    for (position, song_id) in keys.into_iter().zip(song_ids) {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO playlist_entries (id, playlist_id, song_id, position, added_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(playlist_id)
        .bind(song_id)
        .bind(position)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        ids.push(id);
    }
    touch(conn, playlist_id).await?;
    Ok(ids)
}

/// Removes every entry. The caller holds [`lock`].
pub async fn clear_entries(conn: &mut AnyConnection, playlist_id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM playlist_entries WHERE playlist_id = $1")
        .bind(playlist_id)
        .execute(&mut *conn)
        .await?;
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

/// What became of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moved {
    Done,
    /// The entry to move is not in the playlist.
    NoEntry,
    /// The entry to put it after is not in the playlist.
    NoAnchor,
}

/// Moves `entry_id` right after `after` (to the top when `None`),
/// rewriting that one row (the whole playlist, once, only when the
/// neighbours' keys are adjacent). The caller holds [`lock`].
pub async fn move_entry(
    conn: &mut AnyConnection,
    playlist_id: &str,
    entry_id: &str,
    after: Option<&str>,
) -> Result<Moved, DbError> {
    if position_of(conn, playlist_id, entry_id).await?.is_none() {
        return Ok(Moved::NoEntry);
    }
    if after == Some(entry_id) {
        return Ok(Moved::Done);
    }
    for _attempt in 0..2 {
        let lower = match after {
            Some(anchor) => match position_of(conn, playlist_id, anchor).await? {
                Some(position) => Some(position),
                None => return Ok(Moved::NoAnchor),
            },
            None => None,
        };
        let upper = next_position(conn, playlist_id, lower, entry_id).await?;
        if let Some(key) = keys_between(lower, upper, 1).and_then(|keys| keys.first().copied()) {
            sqlx::query(
                "UPDATE playlist_entries SET position = $3 WHERE playlist_id = $1 AND id = $2",
            )
            .bind(playlist_id)
            .bind(entry_id)
            .bind(key)
            .execute(&mut *conn)
            .await?;
            touch(conn, playlist_id).await?;
            return Ok(Moved::Done);
        }
        respace(conn, playlist_id).await?;
    }
    Err(DbError::Invariant(
        "a respaced playlist has room between any two entries".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fall_strictly_between_their_neighbours() {
        assert_eq!(
            keys_between(None, None, 2),
            Some(vec![SPACING, 2 * SPACING])
        );
        assert_eq!(
            keys_between(Some(7), None, 2),
            Some(vec![7 + SPACING, 7 + 2 * SPACING])
        );
        assert_eq!(keys_between(Some(0), Some(9), 2), Some(vec![3, 6]));
        assert_eq!(keys_between(None, Some(4), 1), Some(vec![1]));
        assert_eq!(keys_between(None, Some(0), 1), None, "nothing below 0");
        assert_eq!(keys_between(Some(3), Some(4), 1), None);
        assert_eq!(keys_between(Some(3), Some(5), 2), None);
    }
}
