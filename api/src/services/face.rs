//! Face login: enrolment (a picture of the user's face, kept privately in
//! media storage) and signing in with a face compared with it, by default
//! after a liveness challenge (a head turn a photo cannot make). Refused
//! as a disabled feature when no face provider is configured. Face login
//! shares password login's brute-force protection and sign-in tail, and
//! gives one answer for an unknown user, a user without enrolment and a
//! face that does not match.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use soundstream_face::{
    EnrolledFace, FaceError, FaceVerifier, ImageSource, LivenessError, LivenessRules, Verification,
    verify_live,
};
use soundstream_media::{DetectedFormat, ImageFormat, check_image, sniff};
use soundstream_storage::ObjectKey;
use soundstream_types::{
    FaceChallenge, FaceChallengeRequest, FaceEnrolment, FaceLoginRequest, Role, TokenResponse,
    TurnDirection, UploadKind,
};

use crate::auth::AuthUser;
use crate::auth::throttle::{SignInAttempt, address_key};
use crate::clock::{millis, now_millis, rfc3339};
use crate::config::{FaceLiveness, StorageSettings};
use crate::domain::field_error;
use crate::persistence::faces::{self, ChallengeRecord, FaceRecord};
use crate::persistence::{garbage, uploads, users};
use crate::services::accounts::{Proof, check_throttle, finish_sign_in};
use crate::services::media_urls::MediaUrls;
use crate::services::sessions;
use crate::services::{ServiceError, ServiceResult, unusable_upload, within_rate_limit};
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
        needs_confirmation: record.as_ref().is_some_and(|r| r.suspended_at.is_some()),
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
/// privately in media storage. Needs a recent password confirmation.
pub async fn enrol(
    state: &AppState,
    user: &AuthUser,
    image: EnrolImage,
) -> ServiceResult<FaceEnrolment> {
    let verifier = provider(state)?;
    sessions::require_confirmed(state, user).await?;
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
            suspended_at: None,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, provider = verifier.provider(), "face enrolled");
    enrolment_status(state, &user.id).await
}

