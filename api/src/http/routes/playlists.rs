//! `/api/v1/playlists`: listeners' ordered lists of songs. Anyone sees
//! public playlists; a private one is a 404 to everyone but its owner (and
//! admins). Only the owner changes a playlist; admins may delete any.
//! Every change to the entries locks the playlist row first, so concurrent
//! edits apply one after another and the order never tears.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, delete, get, patch, post, put};
use serde::Deserialize;
use soundstream_types::{
    AddPlaylistSongsRequest, CreatePlaylistRequest, Page, Playlist, PlaylistDetail, PlaylistEntry,
    Problem, ReorderPlaylistRequest, Role, UpdatePlaylistRequest, UploadKind,
};

use crate::auth::AuthUser;
use crate::clock::{now_millis, rfc3339};
use crate::domain::{CatalogueName, FieldErrors, field_error};
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::pagination::{PageQuery, composite_key};
use crate::persistence::playlists::{self, NewPlaylist, PlaylistChanges, PlaylistRecord};
use crate::persistence::{songs, uploads};
use crate::routes::songs::song_dto;
use crate::routes::uploads::not_a_completed_upload;
use crate::startup::AppState;

/// Entries a playlist holds at most.
pub const MAX_ENTRIES: usize = 5_000;
/// Songs one request adds at most.
const MAX_SONGS_PER_REQUEST: usize = 500;
const DESCRIPTION_MAX_CHARS: usize = 2_000;

fn no_playlist() -> ApiError {
    ApiError::NotFound("No playlist has this id.".into())
}

pub(crate) async fn playlist_dto(
    urls: &MediaUrls,
    record: &PlaylistRecord,
) -> Result<Playlist, ApiError> {
    Ok(record.to_dto(urls.download_optional(record.cover.as_ref()).await?))
}

async fn detail(
    conn: &mut sqlx::AnyConnection,
    urls: &MediaUrls,
    id: &str,
) -> Result<PlaylistDetail, ApiError> {
    let record = playlists::find(&mut *conn, id)
        .await?
        .ok_or_else(no_playlist)?;
    let rows = playlists::entries(conn, id).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for (position, row) in (0_u32..).zip(&rows) {
        entries.push(PlaylistEntry {
            id: row.id.clone(),
            position,
            song: song_dto(urls, &row.song).await?,
            added_at: rfc3339(row.added_at),
        });
    }
    Ok(PlaylistDetail {
        playlist: playlist_dto(urls, &record).await?,
        entries,
    })
}

/// Locks a playlist `user` owns, for changing it. One they may see but not
/// change is 403; one they may not see is 404, as if it did not exist.
async fn lock_owned(
    conn: &mut sqlx::AnyConnection,
    user: &AuthUser,
    id: &str,
) -> Result<(), ApiError> {
    match playlists::lock(conn, id).await?.ok_or_else(no_playlist)? {
        (owner, _) if owner == user.id => Ok(()),
        (_, is_public) if is_public || user.role == Role::Admin => Err(ApiError::Forbidden(
            "Only the owner of a playlist can change it.".into(),
        )),
        _ => Err(no_playlist()),
    }
}

fn description(errors: &mut FieldErrors, text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    if text.chars().count() > DESCRIPTION_MAX_CHARS {
        errors.check::<()>(Err(field_error(
            "description",
            format!("must be at most {DESCRIPTION_MAX_CHARS} characters long"),
        )));
        return None;
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        errors.check::<()>(Err(field_error(
            "description",
            "must not contain control characters",
        )));
        return None;
    }
    Some(text.to_owned())
}

