//! Search as you type: songs, artists, albums and playlists (public ones
//! and the caller's own) matching every word typed, ranked.

use soundstream_types::SearchResults;

use crate::auth::AuthUser;
use crate::domain::{SearchTerms, field_error};
use crate::persistence::search;
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

    let mut conn = state.db.acquire().await?;
    let songs = search::songs(&mut conn, &terms, limit).await?;
    let artists = search::artists(&mut conn, &terms, limit).await?;
    let albums = search::albums(&mut conn, &terms, limit).await?;
    let playlist_rows = search::playlists(&mut conn, &terms, &user.id, limit).await?;
    drop(conn);

    let mut playlists = Vec::with_capacity(playlist_rows.len());
    for row in &playlist_rows {
        playlists.push(urls.playlist(row).await?);
    }
    Ok(SearchResults {
        query: terms.phrase(),
        songs: urls.songs(&songs).await?,
        artists,
        albums,
        playlists,
    })
}
