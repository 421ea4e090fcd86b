//! Radio stations, their schedule epochs and the songs each epoch plays.
//!
//! An epoch is written once and never changed: from its start the station
//! plays its songs in order, cycling, until the next epoch starts. Reading
//! the epoch in force at an instant is all any instance needs to know what
//! is on air.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{flag, for_update};
use crate::clock::now_millis;
use crate::db::DbError;
use crate::domain::CatalogueName;

/// The rendition a station streams (MP3 CBR: it can be cut on any frame).
pub const STREAM_RENDITION: &str = "mp3-128";

/// What a station plays, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRecord {
    Playlist(Option<String>),
    PlaylistShuffled(Option<String>),
    Library,
    Genre(String),
}

impl SourceRecord {
    fn columns(&self) -> (&'static str, Option<&str>, Option<&str>) {
        match self {
            Self::Playlist(id) => ("playlist", id.as_deref(), None),
            Self::PlaylistShuffled(id) => ("playlist_shuffled", id.as_deref(), None),
            Self::Library => ("library", None, None),
            Self::Genre(genre) => ("genre", None, Some(genre.as_str())),
        }
    }

    fn from_columns(
        kind: &str,
        playlist: Option<String>,
        genre: Option<String>,
    ) -> Result<Self, DbError> {
        match kind {
            "playlist" => Ok(Self::Playlist(playlist)),
            "playlist_shuffled" => Ok(Self::PlaylistShuffled(playlist)),
            "library" => Ok(Self::Library),
            "genre" => Ok(Self::Genre(genre.unwrap_or_default())),
            other => Err(DbError::Invariant(format!(
                "unknown station source {other:?}"
            ))),
        }
    }

    /// A stable text naming the source, for the epoch fingerprint.
    pub fn describe(&self) -> String {
        let (kind, playlist, genre) = self.columns();
        format!(
            "{kind}:{}:{}",
            playlist.unwrap_or_default(),
            genre.unwrap_or_default()
        )
    }
}

#[derive(Debug, Clone)]
pub struct StationRecord {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The cover's object and content type.
    pub cover: Option<(String, String)>,
    pub source: SourceRecord,
    pub is_public: bool,
    pub seed: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl StationRecord {
    fn from_row(row: &AnyRow) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            cover: row
                .try_get::<Option<String>, _>("cover_object_key")?
                .zip(row.try_get::<Option<String>, _>("cover_content_type")?),
            source: SourceRecord::from_columns(
                &row.try_get::<String, _>("source_kind")?,
                row.try_get("source_playlist_id")?,
                row.try_get("source_genre")?,
            )?,
            is_public: flag(row, "is_public")?,
            seed: row.try_get("seed")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

const SELECT_STATIONS: &str = "SELECT s.id, s.name, s.description, s.cover_object_key, \
        cover.content_type AS cover_content_type, s.source_kind, s.source_playlist_id, \
        s.source_genre, s.is_public, s.seed, s.created_at, s.updated_at \
    FROM stations s LEFT JOIN uploads cover ON cover.object_key = s.cover_object_key";

pub struct NewStation<'a> {
    pub name: &'a CatalogueName,
    pub description: Option<&'a str>,
    pub cover_object_key: Option<&'a str>,
    pub source: &'a SourceRecord,
    pub is_public: bool,
    pub seed: i64,
}

/// Creates a station; returns its id.
pub async fn insert(conn: &mut AnyConnection, new: &NewStation<'_>) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    let (kind, playlist, genre) = new.source.columns();
    sqlx::query(
        "INSERT INTO stations (id, name, description, cover_object_key, source_kind, \
                               source_playlist_id, source_genre, is_public, seed, \
                               created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&id)
    .bind(new.name.as_str())
    .bind(new.description)
    .bind(new.cover_object_key)
    .bind(kind)
    .bind(playlist)
    .bind(genre)
    .bind(new.is_public)
    .bind(new.seed)
    .bind(now_millis())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<StationRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_STATIONS} WHERE s.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(StationRecord::from_row).transpose()
}

/// Locks the station's row for the rest of the transaction; `false` when
/// there is no such station.
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<bool, DbError> {
    let sql = format!("SELECT id FROM stations WHERE id = $1{}", for_update(conn));
    let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Stations oldest first, after `(created_at, id)`; listeners-only ones
/// only when `include_private`.
pub async fn list(
    conn: &mut AnyConnection,
    include_private: bool,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<StationRecord>, DbError> {
    let (at, id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_STATIONS} WHERE (s.is_public = $1 OR $2) \
           AND ($3 IS NULL OR s.created_at > $3 OR (s.created_at = $3 AND s.id > $4)) \
         ORDER BY s.created_at, s.id LIMIT $5"
    )))
    .bind(true)
    .bind(include_private)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(StationRecord::from_row).collect()
}

