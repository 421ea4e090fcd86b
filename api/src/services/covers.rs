//! Covers at the size an app asks for: scaled down once by ffmpeg, kept in
//! media storage, and served from there ever after. Sizes are rounded up
//! to a few steps, so a library holds a bounded number of thumbnails
//! whatever sizes apps ask for.

use std::time::Duration;

use soundstream_storage::ObjectKey;
use tokio::io::AsyncWriteExt;

use crate::clock::now_millis;
use crate::persistence::{garbage, thumbnails};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::storage::new_object_key;
use crate::telemetry::error_chain;

/// The sizes thumbnails are made at; larger requests get the original.
const STEPS: [u32; 6] = [32, 64, 128, 256, 512, 1024];
const THUMBNAIL_TYPE: &str = "image/jpeg";
/// Covers are at most 10 MB and 40 megapixels (checked at upload).
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// The step a requested size is served at; None for the original.
fn step_for(size: u32) -> Option<u32> {
    STEPS.into_iter().find(|step| *step >= size)
}

/// A download URL of the cover `(object_key, content_type)` at `size`
/// pixels (fitting a square of the step at or above it): the thumbnail,
/// made now if it was never asked for; the original without ffmpeg, for
/// sizes above the largest step, or if the picture cannot be scaled.
pub async fn cover_url(
    state: &AppState,
    urls: &MediaUrls,
    cover: &(String, String),
    size: Option<u32>,
) -> ServiceResult<String> {
    let (key, content_type) = cover;
    let (Some(step), Some(ffmpeg)) = (size.and_then(step_for), &state.transcoder) else {
        return urls.download(key, content_type).await;
    };
    let mut conn = state.db.acquire().await?;
    let existing = thumbnails::find(&mut conn, key, step).await?;
    drop(conn);
    if let Some(thumbnail) = existing {
        return urls.download(&thumbnail, THUMBNAIL_TYPE).await;
    }
    match make_thumbnail(state, ffmpeg, key, step).await {
        Ok(thumbnail) => urls.download(&thumbnail, THUMBNAIL_TYPE).await,
        Err(error) => {
            tracing::warn!(object_key = %key, size = step, error = %error_chain(&error), "cannot make a thumbnail; sending the original");
            urls.download(key, content_type).await
        }
    }
}

/// Scales the picture, stores the result and records it; returns the
/// thumbnail's key (another instance's, if it recorded one first).
async fn make_thumbnail(
    state: &AppState,
    ffmpeg: &soundstream_transcode::Ffmpeg,
    key: &str,
    step: u32,
) -> ServiceResult<String> {
    let source = ObjectKey::parse(key).ok_or_else(|| {
        ServiceError::Storage(soundstream_storage::StorageError::Backend(format!(
            "malformed object key {key:?}"
        )))
    })?;
    let info = state
        .storage
        .store
        .head(&source)
        .await?
        .ok_or(soundstream_storage::StorageError::NotFound)?;
    let bytes = state
        .storage
        .store
        .read_range(&source, 0, info.size)
        .await?;
    let dir = tempfile::Builder::new()
        .prefix("soundstream-cover-")
        .tempdir()
        .map_err(scratch)?;
    let input = dir.path().join("cover");
    let output = dir.path().join("thumbnail.jpg");
    let mut file = tokio::fs::File::create(&input).await.map_err(scratch)?;
    file.write_all(&bytes).await.map_err(scratch)?;
    file.flush().await.map_err(scratch)?;
    drop(file);
    ffmpeg
        .thumbnail(&input, &output, step, TIME_LIMIT)
        .await
        .map_err(|error| ServiceError::ProviderFailed(error.to_string()))?;
    let thumbnail = new_object_key("thumbnail");
    state
        .storage
        .store
        .put_file(&thumbnail, &output, THUMBNAIL_TYPE)
        .await?;
    let mut conn = state.db.acquire().await?;
    let now = now_millis();
    match thumbnails::insert(&mut conn, key, step, thumbnail.as_str(), now).await? {
        Ok(()) => Ok(thumbnail.to_string()),
        Err(kept) => {
            garbage::enqueue(&mut conn, thumbnail.as_str(), now).await?;
            Ok(kept)
        }
    }
}

fn scratch(error: std::io::Error) -> ServiceError {
    ServiceError::Storage(soundstream_storage::StorageError::Io(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_up_to_a_step() {
        assert_eq!(step_for(1), Some(32));
        assert_eq!(step_for(64), Some(64));
        assert_eq!(step_for(100), Some(128));
        assert_eq!(step_for(1024), Some(1024));
        assert_eq!(step_for(2000), None);
    }
}
