//! `/api/v1/search`: songs, artists, albums and playlists matching what
//! was typed, as you type it.

use actix_web::get;
use actix_web::web::{Data, Json, Query};
use serde::Deserialize;
use soundstream_types::{Problem, SearchResults};

use crate::auth::AuthUser;
use crate::domain::{SearchTerms, field_error};
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::persistence::library::{SELECT_ALBUMS, SELECT_ARTISTS, album, artist};
use crate::persistence::playlists::{PlaylistRecord, SELECT_PLAYLISTS};
use crate::persistence::search::{SearchKind, ranked};
use crate::persistence::songs::{SELECT_SONGS, SongRecord};
use crate::routes::playlists::playlist_dto;
use crate::routes::songs::song_dto;
use crate::startup::AppState;

const DEFAULT_LIMIT: i64 = 10;
const MAX_LIMIT: i64 = 50;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for: every word must match the start of a word in a
    /// title or name (or its artist or album); case and accents do not
    /// matter. At most 200 characters.
    pub q: String,
    /// Results per kind, 1–50 (default 10).
    pub limit: Option<i64>,
}

/// Ranked search: exact names first, then names starting with the query,
/// then other matches by relevance. Playlists: public ones and your own.
#[utoipa::path(
    tag = "search",
    security(("bearer" = [])),
    params(SearchQuery),
    responses(
        (status = 200, description = "Matches, grouped by kind", body = SearchResults),
        (status = 422, description = "An empty, wordless or too long query, or a bad limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/search")]
pub async fn search_catalogue(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    query: Query<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let terms = SearchTerms::parse("q", &query.q);
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let limit_error = (!(1..=MAX_LIMIT).contains(&limit))
        .then(|| field_error("limit", format!("must be between 1 and {MAX_LIMIT}")));
    let terms = match (terms, limit_error) {
        (Ok(terms), None) => terms,
        (terms, limit_error) => {
            let errors = terms.err().into_iter().chain(limit_error).collect();
            return Err(ApiError::invalid_fields(errors));
        }
    };

    let mut conn = state.db.acquire().await?;
    let (viewer, c) = (&user.id, &mut conn);
    let song_rows = ranked(c, SearchKind::Song, SELECT_SONGS, &terms, viewer, limit).await?;
    let artist_rows = ranked(c, SearchKind::Artist, SELECT_ARTISTS, &terms, viewer, limit).await?;
    let album_rows = ranked(c, SearchKind::Album, SELECT_ALBUMS, &terms, viewer, limit).await?;
    let playlist_rows = ranked(
        c,
        SearchKind::Playlist,
        SELECT_PLAYLISTS,
        &terms,
        viewer,
        limit,
    )
    .await?;
    drop(conn);

    let mut songs = Vec::with_capacity(song_rows.len());
    for row in &song_rows {
        songs.push(song_dto(&urls, &SongRecord::from_row(row)?).await?);
    }
    let mut playlists = Vec::with_capacity(playlist_rows.len());
    for row in &playlist_rows {
        playlists.push(playlist_dto(&urls, &PlaylistRecord::from_row(row)?).await?);
    }
    Ok(Json(SearchResults {
        query: terms.phrase(),
        songs,
        artists: artist_rows.iter().map(artist).collect::<Result<_, _>>()?,
        albums: album_rows.iter().map(album).collect::<Result<_, _>>()?,
        playlists,
    }))
}
