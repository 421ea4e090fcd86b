//! Upload sessions. The client gets a presigned request, sends the bytes
//! straight to storage, then asks for verification: size, format by magic
//! bytes, and for audio the tags, duration and cover (through `ingest`).

use std::time::{Duration, UNIX_EPOCH};

use soundstream_media::{AudioFormat, DetectedFormat, ImageFormat};
use soundstream_storage::{ObjectKey, StorageError};
use soundstream_types::{
    AudioTags, CompletedUpload, CreateUploadRequest, EmbeddedCover, Role, UploadKind, UploadTicket,
};
use sqlx::AnyConnection;

use crate::auth::AuthUser;
use crate::clock::{millis, now_millis, rfc3339};
use crate::config::UsageLimits;
use crate::domain::field_error;
use crate::persistence::garbage;
use crate::persistence::uploads::{self, NewUpload, UploadRecord};
use crate::services::ingest::{self, IngestError, Source};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::storage::new_object_key;
use crate::telemetry::error_chain;

pub const AUDIO_MAX_BYTES: u64 = 200 * 1024 * 1024;
pub const IMAGE_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// How long the presigned upload request stays valid.
pub const UPLOAD_URL_LIFETIME: Duration = Duration::from_secs(15 * 60);
const FILENAME_MAX_CHARS: usize = 255;
/// How long after its URL expired a slow upload may still be arriving at
/// the key it was sent to; that key is deleted only after this.
const LATE_UPLOAD_SLACK: Duration = Duration::from_secs(60 * 60);

