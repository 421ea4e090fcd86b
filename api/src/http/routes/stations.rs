//! `/api/v1/stations`: radio. Admins make stations; anyone hears a public
//! one, signed-in listeners (or holders of a signed stream URL) a
//! listeners-only one, which is a 404 to anyone else. The stream is
//! Icecast-compatible MP3 with ICY metadata, for any audio app.

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use bytes::Bytes;
use serde::Deserialize;
use soundstream_types::{
    CreateStationRequest, Page, Problem, Station, StationNow, StationStreamUrls,
    UpdateStationRequest,
};

use crate::auth::{AdminUser, AuthUser};
use crate::domain::pagination::PageQuery;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extractors::MaybeUser;
use crate::services::media_urls::MediaUrls;
use crate::services::stations::{self, Listener};
use crate::services::{ServiceError, radio_stream};
use crate::state::AppState;

/// A signed stream URL's query (see `GET /stations/{id}/stream-url`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Expiry of a signed URL, Unix seconds.
    pub exp: Option<u64>,
    /// Signature of a signed URL.
    pub sig: Option<String>,
}

impl StreamQuery {
    fn listener<'a>(&'a self, user: &'a MaybeUser) -> Listener<'a> {
        match (&user.0, self.exp, &self.sig) {
            (Some(user), _, _) => Listener::Member(user),
            (None, Some(expires), Some(signature)) => Listener::Signed { expires, signature },
            _ => Listener::Anonymous,
        }
    }
}

/// Stations, oldest first: the public ones, and listeners-only ones for
/// signed-in callers.
#[utoipa::path(
    tag = "radio",
    security((), ("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of stations", body = Page<Station>),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stations")]
pub async fn list_stations(
    state: Data<AppState>,
    user: MaybeUser,
    urls: MediaUrls,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Station>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(
        stations::list_stations(&state, &urls, user.0.as_ref(), &page).await?,
    ))
}

/// Creates a station (admins). It is on air at once.
#[utoipa::path(
    tag = "radio",
    security(("bearer" = [])),
    request_body = CreateStationRequest,
    responses(
        (status = 201, description = "Created", body = Station,
            links(
                ("GetStation" = (operation_id = "get_station", parameters(("id" = "$response.body#/id")))),
                ("UpdateStation" = (operation_id = "update_station", parameters(("id" = "$response.body#/id")))),
                ("DeleteStation" = (operation_id = "delete_station", parameters(("id" = "$response.body#/id")))),
                ("NowPlaying" = (operation_id = "now_playing", parameters(("id" = "$response.body#/id")))),
            )
        ),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stations")]
pub async fn create_station(
    state: Data<AppState>,
    admin: AdminUser,
    urls: MediaUrls,
    body: Json<CreateStationRequest>,
) -> ApiResult<HttpResponse> {
    let station = stations::create_station(&state, &urls, &admin.0, &body).await?;
    Ok(HttpResponse::Created().json(station))
}

/// A station.
#[utoipa::path(
    tag = "radio",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Station id")),
    responses(
        (status = 200, description = "The station", body = Station),
        (status = 404, description = "No such station, or a listeners-only one and you are not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stations/{id}")]
pub async fn get_station(
    state: Data<AppState>,
    user: MaybeUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<Json<Station>> {
    Ok(Json(
        stations::get_station(&state, &urls, user.0.as_ref(), &id).await?,
    ))
}

/// Edits a station (admins). A new source takes effect at the first song
/// boundary at least ten seconds ahead: never mid-song.
#[utoipa::path(
    tag = "radio",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Station id")),
    request_body = UpdateStationRequest,
    responses(
        (status = 200, description = "The updated station", body = Station,
            links(
                ("GetStation" = (operation_id = "get_station", parameters(("id" = "$response.body#/id")))),
                ("DeleteStation" = (operation_id = "delete_station", parameters(("id" = "$response.body#/id")))),
            )
        ),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such station", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/stations/{id}")]
pub async fn update_station(
    state: Data<AppState>,
    admin: AdminUser,
    urls: MediaUrls,
    id: Path<String>,
    body: Json<UpdateStationRequest>,
) -> ApiResult<Json<Station>> {
    Ok(Json(
        stations::update_station(&state, &urls, &admin.0, &id, &body).await?,
    ))
}

/// Deletes a station (admins); its streams end.
#[utoipa::path(
    tag = "radio",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Station id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such station", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/stations/{id}")]
