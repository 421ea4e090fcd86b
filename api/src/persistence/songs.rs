//! Songs: filing, reading, listing in a stable order, changing and
//! deleting them, with the search index kept in step.

use std::collections::HashSet;

use soundstream_types::{AlbumRef, ArtistRef, Loudness, REFERENCE_LUFS, Song};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::clock::{now_millis, rfc3339};
use crate::db::{DbError, UniqueIndex};
use crate::domain::CatalogueName;
use crate::persistence::filing::{Places, album_id, artist_id};
use crate::persistence::search_index::{self, SearchEntry, SearchKind};
use crate::persistence::{flag, for_update, parameters};

/// One song per audio content (its SHA-256), so an import adds a file once.
pub const SONG_CONTENT_INDEX: UniqueIndex = UniqueIndex {
    name: "songs_content_hash_key",
    columns: "songs.content_hash",
};

/// A song to file: its artist and album are matched by name or created.
pub struct NewSong<'a> {
    pub title: &'a CatalogueName,
    pub artist: &'a CatalogueName,
    pub album: Option<&'a CatalogueName>,
    /// Who the album is filed under, when not the song's artist
    /// (a compilation's "Various Artists").
    pub album_artist: Option<&'a CatalogueName>,
    pub track_number: Option<u32>,
    pub disc_number: Option<u32>,
    pub year: Option<i32>,
    pub genre: Option<&'a CatalogueName>,
    pub duration_ms: u64,
    pub bit_rate_kbps: Option<u32>,
    pub sample_rate_hz: Option<u32>,
    pub audio_object_key: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    /// SHA-256 of the audio, when known (imports skip what they have).
    pub content_hash: Option<&'a str>,
    pub cover_object_key: Option<&'a str>,
    pub lyrics: Option<&'a str>,
    pub lyrics_language: Option<&'a str>,
    pub uploaded_by: &'a str,
}

/// Files a new song (creating its artist and album when new, found
/// through `places`, this transaction's) and indexes it for search.
/// Returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    places: &mut Places,
    new: &NewSong<'_>,
) -> Result<String, DbError> {
    let artist_id = places.artist(&mut *conn, new.artist).await?;
    let album_id = match new.album {
        Some(album) => {
            let owner_id = match new.album_artist {
                Some(name) => places.artist(&mut *conn, name).await?,
                None => artist_id.clone(),
            };
            Some(places.album(&mut *conn, &owner_id, album, new.year).await?)
        }
        None => None,
    };
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_millis();
    sqlx::query(
        "INSERT INTO songs (id, title, title_normalized, artist_id, album_id, track_number, \
                            disc_number, year, duration_ms, audio_object_key, content_type, \
                            size_bytes, content_hash, cover_object_key, lyrics, lyrics_language, \
                            uploaded_by, created_at, updated_at, genre, bit_rate_kbps, \
                            sample_rate_hz, artist_sort, album_sort) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, \
                 $19, $20, $21, $22, $23)",
    )
    .bind(&id)
    .bind(new.title.as_str())
    .bind(new.title.normalized())
    .bind(&artist_id)
    .bind(album_id.as_deref())
    .bind(new.track_number.map(i64::from))
    .bind(new.disc_number.map(i64::from))
    .bind(new.year.map(i64::from))
    .bind(i64::try_from(new.duration_ms).unwrap_or(i64::MAX))
    .bind(new.audio_object_key)
    .bind(new.content_type)
    .bind(i64::try_from(new.size).unwrap_or(i64::MAX))
    .bind(new.content_hash)
    .bind(new.cover_object_key)
    .bind(new.lyrics)
    .bind(new.lyrics_language)
    .bind(new.uploaded_by)
    .bind(now)
    .bind(new.genre.map(CatalogueName::as_str))
    .bind(new.bit_rate_kbps.map(i64::from))
    .bind(new.sample_rate_hz.map(i64::from))
    // The sort keys are the artist's and the album's normalized names,
    // which are these: that is how they were matched.
    .bind(new.artist.normalized())
    .bind(new.album.map_or_else(String::new, CatalogueName::normalized))
    .execute(&mut *conn)
    .await?;
    search_index::insert(
        conn,
        &SearchEntry::song(
            &id,
            new.title.as_str(),
            new.artist.as_str(),
            new.album.map(CatalogueName::as_str),
        ),
    )
    .await?;
    Ok(id)
}

