//! Face login: enrolment (a picture of the user's face, kept privately in
//! media storage) and signing in with a picture compared with it. Refused
//! as a disabled feature when no face provider is configured. Face login
//! shares password login's brute-force protection and sign-in tail, and
//! gives one answer for an unknown user, a user without enrolment and a
//! face that does not match.

use std::sync::Arc;

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use soundstream_face::{EnrolledFace, FaceError, FaceVerifier, ImageSource};
use soundstream_media::{DetectedFormat, ImageFormat, check_image, sniff};
use soundstream_storage::ObjectKey;
use soundstream_types::{FaceEnrolment, FaceLoginRequest, TokenResponse, UploadKind};

use crate::auth::AuthUser;
use crate::auth::throttle::login_keys;
use crate::clock::{now_millis, rfc3339};
use crate::config::StorageSettings;
use crate::domain::field_error;
use crate::persistence::faces::{self, FaceRecord};
use crate::persistence::{garbage, uploads, users};
use crate::services::accounts::{Proof, check_throttle, finish_sign_in};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult, unusable_upload};
use crate::state::AppState;
use crate::storage::new_object_key;
use crate::telemetry::error_chain;

/// Largest face image: Rekognition's limit for image bytes.
pub const FACE_IMAGE_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Base64 adds a third, plus the JSON around it.
pub const FACE_LOGIN_BODY_MAX_BYTES: usize = FACE_IMAGE_MAX_BYTES / 3 * 4 + 64 * 1024;

pub fn provider(state: &AppState) -> Result<Arc<dyn FaceVerifier>, ServiceError> {
    state.face.clone().ok_or_else(|| {
        ServiceError::FeatureDisabled("Face login is not enabled on this server.".into())
    })
}

/// A JPEG or PNG of at most 5 MB, by its bytes.
fn face_image(bytes: &[u8], field: &str) -> Result<ImageFormat, ServiceError> {
    if bytes.len() > FACE_IMAGE_MAX_BYTES {
        return Err(ServiceError::TooLarge {
            limit: FACE_IMAGE_MAX_BYTES,
        });
    }
    let format = match sniff(bytes) {
        Some(DetectedFormat::Image(format @ (ImageFormat::Jpeg | ImageFormat::Png))) => format,
        _ => {
            return Err(ServiceError::Validation {
                detail: "The face picture must be a JPEG or PNG image.".into(),
                errors: vec![field_error(field, "must be a JPEG or PNG image")],
            });
        }
    };
    // Measured before any provider decodes it: a few bytes can declare
    // gigapixels.
    check_image(format, bytes).map_err(|error| {
        let reason = error.to_string();
        ServiceError::Validation {
            detail: format!("The face picture is not usable: {reason}."),
            errors: vec![field_error(field, reason)],
        }
    })?;
    Ok(format)
}

/// Provider faults are the provider's; image problems are the caller's.
fn provider_error(error: FaceError) -> ServiceError {
    match error {
        FaceError::Unavailable {
            reason,
            retry_after,
        } => {
            tracing::warn!(%reason, "face provider unavailable");
            ServiceError::ProviderUnavailable {
                detail: "The face service is busy or unreachable; try again shortly.".into(),
                retry_after,
            }
        }
        FaceError::Provider(reason) => {
            tracing::error!(%reason, "face provider failed");
            ServiceError::ProviderFailed("The face service refused the request.".into())
        }
        image => ServiceError::Validation {
            detail: format!("The picture cannot be used: {image}."),
            errors: vec![field_error("image", image.to_string())],
        },
    }
}

async fn enrolment_status(state: &AppState, user_id: &str) -> Result<FaceEnrolment, ServiceError> {
    let mut conn = state.db.acquire().await?;
    let record = faces::find(&mut conn, user_id).await?;
    Ok(FaceEnrolment {
        enrolled: record.is_some(),
        enrolled_at: record.as_ref().map(|r| rfc3339(r.created_at)),
        provider: record.map(|r| r.provider),
    })
}

/// Whether the user has enrolled a face, and since when.
pub async fn enrolment(state: &AppState, user: &AuthUser) -> ServiceResult<FaceEnrolment> {
    provider(state)?;
    enrolment_status(state, &user.id).await
}

/// The picture to enrol.
pub enum EnrolImage {
    /// A JPEG or PNG sent as the body.
    Bytes(Vec<u8>),
    /// A completed image upload of the user's.
    Upload(String),
}

