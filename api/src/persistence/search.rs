//! Ranked prefix lookups over the search index, the same way on both
//! engines (SQLite: a B-tree over names and FTS5; PostgreSQL: a B-tree and
//! a tsvector): an exact name first, then names starting with what was
//! typed, in name order; then names with every word elsewhere in them, then
//! matches partly in the context (a song's artist or album), each newest
//! first. Every tier is read in its index's order and stops at the page's
//! end, so a search costs about the same at 1,000 songs as at 100,000.
//! The page's limit is written into each statement rather than bound: a
//! planner that knows how few rows are wanted reads the indexes in order
//! (SQLite plans without bound values, see `.cargo/config.toml`).

use soundstream_types::{Album, Artist};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::db::DbError;
use crate::domain::{SearchTerms, TextMatch};
use crate::persistence::is_postgres;
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
/// SELECT whose rows have the entity's `id`), best first: names from the
/// name index, then, while the page is not full, names holding every word
/// elsewhere, then matches partly in the context.
/// Playlists are limited to public ones and `viewer_id`'s own.
async fn ranked(
    conn: &mut AnyConnection,
    kind: SearchKind,
    select_sql: &str,
    terms: &SearchTerms,
    viewer_id: &str,
    limit: i64,
) -> Result<Vec<AnyRow>, DbError> {
    let mut rows = named(conn, kind, select_sql, terms, viewer_id, limit).await?;
    for scope in [TextMatch::InName, TextMatch::PartlyInContext] {
        let found = i64::try_from(rows.len()).unwrap_or(limit);
        if found >= limit {
            break;
        }
        let more = newest_matches(
            conn,
            kind,
            select_sql,
            terms,
            scope,
            viewer_id,
            limit - found,
        );
        rows.extend(more.await?);
    }
    Ok(rows)
}

/// Matches whose name is the phrase typed or starts with it, in name order
/// (the exact name sorts first): a range of the name index, so a few rows
/// are read whatever the library's size.
async fn named(
    conn: &mut AnyConnection,
    kind: SearchKind,
    select_sql: &str,
    terms: &SearchTerms,
    viewer_id: &str,
    limit: i64,
) -> Result<Vec<AnyRow>, DbError> {
    // Byte order on both engines, the order the name index keeps.
    let name = if is_postgres(conn) {
        "name COLLATE \"C\""
    } else {
        "name"
    };
    let hits = format!(
        "SELECT entity_id, {name} AS name FROM search_index \
         WHERE kind = '{kind}' AND {name} >= $1 AND {name} < $2 {visible} \
         ORDER BY {name}, entity_id LIMIT {limit}",
        kind = kind.as_str(),
        visible = visible(kind, 3),
    );
    let (from, to) = terms.name_prefix_range();
    let statement = sqlx::query(sqlx::AssertSqlSafe(found(
        &hits,
        select_sql,
        "hits.name, hits.entity_id",
    )))
    .bind(from)
    .bind(to);
    Ok(bind_viewer(statement, kind, viewer_id)
        .fetch_all(conn)
        .await?)
}

/// Full-text matches of `scope` whose name does not start with the
/// phrase (those came first), newest first: both engines read their
/// matches in that order and stop at the page's end, where ranking by
/// relevance would score every match, most of a large library for a
/// query of one or two letters.
async fn newest_matches(
    conn: &mut AnyConnection,
    kind: SearchKind,
    select_sql: &str,
    terms: &SearchTerms,
    scope: TextMatch,
    viewer_id: &str,
    limit: i64,
) -> Result<Vec<AnyRow>, DbError> {
    let postgres = is_postgres(conn);
    let (hits, newest_first) = if postgres {
        let hits = format!(
            "SELECT entity_id, id AS position FROM search_index \
             WHERE kind = '{kind}' AND document @@ to_tsquery('simple', $1) \
             AND NOT (name COLLATE \"C\" >= $2 AND name COLLATE \"C\" < $3) {visible} \
             ORDER BY id DESC LIMIT {limit}",
            kind = kind.as_str(),
            visible = visible(kind, 4),
        );
        (hits, "hits.position DESC")
    } else {
        // The kind's own FTS5 table, in ascending rowid order (newest
        // first: ids count down, see `search_index::insert`), the direction
        // its doclists are stored in; read backwards, each page of a
        // doclist had to be decoded and indexed first.
        let hits = format!(
            "SELECT entry.entity_id, entry.id AS position \
             FROM {text} CROSS JOIN search_index entry ON entry.id = {text}.rowid \
             WHERE {text} MATCH $1 AND NOT (entry.name >= $2 AND entry.name < $3) {visible} \
             ORDER BY {text}.rowid LIMIT {limit}",
            text = kind.text_table(),
            visible = visible(kind, 4),
        );
        (hits, "hits.position")
    };
    let query = if postgres {
        terms.tsquery(scope)
    } else {
        terms.fts5_query(scope)
    };
    let (from, to) = terms.name_prefix_range();
    let statement = sqlx::query(sqlx::AssertSqlSafe(found(&hits, select_sql, newest_first)))
        .bind(query)
        .bind(from)
        .bind(to);
    Ok(bind_viewer(statement, kind, viewer_id)
        .fetch_all(conn)
        .await?)
}

/// The rows of `select_sql` (a SELECT whose rows have the entity's `id`)
/// for the `hits` query's `entity_id`s, ordered by `order` over `hits`.
fn found(hits: &str, select_sql: &str, order: &str) -> String {
    format!(
        "WITH hits AS ({hits}) \
         SELECT found.* FROM hits JOIN ({select_sql}) found ON found.id = hits.entity_id \
         ORDER BY {order}"
    )
}

/// For playlists, the condition that keeps public ones and the viewer's
/// own, with its two parameters numbered from `first_parameter`.
fn visible(kind: SearchKind, first_parameter: usize) -> String {
    if kind == SearchKind::Playlist {
        format!(
            "AND entity_id IN (SELECT id FROM playlists WHERE is_public = ${} OR owner_id = ${})",
            first_parameter,
            first_parameter + 1
        )
    } else {
        String::new()
    }
}

/// Binds the parameters of `visible`, last.
fn bind_viewer<'q>(
    statement: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    kind: SearchKind,
    viewer_id: &str,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    if kind == SearchKind::Playlist {
        statement.bind(true).bind(viewer_id.to_owned())
    } else {
        statement
    }
}
