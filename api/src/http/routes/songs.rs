//! `/api/v1/songs`: songs made from audio uploads (admins), their playback
//! URL and their lyrics, translated on request. Lists, search and the rest
//! of the catalogue build on these.

use actix_web::http::header::{self, ContentType};
use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use soundstream_types::{
    CreateSongRequest, Lyrics, Page, PlaybackUrl, Problem, Song, UpdateSongRequest,
};

use crate::auth::{AdminUser, AuthUser};
use crate::domain::pagination::PageQuery;
use crate::http::error::ApiResult;
use crate::services::catalogue::{self, PlaybackRequest, SongListing};
use crate::services::ingest;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// Creates a song from a completed audio upload of yours. Fields left out
/// are taken from the file's tags; the artist and album are matched
/// ignoring case and accents, or created. The cover is the image upload
/// given, else the art embedded in the file.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    request_body = CreateSongRequest,
    responses(
        (status = 201, description = "Created", body = Song,
            links(
                ("GetSong" = (operation_id = "get_song", parameters(("id" = "$response.body#/id")))),
                ("UpdateSong" = (operation_id = "update_song", parameters(("id" = "$response.body#/id")))),
                ("DeleteSong" = (operation_id = "delete_song", parameters(("id" = "$response.body#/id")))),
            )
        ),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A song already plays this upload", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no title/artist in the tags or the request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/songs")]
pub async fn create_song(
    state: Data<AppState>,
    admin: AdminUser,
    urls: MediaUrls,
    body: Json<CreateSongRequest>,
) -> ApiResult<HttpResponse> {
    let song = ingest::create_song(&state, &urls, &admin, &body).await?;
    Ok(HttpResponse::Created().json(song))
}

/// A song.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id")),
    responses(
        (status = 200, description = "The song", body = Song),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs/{id}")]
pub async fn get_song(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<Json<Song>> {
    Ok(Json(catalogue::get_song(&state, &urls, &id).await?))
}

/// Changes a song's fields: title, artist, album, numbers, year, cover
/// (an image upload of yours) and lyrics. Absent fields are left alone;
/// `null` clears the album, numbers, year or cover; an empty `lyrics`
/// removes them. A replaced cover is let go of.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id")),
    request_body = UpdateSongRequest,
    responses(
        (status = 200, description = "The updated song", body = Song,
            links(
                ("GetSong" = (operation_id = "get_song", parameters(("id" = "$response.body#/id")))),
                ("DeleteSong" = (operation_id = "delete_song", parameters(("id" = "$response.body#/id")))),
            )
        ),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/songs/{id}")]
pub async fn update_song(
    state: Data<AppState>,
    admin: AdminUser,
    urls: MediaUrls,
    id: Path<String>,
    body: Json<UpdateSongRequest>,
) -> ApiResult<Json<Song>> {
    Ok(Json(
        catalogue::update_song(&state, &urls, &admin, &id, &body).await?,
    ))
}

/// Deletes a song: it leaves playlists and favourites, and its media is
/// queued for deletion from storage.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/songs/{id}")]
pub async fn delete_song(
    state: Data<AppState>,
    admin: AdminUser,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    catalogue::delete_song(&state, &admin, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Answer 302 to the playback URL instead of JSON.
    #[serde(default)]
    pub redirect: bool,
    /// `low` (Opus 96 kbit/s, else AAC or MP3 128), `normal` (Opus 160,
    /// else AAC or MP3 128), `high` (the original unless it is lossless or
    /// above 320 kbit/s) or `original` (the default). Renditions are made
    /// after upload; until they are ready, the original is served.
    pub quality: Option<String>,
    /// The rendition codecs you can play, comma-separated among `opus`,
    /// `aac` and `mp3`; without it, the audio types of your `Accept`
    /// header (all when it names none).
    pub formats: Option<String>,
}

/// A short-lived playback URL (stable within its window, so the browser
/// caches the audio).
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id"), StreamQuery),
    responses(
        (status = 200, description = "Where to fetch the audio", body = PlaybackUrl),
        (status = 302, description = "With ?redirect=true: to the audio"),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown quality or codec", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs/{id}/stream")]
pub async fn stream_song(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
    query: Query<StreamQuery>,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok());
    let choice = PlaybackRequest {
        quality: query.quality.as_deref(),
        formats: query.formats.as_deref(),
        accept,
    };
    let playback = catalogue::playback_url(&state, &urls, &id, &choice).await?;
    if query.redirect {
        return Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, playback.url))
            .finish());
    }
    Ok(HttpResponse::Ok().json(playback))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LyricsQuery {
    /// Also translate the lyrics into this language.
    pub lang: Option<String>,
}

/// A song's lyrics and their language; with `?lang=` also translated into
/// that language, line breaks and stanzas kept.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id"), LyricsQuery),
    responses(
        (status = 200, description = "The lyrics", body = Lyrics),
        (status = 404, description = "No such song, or it has no lyrics", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or unsupported language", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many translations, or your daily character budget is spent; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Translation disabled or unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs/{id}/lyrics")]
pub async fn get_lyrics(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
    query: Query<LyricsQuery>,
) -> ApiResult<Json<Lyrics>> {
    Ok(Json(
        catalogue::lyrics(&state, &user, &id, query.lang.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SongListQuery {
    /// `title` (default), `artist`, `album`, `added` or `duration`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
    pub artist_id: Option<String>,
    pub album_id: Option<String>,
    /// Songs of this genre (ignoring case).
    pub genre: Option<String>,
}

/// Songs, sorted and filtered, a page at a time (keyset pagination: rows
/// added while paging cause neither repeats nor gaps).
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(SongListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of songs", body = Page<Song>),
        (status = 422, description = "Invalid sort, order, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs")]
pub async fn list_songs(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    filters: Query<SongListQuery>,
    page: Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let listing = SongListing {
        sort: filters.sort.as_deref(),
        order: filters.order.as_deref(),
        artist_id: filters.artist_id.as_deref(),
        album_id: filters.album_id.as_deref(),
        genre: filters.genre.as_deref(),
    };
    let kept = catalogue::list_songs(&state, &urls, &listing, &page).await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(kept.json()?))
}
