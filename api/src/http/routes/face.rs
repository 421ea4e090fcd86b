//! Face login: `PUT|GET|DELETE /api/v1/me/face` (enrolment) and
//! `POST /api/v1/auth/face-login`. Answers 503 when no face provider is
//! configured. Face login shares password login's brute-force protection
//! and gives one answer for an unknown user, a user without enrolment and
//! a face that does not match.

use std::sync::Arc;

use actix_web::web::{Data, Json, Payload};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use soundstream_face::{EnrolledFace, FaceError, FaceVerifier, ImageSource};
use soundstream_media::{DetectedFormat, ImageFormat, sniff};
use soundstream_storage::ObjectKey;
use soundstream_types::{
    EnrolFaceRequest, FaceEnrolment, FaceLoginRequest, Problem, TokenResponse, UploadKind,
};

use crate::auth::AuthUser;
use crate::auth::sessions;
use crate::auth::throttle::login_keys;
use crate::body::{media_type, parse_json, read_limited};
use crate::clock::{now_millis, rfc3339};
use crate::config::StorageSettings;
use crate::domain::field_error;
use crate::error::{ApiError, ApiResult, error_chain};
use crate::media_urls::MediaUrls;
use crate::persistence::faces::{self, FaceRecord};
use crate::persistence::{garbage, uploads, users};
use crate::routes::uploads::unusable_upload;
use crate::startup::AppState;
use crate::storage::new_object_key;

/// Largest face image: Rekognition's limit for image bytes.
pub const FACE_IMAGE_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Base64 adds a third, plus the JSON around it.
const FACE_LOGIN_BODY_MAX_BYTES: usize = FACE_IMAGE_MAX_BYTES / 3 * 4 + 64 * 1024;

fn provider(state: &AppState) -> Result<Arc<dyn FaceVerifier>, ApiError> {
    state.face.clone().ok_or_else(|| {
        ApiError::FeatureDisabled("Face login is not enabled on this server.".into())
    })
}

/// A JPEG or PNG of at most 5 MB, by its bytes.
fn face_image(bytes: &[u8], field: &str) -> Result<ImageFormat, ApiError> {
    if bytes.len() > FACE_IMAGE_MAX_BYTES {
        return Err(ApiError::PayloadTooLarge {
            limit: FACE_IMAGE_MAX_BYTES,
        });
    }
    match sniff(bytes) {
        Some(DetectedFormat::Image(format @ (ImageFormat::Jpeg | ImageFormat::Png))) => Ok(format),
        _ => Err(ApiError::Validation {
            detail: "The face picture must be a JPEG or PNG image.".into(),
            errors: vec![field_error(field, "must be a JPEG or PNG image")],
        }),
    }
}

/// Provider faults are the provider's; image problems are the caller's.
fn provider_error(error: FaceError) -> ApiError {
    match error {
        FaceError::Unavailable {
            reason,
            retry_after,
        } => {
            tracing::warn!(%reason, "face provider unavailable");
            ApiError::ProviderUnavailable {
                detail: "The face service is busy or unreachable; try again shortly.".into(),
                retry_after,
            }
        }
        FaceError::Provider(reason) => {
            tracing::error!(%reason, "face provider failed");
            ApiError::ProviderFailed("The face service refused the request.".into())
        }
        image => ApiError::Validation {
            detail: format!("The picture cannot be used: {image}."),
            errors: vec![field_error("image", image.to_string())],
        },
    }
}

async fn enrolment_status(state: &AppState, user_id: &str) -> Result<FaceEnrolment, ApiError> {
    let mut conn = state.db.acquire().await?;
    let record = faces::find(&mut conn, user_id).await?;
    Ok(FaceEnrolment {
        enrolled: record.is_some(),
        enrolled_at: record.as_ref().map(|r| rfc3339(r.created_at)),
        provider: record.map(|r| r.provider),
    })
}

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
    provider(&state)?;
    Ok(Json(enrolment_status(&state, &user.id).await?))
}

