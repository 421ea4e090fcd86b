//! Where songs are filed: the artist and album a name means, matched
//! ignoring case and accents, or created (race-safe) and indexed for search.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::clock::now_millis;
use crate::db::{DbError, UniqueIndex};
use crate::domain::CatalogueName;
use crate::persistence::search_index::{self, SearchEntry};

/// One artist per name, ignoring case and accents.
pub const ARTIST_NAME_INDEX: UniqueIndex = UniqueIndex {
    name: "artists_name_normalized_key",
    columns: "artists.name_normalized",
};
/// One album per title and artist, ignoring case and accents.
pub const ALBUM_TITLE_INDEX: UniqueIndex = UniqueIndex {
    name: "albums_artist_title_key",
    columns: "albums.artist_id, albums.title_normalized",
};

/// The artist named `name` (ignoring case and accents), created if new.
/// Safe when two requests create the same artist at once. Read first: the
/// artist is there already for most songs filed (an album's other tracks).
pub async fn artist_id(conn: &mut AnyConnection, name: &CatalogueName) -> Result<String, DbError> {
    if let Some(id) = existing_artist_id(&mut *conn, name).await? {
        return Ok(id);
    }
    let new_id = uuid::Uuid::now_v7().to_string();
    let created = sqlx::query(
        "INSERT INTO artists (id, name, name_normalized, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name_normalized) DO NOTHING",
    )
    .bind(&new_id)
    .bind(name.as_str())
    .bind(name.normalized())
    .bind(now_millis())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if created {
        search_index::insert(&mut *conn, &SearchEntry::artist(&new_id, name.as_str())).await?;
        return Ok(new_id);
    }
    // Created by another request since it was read.
    existing_artist_id(conn, name)
        .await?
        .ok_or(DbError::Query(sqlx::Error::RowNotFound))
}

async fn existing_artist_id(
    conn: &mut AnyConnection,
    name: &CatalogueName,
) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM artists WHERE name_normalized = $1")
            .bind(name.normalized())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// The artist's album titled `title` (ignoring case and accents), created
/// if new; read first, as artists are.
pub async fn album_id(
    conn: &mut AnyConnection,
    artist_id: &str,
    title: &CatalogueName,
    year: Option<i32>,
) -> Result<String, DbError> {
    if let Some(id) = existing_album_id(&mut *conn, artist_id, title).await? {
        return Ok(id);
    }
    let new_id = uuid::Uuid::now_v7().to_string();
    let created = sqlx::query(
        "INSERT INTO albums (id, artist_id, title, title_normalized, year, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (artist_id, title_normalized) DO NOTHING",
    )
    .bind(&new_id)
    .bind(artist_id)
    .bind(title.as_str())
    .bind(title.normalized())
    .bind(year.map(i64::from))
    .bind(now_millis())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if created {
        let (artist,): (String,) = sqlx::query_as("SELECT name FROM artists WHERE id = $1")
            .bind(artist_id)
            .fetch_one(&mut *conn)
            .await?;
        search_index::insert(
            &mut *conn,
            &SearchEntry::album(&new_id, title.as_str(), &artist),
        )
        .await?;
        return Ok(new_id);
    }
    existing_album_id(conn, artist_id, title)
        .await?
        .ok_or(DbError::Query(sqlx::Error::RowNotFound))
}

async fn existing_album_id(
    conn: &mut AnyConnection,
    artist_id: &str,
    title: &CatalogueName,
) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM albums WHERE artist_id = $1 AND title_normalized = $2")
            .bind(artist_id)
            .bind(title.normalized())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// The artists and albums one transaction found or created, by normalized
/// name: a batch's songs by the same artist and album read them once.
/// Valid only within that transaction (a rollback may take them away).
#[derive(Debug, Default)]
pub struct Places {
    artists: HashMap<String, String>,
    albums: HashMap<(String, String), String>,
}

impl Places {
    /// [`artist_id`], remembered.
    pub async fn artist(
        &mut self,
        conn: &mut AnyConnection,
        name: &CatalogueName,
    ) -> Result<String, DbError> {
        let key = name.normalized();
        if let Some(id) = self.artists.get(&key) {
            return Ok(id.clone());
        }
        let id = artist_id(conn, name).await?;
        self.artists.insert(key, id.clone());
        Ok(id)
    }

    /// [`album_id`], remembered.
    pub async fn album(
        &mut self,
        conn: &mut AnyConnection,
        artist_id: &str,
        title: &CatalogueName,
        year: Option<i32>,
    ) -> Result<String, DbError> {
        let key = (artist_id.to_owned(), title.normalized());
        if let Some(id) = self.albums.get(&key) {
            return Ok(id.clone());
        }
        let id = album_id(conn, artist_id, title, year).await?;
        self.albums.insert(key, id.clone());
        Ok(id)
    }
}
