//! Reading the catalogue the way Subsonic apps browse it: albums with their
//! length and a cover, in the orders of `getAlbumList2`, and songs, albums
//! and artists by offset (apps sync a whole library a page at a time).

use sqlx::{AnyConnection, Row};

use crate::db::DbError;
use crate::persistence::songs::{SELECT_SONGS, SongRecord};
use crate::persistence::{is_postgres, parameters};

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
    /// Starred by the user, most recently starred first.
    Starred(&'a str),
    /// Rated by the user, best first.
    Highest(&'a str),
    /// With at least one song of the genre, by title.
    ByGenre(&'a str),
    /// One artist's, by year then title.
    OfArtist(&'a str),
}

/// The album page's columns read with its order (`$1` the limit, `$2` the
/// offset); `{keys}`, `{from}`, `{joins}`, `{filter}` and `{order}` are
/// filled in.
const SELECT_ALBUM_PAGE: &str = "SELECT al.id, al.title, al.year, al.artist_id, \
       ar.name AS artist_name, al.created_at{keys} \
     FROM {from}{joins} {filter} \
     ORDER BY {order} LIMIT $1 OFFSET $2";

/// What each album of a page adds, counted for the page's albums alone.
const ALBUM_TOTALS: &str = "(SELECT COUNT(*) FROM songs s WHERE s.album_id = page.id) AS song_count, \
       (SELECT CAST(COALESCE(SUM(s.duration_ms), 0) AS BIGINT) FROM songs s \
         WHERE s.album_id = page.id) AS duration_ms, \
       (SELECT s.id FROM songs s WHERE s.album_id = page.id AND s.cover_object_key IS NOT NULL \
         ORDER BY COALESCE(s.disc_number, 1), COALESCE(s.track_number, 0), s.id LIMIT 1) \
         AS cover_song_id";

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
    // The order is a list of (expression, descending) pairs.
    let (joins, filter, order): (&str, &str, &[(&str, bool)]) = match selection {
        AlbumSelection::Random => ("", "", &[("RANDOM()", false)]),
        AlbumSelection::Newest => ("", "", &[("al.created_at", true), ("al.id", true)]),
        AlbumSelection::ByName => ("", "", &[("al.title_normalized", false), ("al.id", false)]),
        AlbumSelection::ByArtist => (
            "",
            "",
            &[
                ("ar.name_normalized", false),
                ("al.title_normalized", false),
                ("al.id", false),
            ],
        ),
        AlbumSelection::ByYear(from, to) if from <= to => (
            "",
            "WHERE al.year >= $3 AND al.year <= $4",
            &[
                ("al.year", false),
                ("al.title_normalized", false),
                ("al.id", false),
            ],
        ),
        AlbumSelection::ByYear(..) => (
            "",
            "WHERE al.year >= $4 AND al.year <= $3",
            &[
                ("al.year", true),
                ("al.title_normalized", false),
                ("al.id", false),
            ],
        ),
        AlbumSelection::Recent(_) => (
            " JOIN (SELECT s.album_id, MAX(lp.played_at) AS played_at FROM last_plays lp \
               JOIN songs s ON s.id = lp.song_id WHERE lp.user_id = $3 \
               GROUP BY s.album_id) r ON r.album_id = al.id",
            "",
            &[("r.played_at", true), ("al.id", false)],
        ),
        AlbumSelection::Frequent(_) => (
            " JOIN (SELECT s.album_id, COUNT(*) AS plays FROM play_history ph \
               JOIN songs s ON s.id = ph.song_id WHERE ph.user_id = $3 \
               GROUP BY s.album_id) f ON f.album_id = al.id",
            "",
            &[("f.plays", true), ("al.id", false)],
        ),
        AlbumSelection::Starred(_) => (
            " JOIN album_stars st ON st.album_id = al.id AND st.user_id = $3",
            "",
            &[("st.created_at", true), ("al.id", false)],
        ),
        AlbumSelection::Highest(_) => (
            " JOIN album_ratings ra ON ra.album_id = al.id AND ra.user_id = $3",
            "",
            &[
                ("ra.rating", true),
                ("ra.updated_at", true),
                ("al.id", false),
            ],
        ),
        AlbumSelection::ByGenre(_) => (
            "",
            "WHERE EXISTS (SELECT 1 FROM songs g WHERE g.album_id = al.id AND g.genre = $3)",
            &[("al.title_normalized", false), ("al.id", false)],
        ),
        AlbumSelection::OfArtist(_) => (
            "",
            "WHERE al.artist_id = $3",
            &[
                ("al.year", false),
                ("al.title_normalized", false),
                ("al.id", false),
            ],
        ),
    };
    let from = if matches!(selection, AlbumSelection::ByArtist) && !is_postgres(conn) {
        // SQLite's planner would scan albums and sort them all; artists in
        // name order, each with its albums by title, is the order asked for.
        "artists ar CROSS JOIN albums al ON al.artist_id = ar.id"
    } else {
        "albums al JOIN artists ar ON ar.id = al.artist_id"
    };
    let sql = page_sql(from, joins, filter, order);
    Ok(album_page(conn, &sql, selection, offset, limit).await?)
}

/// The albums with these ids that exist, in no particular order: one
/// album, or a search's albums in one statement (one each cost a trip each).
pub async fn albums_with_ids(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<Vec<AlbumRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = format!("WHERE al.id IN ({})", parameters(3, ids.len()));
    let sql = page_sql(
        "albums al JOIN artists ar ON ar.id = al.artist_id",
        "",
        &filter,
        &[("al.id", false)],
    );
    let limit = i64::try_from(ids.len()).unwrap_or(i64::MAX);
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .bind(0_i64);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(conn).await?;
    Ok(rows.iter().map(album_row).collect::<Result<_, _>>()?)
}

/// The page's albums chosen and ordered first, then counted: totals and
/// covers cost three lookups an album, so they are read for the page
/// alone, never for every album a sort would otherwise visit. The order's
/// values travel with the page as `k0`, `k1`, … (a random order's too, so
/// it is drawn once).
fn page_sql(from: &str, joins: &str, filter: &str, order: &[(&str, bool)]) -> String {
    let keys: String = order
        .iter()
        .enumerate()
        .map(|(at, (expression, _))| format!(", {expression} AS k{at}"))
        .collect();
    let order_by = |table: &str| {
        order
            .iter()
            .enumerate()
            .map(|(at, (_, descending))| {
                format!("{table}k{at}{}", if *descending { " DESC" } else { "" })
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let page = SELECT_ALBUM_PAGE
        .replace("{keys}", &keys)
        .replace("{from}", from)
        .replace("{joins}", joins)
        .replace("{filter}", filter)
        .replace("{order}", &order_by(""));
    format!(
        "WITH page AS MATERIALIZED ({page}) \
         SELECT page.*, {ALBUM_TOTALS} FROM page ORDER BY {}",
        order_by("page.")
    )
}

async fn album_page(
    conn: &mut AnyConnection,
    sql: &str,
    selection: &AlbumSelection<'_>,
    offset: i64,
    limit: i64,
) -> Result<Vec<AlbumRow>, sqlx::Error> {
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .bind(offset);
    let query = match selection {
        AlbumSelection::ByYear(from, to) => query.bind(*from).bind(*to),
        AlbumSelection::Recent(id)
        | AlbumSelection::Frequent(id)
        | AlbumSelection::Starred(id)
        | AlbumSelection::Highest(id)
        | AlbumSelection::ByGenre(id)
        | AlbumSelection::OfArtist(id) => query.bind(*id),
        _ => query,
    };
    let rows = query.fetch_all(conn).await?;
    rows.iter().map(album_row).collect()
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

fn song_records(rows: &[sqlx::any::AnyRow]) -> Result<Vec<SongRecord>, DbError> {
    Ok(rows
        .iter()
        .map(SongRecord::from_row)
        .collect::<Result<_, _>>()?)
}

fn artist_rows(rows: &[sqlx::any::AnyRow]) -> Result<Vec<ArtistRow>, DbError> {
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

const SELECT_ARTIST_ROWS: &str = "SELECT ar.id, ar.name, \
       (SELECT COUNT(*) FROM albums al WHERE al.artist_id = ar.id) AS album_count \
     FROM artists ar";

/// The artists the user starred, most recently starred first.
pub async fn starred_artists(
    conn: &mut AnyConnection,
    user_id: &str,
    limit: i64,
) -> Result<Vec<ArtistRow>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_ARTIST_ROWS} JOIN artist_stars st ON st.artist_id = ar.id AND st.user_id = $1 \
         ORDER BY st.created_at DESC, ar.id LIMIT $2"
    )))
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    artist_rows(&rows)
}

/// The artist whose name matches ignoring case and accents.
pub async fn artist_named(
    conn: &mut AnyConnection,
    name_normalized: &str,
) -> Result<Option<ArtistRow>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_ARTIST_ROWS} WHERE ar.name_normalized = $1"
    )))
    .bind(name_normalized)
    .fetch_all(conn)
    .await?;
    Ok(artist_rows(&rows)?.pop())
}

