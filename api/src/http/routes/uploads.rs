//! `/api/v1/uploads`: upload sessions. The client gets a presigned request,
//! sends the bytes straight to storage, then asks for verification: size,
//! format by magic bytes, and for audio the tags, duration and cover.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, post};
use soundstream_media::{
    AudioFormat, DetectedFormat, EmbeddedPicture, ImageFormat, SNIFF_LEN, id3v2_len,
    read_audio_metadata, sniff,
};
use soundstream_storage::{ObjectKey, ObjectStore, RangeReader};
use soundstream_types::{
    AudioTags, CompletedUpload, CreateUploadRequest, EmbeddedCover, Problem, Role, UploadKind,
    UploadTicket,
};

use crate::auth::AuthUser;
use crate::clock::{now_millis, rfc3339};
use crate::db::Database;
use crate::domain::field_error;
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::persistence::uploads::{self, NewUpload, UploadRecord};
use crate::startup::AppState;
use crate::storage::{MediaStorage, new_object_key};

pub const AUDIO_MAX_BYTES: u64 = 200 * 1024 * 1024;
pub const IMAGE_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// How long the presigned upload request stays valid.
pub const UPLOAD_URL_LIFETIME: Duration = Duration::from_secs(15 * 60);
const FILENAME_MAX_CHARS: usize = 255;

/// A picture found in an audio file, stored as a completed image upload of
/// `owner_id`, so it can be used wherever an image upload is accepted.
pub(crate) struct StoredCover {
    pub upload_id: String,
    pub object_key: ObjectKey,
    pub content_type: &'static str,
}

pub(crate) async fn store_embedded_cover(
    storage: &MediaStorage,
    db: &Database,
    owner_id: &str,
    picture: EmbeddedPicture,
) -> Result<StoredCover, ApiError> {
    let upload_id = uuid::Uuid::now_v7().to_string();
    let object_key = new_object_key(uploads::kind_name(UploadKind::Image));
    let content_type = picture.format.content_type();
    let size = picture.bytes.len() as u64;
    storage
        .store
        .put(&object_key, picture.bytes.into(), content_type)
        .await?;
    let now = now_millis();
    let mut conn = db.acquire().await?;
    uploads::insert(
        &mut conn,
        &NewUpload {
            id: &upload_id,
            owner_id,
            kind: UploadKind::Image,
            complete: true,
            object_key: object_key.as_str(),
            content_type,
            size,
            filename: None,
            created_at: now,
            expires_at: now,
        },
    )
    .await?;
    Ok(StoredCover {
        upload_id,
        object_key,
        content_type,
    })
}

/// The field error for an id that names no completed upload of `kind` of
/// the caller's.
pub(crate) fn not_a_completed_upload(
    field: &str,
    kind: UploadKind,
) -> soundstream_types::FieldError {
    field_error(
        field,
        format!(
            "must be a completed {} upload of yours",
            uploads::kind_name(kind)
        ),
    )
}