pub async fn delete_station(
    state: Data<AppState>,
    admin: AdminUser,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    stations::delete_station(&state, &admin.0, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What is on air: the current song and when it started, the next few
/// songs, and the server's clock (`server_time_ms`) to correct the
/// caller's by. Every instance answers the same for the same instant.
#[utoipa::path(
    tag = "radio",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Station id")),
    responses(
        (status = 200, description = "Now and next", body = StationNow),
        (status = 404, description = "No such station, or a listeners-only one and you are not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stations/{id}/now")]
pub async fn now_playing(
    state: Data<AppState>,
    user: MaybeUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    let listener = user
        .0
        .as_ref()
        .map_or(Listener::Anonymous, Listener::Member);
    let now: StationNow = stations::now_playing(&state, &urls, listener, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(now))
}

/// Signed URLs of the stream and its `.m3u`/`.pls` playlists, valid for a
/// day, for audio apps that cannot sign in (listeners-only stations).
#[utoipa::path(
    tag = "radio",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Station id")),
    responses(
        (status = 200, description = "The signed URLs", body = StationStreamUrls),
        (status = 404, description = "No such station", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stations/{id}/stream-url")]
pub async fn stream_url(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
) -> ApiResult<Json<StationStreamUrls>> {
    Ok(Json(stations::stream_urls(&state, &user, &id).await?))
}

/// A header value from text: control characters dropped (UTF-8 passes as
/// the obsolete-text bytes HTTP allows; players read it as UTF-8).
fn text_header(text: &str) -> Option<HeaderValue> {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    HeaderValue::from_bytes(clean.as_bytes()).ok()
}

/// The station's live MP3 stream (`audio/mpeg`, 128 kbit/s, 44.1 kHz),
/// from its live point, for as long as the connection stays open. With
/// `Icy-MetaData: 1` it carries ICY metadata (`icy-metaint` bytes of audio,
/// then a `StreamTitle` block). Public stations need no credentials;
/// listeners-only ones a bearer token or a signed URL (`exp`, `sig`).
/// `503` when this instance has as many listeners as it serves.
#[utoipa::path(
    tag = "radio",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Station id"), StreamQuery),
    responses(
        (status = 200, description = "The endless stream", content_type = "audio/mpeg"),
        (status = 404, description = "No such station, or not one you may hear", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "This instance is full", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stations/{id}/stream")]
pub async fn stream(
    state: Data<AppState>,
    req: HttpRequest,
    user: MaybeUser,
    id: Path<String>,
    query: Query<StreamQuery>,
) -> ApiResult<HttpResponse> {
    let icy = req
        .headers()
        .get("icy-metadata")
        .is_some_and(|value| value.as_bytes().trim_ascii() == b"1");
    let opened = radio_stream::open(&state, query.listener(&user), &id, icy).await?;
    let mut response = HttpResponse::Ok();
    response
        .content_type("audio/mpeg")
        // Compression would only delay audio (and Compress leaves
        // answers with an encoding alone).
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((header::CACHE_CONTROL, "no-cache, no-store"))
        .insert_header(("icy-br", "128"))
        .insert_header(("icy-pub", "0"))
        .insert_header((
            "x-soundstream-first-frame-at",
            opened.first_frame_at_ms.to_string(),
        ));
    if let Some(name) = text_header(&opened.name) {
        response.insert_header((HeaderName::from_static("icy-name"), name));
    }
    if let Some(description) = opened.description.as_deref().and_then(text_header) {
        response.insert_header((HeaderName::from_static("icy-description"), description));
    }
    if let Some(metaint) = opened.metaint {
        response.insert_header(("icy-metaint", metaint.to_string()));
    }
    let body = futures_util::stream::unfold(opened.chunks, |mut chunks| async move {
        chunks
            .recv()
            .await
            .map(|chunk| (Ok::<Bytes, actix_web::Error>(chunk), chunks))
    });
    Ok(response.streaming(body))
}

/// The URL an audio app opens for the station: plain for a public one,
/// signed for a listeners-only one.
async fn listen_url(
    state: &AppState,
    user: &MaybeUser,
    query: &StreamQuery,
    id: &str,
) -> Result<(String, String), ServiceError> {
    let station = stations::audible(state, query.listener(user), id).await?;
    let url = match (&user.0, station.is_public) {
        (_, true) => format!("{}{}", state.public_origin, stations::stream_path(id)),
        (Some(user), false) => stations::stream_urls(state, user, id).await?.stream,
        (None, false) => {
            // Only a valid signed URL gets here: pass its signature on.
            let (exp, sig) = (
                query.exp.unwrap_or_default(),
                query.sig.clone().unwrap_or_default(),
            );
            format!(
                "{}{}?exp={exp}&sig={sig}",
                state.public_origin,
                stations::stream_path(id)
            )
        }
    };
    Ok((station.name, url))
}

/// An M3U playlist of the station's stream, for audio apps.
#[utoipa::path(
    tag = "radio",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Station id"), StreamQuery),
    responses(
        (status = 200, description = "The playlist", content_type = "audio/x-mpegurl"),
        (status = 404, description = "No such station, or not one you may hear", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stations/{id}/stream.m3u")]
pub async fn stream_m3u(
    state: Data<AppState>,
    user: MaybeUser,
    id: Path<String>,
    query: Query<StreamQuery>,
) -> ApiResult<HttpResponse> {
    let (name, url) = listen_url(&state, &user, &query, &id).await?;
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    Ok(HttpResponse::Ok()
        .content_type("audio/x-mpegurl")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(format!("#EXTM3U\n#EXTINF:-1,{name}\n{url}\n")))
}

/// A PLS playlist of the station's stream, for audio apps.
#[utoipa::path(
    tag = "radio",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Station id"), StreamQuery),
    responses(
        (status = 200, description = "The playlist", content_type = "audio/x-scpls"),
        (status = 404, description = "No such station, or not one you may hear", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stations/{id}/stream.pls")]
pub async fn stream_pls(
    state: Data<AppState>,
    user: MaybeUser,
    id: Path<String>,
    query: Query<StreamQuery>,
) -> ApiResult<HttpResponse> {
    let (name, url) = listen_url(&state, &user, &query, &id).await?;
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    Ok(HttpResponse::Ok()
        .content_type("audio/x-scpls")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(format!(
            "[playlist]\nNumberOfEntries=1\nFile1={url}\nTitle1={name}\nLength1=-1\nVersion=2\n"
        )))
}