/// A song as stored, with what the API needs to show and play it.
#[derive(Debug, Clone)]
pub struct SongRecord {
    pub id: String,
    pub title: String,
    pub artist: ArtistRef,
    pub album: Option<AlbumRef>,
    pub track_number: Option<i64>,
    pub disc_number: Option<i64>,
    pub year: Option<i64>,
    pub genre: Option<String>,
    pub duration_ms: i64,
    pub bit_rate_kbps: Option<i64>,
    pub sample_rate_hz: Option<i64>,
    pub channels: Option<i64>,
    /// Integrated loudness (LUFS) and true peak (dBTP), once analysed.
    pub loudness: Option<(f64, f64)>,
    /// The album's, once one of its tracks is analysed.
    pub album_loudness: Option<(f64, f64)>,
    pub audio_object_key: String,
    pub content_type: String,
    pub size: i64,
    /// The cover's object and content type (covers are image uploads).
    pub cover: Option<(String, String)>,
    /// Whether it has lyrics; their text is read apart (`find_lyrics`), as
    /// lists do not show it.
    pub has_lyrics: bool,
    pub lyrics_language: Option<String>,
    pub created_at: i64,
}

impl SongRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let album_id: Option<String> = row.try_get("album_id")?;
        let album_title: Option<String> = row.try_get("album_title")?;
        Ok(Self {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            artist: ArtistRef {
                id: row.try_get("artist_id")?,
                name: row.try_get("artist_name")?,
            },
            album: album_id
                .zip(album_title)
                .map(|(id, title)| AlbumRef { id, title }),
            track_number: row.try_get("track_number")?,
            disc_number: row.try_get("disc_number")?,
            year: row.try_get("year")?,
            genre: row.try_get("genre")?,
            duration_ms: row.try_get("duration_ms")?,
            bit_rate_kbps: row.try_get("bit_rate_kbps")?,
            sample_rate_hz: row.try_get("sample_rate_hz")?,
            channels: row.try_get("channels")?,
            loudness: row
                .try_get::<Option<f64>, _>("loudness_lufs")?
                .zip(row.try_get::<Option<f64>, _>("true_peak_dbtp")?),
            album_loudness: row
                .try_get::<Option<f64>, _>("album_loudness_lufs")?
                .zip(row.try_get::<Option<f64>, _>("album_true_peak_dbtp")?),
            audio_object_key: row.try_get("audio_object_key")?,
            content_type: row.try_get("content_type")?,
            size: row.try_get("size_bytes")?,
            cover: row
                .try_get::<Option<String>, _>("cover_object_key")?
                .zip(row.try_get::<Option<String>, _>("cover_content_type")?),
            has_lyrics: flag(row, "has_lyrics")?,
            lyrics_language: row.try_get("lyrics_language")?,
            created_at: row.try_get("created_at")?,
        })
    }

    pub fn to_dto(&self, cover_url: Option<String>) -> Song {
        let small = |n: Option<i64>| n.and_then(|n| u32::try_from(n).ok());
        Song {
            id: self.id.clone(),
            title: self.title.clone(),
            artist: self.artist.clone(),
            album: self.album.clone(),
            track_number: small(self.track_number),
            disc_number: small(self.disc_number),
            year: self.year.and_then(|y| i32::try_from(y).ok()),
            genre: self.genre.clone(),
            duration_ms: u64::try_from(self.duration_ms).unwrap_or(0),
            content_type: self.content_type.clone(),
            size: u64::try_from(self.size).unwrap_or(0),
            bit_rate_kbps: small(self.bit_rate_kbps),
            sample_rate_hz: small(self.sample_rate_hz),
            channels: small(self.channels),
            loudness: self.loudness.map(|(lufs, peak)| Loudness {
                integrated_lufs: lufs,
                true_peak_dbtp: peak,
                track_gain_db: gain_to_reference(lufs),
                album_gain_db: self.album_loudness.map(|(lufs, _)| gain_to_reference(lufs)),
                album_peak_dbtp: self.album_loudness.map(|(_, peak)| peak),
            }),
            cover_url,
            has_lyrics: self.has_lyrics,
            lyrics_language: self.lyrics_language.clone(),
            created_at: rfc3339(self.created_at),
        }
    }
}