/// The object of a completed image upload of `owner_id`'s, for a cover.
async fn cover_object(
    conn: &mut sqlx::AnyConnection,
    errors: &mut FieldErrors,
    upload_id: &str,
    owner_id: &str,
) -> Result<Option<String>, ApiError> {
    let upload = uploads::find_completed(conn, upload_id, owner_id, UploadKind::Image)
        .await?
        .ok_or_else(|| not_a_completed_upload("cover_upload_id", UploadKind::Image));
    Ok(errors.check(upload).map(|upload| upload.object_key))
}

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
    responses((status = 200, description = "A page of playlists", body = Page<Playlist>))
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
    let mut conn = state.db.acquire().await?;
    let rows = playlists::list(
        &mut conn,
        &user.id,
        query.mine,
        page.after_number_and_id()?,
        page.fetch_limit(),
    )
    .await?;
    drop(conn);
    let (rows, next_cursor) = page.page(rows, |row| composite_key(row.created_at, &row.id));
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(playlist_dto(&urls, row).await?);
    }
    Ok(Json(Page { items, next_cursor }))
}

/// Creates a playlist of yours, private unless `is_public`.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    request_body = CreatePlaylistRequest,
    responses(
        (status = 201, description = "Created", body = Playlist),
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
    let request = body.into_inner();
    let mut errors = FieldErrors::default();
    let name = errors.check(CatalogueName::parse("name", &request.name));
    let description = description(&mut errors, request.description.as_deref());
    let mut tx = state.db.begin_write().await?;
    let cover = match &request.cover_upload_id {
        Some(upload_id) => cover_object(&mut tx, &mut errors, upload_id, &user.id).await?,
        None => None,
    };
    let Some(name) = name else {
        return Err(ApiError::invalid_fields(errors.into_vec()));
    };
    errors.into_result().map_err(ApiError::invalid_fields)?;
    let id = playlists::insert(
        &mut tx,
        &NewPlaylist {
            owner_id: &user.id,
            name: &name,
            description: description.as_deref().filter(|d| !d.is_empty()),
            is_public: request.is_public,
            cover_object_key: cover.as_deref(),
        },
    )
    .await?;
    let record = playlists::find(&mut tx, &id)
        .await?
        .ok_or_else(no_playlist)?;
    tx.commit().await?;
    tracing::info!(playlist_id = %id, user_id = %user.id, "playlist created");
    Ok(HttpResponse::Created().json(playlist_dto(&urls, &record).await?))
}

