//! Face login: `PUT|GET|DELETE /api/v1/me/face` (enrolment),
//! `POST /api/v1/auth/face-login/challenge` (liveness) and
//! `POST /api/v1/auth/face-login`. Answers 503 when no face provider is
//! configured. Face login shares password login's brute-force protection
//! and gives one answer for an unknown user, a user without enrolment and
//! a face that does not match.

use actix_web::web::{Data, Json, Payload};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put};
use soundstream_types::{
    EnrolFaceRequest, FaceChallenge, FaceChallengeRequest, FaceEnrolment, FaceLoginRequest,
    Problem, TokenResponse,
};

use crate::auth::AuthUser;
use crate::http::body::{media_type, parse_json, read_limited};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extractors::ClientAddress;
use crate::services::accounts;
use crate::services::face::{self, EnrolImage, FACE_IMAGE_MAX_BYTES, FACE_LOGIN_BODY_MAX_BYTES};
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// Whether you have enrolled a face, and since when.
#[utoipa::path(
    tag = "face",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Enrolment status", body = FaceEnrolment),
        (status = 503, description = "Face login is not enabled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/face")]
pub async fn get_face(state: Data<AppState>, user: AuthUser) -> ApiResult<Json<FaceEnrolment>> {
    Ok(Json(face::enrolment(&state, &user).await?))
}

/// Enrols your face, replacing any earlier enrolment: send a JPEG or PNG
/// (at most 5 MB) as the body, or JSON naming a completed image upload of
/// yours. The picture must show exactly one face, sharp, well lit and
/// facing the camera; otherwise 422 says what to fix. The image is kept
/// privately in media storage. Needs a password confirmation from the
/// last five minutes (`POST /auth/confirm`).
#[utoipa::path(
    tag = "face",
    security(("bearer" = [])),
    request_body(content(
        (EnrolFaceRequest = "application/json"),
        (Vec<u8> = "image/jpeg"),
        (Vec<u8> = "image/png"),
    )),
    responses(
        (status = 200, description = "Enrolled", body = FaceEnrolment),
        (status = 403, description = "No password confirmation in this session in the last five minutes (POST /auth/confirm)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 5 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor a JPEG/PNG body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not usable: no face, several faces, blurry, too dark or bright, turned away", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Face login disabled, or the face service unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/face")]
pub async fn enrol_face(
    state: Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    payload: Payload,
) -> ApiResult<Json<FaceEnrolment>> {
    face::provider(&state)?;
    let image = match media_type(&req).as_str() {
        "image/jpeg" | "image/png" => {
            EnrolImage::Bytes(read_limited(payload, FACE_IMAGE_MAX_BYTES).await?.to_vec())
        }
        "application/json" => {
            let body = read_limited(payload, 64 * 1024).await?;
            let request: EnrolFaceRequest = parse_json(&req, &body)?;
            EnrolImage::Upload(request.upload_id)
        }
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "Send a JPEG or PNG (image/jpeg, image/png) or JSON with an upload_id, not {other:?}."
            )));
        }
    };
    Ok(Json(face::enrol(&state, &user, image).await?))
}

/// Removes your face enrolment and its image. Needs a password
/// confirmation from the last five minutes (`POST /auth/confirm`).
#[utoipa::path(
    tag = "face",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed (also when there was none)"),
        (status = 403, description = "No password confirmation in this session in the last five minutes (POST /auth/confirm)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Face login is not enabled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/face")]
pub async fn delete_face(state: Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    face::remove(&state, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Starts a face login with a liveness challenge: which way to turn your
/// head (your own left or right) and until when (about a minute). Single
/// use. The same answer whether or not the username exists or has enrolled
/// a face. 409 when this server's liveness check is off (send one `image`
/// to `/auth/face-login` instead).
#[utoipa::path(
    tag = "auth",
    request_body = FaceChallengeRequest,
    responses(
        (status = 200, description = "The challenge", body = FaceChallenge),
        (status = 409, description = "This server's liveness check is off: no challenge is needed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No username", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many challenges or failed attempts from this address; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Face login disabled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/face-login/challenge")]
pub async fn face_challenge(
    state: Data<AppState>,
    ClientAddress(client): ClientAddress,
    body: Json<FaceChallengeRequest>,
) -> ApiResult<Json<FaceChallenge>> {
    face::provider(&state)?;
    accounts::check_address_throttle(&state, client).await?;
    Ok(Json(
        face::challenge(&state, client, body.into_inner()).await?,
    ))
}

/// Signs in with a username and your face, compared with your enrolment.
/// With the liveness challenge (the default; `features.face_liveness` in
/// `GET /config`): `challenge_id` and `frames`, a frontal frame first,
/// then frames taken while turning your head the way the challenge asked;
/// the frames must show one live person (not copies of one still picture)
/// turning by a clear margin. With it off: one `image`. Success returns
/// the same tokens as password login.
#[utoipa::path(
    tag = "auth",
    request_body = FaceLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Not recognised (also for unknown users and users without enrolment), the liveness check failed, or the challenge expired or was used", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Pictures larger than 5 MB in all", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not JPEG/PNG pictures, or the fields this server's liveness setting needs are missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts (shared with password login)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Face login disabled, or the face service unavailable; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/face-login")]
pub async fn face_login(
    state: Data<AppState>,
    req: HttpRequest,
    ClientAddress(client): ClientAddress,
    urls: MediaUrls,
    payload: Payload,
) -> ApiResult<Json<TokenResponse>> {
    face::provider(&state)?;
    // A locked-out address is refused before its body is read.
    accounts::check_address_throttle(&state, client).await?;
    let body = read_limited(payload, FACE_LOGIN_BODY_MAX_BYTES).await?;
    let request: FaceLoginRequest = parse_json(&req, &body)?;
    Ok(Json(face::log_in(&state, &urls, client, request).await?))
}