/// The gain to [`REFERENCE_LUFS`], rounded to hundredths of a dB as
/// ReplayGain tags are.
fn gain_to_reference(lufs: f64) -> f64 {
    ((REFERENCE_LUFS - lufs) * 100.0).round() / 100.0
}

/// Songs with their artist, album and cover type.
pub const SELECT_SONGS: &str = "SELECT s.id, s.title, s.artist_id, ar.name AS artist_name, s.album_id, \
        al.title AS album_title, s.track_number, s.disc_number, s.year, s.genre, s.duration_ms, \
        s.bit_rate_kbps, s.sample_rate_hz, s.channels, s.loudness_lufs, s.true_peak_dbtp, \
        al.loudness_lufs AS album_loudness_lufs, al.true_peak_dbtp AS album_true_peak_dbtp, \
        s.audio_object_key, s.content_type, s.size_bytes, s.cover_object_key, \
        cover.content_type AS cover_content_type, s.lyrics IS NOT NULL AS has_lyrics, \
        s.lyrics_language, s.created_at \
    FROM songs s JOIN artists ar ON ar.id = s.artist_id \
    LEFT JOIN albums al ON al.id = s.album_id \
    LEFT JOIN uploads cover ON cover.object_key = s.cover_object_key";

/// The catalogue's version: it changes whenever a song, artist or album
/// does (triggers: migration `catalogue_version`).
pub async fn catalogue_version(conn: &mut AnyConnection) -> Result<i64, DbError> {
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM catalogue_version")
        .fetch_one(conn)
        .await?;
    Ok(version)
}

/// How many songs the library has.
pub async fn count(conn: &mut AnyConnection) -> Result<usize, DbError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM songs")
        .fetch_one(conn)
        .await?;
    Ok(usize::try_from(count).unwrap_or(0))
}

/// Which of `content_hashes` a song in the library already has.
pub async fn contents_among(
    conn: &mut AnyConnection,
    content_hashes: &[&str],
) -> Result<HashSet<String>, DbError> {
    if content_hashes.is_empty() {
        return Ok(HashSet::new());
    }
    let mut statement = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT content_hash FROM songs WHERE content_hash IN ({})",
        parameters(1, content_hashes.len())
    )));
    for hash in content_hashes {
        statement = statement.bind(*hash);
    }
    let rows: Vec<(String,)> = statement.fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(hash,)| hash).collect())
}

