//! Reading the catalogue the way Subsonic apps browse it: albums with their
//! length and a cover, in the orders of `getAlbumList2`, and songs, albums
//! and artists by offset (apps sync a whole library a page at a time).

use sqlx::{AnyConnection, Row};

use crate::db::DbError;
use crate::persistence::songs::{SELECT_SONGS, SongRecord};

/// An album with what album lists show.
#[derive(Debug, Clone)]
pub struct AlbumRow {
    pub id: String,
    pub title: String,
    pub artist_id: String,
    pub artist_name: String,
    pub year: Option<i64>,
    pub song_count: i64,
    pub duration_ms: i64,
    pub created_at: i64,
    /// A song of the album with a cover: the album's cover.
    pub cover_song_id: Option<String>,
}

/// Which albums, in which order.
#[derive(Debug, Clone)]
pub enum AlbumSelection<'a> {
    Random,
    Newest,
    ByName,
    ByArtist,
    /// Years from `.0` to `.1`, in that direction.
    ByYear(i64, i64),
    /// Most recently played by the user first.
    Recent(&'a str),
    /// Most played by the user first.
    Frequent(&'a str),
    /// One artist's, by year then title.
    OfArtist(&'a str),
    /// One album.
    Id(&'a str),
}

const SELECT_ALBUM_ROWS: &str = "SELECT al.id, al.title, al.year, al.artist_id, \
       ar.name AS artist_name, al.created_at, \
       (SELECT COUNT(*) FROM songs s WHERE s.album_id = al.id) AS song_count, \
       (SELECT CAST(COALESCE(SUM(s.duration_ms), 0) AS BIGINT) FROM songs s \
         WHERE s.album_id = al.id) AS duration_ms, \
       (SELECT s.id FROM songs s WHERE s.album_id = al.id AND s.cover_object_key IS NOT NULL \
         ORDER BY COALESCE(s.disc_number, 1), COALESCE(s.track_number, 0), s.id LIMIT 1) \
         AS cover_song_id \
     FROM albums al JOIN artists ar ON ar.id = al.artist_id";

fn album_row(row: &sqlx::any::AnyRow) -> Result<AlbumRow, sqlx::Error> {
    Ok(AlbumRow {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        artist_id: row.try_get("artist_id")?,
        artist_name: row.try_get("artist_name")?,
        year: row.try_get("year")?,
        song_count: row.try_get("song_count")?,
        duration_ms: row.try_get("duration_ms")?,
        created_at: row.try_get("created_at")?,
        cover_song_id: row.try_get("cover_song_id")?,
    })
}

/// Albums as selected, `limit` of them after skipping `offset`.
pub async fn albums(
    conn: &mut AnyConnection,
    selection: &AlbumSelection<'_>,
    offset: i64,
    limit: i64,
) -> Result<Vec<AlbumRow>, DbError> {
    // $1 is the limit, $2 the offset, $3 (and $4) the selection's values.
    let (joins, filter, order) = match selection {
        AlbumSelection::Random => ("", "", "RANDOM()"),
        AlbumSelection::Newest => ("", "", "al.created_at DESC, al.id DESC"),
        AlbumSelection::ByName => ("", "", "al.title_normalized, al.id"),
        AlbumSelection::ByArtist => ("", "", "ar.name_normalized, al.title_normalized, al.id"),
        AlbumSelection::ByYear(from, to) if from <= to => (
            "",
            "WHERE al.year >= $3 AND al.year <= $4",
            "al.year, al.title_normalized, al.id",
        ),
        AlbumSelection::ByYear(..) => (
            "",
            "WHERE al.year >= $4 AND al.year <= $3",
            "al.year DESC, al.title_normalized, al.id",
        ),
        AlbumSelection::Recent(_) => (
            " JOIN (SELECT s.album_id, MAX(lp.played_at) AS played_at FROM last_plays lp \
               JOIN songs s ON s.id = lp.song_id WHERE lp.user_id = $3 \
               GROUP BY s.album_id) r ON r.album_id = al.id",
            "",
            "r.played_at DESC, al.id",
        ),
        AlbumSelection::Frequent(_) => (
            " JOIN (SELECT s.album_id, COUNT(*) AS plays FROM play_history ph \
               JOIN songs s ON s.id = ph.song_id WHERE ph.user_id = $3 \
               GROUP BY s.album_id) f ON f.album_id = al.id",
            "",
            "f.plays DESC, al.id",
        ),
        AlbumSelection::OfArtist(_) => (
            "",
            "WHERE al.artist_id = $3",
            "al.year, al.title_normalized, al.id",
        ),
        AlbumSelection::Id(_) => ("", "WHERE al.id = $3", "al.id"),
    };
    let sql = format!("{SELECT_ALBUM_ROWS}{joins} {filter} ORDER BY {order} LIMIT $1 OFFSET $2");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .bind(offset);
    let query = match selection {
        AlbumSelection::ByYear(from, to) => query.bind(*from).bind(*to),
        AlbumSelection::Recent(id)
        | AlbumSelection::Frequent(id)
        | AlbumSelection::OfArtist(id)
        | AlbumSelection::Id(id) => query.bind(*id),
        _ => query,
    };
    let rows = query.fetch_all(conn).await?;
    Ok(rows.iter().map(album_row).collect::<Result<_, _>>()?)
}

/// Songs picked at random, optionally within years.
pub async fn random_songs(
    conn: &mut AnyConnection,
    years: (Option<i64>, Option<i64>),
    limit: i64,
) -> Result<Vec<SongRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} WHERE ($1 IS NULL OR s.year >= $1) AND ($2 IS NULL OR s.year <= $2) \
         ORDER BY RANDOM() LIMIT $3"
    )))
    .bind(years.0)
    .bind(years.1)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(SongRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// Every song by title, by offset.
pub async fn songs(
    conn: &mut AnyConnection,
    offset: i64,
    limit: i64,
) -> Result<Vec<SongRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} ORDER BY s.title_normalized, s.id LIMIT $1 OFFSET $2"
    )))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(SongRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// An artist with their album count, as artist lists show them.
#[derive(Debug, Clone)]
pub struct ArtistRow {
    pub id: String,
    pub name: String,
    pub album_count: i64,
}

/// Every artist by name, by offset.
pub async fn artists(
    conn: &mut AnyConnection,
    offset: i64,
    limit: i64,
) -> Result<Vec<ArtistRow>, DbError> {
    let rows = sqlx::query(
        "SELECT ar.id, ar.name, \
           (SELECT COUNT(*) FROM albums al WHERE al.artist_id = ar.id) AS album_count \
         FROM artists ar ORDER BY ar.name_normalized, ar.id LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|row| {
            Ok(ArtistRow {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                album_count: row.try_get("album_count")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}
