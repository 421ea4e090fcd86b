//! Search as you type: songs, artists, albums and playlists (public ones
//! and the caller's own) matching every word typed, ranked. The catalogue's
//! matches are kept while the catalogue is unchanged (`kept_searches`).

use std::sync::Arc;

use soundstream_types::SearchResults;
use sqlx::Any;
use sqlx::pool::PoolConnection;

use crate::auth::AuthUser;
use crate::domain::{SearchTerms, field_error};
use crate::persistence::search;
use crate::services::kept_searches::{CatalogueMatches, SearchKey};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

const DEFAULT_LIMIT: i64 = 10;
const MAX_LIMIT: i64 = 50;

/// Ranked search: exact names first, then names starting with the query,
/// then other matches by relevance; at most `limit` (default 10) of each kind.
pub async fn search(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    query: &str,
    limit: Option<i64>,
) -> ServiceResult<SearchResults> {
    let terms = SearchTerms::parse("q", query);
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    let limit_error = (!(1..=MAX_LIMIT).contains(&limit))
        .then(|| field_error("limit", format!("must be between 1 and {MAX_LIMIT}")));
    let terms = match (terms, limit_error) {
        (Ok(terms), None) => terms,
        (terms, limit_error) => {
            let errors = terms.err().into_iter().chain(limit_error).collect();
            return Err(ServiceError::invalid_fields(errors));
        }
    };

    // The version first: no connection is held while it is read.
    let version = state.catalogue_version.current(&state.db).await?;
    let mut conn = state.db.acquire().await?;
    let playlist_rows = search::playlists(&mut conn, &terms, &user.id, limit).await?;
    let matches = catalogue_matches(state, urls, conn, version, &terms, limit).await?;
    let mut playlists = Vec::with_capacity(playlist_rows.len());
    for row in &playlist_rows {
        playlists.push(urls.playlist(row).await?);
    }
    Ok(SearchResults {
        query: terms.phrase(),
        songs: matches.songs.clone(),
        artists: matches.artists.clone(),
        albums: matches.albums.clone(),
        playlists,
    })
}

/// The songs, artists and albums matching `terms`: kept ones while the
/// catalogue's `version` holds, else read (and kept). `conn` is given back
/// before the songs' URLs are signed.
async fn catalogue_matches(
    state: &AppState,
    urls: &MediaUrls,
    mut conn: PoolConnection<Any>,
    version: i64,
    terms: &SearchTerms,
    limit: i64,
) -> ServiceResult<Arc<CatalogueMatches>> {
    let key = SearchKey {
        version,
        window: MediaUrls::current_window().issued_at,
        phrase: terms.phrase(),
        limit,
    };
    if let Some(kept) = state.kept_searches.get(&key) {
        return Ok(kept);
    }
    let songs = search::songs(&mut conn, terms, limit).await?;
    let artists = search::artists(&mut conn, terms, limit).await?;
    let albums = search::albums(&mut conn, terms, limit).await?;
    drop(conn);
    let matches = Arc::new(CatalogueMatches {
        songs: urls.songs(&songs).await?,
        artists,
        albums,
    });
    state.kept_searches.keep(key, Arc::clone(&matches));
    Ok(matches)
}