/// A playlist with its entries in order.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    responses(
        (status = 200, description = "The playlist", body = PlaylistDetail),
        (status = 404, description = "No such playlist, or a private one of someone else", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/playlists/{id}")]
pub async fn get_playlist(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<Json<PlaylistDetail>> {
    let mut conn = state.db.acquire().await?;
    let visible = playlists::find(&mut conn, &id)
        .await?
        .is_some_and(|record| record.visible_to(&user.id) || user.role == Role::Admin);
    if !visible {
        return Err(no_playlist());
    }
    Ok(Json(detail(&mut conn, &urls, &id).await?))
}

/// Renames, describes, publishes or hides a playlist of yours, or changes
/// its cover (`null` clears the description or the cover).
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    request_body = UpdatePlaylistRequest,
    responses(
        (status = 200, description = "The updated playlist", body = Playlist),
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
    let request = body.into_inner();
    let mut errors = FieldErrors::default();
    let name = request
        .name
        .as_deref()
        .and_then(|name| errors.check(CatalogueName::parse("name", name)));
    let description = request
        .description
        .as_ref()
        .map(|text| description(&mut errors, text.as_deref()).filter(|d| !d.is_empty()));
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, &user, &id).await?;
    let cover = match &request.cover_upload_id {
        Some(Some(upload_id)) => {
            Some(cover_object(&mut tx, &mut errors, upload_id, &user.id).await?)
        }
        Some(None) => Some(None),
        None => None,
    };
    errors.into_result().map_err(ApiError::invalid_fields)?;
    let before = playlists::find(&mut tx, &id)
        .await?
        .ok_or_else(no_playlist)?;
    playlists::update(
        &mut tx,
        &id,
        &PlaylistChanges {
            name: name.as_ref(),
            description: description.as_ref().map(Option::as_deref),
            is_public: request.is_public,
            cover_object_key: cover.as_ref().map(Option::as_deref),
        },
    )
    .await?;
    if let (Some(_), Some((old_cover, _))) = (&cover, &before.cover) {
        uploads::release_objects(&mut tx, std::slice::from_ref(old_cover), now_millis()).await?;
    }
    let record = playlists::find(&mut tx, &id)
        .await?
        .ok_or_else(no_playlist)?;
    tx.commit().await?;
    Ok(Json(playlist_dto(&urls, &record).await?))
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
    let mut tx = state.db.begin_write().await?;
    if user.role != Role::Admin {
        lock_owned(&mut tx, &user, &id).await?;
    } else if playlists::lock(&mut tx, &id).await?.is_none() {
        return Err(no_playlist());
    }
    if let Some(cover) = playlists::delete(&mut tx, &id).await? {
        uploads::release_objects(&mut tx, &[cover], now_millis()).await?;
    }
    tx.commit().await?;
    tracing::info!(playlist_id = %id, user_id = %user.id, "playlist deleted");
    Ok(HttpResponse::NoContent().finish())
}

/// Adds songs to a playlist of yours, at the end or before the entry now
/// at `position`. The same song may be added more than once.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    request_body = AddPlaylistSongsRequest,
    responses(
        (status = 201, description = "The playlist with its entries", body = PlaylistDetail),
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
    let request = body.into_inner();
    if !(1..=MAX_SONGS_PER_REQUEST).contains(&request.song_ids.len()) {
        return Err(ApiError::invalid_fields(vec![field_error(
            "song_ids",
            format!("must list 1 to {MAX_SONGS_PER_REQUEST} songs"),
        )]));
    }
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, &user, &id).await?;
    let mut errors = FieldErrors::default();
    for (index, song_id) in request.song_ids.iter().enumerate() {
        if !songs::exists(&mut tx, song_id).await? {
            errors.check::<()>(Err(field_error(
                &format!("song_ids[{index}]"),
                "is not a song",
            )));
        }
    }
    errors.into_result().map_err(ApiError::invalid_fields)?;
    let held = playlists::entry_count(&mut tx, &id).await?;
    if held + request.song_ids.len() > MAX_ENTRIES {
        return Err(ApiError::invalid_fields(vec![field_error(
            "song_ids",
            format!("a playlist holds at most {MAX_ENTRIES} songs; this one has {held}"),
        )]));
    }
    playlists::add_songs(&mut tx, &id, &request.song_ids, request.position).await?;
    let playlist = detail(&mut tx, &urls, &id).await?;
    tx.commit().await?;
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
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, &user, &id).await?;
    if !playlists::remove_entry(&mut tx, &id, &entry_id).await? {
        return Err(ApiError::NotFound(
            "This playlist has no entry with this id.".into(),
        ));
    }
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Puts a playlist of yours in a new order: `entry_ids` lists every entry
/// exactly once. If the playlist changed since you read it, the list no
/// longer matches and nothing is changed (409): read it again and retry.
#[utoipa::path(
    tag = "playlists",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Playlist id")),
    request_body = ReorderPlaylistRequest,
    responses(
        (status = 200, description = "The playlist in its new order", body = PlaylistDetail),
        (status = 403, description = "Not your playlist", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such playlist", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The entries are not the playlist's current ones", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/playlists/{id}/order")]
pub async fn reorder_playlist(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
    body: Json<ReorderPlaylistRequest>,
) -> ApiResult<Json<PlaylistDetail>> {
    let request = body.into_inner();
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, &user, &id).await?;
    let mut current = playlists::entry_ids(&mut tx, &id).await?;
    let mut proposed = request.entry_ids.clone();
    current.sort_unstable();
    proposed.sort_unstable();
    if current != proposed {
        return Err(ApiError::Conflict {
            detail: "entry_ids must list each of the playlist's current entries exactly once; \
                     it has changed since it was read."
                .into(),
            errors: vec![field_error(
                "entry_ids",
                format!(
                    "must be the playlist's {} entries, each once",
                    current.len()
                ),
            )],
        });
    }
    playlists::reorder(&mut tx, &id, &request.entry_ids).await?;
    let playlist = detail(&mut tx, &urls, &id).await?;
    tx.commit().await?;
    Ok(Json(playlist))
}
