//! Artists and albums as the library shows them, with their counts.

use soundstream_types::{Album, Artist, ArtistRef};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::songs::{self, SELECT_SONGS, SongRecord};
use crate::db::DbError;
use crate::domain::CatalogueName;
use crate::persistence::search_index::{self, SearchEntry};

fn count(row: &AnyRow, column: &str) -> Result<u32, sqlx::Error> {
    Ok(u32::try_from(row.try_get::<i64, _>(column)?).unwrap_or(u32::MAX))
}

pub(crate) const SELECT_ARTISTS: &str = "SELECT ar.id, ar.name, ar.name_normalized, \
       (SELECT COUNT(*) FROM albums al WHERE al.artist_id = ar.id) AS album_count, \
       (SELECT COUNT(*) FROM songs s WHERE s.artist_id = ar.id) AS song_count \
     FROM artists ar";

pub(crate) fn artist(row: &AnyRow) -> Result<Artist, sqlx::Error> {
    Ok(Artist {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        album_count: count(row, "album_count")?,
        song_count: count(row, "song_count")?,
    })
}

/// Artists by name, after `(name_normalized, id)`.
pub async fn artists(
    conn: &mut AnyConnection,
    after: Option<(String, String)>,
    limit: i64,
) -> Result<Vec<(Artist, String)>, DbError> {
    let (key, id) = after.map_or((None, None), |(k, i)| (Some(k), Some(i)));
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_ARTISTS} WHERE ($1 IS NULL OR ar.name_normalized > $1 \
            OR (ar.name_normalized = $1 AND ar.id > $2)) \
         ORDER BY ar.name_normalized, ar.id LIMIT $3"
    )))
    .bind(key)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Ok((artist(row)?, row.try_get("name_normalized")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

pub async fn find_artist(conn: &mut AnyConnection, id: &str) -> Result<Option<Artist>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_ARTISTS} WHERE ar.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(artist).transpose()?)
}

pub(crate) const SELECT_ALBUMS: &str = "SELECT al.id, al.title, al.title_normalized, al.year, \
       al.artist_id, ar.name AS artist_name, \
       (SELECT COUNT(*) FROM songs s WHERE s.album_id = al.id) AS song_count \
     FROM albums al JOIN artists ar ON ar.id = al.artist_id";

pub(crate) fn album(row: &AnyRow) -> Result<Album, sqlx::Error> {
    Ok(Album {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        artist: ArtistRef {
            id: row.try_get("artist_id")?,
            name: row.try_get("artist_name")?,
        },
        year: row
            .try_get::<Option<i64>, _>("year")?
            .and_then(|y| i32::try_from(y).ok()),
        song_count: count(row, "song_count")?,
    })
}

/// Albums by title (optionally one artist's), after `(title_normalized, id)`.
pub async fn albums(
    conn: &mut AnyConnection,
    artist_id: Option<&str>,
    after: Option<(String, String)>,
    limit: i64,
) -> Result<Vec<(Album, String)>, DbError> {
    let (key, id) = after.map_or((None, None), |(k, i)| (Some(k), Some(i)));
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_ALBUMS} WHERE ($1 IS NULL OR al.artist_id = $1) \
           AND ($2 IS NULL OR al.title_normalized > $2 \
                OR (al.title_normalized = $2 AND al.id > $3)) \
         ORDER BY al.title_normalized, al.id LIMIT $4"
    )))
    .bind(artist_id)
    .bind(key)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Ok((album(row)?, row.try_get("title_normalized")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

pub async fn find_album(conn: &mut AnyConnection, id: &str) -> Result<Option<Album>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_ALBUMS} WHERE al.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(album).transpose()?)
}

