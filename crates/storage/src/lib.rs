//! Media object storage: one trait, [`ObjectStore`], with an S3 backend
//! (media moves browser ⇄ bucket through presigned URLs, never through the
//! API) and a local-files backend that honours the same contract with
//! HMAC-signed, expiring URLs the API serves itself.

mod keys;
mod local;
mod range_reader;
mod s3;
mod signing;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use keys::ObjectKey;
pub use local::{LocalStore, SignedGet, SignedPut, WriteError};
pub use range_reader::RangeReader;
pub use s3::{S3Settings, S3Store};
pub use soundstream_aws::{AwsAccess, StaticCredentials, Timeouts};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object storage I/O failed")]
    Io(#[from] std::io::Error),
    #[error("the object store refused or failed: {0}")]
    Backend(String),
    #[error("no such object")]
    NotFound,
    #[error("the requested range is outside the object")]
    InvalidRange,
}

/// A request the client sends to upload an object (method, URL, headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    pub method: String,
    /// Absolute for S3; a path on the API (`/media/…`) for local storage.
    pub url: String,
    /// Headers the client must send exactly as given (they are signed).
    pub headers: Vec<(String, String)>,
    pub expires_at: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub size: u64,
    pub content_type: Option<String>,
}

/// The validity of a download URL. URLs issued within one window are
/// identical, so browsers can cache the media they point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlWindow {
    pub issued_at: SystemTime,
    pub expires_at: SystemTime,
}

impl UrlWindow {
    /// The window containing `now`: issued at its start, valid for two
    /// windows, so a URL always has at least `length` left.
    pub fn containing(now: SystemTime, length: Duration) -> Self {
        let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let length_secs = length.as_secs().max(1);
        let start = UNIX_EPOCH + Duration::from_secs(since_epoch - since_epoch % length_secs);
        Self {
            issued_at: start,
            expires_at: start + Duration::from_secs(2 * length_secs),
        }
    }
}

#[async_trait::async_trait]
pub trait ObjectStore: Send + Sync + std::fmt::Debug {
    /// `s3` or `local`.
    fn backend(&self) -> &'static str;

    /// A request that uploads exactly `size` bytes of `content_type` to
    /// `key`; anything else is refused by the store.
    async fn presign_upload(
        &self,
        key: &ObjectKey,
        content_type: &str,
        size: u64,
        expires_in: Duration,
    ) -> Result<PresignedRequest, StorageError>;

    /// A GET URL answering with `content_type`, valid for `window`.
    async fn presign_download(
        &self,
        key: &ObjectKey,
        content_type: &str,
        window: UrlWindow,
    ) -> Result<String, StorageError>;

    /// Size and stored content type, or `None` when there is no object.
    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, StorageError>;

    /// `len` bytes from `start` (fewer at the end of the object).
    async fn read_range(
        &self,
        key: &ObjectKey,
        start: u64,
        len: u64,
    ) -> Result<bytes::Bytes, StorageError>;

    /// Stores a small object the API produced itself (an embedded cover).
    async fn put(
        &self,
        key: &ObjectKey,
        bytes: bytes::Bytes,
        content_type: &str,
    ) -> Result<(), StorageError>;

    /// Stores a local file as an object, streaming it (`soundstream
    /// import`): the file is never held in memory whole.
    async fn put_file(
        &self,
        key: &ObjectKey,
        path: &std::path::Path,
        content_type: &str,
    ) -> Result<(), StorageError>;

    /// Like [`ObjectStore::put_file`], but the object may be lost to a
    /// crash, or be seen part-written, until [`ObjectStore::sync_batch`]
    /// returns: many files then cost one flush to disk instead of one
    /// each, and no temporary file each. Nothing may refer to such an
    /// object before that, and a failed batch's objects must be deleted.
    /// The key must be new. Stores whose writes are durable and whole when
    /// they return (S3) just put the file.
    async fn put_file_in_batch(
        &self,
        key: &ObjectKey,
        path: &std::path::Path,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.put_file(key, path, content_type).await
    }

    /// [`ObjectStore::put`] of a batch, on the terms of
    /// [`ObjectStore::put_file_in_batch`] (an imported file's cover).
    async fn put_in_batch(
        &self,
        key: &ObjectKey,
        bytes: bytes::Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.put(key, bytes, content_type).await
    }

    /// Makes every object stored by [`ObjectStore::put_file_in_batch`] and
    /// [`ObjectStore::put_in_batch`] durable.
    async fn sync_batch(&self) -> Result<(), StorageError> {
        Ok(())
    }

    /// Copies an object to another key inside the store (server-side on
    /// S3). Upload completion verifies and keeps a copy at a key no upload
    /// URL was ever signed for, so the bytes cannot be swapped afterwards.
    async fn copy(&self, from: &ObjectKey, to: &ObjectKey) -> Result<(), StorageError>;

    /// Deletes an object; deleting a missing one is not an error.
    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError>;

    /// Whether the store is reachable, for readiness.
    async fn check(&self) -> Result<(), StorageError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_one_window_share_their_validity() {
        let length = Duration::from_secs(900);
        let a = UrlWindow::containing(UNIX_EPOCH + Duration::from_secs(9_000 + 10), length);
        let b = UrlWindow::containing(UNIX_EPOCH + Duration::from_secs(9_000 + 890), length);
        let next = UrlWindow::containing(UNIX_EPOCH + Duration::from_secs(9_900), length);
        assert_eq!(a, b);
        assert_ne!(a, next);
        assert_eq!(
            a.expires_at.duration_since(a.issued_at).ok(),
            Some(2 * length)
        );
    }
}
