//! `/api/v1/uploads`: upload sessions. The client gets a presigned request,
//! sends the bytes straight to storage, then asks for verification: size,
//! format by magic bytes, and for audio the tags, duration and cover.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, post};
use soundstream_types::{CompletedUpload, CreateUploadRequest, Problem, UploadTicket};

use crate::auth::AuthUser;
use crate::http::error::ApiResult;
use crate::services::media_urls::MediaUrls;
use crate::services::uploads;
use crate::state::AppState;

/// Starts an upload: audio (administrators) up to 200 MB as MP3, M4A/AAC,
/// Ogg Vorbis, Opus, FLAC or WAV; images up to 10 MB as JPEG, PNG or WebP,
/// within the listener's image quota (pending and completed images).
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    request_body = CreateUploadRequest,
    responses(
        (status = 201, description = "Send the file with this request", body = UploadTicket),
        (status = 403, description = "Only administrators upload audio", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Your image quota (bytes or count) would be exceeded: type urn:soundstream:problem:quota-exceeded", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Type or size not accepted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/uploads")]
pub async fn create_upload(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    body: Json<CreateUploadRequest>,
) -> ApiResult<HttpResponse> {
    let ticket = uploads::create_upload(&state, &urls, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(ticket))
}

/// Verifies an upload once its bytes are in storage: the size must match,
/// the magic bytes must match the declared type (otherwise the object is
/// deleted and the answer says why), images must be at most 40 megapixels
/// and audio must be readable. An upload is completed once: its upload URL
/// then stops working and the verified file can no longer change. Answers
/// with the tags, duration and any embedded cover (stored as an image
/// upload). Only the uploader may complete an upload.
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses(
        (status = 200, description = "Verified", body = CompletedUpload),
        (status = 404, description = "No such upload of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The file has not been sent yet, or the upload is already complete", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file was refused (wrong size or type, over 40 megapixels, unreadable) and deleted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/uploads/{id}/complete")]
pub async fn complete_upload(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    let completed = uploads::complete_upload(&state, &urls, &user, &id).await?;
    Ok(HttpResponse::Ok().json(completed))
}
