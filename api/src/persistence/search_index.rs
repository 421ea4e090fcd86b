//! The search index: one row per song, artist, album and playlist, in
//! search form, and ranked prefix lookups over it. SQLite answers from an
//! FTS5 table, PostgreSQL from a tsvector with a GIN index; both rank the
//! same way: an exact name first, then names starting with the query,
//! then the engine's relevance (a match in the name outweighs one in the
//! context), then the name.

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::db::DbError;
use crate::domain::{SearchTerms, search_form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Song,
    Artist,
    Album,
    Playlist,
}

impl SearchKind {
    fn as_str(self) -> &'static str {
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

/// The best `limit` matches of one kind, as rows of `select_sql` (a
/// SELECT whose rows have the entity's `id`), best first. Playlists are
/// limited to public ones and `viewer_id`'s own.
pub async fn ranked(
    conn: &mut AnyConnection,
    kind: SearchKind,
    select_sql: &str,
    terms: &SearchTerms,
    viewer_id: &str,
    limit: i64,
) -> Result<Vec<AnyRow>, DbError> {
    let postgres = conn.backend_name().eq_ignore_ascii_case("postgresql");
    let tier = "CASE WHEN name = $2 THEN 0 WHEN name LIKE $3 THEN 1 ELSE 2 END";
    let visible = if kind == SearchKind::Playlist {
        "AND entity_id IN (SELECT id FROM playlists WHERE is_public = $5 OR owner_id = $6)"
    } else {
        ""
    };
    let hits = if postgres {
        // ts_rank grows with relevance; ordering wants smaller first.
        format!(
            "SELECT entity_id, name, {tier} AS tier, -ts_rank(document, query) AS score \
             FROM search_index, to_tsquery('simple', $1) query \
             WHERE document @@ query AND kind = '{kind}' {visible}",
            kind = kind.as_str()
        )
    } else {
        // bm25 is smaller for better matches; the weights favour `name`.
        format!(
            "SELECT entity_id, name, {tier} AS tier, bm25(search_index, 0, 0, 10.0, 1.0) AS score \
             FROM search_index \
             WHERE search_index MATCH $1 AND kind = '{kind}' {visible}",
            kind = kind.as_str()
        )
    };
    let sql = format!(
        "WITH hits AS ({hits} ORDER BY tier, score, name, entity_id LIMIT $4) \
         SELECT found.* FROM hits JOIN ({select_sql}) found ON found.id = hits.entity_id \
         ORDER BY hits.tier, hits.score, hits.name, hits.entity_id"
    );
    let query = if postgres {
        terms.tsquery()
    } else {
        terms.fts5_query()
    };
    let phrase = terms.phrase();
    let statement = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(query)
        .bind(phrase.clone())
        .bind(format!("{phrase}%"))
        .bind(limit);
    let statement = if kind == SearchKind::Playlist {
        statement.bind(true).bind(viewer_id.to_owned())
    } else {
        statement
    };
    Ok(statement.fetch_all(conn).await?)
}
