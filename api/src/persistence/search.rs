//! Ranked prefix lookups over the search index. SQLite answers from an
//! FTS5 table, PostgreSQL from a tsvector with a GIN index; both rank the
//! same way: an exact name first, then names starting with the query,
//! then the engine's relevance (a match in the name outweighs one in the
//! context), then the name.

use soundstream_types::{Album, Artist};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::db::DbError;
use crate::domain::SearchTerms;
use crate::persistence::library::{SELECT_ALBUMS, SELECT_ARTISTS, album, artist};
use crate::persistence::playlists::{PlaylistRecord, SELECT_PLAYLISTS};
use crate::persistence::search_index::SearchKind;
use crate::persistence::songs::{SELECT_SONGS, SongRecord};

/// The best `limit` songs for `terms`, best first.
pub async fn songs(
    conn: &mut AnyConnection,
    terms: &SearchTerms,
    limit: i64,
) -> Result<Vec<SongRecord>, DbError> {
    let rows = ranked(conn, SearchKind::Song, SELECT_SONGS, terms, "", limit).await?;
    decode(&rows, SongRecord::from_row)
}

/// The best `limit` artists for `terms`, best first.
pub async fn artists(
    conn: &mut AnyConnection,
    terms: &SearchTerms,
    limit: i64,
) -> Result<Vec<Artist>, DbError> {
    let rows = ranked(conn, SearchKind::Artist, SELECT_ARTISTS, terms, "", limit).await?;
    decode(&rows, artist)
}

/// The best `limit` albums for `terms`, best first.
pub async fn albums(
    conn: &mut AnyConnection,
    terms: &SearchTerms,
    limit: i64,
) -> Result<Vec<Album>, DbError> {
    let rows = ranked(conn, SearchKind::Album, SELECT_ALBUMS, terms, "", limit).await?;
    decode(&rows, album)
}

/// The best `limit` playlists `viewer_id` may see (public ones and their
/// own) for `terms`, best first.
pub async fn playlists(
    conn: &mut AnyConnection,
    terms: &SearchTerms,
    viewer_id: &str,
    limit: i64,
) -> Result<Vec<PlaylistRecord>, DbError> {
    let rows = ranked(
        conn,
        SearchKind::Playlist,
        SELECT_PLAYLISTS,
        terms,
        viewer_id,
        limit,
    )
    .await?;
    decode(&rows, PlaylistRecord::from_row)
}

fn decode<T>(
    rows: &[AnyRow],
    from_row: impl Fn(&AnyRow) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>, DbError> {
    rows.iter()
        .map(from_row)
        .collect::<Result<_, _>>()
        .map_err(DbError::from)
}

/// The best `limit` matches of one kind, as rows of `select_sql` (a
/// SELECT whose rows have the entity's `id`), best first. Playlists are
/// limited to public ones and `viewer_id`'s own.
async fn ranked(
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