/// Changes what is `Some`; `Some(None)` clears the description or cover.
pub struct StationChanges<'a> {
    pub name: Option<&'a CatalogueName>,
    pub description: Option<Option<&'a str>>,
    pub source: Option<&'a SourceRecord>,
    pub is_public: Option<bool>,
    pub cover_object_key: Option<Option<&'a str>>,
}

/// Applies the changes (the caller holds [`lock`]).
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    changes: &StationChanges<'_>,
) -> Result<(), DbError> {
    let source = changes.source.map(SourceRecord::columns);
    sqlx::query(
        "UPDATE stations SET name = COALESCE($2, name), \
           description = CASE WHEN $3 THEN $4 ELSE description END, \
           is_public = COALESCE($5, is_public), \
           cover_object_key = CASE WHEN $6 THEN $7 ELSE cover_object_key END, \
           source_kind = COALESCE($8, source_kind), \
           source_playlist_id = CASE WHEN $9 THEN $10 ELSE source_playlist_id END, \
           source_genre = CASE WHEN $9 THEN $11 ELSE source_genre END, \
           updated_at = $12 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(changes.name.map(CatalogueName::as_str))
    .bind(changes.description.is_some())
    .bind(changes.description.flatten())
    .bind(changes.is_public)
    .bind(changes.cover_object_key.is_some())
    .bind(changes.cover_object_key.flatten())
    .bind(source.map(|(kind, _, _)| kind))
    .bind(source.is_some())
    .bind(source.and_then(|(_, playlist, _)| playlist))
    .bind(source.and_then(|(_, _, genre)| genre))
    .bind(now_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the station and its schedule; returns its cover's object.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, DbError> {
    sqlx::query("DELETE FROM station_epoch_songs WHERE station_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM station_epochs WHERE station_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let (cover,): (Option<String>,) =
        sqlx::query_as("DELETE FROM stations WHERE id = $1 RETURNING cover_object_key")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(cover)
}

/// A song a station can play: it has its MP3 rendition, of this length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayableSong {
    pub song_id: String,
    pub duration_ms: i64,
}

/// The songs the source holds now that have their [`STREAM_RENDITION`]:
/// a playlist's in its order, the others by id (the caller shuffles), at
/// most `limit`.
pub async fn source_songs(
    conn: &mut AnyConnection,
    source: &SourceRecord,
    limit: i64,
) -> Result<Vec<PlayableSong>, DbError> {
    let rows: Vec<(String, i64)> = match source {
        SourceRecord::Playlist(None) | SourceRecord::PlaylistShuffled(None) => Vec::new(),
        SourceRecord::Playlist(Some(playlist)) | SourceRecord::PlaylistShuffled(Some(playlist)) => {
            sqlx::query_as(
                "SELECT e.song_id, r.duration_ms FROM playlist_entries e \
                 JOIN renditions r ON r.song_id = e.song_id AND r.name = $2 \
                 WHERE e.playlist_id = $1 ORDER BY e.position, e.id LIMIT $3",
            )
            .bind(playlist)
            .bind(STREAM_RENDITION)
            .bind(limit)
            .fetch_all(conn)
            .await?
        }
        SourceRecord::Library => {
            sqlx::query_as(
                "SELECT song_id, duration_ms FROM renditions WHERE name = $1 \
                 ORDER BY song_id LIMIT $2",
            )
            .bind(STREAM_RENDITION)
            .bind(limit)
            .fetch_all(conn)
            .await?
        }
        SourceRecord::Genre(genre) => {
            sqlx::query_as(
                "SELECT s.id, r.duration_ms FROM songs s \
                 JOIN renditions r ON r.song_id = s.id AND r.name = $2 \
                 WHERE LOWER(s.genre) = LOWER($1) ORDER BY s.id LIMIT $3",
            )
            .bind(genre)
            .bind(STREAM_RENDITION)
            .bind(limit)
            .fetch_all(conn)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(song_id, duration_ms)| PlayableSong {
            song_id,
            duration_ms,
        })
        .collect())
}

/// A schedule epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochRecord {
    pub starts_at: i64,
    pub fingerprint: String,
}

/// The epoch in force at `at` (the last one started by then).
pub async fn epoch_at(
    conn: &mut AnyConnection,
    station_id: &str,
    at: i64,
) -> Result<Option<EpochRecord>, DbError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT starts_at, fingerprint FROM station_epochs \
         WHERE station_id = $1 AND starts_at <= $2 ORDER BY starts_at DESC LIMIT 1",
    )
    .bind(station_id)
    .bind(at)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(starts_at, fingerprint)| EpochRecord {
        starts_at,
        fingerprint,
    }))
}