/// Other artists with songs of a genre the artist's songs have, those
/// sharing the most songs' genres first.
pub async fn artists_sharing_genres(
    conn: &mut AnyConnection,
    artist_id: &str,
    limit: i64,
) -> Result<Vec<ArtistRow>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_ARTIST_ROWS} JOIN (SELECT o.artist_id, COUNT(*) AS shared FROM songs o \
           WHERE o.artist_id <> $1 AND o.genre IN \
             (SELECT s.genre FROM songs s WHERE s.artist_id = $1 AND s.genre IS NOT NULL) \
           GROUP BY o.artist_id) peers ON peers.artist_id = ar.id \
         ORDER BY peers.shared DESC, ar.name_normalized, ar.id LIMIT $2"
    )))
    .bind(artist_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    artist_rows(&rows)
}

/// A genre with how many songs and albums have it.
#[derive(Debug, Clone)]
pub struct GenreRow {
    pub name: String,
    pub song_count: i64,
    pub album_count: i64,
}

/// Every genre songs have, by name.
pub async fn genres(conn: &mut AnyConnection) -> Result<Vec<GenreRow>, DbError> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT genre, COUNT(*), COUNT(DISTINCT album_id) FROM songs \
         WHERE genre IS NOT NULL GROUP BY genre ORDER BY genre",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, song_count, album_count)| GenreRow {
            name,
            song_count,
            album_count,
        })
        .collect())
}

