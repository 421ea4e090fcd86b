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
use crate::db::DbError;
use crate::domain::{CatalogueName, field_error};
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::pagination::{PageQuery, PageRequest, composite_key};
use crate::persistence::library;
use crate::routes::songs::song_dto;
use crate::startup::AppState;

const TOP_SONGS: i64 = 10;

/// `name␟id` of the last row seen.
fn after(page: &PageRequest) -> Result<Option<(String, String)>, ApiError> {
    Ok(page
        .after_key_and_id()?
        .map(|(key, id)| (key.to_owned(), id.to_owned())))
}

/// Artists by name.
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of artists", body = Page<Artist>))
)]
#[get("/artists")]
pub async fn list_artists(
    state: Data<AppState>,
    _user: AuthUser,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Artist>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    let mut conn = state.db.acquire().await?;
    let rows = library::artists(&mut conn, after(&page)?, page.fetch_limit()).await?;
    let (rows, next_cursor) = page.page(rows, |(artist, key)| composite_key(key, &artist.id));
    Ok(Json(Page {
        items: rows.into_iter().map(|(artist, _)| artist).collect(),
        next_cursor,
    }))
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
    let mut conn = state.db.acquire().await?;
    let artist = library::find_artist(&mut conn, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No artist has this id.".into()))?;
    let albums = library::albums(&mut conn, Some(&artist.id), None, 500).await?;
    let top = library::top_songs(&mut conn, &artist.id, TOP_SONGS).await?;
    drop(conn);
    let mut top_songs = Vec::with_capacity(top.len());
    for song in &top {
        top_songs.push(song_dto(&urls, song).await?);
    }
    Ok(Json(ArtistDetail {
        artist,
        albums: albums.into_iter().map(|(album, _)| album).collect(),
        top_songs,
    }))
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
    responses((status = 200, description = "A page of albums", body = Page<Album>))
)]
#[get("/albums")]
pub async fn list_albums(
    state: Data<AppState>,
    _user: AuthUser,
    filter: Query<AlbumFilter>,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Album>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    let mut conn = state.db.acquire().await?;
    let rows = library::albums(
        &mut conn,
        filter.artist_id.as_deref(),
        after(&page)?,
        page.fetch_limit(),
    )
    .await?;
    let (rows, next_cursor) = page.page(rows, |(album, key)| composite_key(key, &album.id));
    Ok(Json(Page {
        items: rows.into_iter().map(|(album, _)| album).collect(),
        next_cursor,
    }))
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
    let mut conn = state.db.acquire().await?;
    let album = library::find_album(&mut conn, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No album has this id.".into()))?;
    let records = library::album_tracks(&mut conn, &album.id).await?;
    drop(conn);
    let mut tracks = Vec::with_capacity(records.len());
    for song in &records {
        tracks.push(song_dto(&urls, song).await?);
    }
    Ok(Json(AlbumDetail { album, tracks }))
}

/// A unique-name refusal as a 409 naming the field, else the error as is.
/// (The update it comes from touches one unique index: the name's.)
fn name_taken(error: DbError, field: &str, what: &str) -> ApiError {
    match &error {
        DbError::Query(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            ApiError::Conflict {
                detail: format!("Another {what} already has this {field}."),
                errors: vec![field_error(field, "is taken")],
            }
        }
        _ => error.into(),
    }
}

/// Renames an artist (admins). Their albums and songs follow.
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Artist id")),
    request_body = UpdateArtistRequest,
    responses(
        (status = 200, description = "The renamed artist", body = Artist),
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
    let name = CatalogueName::parse("name", &body.name)
        .map_err(|error| ApiError::invalid_fields(vec![error]))?;
    let mut tx = state.db.begin_write().await?;
    let renamed = library::rename_artist(&mut tx, &id, &name)
        .await
        .map_err(|error| name_taken(error, "name", "artist"))?;
    let artist = library::find_artist(&mut tx, &id)
        .await?
        .filter(|_| renamed)
        .ok_or_else(|| ApiError::NotFound("No artist has this id.".into()))?;
    tx.commit().await?;
    Ok(Json(artist))
}

/// Retitles an album or changes its year (admins; `null` clears the year).
#[utoipa::path(
    tag = "library",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Album id")),
    request_body = UpdateAlbumRequest,
    responses(
        (status = 200, description = "The updated album", body = Album),
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
    let title = body
        .title
        .as_deref()
        .map(|title| CatalogueName::parse("title", title))
        .transpose()
        .map_err(|error| ApiError::invalid_fields(vec![error]))?;
    let mut tx = state.db.begin_write().await?;
    let updated = library::update_album(&mut tx, &id, title.as_ref(), body.year)
        .await
        .map_err(|error| name_taken(error, "title", "album of this artist"))?;
    let album = library::find_album(&mut tx, &id)
        .await?
        .filter(|_| updated)
        .ok_or_else(|| ApiError::NotFound("No album has this id.".into()))?;
    tx.commit().await?;
    Ok(Json(album))
}
