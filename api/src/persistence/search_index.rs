//! The search index: one row per song, artist, album and playlist, in
//! search form, kept in step by the repositories that change them.
//! `persistence::search` queries it.

use sqlx::AnyConnection;

use crate::db::DbError;
use crate::domain::search_form;
use crate::persistence::is_postgres;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Song,
    Artist,
    Album,
    Playlist,
}

/// Rowids of one kind in SQLite's index: `band * BAND_SIZE` plus a
/// sequence counting down from the band's top, so newer rows have smaller
/// ids (see the migrations `search_names_in_order` and
/// `search_text_per_kind`).
const BAND_SIZE: i64 = 1 << 40;

impl SearchKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Song => "song",
            Self::Artist => "artist",
            Self::Album => "album",
            Self::Playlist => "playlist",
        }
    }

    /// SQLite's FTS5 table of this kind's rows (migration
    /// `search_text_per_kind`).
    pub(crate) fn text_table(self) -> &'static str {
        match self {
            Self::Song => "song_text",
            Self::Artist => "artist_text",
            Self::Album => "album_text",
            Self::Playlist => "playlist_text",
        }
    }

    /// The rowids this kind's rows take in SQLite, as `(first, last)`.
    fn rowid_band(self) -> (i64, i64) {
        let band = match self {
            Self::Song => 1,
            Self::Artist => 2,
            Self::Album => 3,
            Self::Playlist => 4,
        };
        (band * BAND_SIZE, (band + 1) * BAND_SIZE - 1)
    }
}

/// A row of the index: what an entity is called and what it is filed under.
pub struct SearchEntry<'a> {
    kind: SearchKind,
    id: &'a str,
    name: String,
    context: String,
}

impl<'a> SearchEntry<'a> {
    pub fn song(id: &'a str, title: &str, artist: &str, album: Option<&str>) -> Self {
        Self {
            kind: SearchKind::Song,
            id,
            name: search_form(title),
            context: search_form(&format!("{artist} {}", album.unwrap_or_default())),
        }
    }

    pub fn artist(id: &'a str, name: &str) -> Self {
        Self {
            kind: SearchKind::Artist,
            id,
            name: search_form(name),
            context: String::new(),
        }
    }

    pub fn album(id: &'a str, title: &str, artist: &str) -> Self {
        Self {
            kind: SearchKind::Album,
            id,
            name: search_form(title),
            context: search_form(artist),
        }
    }

    pub fn playlist(id: &'a str, name: &str, description: Option<&str>) -> Self {
        Self {
            kind: SearchKind::Playlist,
            id,
            name: search_form(name),
            context: search_form(description.unwrap_or_default()),
        }
    }
}

/// Adds a new entity to the index.
pub async fn insert(conn: &mut AnyConnection, entry: &SearchEntry<'_>) -> Result<(), DbError> {
    let postgres = is_postgres(conn);
    let sql = if postgres {
        "INSERT INTO search_index (kind, entity_id, name, context) VALUES ($1, $2, $3, $4)"
    } else {
        // The next rowid of the kind's band, below every other; SQLite
        // runs one writer at a time, so reading the band's smallest id and
        // inserting is atomic.
        "INSERT INTO search_index (id, kind, entity_id, name, context) \
         SELECT COALESCE(MIN(id), $6 + 1) - 1, $1, $2, $3, $4 FROM search_index \
         WHERE id BETWEEN $5 AND $6"
    };
    let statement = sqlx::query(sql)
        .bind(entry.kind.as_str())
        .bind(entry.id)
        .bind(&entry.name)
        .bind(&entry.context);
    let statement = if postgres {
        statement
    } else {
        let (first, last) = entry.kind.rowid_band();
        statement.bind(first).bind(last)
    };
    statement.execute(conn).await?;
    Ok(())
}

/// Replaces an entity's text (after a rename).
pub async fn replace(conn: &mut AnyConnection, entry: &SearchEntry<'_>) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE search_index SET name = $3, context = $4 WHERE kind = $1 AND entity_id = $2",
    )
    .bind(entry.kind.as_str())
    .bind(entry.id)
    .bind(&entry.name)
    .bind(&entry.context)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut AnyConnection, kind: SearchKind, id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM search_index WHERE kind = $1 AND entity_id = $2")
        .bind(kind.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