pub async fn exists(conn: &mut AnyConnection, id: &str) -> Result<bool, DbError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM songs WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// A song's lyrics (None: the song does not exist; writers store absent or
/// blank lyrics as NULL) and their language.
pub async fn find_lyrics(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<(Option<String>, Option<String>)>, DbError> {
    Ok(
        sqlx::query_as("SELECT lyrics, lyrics_language FROM songs WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<SongRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} WHERE s.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(SongRecord::from_row).transpose()?)
}

/// What song lists can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SongOrder {
    Title,
    Artist,
    Album,
    Added,
    Duration,
}

impl SongOrder {
    /// The SQL expression ordered by (ids break ties), from a fixed list.
    fn key_sql(self) -> &'static str {
        match self {
            Self::Title => "s.title_normalized",
            // Copies of the artist's and album's keys, kept in step by
            // `reindex_songs`, so an index serves the order.
            Self::Artist => "s.artist_sort",
            // No album is '' (NULL sorts differently in SQLite and PostgreSQL).
            Self::Album => "s.album_sort",
            Self::Added => "s.created_at",
            Self::Duration => "s.duration_ms",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Added | Self::Duration)
    }

    /// The key of a row, as the cursor carries it.
    pub fn key_of(self, record: &SongRecord) -> String {
        match self {
            Self::Title => CatalogueName::parse("title", &record.title)
                .map(|n| n.normalized())
                .unwrap_or_default(),
            Self::Artist => CatalogueName::parse("artist", &record.artist.name)
                .map(|n| n.normalized())
                .unwrap_or_default(),
            Self::Album => record
                .album
                .as_ref()
                .and_then(|a| CatalogueName::parse("album", &a.title).ok())
                .map(|n| n.normalized())
                .unwrap_or_default(),
            Self::Added => record.created_at.to_string(),
            Self::Duration => record.duration_ms.to_string(),
        }
    }
}

/// Where a page starts: after the row with this sort key and id.
pub enum After {
    Text(String, String),
    Number(i64, String),
}

pub struct SongQuery<'a> {
    pub order: SongOrder,
    pub descending: bool,
    pub artist_id: Option<&'a str>,
    pub album_id: Option<&'a str>,
    /// Songs of this genre, ignoring case.
    pub genre: Option<&'a str>,
    pub after: Option<After>,
    pub limit: i64,
}

/// A page of songs in a stable order (keyset, so rows inserted meanwhile
/// cause neither gaps nor repeats).
pub async fn list(
    conn: &mut AnyConnection,
    query: &SongQuery<'_>,
) -> Result<Vec<SongRecord>, DbError> {
    let key = query.order.key_sql();
    let (compare, direction) = if query.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let (keyset, limit) = if query.after.is_some() {
        (
            // A row-value comparison, which both engines answer from an index.
            format!("AND ({key}, s.id) {compare} ($4, $5)"),
            "$6",
        )
    } else {
        (String::new(), "$4")
    };
    let sql = format!(
        "{SELECT_SONGS} WHERE ($1 IS NULL OR s.artist_id = $1) AND ($2 IS NULL OR s.album_id = $2) \
         AND ($3 IS NULL OR LOWER(s.genre) = $3) \
         {keyset} ORDER BY {key} {direction}, s.id {direction} LIMIT {limit}"
    );
    let statement = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(query.artist_id)
        .bind(query.album_id)
        .bind(query.genre.map(str::to_lowercase));
    let statement = match &query.after {
        Some(After::Text(key, id)) => statement.bind(key.clone()).bind(id.clone()),
        Some(After::Number(key, id)) => statement.bind(*key).bind(id.clone()),
        None => statement,
    };
    let rows = statement.bind(query.limit).fetch_all(conn).await?;
    Ok(rows
        .iter()
        .map(SongRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// Copies the artist's and album's sort keys into the songs `filter`
/// selects (aliased `s`), after a song is filed or moved, or its artist or
/// album renamed.
async fn refresh_sort_keys(
    conn: &mut AnyConnection,
    filter: &str,
    value: &str,
) -> Result<(), DbError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE songs AS s SET \
           artist_sort = (SELECT name_normalized FROM artists WHERE artists.id = s.artist_id), \
           album_sort = COALESCE((SELECT title_normalized FROM albums WHERE albums.id = s.album_id), '') \
         WHERE {filter}"
    )))
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether a song already plays this object (an upload makes one song).
pub async fn uses_object(conn: &mut AnyConnection, object_key: &str) -> Result<bool, DbError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM songs WHERE audio_object_key = $1")
        .bind(object_key)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Changes to a song: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct SongChanges<'a> {
    pub title: Option<&'a CatalogueName>,
    /// Matched ignoring case and accents, or created.
    pub artist: Option<&'a CatalogueName>,
    /// Filed under the song's (new) artist, matched or created.
    pub album: Option<Option<&'a CatalogueName>>,
    pub track_number: Option<Option<u32>>,
    pub disc_number: Option<Option<u32>>,
    pub year: Option<Option<i32>>,
    pub genre: Option<Option<&'a CatalogueName>>,
    pub cover_object_key: Option<Option<&'a str>>,
    /// `Some("")` removes the lyrics.
    pub lyrics: Option<&'a str>,
    pub lyrics_language: Option<&'a str>,
}