/// Enrols your face, replacing any earlier enrolment: send a JPEG or PNG
/// (at most 5 MB) as the body, or JSON naming a completed image upload of
/// yours. The picture must show exactly one face, sharp, well lit and
/// facing the camera; otherwise 422 says what to fix. The image is kept
/// privately in media storage.
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
    let verifier = provider(&state)?;
    let store = state.storage.store.clone();
    let image = match media_type(&req).as_str() {
        "image/jpeg" | "image/png" => read_limited(payload, FACE_IMAGE_MAX_BYTES).await?.to_vec(),
        "application/json" => {
            let body = read_limited(payload, 64 * 1024).await?;
            let request: EnrolFaceRequest = parse_json(&req, &body)?;
            let mut conn = state.db.acquire().await?;
            let upload =
                uploads::find_completed(&mut conn, &request.upload_id, &user.id, UploadKind::Image)
                    .await?
                    .ok_or_else(|| unusable_upload("upload_id", UploadKind::Image))?;
            if usize::try_from(upload.size).unwrap_or(usize::MAX) > FACE_IMAGE_MAX_BYTES {
                return Err(ApiError::PayloadTooLarge {
                    limit: FACE_IMAGE_MAX_BYTES,
                });
            }
            let key = ObjectKey::parse(&upload.object_key)
                .ok_or_else(|| ApiError::NotFound("The upload's object is not valid.".into()))?;
            store.read_range(&key, 0, upload.size).await?.to_vec()
        }
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "Send a JPEG or PNG (image/jpeg, image/png) or JSON with an upload_id, not {other:?}."
            )));
        }
    };
    let format = face_image(&image, "image")?;
    let enrolment = verifier.enrol(&image).await.map_err(provider_error)?;

    let key = new_object_key("face");
    store.put(&key, image.into(), format.content_type()).await?;
    let now = now_millis();
    let mut tx = state.db.begin_write().await?;
    if let Some(old_key) = faces::delete(&mut tx, &user.id).await? {
        garbage::enqueue(&mut tx, &old_key, now).await?;
    }
    faces::insert(
        &mut tx,
        &user.id,
        &FaceRecord {
            provider: verifier.provider().to_owned(),
            image_object_key: key.as_str().to_owned(),
            template: enrolment.template,
            created_at: now,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, provider = verifier.provider(), "face enrolled");
    Ok(Json(enrolment_status(&state, &user.id).await?))
}

/// Removes your face enrolment and its image.
#[utoipa::path(
    tag = "face",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed (also when there was none)"),
        (status = 503, description = "Face login is not enabled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/face")]
pub async fn delete_face(state: Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    provider(&state)?;
    let mut tx = state.db.begin_write().await?;
    if let Some(key) = faces::delete(&mut tx, &user.id).await? {
        garbage::enqueue(&mut tx, &key, now_millis()).await?;
    }
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

fn not_recognised() -> ApiError {
    ApiError::Unauthorized("The face was not recognised for this username.".into())
}

/// Decodes plain base64 or a `data:image/…;base64,` URL.
fn decode_image(image: &str) -> Result<Vec<u8>, ApiError> {
    let encoded = match image.split_once(";base64,") {
        Some((prefix, data)) if prefix.starts_with("data:") => data,
        _ => image,
    };
    STANDARD
        .decode(encoded.trim())
        .map_err(|_| ApiError::Validation {
            detail: "image must be a base64-encoded JPEG or PNG.".into(),
            errors: vec![field_error("image", "must be base64 (or a data: URL)")],
        })
}

/// Signs in with a username and a picture of your face, compared with your
/// enrolment. Success returns the same tokens as password login.
#[utoipa::path(
    tag = "auth",
    request_body = FaceLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Not recognised (also for unknown users and users without enrolment)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Image larger than 5 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a JPEG/PNG image", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts (shared with password login)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Face login disabled, or the face service unavailable; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/face-login")]