/// An album's tracks: by disc, then track number, then title.
pub async fn album_tracks(
    conn: &mut AnyConnection,
    album_id: &str,
) -> Result<Vec<SongRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} WHERE s.album_id = $1 \
         ORDER BY COALESCE(s.disc_number, 1), COALESCE(s.track_number, 0), s.title_normalized, s.id"
    )))
    .bind(album_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(SongRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// An artist's most played songs (by everyone), then the newest.
pub async fn top_songs(
    conn: &mut AnyConnection,
    artist_id: &str,
    limit: i64,
) -> Result<Vec<SongRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} WHERE s.artist_id = $1 \
         ORDER BY (SELECT COUNT(*) FROM play_history p WHERE p.song_id = s.id) DESC, \
                  s.created_at DESC, s.id \
         LIMIT $2"
    )))
    .bind(artist_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(SongRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// Counts across the library, in one round trip.
pub struct Totals {
    pub users: i64,
    pub songs: i64,
    pub artists: i64,
    pub albums: i64,
    pub playlists: i64,
    pub plays: i64,
    pub audio_bytes: i64,
    pub duration_ms: i64,
}

/// Sums are cast to BIGINT: PostgreSQL would answer NUMERIC, which the
/// `Any` driver cannot read.
pub async fn totals(conn: &mut AnyConnection) -> Result<Totals, DbError> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM users) AS users, \
                (SELECT COUNT(*) FROM songs) AS songs, \
                (SELECT COUNT(*) FROM artists) AS artists, \
                (SELECT COUNT(*) FROM albums) AS albums, \
                (SELECT COUNT(*) FROM playlists) AS playlists, \
                (SELECT COUNT(*) FROM play_history) AS plays, \
                (SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM songs) AS audio_bytes, \
                (SELECT CAST(COALESCE(SUM(duration_ms), 0) AS BIGINT) FROM songs) AS duration_ms",
    )
    .fetch_one(conn)
    .await?;
    Ok(Totals {
        users: row.try_get("users")?,
        songs: row.try_get("songs")?,
        artists: row.try_get("artists")?,
        albums: row.try_get("albums")?,
        playlists: row.try_get("playlists")?,
        plays: row.try_get("plays")?,
        audio_bytes: row.try_get("audio_bytes")?,
        duration_ms: row.try_get("duration_ms")?,
    })
}

/// The most played songs with their play counts.
pub async fn most_played(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<(SongRecord, i64)>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH counted AS (SELECT song_id, COUNT(*) AS plays FROM play_history \
                          GROUP BY song_id ORDER BY plays DESC, song_id LIMIT $1) \
         SELECT counted.plays AS play_count, catalogue.* FROM counted \
         JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = counted.song_id \
         ORDER BY counted.plays DESC, counted.song_id"
    )))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|row| {
            Ok((
                SongRecord::from_row(row)?,
                row.try_get::<i64, _>("play_count")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Rewrites the search entries of the albums `filter` (over `al`, with
/// `$1` bound to `value`) selects.
async fn reindex_albums(
    conn: &mut AnyConnection,
    filter: &str,
    value: &str,
) -> Result<(), DbError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT al.id, al.title, ar.name FROM albums al JOIN artists ar ON ar.id = al.artist_id \
         WHERE {filter}"
    )))
    .bind(value)
    .fetch_all(&mut *conn)
    .await?;
    for (id, title, artist) in &rows {
        search_index::replace(&mut *conn, &SearchEntry::album(id, title, artist)).await?;
    }
    Ok(())
}

/// Renames an artist (their albums and songs are found by the new name
/// from now on). Whether the artist exists; a name another artist has is
/// refused by the unique index on names.
pub async fn rename_artist(
    conn: &mut AnyConnection,
    id: &str,
    name: &CatalogueName,
) -> Result<bool, DbError> {
    let renamed = sqlx::query("UPDATE artists SET name = $2, name_normalized = $3 WHERE id = $1")
        .bind(id)
        .bind(name.as_str())
        .bind(name.normalized())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if renamed {
        search_index::replace(&mut *conn, &SearchEntry::artist(id, name.as_str())).await?;
        reindex_albums(&mut *conn, "al.artist_id = $1", id).await?;
        songs::reindex_songs(conn, "s.artist_id = $1", id).await?;
    }
    Ok(renamed)
}

/// Retitles an album or changes its year (`Some(None)` clears it).
/// Whether the album exists; a title the artist already has for another
/// album is refused by the unique index on titles.
pub async fn update_album(
    conn: &mut AnyConnection,
    id: &str,
    title: Option<&CatalogueName>,
    year: Option<Option<i32>>,
) -> Result<bool, DbError> {
    let updated = sqlx::query(
        "UPDATE albums SET title = COALESCE($2, title), \
           title_normalized = COALESCE($3, title_normalized), \
           year = CASE WHEN $4 THEN $5 ELSE year END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(title.map(CatalogueName::as_str))
    .bind(title.map(CatalogueName::normalized))
    .bind(year.is_some())
    .bind(year.flatten().map(i64::from))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if updated && title.is_some() {
        reindex_albums(&mut *conn, "al.id = $1", id).await?;
        songs::reindex_songs(conn, "s.album_id = $1", id).await?;
    }
    Ok(updated)
}
