//! `GET /api/v1/admin/stats`: the size of the library and what is played.

use actix_web::get;
use actix_web::web::{Data, Json};
use soundstream_types::{LibraryStats, Problem};

use crate::auth::AdminUser;
use crate::http::error::ApiResult;
use crate::services::catalogue;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// Counts, storage used, total playing time and the most played songs.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Library statistics", body = LibraryStats),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/stats")]
pub async fn library_stats(
    state: Data<AppState>,
    _admin: AdminUser,
    urls: MediaUrls,
) -> ApiResult<Json<LibraryStats>> {
    Ok(Json(catalogue::library_stats(&state, &urls).await?))
}
