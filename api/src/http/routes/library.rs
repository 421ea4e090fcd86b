//! `/api/v1/artists` and `/api/v1/albums`: browsing the library by artist
//! and album.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{get, patch};
use serde::Deserialize;
use soundstream_types::{
    Album, AlbumDetail, Artist, ArtistDetail, Page, Problem, UpdateAlbumRequest,
    UpdateArtistRequest,
};

use crate::auth::{AdminUser, AuthUser};
use crate::domain::pagination::PageQuery;
use crate::http::error::{ApiError, ApiResult};
use crate::services::catalogue;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// Artists by name.
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of artists", body = Page<Artist>),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/artists")]
pub async fn list_artists(
    state: Data<AppState>,
    _user: AuthUser,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Artist>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(catalogue::list_artists(&state, &page).await?))
}

/// An artist with their albums and most played songs.
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Artist id")),
    responses(
        (status = 200, description = "The artist", body = ArtistDetail),
        (status = 404, description = "No such artist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/artists/{id}")]
pub async fn get_artist(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<Json<ArtistDetail>> {
    Ok(Json(catalogue::get_artist(&state, &urls, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlbumFilter {
    /// Only this artist's albums.
    pub artist_id: Option<String>,
}

/// Albums by title.
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(AlbumFilter, PageQuery),
    responses(
        (status = 200, description = "A page of albums", body = Page<Album>),
        (status = 422, description = "Invalid artist_id, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/albums")]
pub async fn list_albums(
    state: Data<AppState>,
    _user: AuthUser,
    filter: Query<AlbumFilter>,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Album>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(
        catalogue::list_albums(&state, filter.artist_id.as_deref(), &page).await?,
    ))
}

/// An album with its tracks in order (disc, then track number).
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Album id")),
    responses(
        (status = 200, description = "The album", body = AlbumDetail),
        (status = 404, description = "No such album", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/albums/{id}")]
pub async fn get_album(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<Json<AlbumDetail>> {
    Ok(Json(catalogue::get_album(&state, &urls, &id).await?))
}

/// Renames an artist (admins). Their albums and songs follow.
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Artist id")),
    request_body = UpdateArtistRequest,
    responses(
        (status = 200, description = "The renamed artist", body = Artist),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such artist", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another artist has this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/artists/{id}")]
pub async fn update_artist(
    state: Data<AppState>,
    _admin: AdminUser,
    id: Path<String>,
    body: Json<UpdateArtistRequest>,
) -> ApiResult<Json<Artist>> {
    Ok(Json(catalogue::rename_artist(&state, &id, &body).await?))
}

/// Retitles an album or changes its year (admins; `null` clears the year).
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Album id")),
    request_body = UpdateAlbumRequest,
    responses(
        (status = 200, description = "The updated album", body = Album),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such album", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The artist has another album with this title", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid title", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/albums/{id}")]
pub async fn update_album(
    state: Data<AppState>,
    _admin: AdminUser,
    id: Path<String>,
    body: Json<UpdateAlbumRequest>,
) -> ApiResult<Json<Album>> {
    Ok(Json(catalogue::update_album(&state, &id, &body).await?))
}