/// Removes the user's face enrolment and its image. Needs a recent
/// password confirmation.
pub async fn remove(state: &AppState, user: &AuthUser) -> ServiceResult<()> {
    provider(state)?;
    sessions::require_confirmed(state, user).await?;
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
fn decode_image(image: &str, field: &str) -> Result<Vec<u8>, ServiceError> {
    let encoded = match image.split_once(";base64,") {
        Some((prefix, data)) if prefix.starts_with("data:") => data,
        _ => image,
    };
    STANDARD
        .decode(encoded.trim())
        .map_err(|_| ServiceError::Validation {
            detail: format!("{field} must be a base64-encoded JPEG or PNG."),
            errors: vec![field_error(field, "must be base64 (or a data: URL)")],
        })
}

/// How long a liveness challenge can be answered.
const CHALLENGE_LIFETIME: Duration = Duration::from_secs(60);
/// Challenges one client address may ask for in an hour: a login takes
/// one, a retry another.
const CHALLENGES_PER_HOUR: u32 = 300;

fn missing(field: &str, detail: &str) -> ServiceError {
    ServiceError::Validation {
        detail: detail.to_owned(),
        errors: vec![field_error(field, "is required")],
    }
}

/// A single-use liveness challenge for face login: which way to turn the
/// head, and until when. The same answer whether or not the username
/// exists or has enrolled a face.
pub async fn challenge(
    state: &AppState,
    client: Option<IpAddr>,
    request: FaceChallengeRequest,
) -> ServiceResult<FaceChallenge> {
    provider(state)?;
    if state.settings.face.liveness == FaceLiveness::Off {
        return Err(ServiceError::Conflict {
            detail: "Face login on this server takes one picture (image); no challenge is needed."
                .into(),
            errors: Vec::new(),
        });
    }
    let username = request.username.trim();
    if username.is_empty() || username.chars().count() > 320 {
        return Err(ServiceError::Validation {
            detail: "username must be your username or email.".into(),
            errors: vec![field_error("username", "must be 1 to 320 characters")],
        });
    }
    let mut random = [0_u8; 16];
    rand::fill(&mut random);
    let direction = if random[0] & 1 == 0 {
        TurnDirection::Left
    } else {
        TurnDirection::Right
    };
    let now = now_millis();
    let record = ChallengeRecord {
        id: hex::encode(random),
        username: username.to_owned(),
        direction: direction_name(direction).to_owned(),
        expires_at: now + millis(CHALLENGE_LIFETIME),
    };
    let mut tx = state.db.begin_write().await?;
    if let Some(client) = client {
        let key = format!("face-challenge:{}", address_key(client));
        within_rate_limit(
            &mut tx,
            &key,
            Duration::from_secs(60 * 60),
            CHALLENGES_PER_HOUR,
        )
        .await?;
    }
    faces::insert_challenge(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(FaceChallenge {
        challenge_id: record.id,
        direction,
        expires_at: rfc3339(record.expires_at),
    })
}

fn direction_name(direction: TurnDirection) -> &'static str {
    match direction {
        TurnDirection::Left => "left",
        TurnDirection::Right => "right",
    }
}

/// What a face login shows: one picture, or the frames of a head turn.
enum Evidence {
    Still(Vec<u8>),
    Turn {
        frames: Vec<Vec<u8>>,
        direction: soundstream_face::TurnDirection,
    },
}

impl Evidence {
    /// The picture an unknown user's "enrolment" is: the probe itself.
    fn probe(&self) -> &[u8] {
        match self {
            Self::Still(probe) => probe,
            Self::Turn { frames, .. } => frames.first().map_or(&[][..], Vec::as_slice),
        }
    }
}

/// The frames, each a JPEG or PNG, as many as the liveness rules take and
/// all of them together within one picture's size.
fn decode_frames(frames: &[String], max_frames: usize) -> Result<Vec<Vec<u8>>, ServiceError> {
    if frames.is_empty() || frames.len() > max_frames {
        return Err(ServiceError::Validation {
            detail: format!("frames must hold 1 to {max_frames} pictures."),
            errors: vec![field_error(
                "frames",
                format!("must hold 1 to {max_frames} pictures"),
            )],
        });
    }
    let mut decoded = Vec::with_capacity(frames.len());
    let mut total = 0;
    for (index, frame) in frames.iter().enumerate() {
        let field = format!("frames[{index}]");
        let bytes = decode_image(frame, &field)?;
        total += bytes.len();
        if total > FACE_IMAGE_MAX_BYTES {
            return Err(ServiceError::TooLarge {
                limit: FACE_IMAGE_MAX_BYTES,
            });
        }
        face_image(&bytes, &field)?;
        decoded.push(bytes);
    }
    Ok(decoded)
}

/// Reads what the request shows, as this server's liveness setting asks,
/// using up the challenge (it answers once, right or wrong).
async fn evidence(state: &AppState, request: FaceLoginRequest) -> ServiceResult<Evidence> {
    match state.settings.face.liveness {
        FaceLiveness::Off => {
            let image = request
                .image
                .ok_or_else(|| missing("image", "image is required: a picture of your face."))?;
            let probe = decode_image(&image, "image")?;
            face_image(&probe, "image")?;
            Ok(Evidence::Still(probe))
        }
        FaceLiveness::Challenge => {
            const TURN_NEEDED: &str = "This server asks for a head turn: get a challenge \
                 (POST /auth/face-login/challenge), then send challenge_id and frames.";
            let challenge_id = request
                .challenge_id
                .ok_or_else(|| missing("challenge_id", TURN_NEEDED))?;
            let frames = request
                .frames
                .ok_or_else(|| missing("frames", TURN_NEEDED))?;
            let frames = decode_frames(&frames, LivenessRules::default().max_frames)?;
            let mut conn = state.db.acquire().await?;
            let challenge = faces::take_challenge(&mut conn, &challenge_id).await?;
            drop(conn);
            let direction = challenge
                .filter(|challenge| {
                    challenge.expires_at >= now_millis()
                        && challenge.username.trim().to_lowercase()
                            == request.username.trim().to_lowercase()
                })
                .and_then(|challenge| match challenge.direction.as_str() {
                    "left" => Some(soundstream_face::TurnDirection::Left),
                    "right" => Some(soundstream_face::TurnDirection::Right),
                    _ => None,
                })
                .ok_or_else(|| {
                    ServiceError::Unauthorized(
                        "This challenge has expired or was already used: start again.".into(),
                    )
                })?;
            Ok(Evidence::Turn { frames, direction })
        }
    }
}

/// Signs in with a username and your face, compared with your enrolment:
/// with the liveness challenge (the default) a frontal frame and frames of
/// the head turn asked for; with it off, one picture. Success returns the
/// same tokens as password login.
///
/// The throttle is checked before any image work, and a failure is counted
/// before the provider is asked (taken back on success), so parallel
/// attempts cannot outrun the lockout. An unknown user, a user without a
/// usable enrolment (none, suspended, or an administrator when the
/// operator does not allow face login for them) and a face that does not
/// match get the same answer after the same provider work; a liveness
/// refusal depends on the frames alone, so it tells nothing about the
/// account either.
pub async fn log_in(
    state: &AppState,
    urls: &MediaUrls,
    client: Option<IpAddr>,
    request: FaceLoginRequest,
) -> ServiceResult<TokenResponse> {
    let verifier = provider(state)?;
    let username = request.username.clone();
    let attempt = SignInAttempt::new(&username, client);
    check_throttle(state, &attempt).await?;
    let evidence = evidence(state, request).await?;

    let mut conn = state.db.acquire().await?;
    let too_late = state
        .settings
        .login_throttle
        .record_failure(&mut conn, &attempt)
        .await?;
    if too_late {
        // Parallel attempts that all passed the check above: only those
        // within the allowance reach the provider.
        drop(conn);
        check_throttle(state, &attempt).await?;
        return Err(ServiceError::RateLimited {
            retry_after: std::time::Duration::from_secs(1),
        });
    }
    let user = users::find_by_login(&mut conn, &username).await?;
    let enrolment = match &user {
        Some(user) if user.role != Role::Admin || state.settings.face_login_admins => {
            faces::find(&mut conn, &user.id)
                .await?
                .filter(|enrolment| enrolment.suspended_at.is_none())
        }
        _ => None,
    };
    drop(conn);

    // The same provider work whatever the account: an unknown user or one
    // without a usable enrolment has the probe compared with itself (the
    // result ignored), so neither the answer nor the work done tells
    // whether the account or its enrolment exists.
    let enrolled = match &enrolment {
        Some(enrolment) => enrolled_face(state, enrolment).await?,
        None => EnrolledFace {
            image: ImageSource::Bytes(evidence.probe().to_vec()),
            template: None,
        },
    };
    let outcome = match &evidence {
        Evidence::Still(probe) => verifier.verify(probe, &enrolled).await.map(Ok),
        Evidence::Turn { frames, direction } => {
            let rules = LivenessRules::default();
            match verify_live(verifier.as_ref(), frames, &enrolled, *direction, &rules).await {
                Ok(verification) => Ok(Ok(verification)),
                Err(LivenessError::Refused(refusal)) => Ok(Err(refusal)),
                Err(LivenessError::Face(error)) => Err(error),
            }
        }
    };
    let mut refusal = not_recognised();
    let verification = match outcome {
        Ok(Ok(verification)) => verification,
        Ok(Err(liveness_refusal)) => {
            tracing::info!(?username, refusal = %liveness_refusal, "face login: liveness refused");
            refusal = ServiceError::Unauthorized(format!(
                "The liveness check failed: {liveness_refusal} Start again."
            ));
            not_matched()
        }
        Err(error) if error.is_about_the_image() => not_matched(),
        Err(error) => {
            // Not the caller's failure: take back the one counted in advance.
            let mut conn = state.db.acquire().await?;
            state
                .settings
                .login_throttle
                .forgive(&mut conn, &attempt)
                .await?;
            tracing::warn!(?username, outcome = "unavailable", error = %error, "face login not decided");
            return Err(provider_error(error));
        }
    };
    tracing::debug!(
        ?username,
        similarity = verification.similarity,
        "face compared"
    );
    let matched = verification.matched && enrolment.is_some();
    finish_sign_in(
        state,
        urls,
        Proof {
            method: "face",
            attempt: &attempt,
            counted_in_advance: true,
            user: user.filter(|_| matched),
            refusal,
        },
    )
    .await
}

fn not_matched() -> Verification {
    Verification {
        matched: false,
        similarity: 0.0,
    }
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
