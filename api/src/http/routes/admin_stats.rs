//! `GET /api/v1/admin/stats`: the size of the library and what is played.

use actix_web::get;
use actix_web::web::{Data, Json};
use soundstream_types::{LibraryStats, Problem, SongPlays};

use crate::auth::AdminUser;
use crate::error::ApiResult;
use crate::media_urls::MediaUrls;
use crate::persistence::library;
use crate::routes::songs::song_dto;
use crate::startup::AppState;

const MOST_PLAYED: i64 = 10;

fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

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
    let mut conn = state.db.acquire().await?;
    let totals = library::totals(&mut conn).await?;
    let top = library::most_played(&mut conn, MOST_PLAYED).await?;
    drop(conn);
    let mut most_played = Vec::with_capacity(top.len());
    for (song, plays) in &top {
        most_played.push(SongPlays {
            song: song_dto(&urls, song).await?,
            plays: unsigned(*plays),
        });
    }
    Ok(Json(LibraryStats {
        users: unsigned(totals.users),
        songs: unsigned(totals.songs),
        artists: unsigned(totals.artists),
        albums: unsigned(totals.albums),
        playlists: unsigned(totals.playlists),
        plays: unsigned(totals.plays),
        audio_bytes: unsigned(totals.audio_bytes),
        total_duration_ms: unsigned(totals.duration_ms),
        most_played,
    }))
}
