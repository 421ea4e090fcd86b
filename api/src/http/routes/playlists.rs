//! `/api/v1/playlists`: listeners' ordered lists of songs. Anyone sees
//! public playlists; a private one is a 404 to everyone but its owner (and
//! admins). Only the owner changes a playlist; admins may delete any.
//! Entries are paged like every other list; changes answer without them.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, delete, get, patch, post, put};
use serde::Deserialize;
use soundstream_types::{
    AddPlaylistSongsRequest, AddedPlaylistEntries, CreatePlaylistRequest, MovePlaylistEntryRequest,
    Page, Playlist, PlaylistEntry, Problem, UpdatePlaylistRequest,
};

use crate::auth::AuthUser;
use crate::domain::pagination::PageQuery;
use crate::http::error::{ApiError, ApiResult};
use crate::services::media_urls::MediaUrls;
use crate::services::playlists;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaylistListQuery {
    /// Only your own playlists (otherwise yours and everyone's public ones).
    #[serde(default)]
    pub mine: bool,
}

/// Your playlists and everyone's public ones, newest first.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(PlaylistListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of playlists", body = Page<Playlist>),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/playlists")]
pub async fn list_playlists(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    query: Query<PlaylistListQuery>,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Playlist>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(
        playlists::list_playlists(&state, &urls, &user, query.mine, &page).await?,
    ))
}

/// Creates a playlist of yours, private unless `is_public`.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    request_body = CreatePlaylistRequest,
    responses(
        (status = 201, description = "Created", body = Playlist,
            links(
                ("GetPlaylist" = (operation_id = "get_playlist", parameters(("id" = "$response.body#/id")))),
                ("UpdatePlaylist" = (operation_id = "update_playlist", parameters(("id" = "$response.body#/id")))),
                ("DeletePlaylist" = (operation_id = "delete_playlist", parameters(("id" = "$response.body#/id")))),
                ("ListEntries" = (operation_id = "list_playlist_entries", parameters(("id" = "$response.body#/id")))),
                ("AddSongs" = (operation_id = "add_playlist_songs", parameters(("id" = "$response.body#/id")))),
            )
        ),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/playlists")]
pub async fn create_playlist(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    body: Json<CreatePlaylistRequest>,
) -> ApiResult<HttpResponse> {
    let playlist = playlists::create_playlist(&state, &urls, &user, &body).await?;
    Ok(HttpResponse::Created().json(playlist))
}

/// A playlist: details and totals (`song_count`, `duration_ms`). Its
/// entries are paged by `GET /playlists/{id}/entries`.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    responses(
        (status = 200, description = "The playlist", body = Playlist),
        (status = 404, description = "No such playlist, or a private one of someone else", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/playlists/{id}")]
pub async fn get_playlist(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<Json<Playlist>> {
    Ok(Json(
        playlists::get_playlist(&state, &urls, &user, &id).await?,
    ))
}

/// A page of the playlist's entries in order, each with its 0-based
/// `position` and its song.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id"), PageQuery),
    responses(
        (status = 200, description = "A page of entries", body = Page<PlaylistEntry>),
        (status = 404, description = "No such playlist, or a private one of someone else", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/playlists/{id}/entries")]
pub async fn list_playlist_entries(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<PlaylistEntry>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(
        playlists::list_entries(&state, &urls, &user, &id, &page).await?,
    ))
}

/// Renames, describes, publishes or hides a playlist of yours, or changes
/// its cover (`null` clears the description or the cover).
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    request_body = UpdatePlaylistRequest,
    responses(
        (status = 200, description = "The updated playlist", body = Playlist,
            links(
                ("GetPlaylist" = (operation_id = "get_playlist", parameters(("id" = "$response.body#/id")))),
                ("DeletePlaylist" = (operation_id = "delete_playlist", parameters(("id" = "$response.body#/id")))),
            )
        ),
        (status = 403, description = "Not your playlist", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such playlist", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/playlists/{id}")]
pub async fn update_playlist(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
    body: Json<UpdatePlaylistRequest>,
) -> ApiResult<Json<Playlist>> {
    Ok(Json(
        playlists::update_playlist(&state, &urls, &user, &id, &body).await?,
    ))
}

/// Deletes a playlist of yours (admins: anyone's).
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not your playlist", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such playlist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/playlists/{id}")]
pub async fn delete_playlist(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    playlists::delete_playlist(&state, &user, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds songs to a playlist of yours, at the end or before the entry now
/// at `position`. The same song may be added more than once. Answers the
/// new totals and the new entries' ids.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    request_body = AddPlaylistSongsRequest,
    responses(
        (status = 201, description = "The playlist's new totals and the new entries' ids", body = AddedPlaylistEntries,
            links(
                ("RemoveEntry" = (operation_id = "remove_playlist_entry", parameters(("id" = "$request.path.id"), ("entry_id" = "$response.body#/entry_ids/0")))),
                ("ListEntries" = (operation_id = "list_playlist_entries", parameters(("id" = "$request.path.id")))),
            )
        ),
        (status = 403, description = "Not your playlist", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such playlist", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown songs, none, or too many", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/playlists/{id}/songs")]
pub async fn add_playlist_songs(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
    body: Json<AddPlaylistSongsRequest>,
) -> ApiResult<HttpResponse> {
    let playlist = playlists::add_songs(&state, &urls, &user, &id, &body).await?;
    Ok(HttpResponse::Created().json(playlist))
}

/// Removes one entry (one place, not every copy of the song) from a
/// playlist of yours.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Playlist id"),
        ("entry_id" = String, Path, description = "Entry id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not your playlist", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such playlist or entry", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/playlists/{id}/songs/{entry_id}")]
pub async fn remove_playlist_entry(
    state: Data<AppState>,
    user: AuthUser,
    path: Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, entry_id) = path.into_inner();
    playlists::remove_entry(&state, &user, &id, &entry_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Moves one entry of a playlist of yours right after another
/// (`after_entry_id`), or to the top without one. An entry that is no
/// longer in the playlist (it changed since you read it) is a 409.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    request_body = MovePlaylistEntryRequest,
    responses(
        (status = 204, description = "Moved"),
        (status = 403, description = "Not your playlist", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such playlist", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An entry named is no longer in the playlist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/playlists/{id}/order")]
pub async fn reorder_playlist(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
    body: Json<MovePlaylistEntryRequest>,
) -> ApiResult<HttpResponse> {
    playlists::move_entry(&state, &user, &id, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}