/// The epoch that starts last (it may not have started yet).
pub async fn newest_epoch(
    conn: &mut AnyConnection,
    station_id: &str,
) -> Result<Option<EpochRecord>, DbError> {
    epoch_at(conn, station_id, i64::MAX).await
}

/// The epoch that starts first after `at`, if one is already scheduled.
pub async fn next_epoch_start(
    conn: &mut AnyConnection,
    station_id: &str,
    at: i64,
) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT starts_at FROM station_epochs WHERE station_id = $1 AND starts_at > $2 \
         ORDER BY starts_at LIMIT 1",
    )
    .bind(station_id)
    .bind(at)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(starts_at,)| starts_at))
}

/// An epoch's songs in play order: `(song id, frames)`.
pub async fn epoch_songs(
    conn: &mut AnyConnection,
    station_id: &str,
    starts_at: i64,
) -> Result<Vec<(String, i64)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT song_id, frames FROM station_epoch_songs \
         WHERE station_id = $1 AND starts_at = $2 ORDER BY position",
    )
    .bind(station_id)
    .bind(starts_at)
    .fetch_all(conn)
    .await?)
}

/// Rows written per INSERT when materialising an epoch.
const SONGS_PER_INSERT: usize = 200;

/// Writes an epoch and its songs, unless one starting at the same instant
/// exists (another instance saw the same change first): then nothing is
/// written and `false` is answered.
pub async fn insert_epoch(
    conn: &mut AnyConnection,
    station_id: &str,
    starts_at: i64,
    fingerprint: &str,
    songs: &[(String, i64)],
) -> Result<bool, DbError> {
    let total: i64 = songs.iter().map(|(_, frames)| frames).sum();
    let inserted = sqlx::query(
        "INSERT INTO station_epochs (station_id, starts_at, fingerprint, total_frames, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (station_id, starts_at) DO NOTHING",
    )
    .bind(station_id)
    .bind(starts_at)
    .bind(fingerprint)
    .bind(total)
    .bind(now_millis())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if !inserted {
        return Ok(false);
    }
    for (chunk_index, chunk) in songs.chunks(SONGS_PER_INSERT).enumerate() {
        let mut sql = String::from(
            "INSERT INTO station_epoch_songs (station_id, starts_at, position, song_id, frames) \
             VALUES ",
        );
        for i in 0..chunk.len() {
            let base = 3 + i * 3;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("($1, $2, ${base}, ${}, ${})", base + 1, base + 2));
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(station_id)
            .bind(starts_at);
        for (i, (song_id, frames)) in chunk.iter().enumerate() {
            let position = i64::try_from(chunk_index * SONGS_PER_INSERT + i).unwrap_or(i64::MAX);
            query = query.bind(position).bind(song_id.clone()).bind(*frames);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(true)
}

/// Deletes the epochs that ended before `before` (those that started
/// before the epoch in force then).
pub async fn prune_epochs(
    conn: &mut AnyConnection,
    station_id: &str,
    in_force_since: i64,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM station_epoch_songs WHERE station_id = $1 AND starts_at < $2")
        .bind(station_id)
        .bind(in_force_since)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM station_epochs WHERE station_id = $1 AND starts_at < $2")
        .bind(station_id)
        .bind(in_force_since)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the epochs that start at or after `from` (never yet on air).
pub async fn remove_epochs_from(
    conn: &mut AnyConnection,
    station_id: &str,
    from: i64,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM station_epoch_songs WHERE station_id = $1 AND starts_at >= $2")
        .bind(station_id)
        .bind(from)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM station_epochs WHERE station_id = $1 AND starts_at >= $2")
        .bind(station_id)
        .bind(from)
        .execute(conn)
        .await?;
    Ok(())
}
