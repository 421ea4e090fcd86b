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
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

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
/// SELECT whose rows have the entity's `id`), best first, in one
/// statement (two on PostgreSQL, see below): names from the name index,
/// then names holding every word elsewhere, then matches partly in the
/// context. The tiers are one
/// `UNION ALL` under the page's `LIMIT`, which both engines read tier by
/// tier, stopping at the page's end: a later tier is read only when the
/// ones before it fell short.
/// Playlists are limited to public ones and `viewer_id`'s own.
async fn ranked(
    conn: &mut AnyConnection,
    kind: SearchKind,
    select_sql: &str,
    terms: &SearchTerms,
    viewer_id: &str,
    limit: i64,
) -> Result<Vec<AnyRow>, DbError> {
    let postgres = is_postgres(conn);
    // Parameters: $1 and $2 the name range, $3 and $4 the full-text
    // queries of each scope, $5 and $6 the playlists' viewer.
    let tiers = [
        named(kind, postgres, limit),
        newest_matches(kind, postgres, 1, "$3", limit),
        newest_matches(kind, postgres, 2, "$4", limit),
    ]
    .map(|tier| format!("SELECT * FROM ({tier}) one_tier"));
    let hits = format!("{} LIMIT {limit}", tiers.join(" UNION ALL "));
    // Within the name tier, name order (byte order on both engines, the
    // order the name index keeps); within the others, newest first.
    let order = if postgres {
        "hits.tier, hits.name COLLATE \"C\", hits.name_tie, hits.position DESC"
    } else {
        "hits.tier, hits.name, hits.name_tie, hits.position"
    };
    // PostgreSQL plans the hits with the words typed every time (the best
    // plan depends on how common they are), and planning the entity's
    // joins with them cost twice the search (1.5 ms of planning for 0.3 ms
    // of work at 100k songs): there the rows are read by id in a second
    // statement, whose plan is kept. SQLite plans in microseconds.
    let sql = if postgres {
        format!("WITH hits AS ({hits}) SELECT hits.entity_id FROM hits ORDER BY {order}")
    } else {
        format!(
            "WITH hits AS ({hits}) \
             SELECT found.* FROM hits JOIN ({select_sql}) found ON found.id = hits.entity_id \
             ORDER BY {order}"
        )
    };
    let full_text = |scope| {
        if postgres {
            terms.tsquery(scope)
        } else {
            terms.fts5_query(scope)
        }
    };
    let (from, to) = terms.name_prefix_range();
    let statement = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .bind(full_text(TextMatch::InName))
        .bind(full_text(TextMatch::PartlyInContext));
    let statement = if kind == SearchKind::Playlist {
        statement.bind(true).bind(viewer_id.to_owned())
    } else {
        statement
    };
    let rows = statement.fetch_all(&mut *conn).await?;
    if !postgres || rows.is_empty() {
        return Ok(rows);
    }
    let ids = rows
        .iter()
        .map(|row| row.try_get::<String, _>("entity_id"))
        .collect::<Result<Vec<_>, _>>()?;
    found_in_order(conn, select_sql, &ids).await
}

/// PostgreSQL: the rows of `select_sql` with these `ids`, in their order,
/// in one statement whatever their number (the ids, UUIDs, travel as one
/// comma-separated text), so one plan serves every search.
async fn found_in_order(
    conn: &mut AnyConnection,
    select_sql: &str,
    ids: &[String],
) -> Result<Vec<AnyRow>, DbError> {
    let sql = format!(
        "SELECT found.* FROM ({select_sql}) found \
         WHERE found.id = ANY (string_to_array($1, ',')) \
         ORDER BY array_position(string_to_array($1, ','), found.id)"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ids.join(","))
        .fetch_all(conn)
        .await?)
}

/// The tier of names that are the phrase typed or start with it, in name
/// order (the exact name sorts first): a range of the name index, so a few
/// rows are read whatever the library's size.
fn named(kind: SearchKind, postgres: bool, limit: i64) -> String {
    let name = if postgres {
        "name COLLATE \"C\""
    } else {
        "name"
    };
    format!(
        "SELECT entity_id, 0 AS tier, name, entity_id AS name_tie, 0 AS position \
         FROM search_index \
         WHERE kind = '{kind}' AND {name} >= $1 AND {name} < $2 {visible} \
         ORDER BY {name}, entity_id LIMIT {limit}",
        kind = kind.as_str(),
        visible = visible(kind),
    )
}

/// Tier `tier`: the full-text matches of the query in `query_parameter` whose
/// name does not start with the phrase (those came first), newest first:
/// both engines read their matches in that order and stop at the page's
/// end, where ranking by relevance would score every match, most of a
/// large library for a query of one or two letters.
fn newest_matches(
    kind: SearchKind,
    postgres: bool,
    tier: u8,
    query_parameter: &str,
    limit: i64,
) -> String {
    if postgres {
        format!(
            "SELECT entity_id, {tier} AS tier, '' AS name, '' AS name_tie, id AS position \
             FROM search_index \
             WHERE kind = '{kind}' AND document @@ to_tsquery('simple', {query_parameter}) \
             AND NOT (name COLLATE \"C\" >= $1 AND name COLLATE \"C\" < $2) {visible} \
             ORDER BY id DESC LIMIT {limit}",
            kind = kind.as_str(),
            visible = visible(kind),
        )
    } else {
        // The kind's own FTS5 table, in ascending rowid order (newest
        // first: ids count down, see `search_index::insert`), the direction
        // its doclists are stored in; read backwards, each page of a
        // doclist had to be decoded and indexed first.
        format!(
            "SELECT entry.entity_id, {tier} AS tier, '' AS name, '' AS name_tie, \
             entry.id AS position \
             FROM {text} CROSS JOIN search_index entry ON entry.id = {text}.rowid \
             WHERE {text} MATCH {query_parameter} \
             AND NOT (entry.name >= $1 AND entry.name < $2) {visible} \
             ORDER BY {text}.rowid LIMIT {limit}",
            text = kind.text_table(),
            visible = visible(kind),
        )
    }
}

/// For playlists, the condition that keeps public ones and the viewer's
/// own (parameters $5 and $6, bound by `ranked`).
fn visible(kind: SearchKind) -> String {
    if kind == SearchKind::Playlist {
        "AND entity_id IN (SELECT id FROM playlists WHERE is_public = $5 OR owner_id = $6)"
            .to_owned()
    } else {
        String::new()
    }
}