/// Enrols your face, replacing any earlier enrolment: send a JPEG or PNG
/// (at most 5 MB) as the body, or JSON naming a completed image upload of
/// yours. The picture must show exactly one face, sharp, well lit and
/// facing the camera; otherwise 422 says what to fix. The image is kept
/// privately in media storage.
pub async fn enrol(
    state: &AppState,
    user: &AuthUser,
    image: EnrolImage,
) -> ServiceResult<FaceEnrolment> {
    let verifier = provider(state)?;
    let store = state.storage.store.clone();
    let image = match image {
        EnrolImage::Bytes(bytes) => bytes,
        EnrolImage::Upload(upload_id) => {
            let mut conn = state.db.acquire().await?;
            let upload =
                uploads::find_completed(&mut conn, &upload_id, &user.id, UploadKind::Image)
                    .await?
                    .ok_or_else(|| unusable_upload("upload_id", UploadKind::Image))?;
            if usize::try_from(upload.size).unwrap_or(usize::MAX) > FACE_IMAGE_MAX_BYTES {
                return Err(ServiceError::TooLarge {
                    limit: FACE_IMAGE_MAX_BYTES,
                });
            }
            let key = ObjectKey::parse(&upload.object_key).ok_or_else(|| {
                ServiceError::NotFound("The upload's object is not valid.".into())
            })?;
            store.read_range(&key, 0, upload.size).await?.to_vec()
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
    enrolment_status(state, &user.id).await
}

/// Removes the user's face enrolment and its image.
pub async fn remove(state: &AppState, user: &AuthUser) -> ServiceResult<()> {
    provider(state)?;
    let mut tx = state.db.begin_write().await?;
    if let Some(key) = faces::delete(&mut tx, &user.id).await? {
        garbage::enqueue(&mut tx, &key, now_millis()).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn not_recognised() -> ServiceError {
    ServiceError::Unauthorized("The face was not recognised for this username.".into())
}

/// Decodes plain base64 or a `data:image/…;base64,` URL.
fn decode_image(image: &str) -> Result<Vec<u8>, ServiceError> {
    let encoded = match image.split_once(";base64,") {
        Some((prefix, data)) if prefix.starts_with("data:") => data,
        _ => image,
    };
    STANDARD
        .decode(encoded.trim())
        .map_err(|_| ServiceError::Validation {
            detail: "image must be a base64-encoded JPEG or PNG.".into(),
            errors: vec![field_error("image", "must be base64 (or a data: URL)")],
        })
}

/// Signs in with a username and a picture of your face, compared with your
/// enrolment. Success returns the same tokens as password login.
pub async fn log_in(
    state: &AppState,
    urls: &MediaUrls,
    client: Option<IpAddr>,
    request: FaceLoginRequest,
) -> ServiceResult<TokenResponse> {
    let verifier = provider(state)?;
    let FaceLoginRequest { username, image } = request;
    let probe = decode_image(&image)?;
    face_image(&probe, "image")?;

    let keys = login_keys(&username, client);
    check_throttle(state, &keys).await?;
    let mut conn = state.db.acquire().await?;
    let user = users::find_by_login(&mut conn, &username).await?;
    let enrolment = match &user {
        Some(user) => faces::find(&mut conn, &user.id).await?,
        None => None,
    };
    drop(conn);

    let outcome = match (&user, &enrolment) {
        (Some(_), Some(enrolment)) => {
            let enrolled = enrolled_face(state, enrolment).await?;
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
            tracing::warn!(?username, outcome = "unavailable", error = %error, "face login not decided");
            return Err(provider_error(error));
        }
    };
    tracing::debug!(
        ?username,
        similarity = verification.similarity,
        "face compared"
    );
    finish_sign_in(
        state,
        urls,
        Proof {
            method: "face",
            login: &username,
            keys: &keys,
            user: user.filter(|_| verification.matched),
            refusal: not_recognised(),
        },
    )
    .await
}

/// The enrolled image as the provider reads it: in place on S3, as bytes
/// from local storage.
async fn enrolled_face(
    state: &AppState,
    enrolment: &FaceRecord,
) -> Result<EnrolledFace, ServiceError> {
    let image = match &state.settings.storage {
        StorageSettings::S3(s3) => ImageSource::S3Object {
            bucket: s3.bucket.clone(),
            key: enrolment.image_object_key.clone(),
        },
        StorageSettings::Local { .. } => {
            let key = ObjectKey::parse(&enrolment.image_object_key).ok_or_else(|| {
                ServiceError::ProviderFailed("The enrolled face image is missing.".into())
            })?;
            let bytes = state
                .storage
                .store
                .read_range(&key, 0, FACE_IMAGE_MAX_BYTES as u64)
                .await
                .map_err(|error| {
                    tracing::error!(error = %error_chain(&error), "enrolled face image unreadable");
                    ServiceError::Storage(error)
                })?;
            ImageSource::Bytes(bytes.to_vec())
        }
    };
    Ok(EnrolledFace {
        image,
        template: enrolment.template.clone(),
    })
}