/// Applies the changes, keeping the search index in step. Returns the
/// song as it was before, or `None` when there is no such song.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    changes: &SongChanges<'_>,
) -> Result<Option<SongRecord>, DbError> {
    let Some(before) = find(&mut *conn, id).await? else {
        return Ok(None);
    };
    let new_artist_id = match changes.artist {
        Some(name) => Some(artist_id(&mut *conn, name).await?),
        None => None,
    };
    let new_album_id = match changes.album {
        Some(Some(title)) => {
            let owner = new_artist_id.as_deref().unwrap_or(&before.artist.id);
            let year = changes
                .year
                .flatten()
                .or(before.year.and_then(|y| i32::try_from(y).ok()));
            Some(Some(album_id(&mut *conn, owner, title, year).await?))
        }
        Some(None) => Some(None),
        None => None,
    };
    let number = |n: Option<Option<u32>>| n.flatten().map(i64::from);
    sqlx::query(
        "UPDATE songs SET \
           title = COALESCE($2, title), title_normalized = COALESCE($3, title_normalized), \
           artist_id = COALESCE($4, artist_id), \
           album_id = CASE WHEN $5 THEN $6 ELSE album_id END, \
           track_number = CASE WHEN $7 THEN $8 ELSE track_number END, \
           disc_number = CASE WHEN $9 THEN $10 ELSE disc_number END, \
           year = CASE WHEN $11 THEN $12 ELSE year END, \
           cover_object_key = CASE WHEN $13 THEN $14 ELSE cover_object_key END, \
           lyrics = CASE WHEN $15 THEN $16 ELSE lyrics END, \
           lyrics_language = COALESCE($17, lyrics_language), updated_at = $18, \
           genre = CASE WHEN $19 THEN $20 ELSE genre END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(changes.title.map(CatalogueName::as_str))
    .bind(changes.title.map(CatalogueName::normalized))
    .bind(new_artist_id.as_deref())
    .bind(new_album_id.is_some())
    .bind(new_album_id.clone().flatten())
    .bind(changes.track_number.is_some())
    .bind(number(changes.track_number))
    .bind(changes.disc_number.is_some())
    .bind(number(changes.disc_number))
    .bind(changes.year.is_some())
    .bind(changes.year.flatten().map(i64::from))
    .bind(changes.cover_object_key.is_some())
    .bind(changes.cover_object_key.flatten())
    .bind(changes.lyrics.is_some())
    .bind(changes.lyrics.filter(|l| !l.trim().is_empty()))
    .bind(changes.lyrics_language)
    .bind(now_millis())
    .bind(changes.genre.is_some())
    .bind(changes.genre.flatten().map(CatalogueName::as_str))
    .execute(&mut *conn)
    .await?;
    if changes.title.is_some() || changes.artist.is_some() || changes.album.is_some() {
        reindex_songs(conn, "s.id = $1", id).await?;
    }
    Ok(Some(before))
}

/// Rewrites the search entries of the songs `filter` (over `s`, with `$1`
/// bound to `value`) selects, after their title, artist or album changed.
pub(crate) async fn reindex_songs(
    conn: &mut AnyConnection,
    filter: &str,
    value: &str,
) -> Result<(), DbError> {
    refresh_sort_keys(&mut *conn, filter, value).await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_SONGS} WHERE {filter}"
    )))
    .bind(value)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let song = SongRecord::from_row(row)?;
        search_index::replace(
            &mut *conn,
            &SearchEntry::song(
                &song.id,
                &song.title,
                &song.artist.name,
                song.album.as_ref().map(|album| album.title.as_str()),
            ),
        )
        .await?;
    }
    Ok(())
}