/// Songs of a genre by title, by offset.
pub async fn songs_of_genre(
    conn: &mut AnyConnection,
    genre: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<SongRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} WHERE s.genre = $1 ORDER BY s.title_normalized, s.id LIMIT $2 OFFSET $3"
    )))
    .bind(genre)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    song_records(&rows)
}

/// Songs at random by the artist or of a genre the artist's songs have.
pub async fn songs_like_artist(
    conn: &mut AnyConnection,
    artist_id: &str,
    limit: i64,
) -> Result<Vec<SongRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} WHERE s.artist_id = $1 OR s.genre IN \
           (SELECT g.genre FROM songs g WHERE g.artist_id = $1 AND g.genre IS NOT NULL) \
         ORDER BY RANDOM() LIMIT $2"
    )))
    .bind(artist_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    song_records(&rows)
}

/// The song with lyrics whose title (and artist, when given) match
/// ignoring case and accents; the oldest when several do.
pub async fn song_with_lyrics(
    conn: &mut AnyConnection,
    artist_normalized: Option<&str>,
    title_normalized: &str,
) -> Result<Option<(SongRecord, String)>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT catalogue.*, s.lyrics AS lyrics_text FROM songs s \
         JOIN ({SELECT_SONGS}) catalogue ON catalogue.id = s.id \
         JOIN artists a ON a.id = s.artist_id \
         WHERE s.title_normalized = $1 AND ($2 IS NULL OR a.name_normalized = $2) \
           AND s.lyrics IS NOT NULL \
         ORDER BY s.created_at, s.id LIMIT 1"
    )))
    .bind(title_normalized)
    .bind(artist_normalized)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .map(|row| Ok::<_, sqlx::Error>((SongRecord::from_row(&row)?, row.try_get("lyrics_text")?)))
        .transpose()?)
}