pub async fn face_login(
    state: Data<AppState>,
    req: HttpRequest,
    urls: MediaUrls,
    payload: Payload,
) -> ApiResult<Json<TokenResponse>> {
    let verifier = provider(&state)?;
    let body = read_limited(payload, FACE_LOGIN_BODY_MAX_BYTES).await?;
    let FaceLoginRequest { username, image } = parse_json(&req, &body)?;
    let probe = decode_image(&image)?;
    face_image(&probe, "image")?;

    let policy = &state.settings.login_throttle;
    let keys = login_keys(&req, &username, state.settings.trust_forwarded_for);
    let mut conn = state.db.acquire().await?;
    if let Some(retry_after) = policy.locked_for(&mut conn, &keys).await? {
        tracing::warn!(%username, outcome = "locked", "face login refused");
        return Err(ApiError::RateLimited { retry_after });
    }
    let user = users::find_by_login(&mut conn, &username).await?;
    let enrolment = match &user {
        Some(user) => faces::find(&mut conn, &user.id).await?,
        None => None,
    };
    drop(conn);

    let outcome = match (&user, &enrolment) {
        (Some(_), Some(enrolment)) => {
            let enrolled = enrolled_face(&state, enrolment).await?;
            verifier.verify(&probe, &enrolled).await
        }
        // Same provider work as a real comparison, so neither the answer
        // nor its timing tells whether the account or enrolment exists.
        _ => verifier
            .enrol(&probe)
            .await
            .map(|_| soundstream_face::Verification {
                matched: false,
                similarity: 0.0,
            }),
    };
    let verification = match outcome {
        Ok(verification) => verification,
        Err(error) if error.is_about_the_image() => soundstream_face::Verification {
            matched: false,
            similarity: 0.0,
        },
        Err(error) => {
            tracing::warn!(%username, outcome = "unavailable", error = %error, "face login not decided");
            return Err(provider_error(error));
        }
    };
    let mut conn = state.db.acquire().await?;
    let Some(user) = user.filter(|_| verification.matched) else {
        policy.record_failure(&mut conn, &keys).await?;
        tracing::info!(%username, outcome = "no_match", similarity = verification.similarity, "face login failed");
        return Err(not_recognised());
    };
    if user.disabled {
        tracing::info!(user_id = %user.id, outcome = "disabled", "face login refused");
        return Err(ApiError::Forbidden(
            "This account is disabled; ask an administrator.".into(),
        ));
    }
    policy.clear_account(&mut conn, &username).await?;
    drop(conn);
    let tokens = sessions::sign_in(&state, &urls, &user).await?;
    tracing::info!(user_id = %user.id, outcome = "match", similarity = verification.similarity, "signed in with face");
    Ok(Json(tokens))
}

/// The enrolled image as the provider reads it: in place on S3, as bytes
/// from local storage.
async fn enrolled_face(state: &AppState, enrolment: &FaceRecord) -> Result<EnrolledFace, ApiError> {
    let image = match &state.settings.storage {
        StorageSettings::S3(s3) => ImageSource::S3Object {
            bucket: s3.bucket.clone(),
            key: enrolment.image_object_key.clone(),
        },
        StorageSettings::Local { .. } => {
            let key = ObjectKey::parse(&enrolment.image_object_key).ok_or_else(|| {
                ApiError::ProviderFailed("The enrolled face image is missing.".into())
            })?;
            let bytes = state
                .storage
                .store
                .read_range(&key, 0, FACE_IMAGE_MAX_BYTES as u64)
                .await
                .map_err(|error| {
                    tracing::error!(error = %error_chain(&error), "enrolled face image unreadable");
                    ApiError::Storage(error)
                })?;
            ImageSource::Bytes(bytes.to_vec())
        }
    };
    Ok(EnrolledFace {
        image,
        template: enrolment.template.clone(),
    })
}
