//! `/api/v1/me/favorites`, `/api/v1/me/history` and
//! `/api/v1/me/play-queue`: what a listener keeps, what they played and
//! where they are.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, delete, get, post, put};
use soundstream_types::{
    FavoriteIds, Page, PlayQueue, PlayRequest, PlayedSong, Problem, SavePlayQueueRequest, Song,
};

use crate::auth::AuthUser;
use crate::clock::rfc3339;
use crate::domain::pagination::PageQuery;
use crate::domain::{ClientName, PlaybackPosition};
use crate::http::error::{ApiError, ApiResult};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, listening, play_queue};
use crate::state::AppState;

/// Your favourite songs, most recently added first.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of songs", body = Page<Song>),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/favorites")]
pub async fn list_favorites(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Song>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(
        listening::favorites(&state, &urls, &user, &page).await?,
    ))
}

/// Every favourite song id of yours (a set, not a list: not paged), so a
/// player can mark hearts without loading the songs.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "Your favourite songs' ids", body = FavoriteIds))
)]
#[get("/me/favorites/ids")]
pub async fn favorite_ids(state: Data<AppState>, user: AuthUser) -> ApiResult<Json<FavoriteIds>> {
    let song_ids = listening::favorite_ids(&state, &user).await?;
    Ok(Json(FavoriteIds { song_ids }))
}

/// Marks a song as a favourite (again is fine).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("song_id" = String, Path, description = "Song id")),
    responses(
        (status = 204, description = "A favourite"),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/favorites/{song_id}")]
pub async fn add_favorite(
    state: Data<AppState>,
    user: AuthUser,
    song_id: Path<String>,
) -> ApiResult<HttpResponse> {
    listening::add_favorite(&state, &user, &song_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Removes a song from your favourites (when it was not one, too).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("song_id" = String, Path, description = "Song id")),
    responses((status = 204, description = "Not a favourite"))
)]
#[delete("/me/favorites/{song_id}")]
pub async fn remove_favorite(
    state: Data<AppState>,
    user: AuthUser,
    song_id: Path<String>,
) -> ApiResult<HttpResponse> {
    listening::remove_favorite(&state, &user, &song_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Records that you played a song. Plays of one song count at most once
/// per its length (at least 30 s): a report sooner than that after your
/// last play of it is answered 204 too, and moves that play to now in your
/// history without counting another.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = PlayRequest,
    responses(
        (status = 204, description = "Recorded (or, within the song's length of your last play of it, accepted without counting)"),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/history")]
pub async fn record_play(
    state: Data<AppState>,
    user: AuthUser,
    body: Json<PlayRequest>,
) -> ApiResult<HttpResponse> {
    listening::record_play(&state, &user, &body.song_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The songs you played, each once, most recently played first.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of played songs", body = Page<PlayedSong>),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/history")]
pub async fn recently_played(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<PlayedSong>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(
        listening::recently_played(&state, &urls, &user, &page).await?,
    ))
}

/// Your saved play queue: the one Subsonic apps save too, so playback
/// moves between your devices.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your saved queue", body = PlayQueue),
        (status = 404, description = "You saved none", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/play-queue")]
pub async fn get_play_queue(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
) -> ApiResult<Json<PlayQueue>> {
    let queue = play_queue::find(&state, &urls, &user)
        .await?
        .ok_or_else(|| ServiceError::NotFound("You have no saved play queue.".into()))?;
    Ok(Json(PlayQueue {
        songs: queue.songs,
        current_song_id: queue.current_song_id,
        position_ms: u64::try_from(queue.position_ms).unwrap_or(0),
        changed_at: rfc3339(queue.changed_at),
        changed_by: queue.changed_by,
    }))
}

/// Replaces your saved play queue (no songs clears it). The current song
/// must be one of the queue's.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = SavePlayQueueRequest,
    responses(
        (status = 204, description = "Saved"),
        (status = 404, description = "A song does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/play-queue")]
pub async fn save_play_queue(
    state: Data<AppState>,
    user: AuthUser,
    body: Json<SavePlayQueueRequest>,
) -> ApiResult<HttpResponse> {
    let client = ClientName::parse("client", &body.client)
        .map_err(|error| ApiError::invalid_fields(vec![error]))?;
    let position = i64::try_from(body.position_ms)
        .map_err(|_| ServiceError::invalid("position_ms", "is too large"))
        .and_then(|ms| {
            PlaybackPosition::parse("position_ms", ms)
                .map_err(|error| ServiceError::invalid_fields(vec![error]))
        })?;
    play_queue::save(
        &state,
        &user,
        &body.song_ids,
        body.current_song_id.as_deref(),
        position,
        &client,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