/// The same, as the refusal of the whole request.
pub(crate) fn unusable_upload(field: &str, kind: UploadKind) -> ApiError {
    ApiError::Validation {
        detail: format!(
            "{field} must name a completed {} upload of yours.",
            uploads::kind_name(kind)
        ),
        errors: vec![not_a_completed_upload(field, kind)],
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    let message = message.into();
    ApiError::Validation {
        detail: format!("{field} {message}."),
        errors: vec![field_error(field, message)],
    }
}

/// Starts an upload: audio (administrators) up to 200 MB as MP3, M4A/AAC,
/// Ogg Vorbis, Opus, FLAC or WAV; images up to 10 MB as JPEG, PNG or WebP.
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    request_body = CreateUploadRequest,
    responses(
        (status = 201, description = "Send the file with this request", body = UploadTicket),
        (status = 403, description = "Only administrators upload audio", body = Problem, content_type = "application/problem+json"),
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
    let CreateUploadRequest {
        kind,
        content_type,
        size,
        filename,
    } = body.into_inner();
    let (accepted, limit, names) = match kind {
        UploadKind::Audio => {
            if user.role != Role::Admin {
                return Err(ApiError::Forbidden(
                    "Only administrators upload music.".into(),
                ));
            }
            (
                AudioFormat::from_content_type(&content_type).is_some(),
                AUDIO_MAX_BYTES,
                "MP3, M4A/AAC, Ogg Vorbis, Opus, FLAC or WAV",
            )
        }
        UploadKind::Image => (
            ImageFormat::from_content_type(&content_type).is_some(),
            IMAGE_MAX_BYTES,
            "JPEG, PNG or WebP",
        ),
    };
    if !accepted {
        return Err(invalid(
            "content_type",
            format!("{content_type:?} is not accepted; send {names}"),
        ));
    }
    if size == 0 || size > limit {
        return Err(invalid(
            "size",
            format!("must be from 1 byte to {} MB", limit / (1024 * 1024)),
        ));
    }
    let filename = filename
        .map(|name| {
            name.trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(FILENAME_MAX_CHARS)
                .collect::<String>()
        })
        .filter(|name| !name.is_empty());

    let id = uuid::Uuid::now_v7().to_string();
    let key = new_object_key(uploads::kind_name(kind));
    let request = state
        .storage
        .store
        .presign_upload(&key, &content_type, size, UPLOAD_URL_LIFETIME)
        .await?;
    let now = now_millis();
    let expires_at = i64::try_from(
        request
            .expires_at
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
    )
    .unwrap_or(i64::MAX);
    let mut conn = state.db.acquire().await?;
    uploads::insert(
        &mut conn,
        &NewUpload {
            id: &id,
            owner_id: &user.id,
            kind,
            complete: false,
            object_key: key.as_str(),
            content_type: &content_type,
            size,
            filename: filename.as_deref(),
            created_at: now,
            expires_at,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(UploadTicket {
        id,
        url: urls.absolute(request.url),
        method: request.method,
        headers: request.headers.into_iter().collect(),
        expires_at: rfc3339(expires_at),
    }))
}

/// Verifies an upload once its bytes are in storage: the size must match,
/// the magic bytes must match the declared type (otherwise the object is
/// deleted and the answer says why), and audio must be readable. Answers
/// with the tags, duration and any embedded cover (stored as an image
/// upload). Only the uploader may complete an upload.
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses(
        (status = 200, description = "Verified", body = CompletedUpload),
        (status = 404, description = "No such upload of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The file has not been sent yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file was refused and deleted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/uploads/{id}/complete")]
pub async fn complete_upload(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.db.acquire().await?;
    let upload = uploads::find_owned(&mut conn, &id, &user.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("You have no upload with this id.".into()))?;
    drop(conn);
    let key = ObjectKey::parse(&upload.object_key)
        .ok_or_else(|| ApiError::NotFound("This upload's object is not valid anymore.".into()))?;
    let store = state.storage.store.clone();

    let Some(info) = store.head(&key).await? else {
        return Err(ApiError::Conflict {
            detail: if now_millis() > upload.expires_at {
                "The upload URL expired before the file arrived; start a new upload.".into()
            } else {
                "The file has not arrived yet: send it to the upload URL first.".into()
            },
            errors: Vec::new(),
        });
    };
    let verified = verify(&state, &store, &key, &upload, info.size, &user.id, &urls).await;
    match verified {
        Ok(audio) => {
            let mut conn = state.db.acquire().await?;
            uploads::mark_complete(&mut conn, &upload.id, now_millis()).await?;
            Ok(HttpResponse::Ok().json(CompletedUpload {
                id: upload.id,
                kind: upload.kind,
                content_type: upload.content_type,
                size: upload.size,
                filename: upload.filename,
                audio,
            }))
        }
        Err(Refusal::Refused(reason)) => {
            // The object is not what was announced: nothing of it is kept.
            store.delete(&key).await?;
            let mut conn = state.db.acquire().await?;
            uploads::delete(&mut conn, &upload.id).await?;
            tracing::info!(upload_id = %upload.id, %reason, "upload refused and deleted");
            Err(ApiError::Validation {
                detail: format!("{reason} The file was deleted; upload a valid one."),
                errors: vec![field_error("file", reason)],
            })
        }
        Err(Refusal::Failed(error)) => Err(error),
    }
}

enum Refusal {
    /// The file is wrong: delete it and say why (422).
    Refused(String),
    /// Something on our side failed: keep the file, report the fault.
    Failed(ApiError),
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        Self::Failed(error)
    }
}

impl From<crate::db::DbError> for Refusal {
    fn from(error: crate::db::DbError) -> Self {
        Self::Failed(error.into())
    }
}

impl From<soundstream_storage::StorageError> for Refusal {
    fn from(error: soundstream_storage::StorageError) -> Self {
        Self::Failed(error.into())
    }
}

async fn verify(
    state: &AppState,
    store: &Arc<dyn ObjectStore>,
    key: &ObjectKey,
    upload: &UploadRecord,
    stored_size: u64,
    owner_id: &str,
    urls: &MediaUrls,
) -> Result<Option<AudioTags>, Refusal> {
    if stored_size != upload.size {
        return Err(Refusal::Refused(format!(
            "The file is {stored_size} bytes, but {} were announced.",
            upload.size
        )));
    }
    let head = store.read_range(key, 0, SNIFF_LEN as u64).await?;
    let mut detected = sniff(&head);
    // A large ID3v2 tag (cover art) can hide what follows it: look past it.
    if let Some(tag_len) = id3v2_len(&head).filter(|len| len + 4 > head.len() as u64)
        && tag_len < stored_size
    {
        let after_tag = store.read_range(key, tag_len, SNIFF_LEN as u64).await?;
        detected = sniff(&after_tag).or(detected);
    }
    let matches = detected.is_some_and(|format| format.satisfies(&upload.content_type));
    if !matches {
        let found = detected.map_or_else(
            || "of an unknown format".to_owned(),
            |f| format!("a {f} file"),
        );
        return Err(Refusal::Refused(format!(
            "The file is {found}, not {}.",
            upload.content_type
        )));
    }
    let Some(DetectedFormat::Audio(format)) = detected else {
        return Ok(None);
    };

    let reader = RangeReader::new(
        store.clone(),
        key.clone(),
        stored_size,
        tokio::runtime::Handle::current(),
    );
    let metadata = tokio::task::spawn_blocking(move || read_audio_metadata(reader, format))
        .await
        .map_err(ApiError::from)?;
    let metadata = match metadata {
        Ok(metadata) => metadata,
        Err(error @ soundstream_media::MediaError::Unreadable { .. }) => {
            return Err(Refusal::Refused(format!(
                "{}.",
                capitalise(&error.to_string())
            )));
        }
        Err(error) => {
            return Err(Refusal::Failed(ApiError::Storage(
                soundstream_storage::StorageError::Backend(crate::error::error_chain(&error)),
            )));
        }
    };

    let cover = match metadata.cover {
        Some(picture) => {
            let cover = store_embedded_cover(&state.storage, &state.db, owner_id, picture).await?;
            Some(EmbeddedCover {
                url: urls
                    .download(cover.object_key.as_str(), cover.content_type)
                    .await?,
                upload_id: cover.upload_id,
                content_type: cover.content_type.to_owned(),
            })
        }
        None => None,
    };
    Ok(Some(AudioTags {
        title: metadata.title,
        artist: metadata.artist,
        album: metadata.album,
        album_artist: metadata.album_artist,
        track_number: metadata.track_number,
        disc_number: metadata.disc_number,
        year: metadata.year,
        duration_ms: metadata.duration_ms,
        cover,
    }))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