/// Starts an upload: audio (administrators) up to 200 MB as MP3, M4A/AAC,
/// Ogg Vorbis, Opus, FLAC or WAV; images up to 10 MB as JPEG, PNG or WebP.
pub async fn create_upload(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    request: CreateUploadRequest,
) -> ServiceResult<UploadTicket> {
    let CreateUploadRequest {
        kind,
        content_type,
        size,
        filename,
    } = request;
    let (accepted, limit, names) = match kind {
        UploadKind::Audio => {
            if user.role != Role::Admin {
                return Err(ServiceError::Forbidden(
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
        return Err(ServiceError::invalid(
            "content_type",
            format!("{content_type:?} is not accepted; send {names}"),
        ));
    }
    if size == 0 || size > limit {
        return Err(ServiceError::invalid(
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
    let mut tx = state.db.begin_write().await?;
    if kind == UploadKind::Image && user.role != Role::Admin {
        check_image_quota(&mut tx, &state.settings.usage, &user.id, size).await?;
    }
    uploads::insert(
        &mut tx,
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
    tx.commit().await?;
    Ok(UploadTicket {
        id,
        url: urls.absolute(request.url),
        method: request.method,
        headers: request.headers.into_iter().collect(),
        expires_at: rfc3339(expires_at),
    })
}

/// Refuses an image that would take a listener past their quota (bytes or
/// count of the images they keep, pending ones included). Administrators,
/// who file whole libraries with their covers, have none. Locks the owner
/// so concurrent uploads are counted one after another.
async fn check_image_quota(
    conn: &mut AnyConnection,
    limits: &UsageLimits,
    owner_id: &str,
    size: u64,
) -> ServiceResult<()> {
    uploads::lock_owner(&mut *conn, owner_id).await?;
    let (count, bytes) = uploads::image_usage(&mut *conn, owner_id).await?;
    let mb = |bytes: u64| bytes.div_ceil(1024 * 1024);
    let swept = format!(
        "images you no longer use are deleted automatically once {} hours old",
        limits.unused_upload_grace.as_secs() / 3600
    );
    if count >= limits.image_quota_count {
        return Err(ServiceError::QuotaExceeded(format!(
            "You keep {count} images, the most allowed ({}); {swept}.",
            limits.image_quota_count
        )));
    }
    if bytes + size > limits.image_quota_bytes {
        return Err(ServiceError::QuotaExceeded(format!(
            "This image would take your images to {} MB, over your {} MB quota; {swept}.",
            mb(bytes + size),
            mb(limits.image_quota_bytes)
        )));
    }
    Ok(())
}

/// Verifies an upload once its bytes are in storage: the size must match,
/// the magic bytes must match the declared type (otherwise the object is
/// deleted and the answer says why), images must be at most 40 megapixels
/// and audio must be readable. Answers with the tags, duration and any
/// embedded cover (stored as an image upload). Only the uploader may
/// complete an upload, and only once.
///
/// What is verified is a copy at a new key that no upload URL was signed
/// for; the upload then refers to that copy. An S3 presigned PUT cannot be
/// revoked, so bytes sent to the old key later are never looked at (and
/// that key is deleted once its URL has expired); the local backend
/// refuses them outright ([`accepts_bytes`]).
pub async fn complete_upload(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
) -> ServiceResult<CompletedUpload> {
    let mut conn = state.db.acquire().await?;
    let upload = uploads::find_owned(&mut conn, id, &user.id)
        .await?
        .ok_or_else(|| ServiceError::NotFound("You have no upload with this id.".into()))?;
    drop(conn);
    if upload.complete {
        return Err(already_complete());
    }
    let sent_key = ObjectKey::parse(&upload.object_key).ok_or_else(|| {
        ServiceError::NotFound("This upload's object is not valid anymore.".into())
    })?;
    let store = state.storage.store.clone();
    let not_arrived = || ServiceError::Conflict {
        detail: if now_millis() > upload.expires_at {
            "The upload URL expired before the file arrived; start a new upload.".into()
        } else {
            "The file has not arrived yet: send it to the upload URL first.".into()
        },
        errors: Vec::new(),
    };

    let verified_key = new_object_key(uploads::kind_name(upload.kind));
    match store.copy(&sent_key, &verified_key).await {
        Ok(()) => {}
        Err(StorageError::NotFound) => return Err(not_arrived()),
        Err(error) => return Err(error.into()),
    }
    let Some(info) = store.head(&verified_key).await? else {
        return Err(not_arrived());
    };
    let source = Source {
        store: store.clone(),
        key: verified_key.clone(),
        size: info.size,
    };
    match verify(state, urls, &source, &upload, info.size).await {
        Ok(audio) => {
            let now = now_millis();
            let mut tx = state.db.begin_write().await?;
            if !uploads::mark_complete(&mut tx, &upload.id, verified_key.as_str(), now).await? {
                // Completed by a concurrent request, or swept as abandoned,
                // meanwhile: this copy is nobody's.
                drop(tx);
                discard(state, &verified_key).await;
                return Err(ServiceError::Conflict {
                    detail: "This upload was completed or abandoned meanwhile; \
                             start a new upload to send another file."
                        .into(),
                    errors: Vec::new(),
                });
            }
            let late_puts_end = upload.expires_at + millis(LATE_UPLOAD_SLACK);
            garbage::enqueue_after(&mut tx, sent_key.as_str(), now, late_puts_end).await?;
            tx.commit().await?;
            // Not needed any more; deleted again once late uploads cannot land.
            discard(state, &sent_key).await;
            Ok(CompletedUpload {
                id: upload.id,
                kind: upload.kind,
                content_type: upload.content_type,
                size: upload.size,
                filename: upload.filename,
                audio,
            })
        }
        Err(IngestError::Refused(reason)) => {
            // The object is not what was announced: nothing of it is kept.
            // The upload is still pending, so nothing refers to either key.
            store.delete(&verified_key).await?;
            store.delete(&sent_key).await?;
            let mut conn = state.db.acquire().await?;
            uploads::delete_pending(&mut conn, &upload.id).await?;
            tracing::info!(upload_id = %upload.id, %reason, "upload refused and deleted");
            Err(ServiceError::Validation {
                detail: format!("{reason} The file was deleted; upload a valid one."),
                errors: vec![field_error("file", reason)],
            })
        }
        Err(IngestError::Failed(error)) => {
            discard(state, &verified_key).await;
            Err(error)
        }
    }
}

/// Deletes an object nothing refers to, on a path whose answer does not
/// depend on it: a failure is logged, and the sweep's queue or the next
/// completion attempt cleans up.
async fn discard(state: &AppState, key: &ObjectKey) {
    if let Err(error) = state.storage.store.delete(key).await {
        tracing::warn!(key = key.as_str(), error = %error_chain(&error), "deleting an unused object failed");
    }
}

fn already_complete() -> ServiceError {
    ServiceError::Conflict {
        detail: "This upload is already complete; its file can no longer change. \
                 Start a new upload to send another file."
            .into(),
        errors: Vec::new(),
    }
}

/// Whether the local backend may still store bytes at `key`: only while
/// its upload is pending, so a completed upload cannot be overwritten.
pub async fn accepts_bytes(state: &AppState, key: &ObjectKey) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    if uploads::awaits_bytes(&mut conn, key.as_str()).await? {
        Ok(())
    } else {
        Err(ServiceError::Conflict {
            detail: "This upload URL no longer accepts bytes: the upload was completed or \
                     abandoned. Start a new upload."
                .into(),
            errors: Vec::new(),
        })
    }
}

async fn verify(
    state: &AppState,
    urls: &MediaUrls,
    source: &Source,
    upload: &UploadRecord,
    stored_size: u64,
) -> Result<Option<AudioTags>, IngestError> {
    if stored_size != upload.size {
        return Err(IngestError::Refused(format!(
            "The file is {stored_size} bytes, but {} were announced.",
            upload.size
        )));
    }
    let detected = ingest::identify(source).await?;
    if !detected.is_some_and(|format| format.satisfies(&upload.content_type)) {
        let found = detected.map_or_else(
            || "of an unknown format".to_owned(),
            |f| format!("a {f} file"),
        );
        return Err(IngestError::Refused(format!(
            "The file is {found}, not {}.",
            upload.content_type
        )));
    }
    let format = match detected {
        Some(DetectedFormat::Audio(format)) => format,
        Some(DetectedFormat::Image(format)) => {
            ingest::check_image(source, format).await?;
            return Ok(None);
        }
        None => return Ok(None),
    };
    let metadata = ingest::read_tags(source, format).await?;
    let cover = match metadata.cover {
        Some(picture) => {
            let cover =
                ingest::store_embedded_cover(&state.storage, &state.db, &upload.owner_id, picture)
                    .await?;
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