/// Deletes the song (its playlist entries, favourites and plays go with
/// it) and returns the objects it leaves behind.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<Option<Vec<String>>, DbError> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "DELETE FROM songs WHERE id = $1 RETURNING audio_object_key, cover_object_key",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if row.is_some() {
        search_index::remove(conn, SearchKind::Song, id).await?;
    }
    Ok(row.map(|(audio, cover)| std::iter::once(audio).chain(cover).collect()))
}

/// Whether the song exists, locking it against a concurrent delete until
/// the transaction ends (SQLite's write transaction holds everything).
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<bool, DbError> {
    let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM songs WHERE id = $1{}",
        for_update(conn)
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Song ids after `after` in id order, a page at a time.
pub async fn ids_after(
    conn: &mut AnyConnection,
    after: &str,
    limit: i64,
) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM songs WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What the analysis of a song's audio found.
#[derive(Debug, Clone, Copy)]
pub struct Analysis<'a> {
    pub genre: Option<&'a CatalogueName>,
    pub bit_rate_kbps: Option<u32>,
    pub sample_rate_hz: Option<u32>,
    pub channels: Option<u32>,
    pub loudness_lufs: f64,
    pub true_peak_dbtp: f64,
}

/// Stores an analysis: loudness and channels as measured; genre, bit rate
/// and sample rate only where ingest left them unknown (tags and an
/// admin's edits win). Returns the song's album, or None when the song is
/// gone.
pub async fn record_analysis(
    conn: &mut AnyConnection,
    id: &str,
    analysis: &Analysis<'_>,
) -> Result<Option<Option<String>>, DbError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "UPDATE songs SET genre = COALESCE(genre, $1), bit_rate_kbps = COALESCE(bit_rate_kbps, $2), \
                sample_rate_hz = COALESCE(sample_rate_hz, $3), channels = $4, loudness_lufs = $5, \
                true_peak_dbtp = $6 \
         WHERE id = $7 RETURNING album_id",
    )
    .bind(analysis.genre.map(CatalogueName::as_str))
    .bind(analysis.bit_rate_kbps.map(i64::from))
    .bind(analysis.sample_rate_hz.map(i64::from))
    .bind(analysis.channels.map(i64::from))
    .bind(analysis.loudness_lufs)
    .bind(analysis.true_peak_dbtp)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(album,)| album))
}

/// The loudness, true peak and duration of an album's analysed tracks.
pub async fn album_track_loudness(
    conn: &mut AnyConnection,
    album_id: &str,
) -> Result<Vec<(f64, f64, i64)>, DbError> {
    let rows: Vec<(f64, f64, i64)> = sqlx::query_as(
        "SELECT loudness_lufs, true_peak_dbtp, duration_ms FROM songs \
         WHERE album_id = $1 AND loudness_lufs IS NOT NULL AND true_peak_dbtp IS NOT NULL",
    )
    .bind(album_id)
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// Stores an album's combined loudness and true peak (None: unknown).
pub async fn set_album_loudness(
    conn: &mut AnyConnection,
    album_id: &str,
    loudness: Option<(f64, f64)>,
) -> Result<(), DbError> {
    sqlx::query("UPDATE albums SET loudness_lufs = $1, true_peak_dbtp = $2 WHERE id = $3")
        .bind(loudness.map(|(lufs, _)| lufs))
        .bind(loudness.map(|(_, peak)| peak))
        .bind(album_id)
        .execute(conn)
        .await?;
    Ok(())
}
