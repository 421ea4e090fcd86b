//! The search index: one row per song, artist, album and playlist, in
//! search form, kept in step by the repositories that change them.
//! `persistence::search` queries it.

use sqlx::AnyConnection;

use crate::db::DbError;
use crate::domain::search_form;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Song,
    Artist,
    Album,
    Playlist,
}

impl SearchKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Song => "song",
            Self::Artist => "artist",
            Self::Album => "album",
            Self::Playlist => "playlist",
        }
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
    sqlx::query(
        "INSERT INTO search_index (kind, entity_id, name, context) VALUES ($1, $2, $3, $4)",
    )
    .bind(entry.kind.as_str())
    .bind(entry.id)
    .bind(&entry.name)
    .bind(&entry.context)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces an entity's row (after a rename).
pub async fn replace(conn: &mut AnyConnection, entry: &SearchEntry<'_>) -> Result<(), DbError> {
    remove(&mut *conn, entry.kind, entry.id).await?;
    insert(conn, entry).await
}

pub async fn remove(conn: &mut AnyConnection, kind: SearchKind, id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM search_index WHERE kind = $1 AND entity_id = $2")
        .bind(kind.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
