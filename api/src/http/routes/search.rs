//! `/api/v1/search`: songs, artists, albums and playlists matching what
//! was typed, as you type it.

use actix_web::get;
use actix_web::web::{Data, Json, Query};
use serde::Deserialize;
use soundstream_types::{Problem, SearchResults};

use crate::auth::AuthUser;
use crate::http::error::ApiResult;
use crate::services::media_urls::MediaUrls;
use crate::services::search;
use crate::state::AppState;

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
    Ok(Json(
        search::search(&state, &urls, &user, &query.q, query.limit).await?,
    ))
}
