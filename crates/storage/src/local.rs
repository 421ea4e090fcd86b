//! Local files under the data dir. The API serves them through signed,
//! expiring URLs: `PUT /media/{key}` streams an upload to disk and
//! `GET /media/{key}` answers with ranges and ETags, mirroring S3's
//! presigned URLs so clients cannot tell the backends apart.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::signing::UrlSigner;
use crate::{ObjectInfo, ObjectKey, ObjectStore, PresignedRequest, StorageError, UrlWindow};

/// The API path the local backend's URLs point at.
pub const MEDIA_PATH: &str = "/media/";
const PARTIAL_DIR: &str = ".partial";

#[derive(Debug)]
pub struct LocalStore {
    root: PathBuf,
    signer: UrlSigner,
}

/// A verified download URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedGet {
    pub key: ObjectKey,
    pub content_type: String,
}

/// A verified upload URL: exactly `size` bytes of `content_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPut {
    pub key: ObjectKey,
    pub content_type: String,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the upload is larger than the {expected} bytes it was signed for")]
    TooLarge { expected: u64 },
    #[error("the upload ended after {received} of the {expected} bytes it was signed for")]
    TooShort { received: u64, expected: u64 },
    #[error("the request body could not be read: {0}")]
    Body(String),
    #[error("writing the upload failed")]
    Io(#[from] std::io::Error),
}

fn unix_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl LocalStore {
    /// Media under `root`, URLs signed with `signing_key`.
    pub fn new(root: PathBuf, signing_key: &[u8]) -> Result<Self, std::io::Error> {
        std::fs::create_dir_all(root.join(PARTIAL_DIR))?;
        Ok(Self {
            root,
            signer: UrlSigner::new(signing_key),
        })
    }

    /// Where an object lives on disk.
    pub fn object_path(&self, key: &ObjectKey) -> PathBuf {
        self.root.join(key.as_str())
    }

    /// A fresh temporary path for an object being written.
    fn partial_path(&self, key: &ObjectKey) -> PathBuf {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        self.root
            .join(PARTIAL_DIR)
            .join(format!("{}-{nanos}", key.as_str().replace('/', "-")))
    }

    /// Removes temporary files nobody has written to for `idle_for`: an
    /// upload whose client vanished or a process killed mid-write left
    /// them (a live writer touches its file at least every body idle
    /// timeout). Returns how many went.
    pub async fn remove_stale_partials(&self, idle_for: Duration) -> std::io::Result<usize> {
        let dir = self.root.join(PARTIAL_DIR);
        tokio::task::spawn_blocking(move || {
            let cutoff = SystemTime::now()
                .checked_sub(idle_for)
                .unwrap_or(UNIX_EPOCH);
            let mut removed = 0;
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let idle = entry
                    .metadata()
                    .and_then(|meta| meta.modified())
                    .is_ok_and(|modified| modified < cutoff);
                // Gone meanwhile (its writer finished or another sweeper
                // took it): nothing to do.
                if idle && std::fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
            Ok(removed)
        })
        .await
        .map_err(std::io::Error::other)?
    }

    fn get_parts<'a>(key: &'a str, content_type: &'a str, expires: &'a str) -> [&'a str; 4] {
        ["GET", key, content_type, expires]
    }

    fn put_parts<'a>(
        key: &'a str,
        content_type: &'a str,
        size: &'a str,
        expires: &'a str,
    ) -> [&'a str; 5] {
        ["PUT", key, content_type, size, expires]
    }

    /// Checks a download URL's signature and expiry.
    pub fn verify_get(
        &self,
        key: &str,
        content_type: &str,
        expires: u64,
        signature: &str,
        now: SystemTime,
    ) -> Option<SignedGet> {
        let expires_text = expires.to_string();
        let valid = self.signer.verify(
            &Self::get_parts(key, content_type, &expires_text),
            signature,
        ) && unix_seconds(now) < expires;
        valid
            .then(|| ObjectKey::parse(key))
            .flatten()
            .map(|key| SignedGet {
                key,
                content_type: content_type.to_owned(),
            })
    }

    /// Checks an upload URL's signature and expiry.
    pub fn verify_put(
        &self,
        key: &str,
        content_type: &str,
        size: u64,
        expires: u64,
        signature: &str,
        now: SystemTime,
    ) -> Option<SignedPut> {
        let size_text = size.to_string();
        let expires_text = expires.to_string();
        let valid = self.signer.verify(
            &Self::put_parts(key, content_type, &size_text, &expires_text),
            signature,
        ) && unix_seconds(now) < expires;
        valid
            .then(|| ObjectKey::parse(key))
            .flatten()
            .map(|key| SignedPut {
                key,
                content_type: content_type.to_owned(),
                size,
            })
    }

    /// Streams an upload to a temporary file and moves it into place only
    /// when exactly the signed number of bytes arrived: a failed or
    /// oversized upload leaves nothing behind.
    pub async fn write<S, E>(&self, put: &SignedPut, body: S) -> Result<(), WriteError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let partial = self.partial_path(&put.key);
        let result = self.write_partial(&partial, put, body).await;
        match result {
            Ok(()) => {
                let target = self.object_path(&put.key);
                if let Some(parent) = target.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                tokio::fs::rename(&partial, &target).await?;
                Ok(())
            }
            Err(error) => {
                // Best effort: the temporary file may not even exist yet.
                let _ = tokio::fs::remove_file(&partial).await;
                Err(error)
            }
        }
    }

    /// Copies a local file in as `key` on the blocking pool (one trip for
    /// the whole file, copied by the kernel: `io::copy` between files is
    /// `copy_file_range` on Linux).
    async fn copy_file(
        &self,
        key: &ObjectKey,
        path: &Path,
        flush: Flush,
    ) -> Result<(), StorageError> {
        let (source, partial, target) = (
            path.to_owned(),
            self.partial_path(key),
            self.object_path(key),
        );
        tokio::task::spawn_blocking(move || match flush {
            Flush::Now => {
                let copied = copy_into_place(&source, &partial, &target);
                if copied.is_err() {
                    // Best effort: the temporary file may not even exist yet.
                    let _ = std::fs::remove_file(&partial);
                }
                copied
            }
            Flush::WithBatch => copy_to_new(&source, &target),
        })
        .await
        .map_err(|error| StorageError::Backend(error.to_string()))??;
        Ok(())
    }

    async fn write_partial<S, E>(
        &self,
        partial: &Path,
        put: &SignedPut,
        body: S,
    ) -> Result<(), WriteError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut file = tokio::fs::File::create(partial).await?;
        let mut received = 0_u64;
        let mut body = std::pin::pin!(body);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| WriteError::Body(e.to_string()))?;
            received += chunk.len() as u64;
            if received > put.size {
                return Err(WriteError::TooLarge { expected: put.size });
            }
            file.write_all(&chunk).await?;
        }
        if received != put.size {
            return Err(WriteError::TooShort {
                received,
                expected: put.size,
            });
        }
        file.sync_all().await?;
        Ok(())
    }
}

/// Whether a copy is durable when it is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flush {
    /// Now: the object appears whole, and survives a crash once it is there.
    Now,
    /// By a later `syncfs` of the whole store (`sync_batch`), before which
    /// nothing may name the object.
    WithBatch,
}

/// Copies `source` to `partial`, flushes it and moves it to `target`:
/// the object appears whole or not at all.
fn copy_into_place(source: &Path, partial: &Path, target: &Path) -> std::io::Result<()> {
    let mut from = std::fs::File::open(source)?;
    let mut to = std::fs::File::create(partial)?;
    std::io::copy(&mut from, &mut to)?;
    to.sync_all()?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(partial, target)
}

/// Copies `source` straight to `target`, which must not exist yet, as
/// `cp` would: no temporary file to create and rename. Only for a batch,
/// whose objects nobody names before `sync_batch` and which are deleted
/// if it fails, so a half-written object is no worse than a missing one.
/// A failed copy removes what it wrote.
fn copy_to_new(source: &Path, target: &Path) -> std::io::Result<()> {
    let mut from = std::fs::File::open(source)?;
    write_new(target, |to| std::io::copy(&mut from, to).map(|_| ()))
}

/// Creates `target`, which must not exist yet, and fills it with `fill`
/// (for a batch, as [`copy_to_new`]); removes it if that fails.
fn write_new(
    target: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Never over an existing object: keys are new, and one that is not
    // must not be truncated under its readers.
    let mut to = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)?;
    fill(&mut to).inspect_err(|_| {
        let _ = std::fs::remove_file(target);
    })
}

#[async_trait::async_trait]
impl ObjectStore for LocalStore {
    fn backend(&self) -> &'static str {
        "local"
    }

    async fn presign_upload(
        &self,
        key: &ObjectKey,
        content_type: &str,
        size: u64,
        expires_in: Duration,
    ) -> Result<PresignedRequest, StorageError> {
        let expires_at = SystemTime::now() + expires_in;
        let expires = unix_seconds(expires_at).to_string();
        let size_text = size.to_string();
        let signature = self.signer.sign(&Self::put_parts(
            key.as_str(),
            content_type,
            &size_text,
            &expires,
        ));
        Ok(PresignedRequest {
            method: "PUT".to_owned(),
            url: format!(
                "{MEDIA_PATH}{key}?ct={}&len={size}&exp={expires}&sig={signature}",
                encode(content_type)
            ),
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
            expires_at,
        })
    }

    async fn presign_download(
        &self,
        key: &ObjectKey,
        content_type: &str,
        window: UrlWindow,
    ) -> Result<String, StorageError> {
        let expires = unix_seconds(window.expires_at).to_string();
        let signature = self
            .signer
            .sign(&Self::get_parts(key.as_str(), content_type, &expires));
        Ok(format!(
            "{MEDIA_PATH}{key}?ct={}&exp={expires}&sig={signature}",
            encode(content_type)
        ))
    }

    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, StorageError> {
        match tokio::fs::metadata(self.object_path(key)).await {
            Ok(metadata) if metadata.is_file() => Ok(Some(ObjectInfo {
                size: metadata.len(),
                content_type: None,
            })),
            Ok(_) => Ok(None),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn read_range(
        &self,
        key: &ObjectKey,
        start: u64,
        len: u64,
    ) -> Result<Bytes, StorageError> {
        let mut file = match tokio::fs::File::open(self.object_path(key)).await {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(StorageError::NotFound);
            }
            Err(error) => return Err(error.into()),
        };
        let size = file.metadata().await?.len();
        if start >= size {
            return Err(StorageError::InvalidRange);
        }
        file.seek(std::io::SeekFrom::Start(start)).await?;
        let mut buffer = Vec::with_capacity(usize::try_from(len.min(size - start)).unwrap_or(0));
        file.take(len).read_to_end(&mut buffer).await?;
        Ok(Bytes::from(buffer))
    }

    async fn put(
        &self,
        key: &ObjectKey,
        bytes: Bytes,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        let put = SignedPut {
            key: key.clone(),
            content_type: String::new(),
            size: bytes.len() as u64,
        };
        let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
        self.write(&put, body).await.map_err(|error| match error {
            WriteError::Io(io) => StorageError::Io(io),
            other => StorageError::Backend(other.to_string()),
        })
    }

    async fn put_file(
        &self,
        key: &ObjectKey,
        path: &Path,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        self.copy_file(key, path, Flush::Now).await
    }

    async fn put_file_in_batch(
        &self,
        key: &ObjectKey,
        path: &Path,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        self.copy_file(key, path, Flush::WithBatch).await
    }

    async fn put_in_batch(
        &self,
        key: &ObjectKey,
        bytes: Bytes,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        let target = self.object_path(key);
        tokio::task::spawn_blocking(move || {
            write_new(&target, |to| std::io::Write::write_all(to, &bytes))
        })
        .await
        .map_err(|error| StorageError::Backend(error.to_string()))??;
        Ok(())
    }

    /// One `syncfs` writes back every file and directory of the store's
    /// file system and waits for it: a batch of objects costs one flush
    /// to disk where `fsync` per file cost one each (2.5–5 ms apiece on
    /// the machine of docs/benchmarks.md, session 5). It also writes back
    /// whatever else is dirty on that file system.
    async fn sync_batch(&self) -> Result<(), StorageError> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || {
            let dir = std::fs::File::open(&root)?;
            rustix::fs::syncfs(&dir).map_err(std::io::Error::from)
        })
        .await
        .map_err(|error| StorageError::Backend(error.to_string()))??;
        Ok(())
    }

    async fn copy(&self, from: &ObjectKey, to: &ObjectKey) -> Result<(), StorageError> {
        let (source, target) = (self.object_path(from), self.object_path(to));
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        // A hard link costs nothing and is safe: an upload replaces the
        // source path with a new file (rename), never rewrites the shared one.
        let linked = match tokio::fs::hard_link(&source, &target).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                tokio::fs::copy(&source, &target).await.map(|_| ())
            }
            linked => linked,
        };
        linked.map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => StorageError::NotFound,
            _ => StorageError::Io(error),
        })
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.object_path(key)).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }

    async fn check(&self) -> Result<(), StorageError> {
        tokio::fs::metadata(self.root.join(PARTIAL_DIR)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (LocalStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LocalStore::new(dir.path().to_owned(), b"test key").expect("store");
        (store, dir)
    }

    fn query(url: &str, name: &str) -> String {
        url::Url::parse(&format!("http://x{url}"))
            .expect("url")
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn signed_urls_verify_until_they_expire_and_not_when_altered() {
        let (store, _dir) = store();
        let key = ObjectKey::generate("audio", [1; 16]);
        let window = UrlWindow::containing(SystemTime::now(), Duration::from_secs(60));
        let url = store
            .presign_download(&key, "audio/mpeg", window)
            .await
            .expect("url");
        let exp: u64 = query(&url, "exp").parse().expect("exp");
        let sig = query(&url, "sig");
        let now = SystemTime::now();

        assert!(
            store
                .verify_get(key.as_str(), "audio/mpeg", exp, &sig, now)
                .is_some()
        );
        assert!(
            store
                .verify_get(key.as_str(), "text/html", exp, &sig, now)
                .is_none()
        );
        assert!(
            store
                .verify_get(key.as_str(), "audio/mpeg", exp + 1, &sig, now)
                .is_none()
        );
        let after = UNIX_EPOCH + Duration::from_secs(exp);
        assert!(
            store
                .verify_get(key.as_str(), "audio/mpeg", exp, &sig, after)
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_copy_keeps_the_bytes_when_the_source_is_uploaded_again() {
        let (store, _dir) = store();
        let (source, copy) = (
            ObjectKey::generate("image", [3; 16]),
            ObjectKey::generate("image", [4; 16]),
        );
        store
            .put(&source, Bytes::from_static(b"verified"), "image/png")
            .await
            .expect("put");

        store.copy(&source, &copy).await.expect("copied");
        store
            .put(&source, Bytes::from_static(b"swapped!"), "image/png")
            .await
            .expect("replaced");

        let kept = store.read_range(&copy, 0, 8).await.expect("read");
        assert_eq!(&kept[..], b"verified");
        let missing = ObjectKey::generate("image", [5; 16]);
        assert!(matches!(
            store.copy(&missing, &source).await,
            Err(StorageError::NotFound)
        ));
    }

    #[tokio::test]
    async fn files_put_in_a_batch_are_whole_in_place_and_a_missing_one_leaves_nothing() {
        let (store, dir) = store();
        let sources = tempfile::tempdir().expect("temp dir");
        let mut keys = Vec::new();
        for i in 0..3_u8 {
            let path = sources.path().join(format!("track-{i}.flac"));
            std::fs::write(&path, vec![i; 70_000]).expect("write");
            let key = ObjectKey::generate("audio", [10 + i; 16]);
            store
                .put_file_in_batch(&key, &path, "audio/flac")
                .await
                .expect("put in batch");
            keys.push(key);
        }
        let missing = ObjectKey::generate("audio", [20; 16]);
        let failed = store
            .put_file_in_batch(&missing, &sources.path().join("gone.flac"), "audio/flac")
            .await;

        store.sync_batch().await.expect("synced");

        for (i, key) in keys.iter().enumerate() {
            let info = store.head(key).await.expect("head").expect("stored");
            assert_eq!(info.size, 70_000);
            let tail = store.read_range(key, 69_998, 2).await.expect("read");
            assert_eq!(&tail[..], &[i as u8; 2]);
        }
        assert!(matches!(failed, Err(StorageError::Io(_))), "{failed:?}");
        assert!(store.head(&missing).await.expect("head").is_none());
        let leftovers = std::fs::read_dir(dir.path().join(PARTIAL_DIR))
            .expect("dir")
            .count();
        assert_eq!(leftovers, 0);
    }

    #[tokio::test]
    async fn a_file_put_in_a_batch_never_replaces_an_existing_object() {
        let (store, _dir) = store();
        let sources = tempfile::tempdir().expect("temp dir");
        let (first, second) = (sources.path().join("a.flac"), sources.path().join("b.flac"));
        std::fs::write(&first, b"first").expect("write");
        std::fs::write(&second, b"second, longer").expect("write");
        let key = ObjectKey::generate("audio", [30; 16]);
        store
            .put_file_in_batch(&key, &first, "audio/flac")
            .await
            .expect("put in batch");

        let again = store.put_file_in_batch(&key, &second, "audio/flac").await;

        assert!(matches!(again, Err(StorageError::Io(_))), "{again:?}");
        let kept = store.read_range(&key, 0, 5).await.expect("read");
        assert_eq!(&kept[..], b"first");
        assert_eq!(store.head(&key).await.expect("head").expect("kept").size, 5);
    }

    #[tokio::test]
    async fn bytes_put_in_a_batch_are_stored_once_and_never_replaced() {
        let (store, _dir) = store();
        let key = ObjectKey::generate("image", [31; 16]);
        store
            .put_in_batch(&key, Bytes::from_static(b"cover"), "image/png")
            .await
            .expect("put in batch");
        store.sync_batch().await.expect("sync");

        let again = store
            .put_in_batch(&key, Bytes::from_static(b"another cover"), "image/png")
            .await;

        assert!(matches!(again, Err(StorageError::Io(_))), "{again:?}");
        let kept = store.read_range(&key, 0, 100).await.expect("read");
        assert_eq!(&kept[..], b"cover");
    }

    #[tokio::test]
    async fn only_partial_files_left_idle_are_removed() {
        let (store, dir) = store();
        let partials = dir.path().join(PARTIAL_DIR);
        std::fs::write(partials.join("dead"), b"half an upload").expect("write");
        let dead_since = SystemTime::now() - Duration::from_secs(120);
        std::fs::File::options()
            .write(true)
            .open(partials.join("dead"))
            .and_then(|file| file.set_modified(dead_since))
            .expect("age the file");
        std::fs::write(partials.join("alive"), b"being written").expect("write");

        let removed = store
            .remove_stale_partials(Duration::from_secs(60))
            .await
            .expect("sweeps");

        assert_eq!(removed, 1);
        assert!(!partials.join("dead").exists());
        assert!(partials.join("alive").exists());
    }

    #[tokio::test]
    async fn a_failed_or_oversized_upload_leaves_nothing_behind() {
        let (store, dir) = store();
        let put = SignedPut {
            key: ObjectKey::generate("audio", [2; 16]),
            content_type: "audio/mpeg".into(),
            size: 4,
        };
        let chunks = |parts: Vec<Result<&'static [u8], &'static str>>| {
            futures_util::stream::iter(parts.into_iter().map(|part| part.map(Bytes::from_static)))
        };

        let too_long = store.write(&put, chunks(vec![Ok(b"abc"), Ok(b"de")])).await;
        let too_short = store.write(&put, chunks(vec![Ok(b"ab")])).await;
        let broken = store
            .write(&put, chunks(vec![Ok(b"ab"), Err("reset")]))
            .await;

        assert!(matches!(too_long, Err(WriteError::TooLarge { .. })));
        assert!(matches!(
            too_short,
            Err(WriteError::TooShort { received: 2, .. })
        ));
        assert!(matches!(broken, Err(WriteError::Body(_))));
        assert!(store.head(&put.key).await.expect("head").is_none());
        let leftovers = std::fs::read_dir(dir.path().join(PARTIAL_DIR))
            .expect("dir")
            .count();
        assert_eq!(leftovers, 0);

        store
            .write(&put, chunks(vec![Ok(b"ab"), Ok(b"cd")]))
            .await
            .expect("exact size");
        assert_eq!(
            store.head(&put.key).await.expect("head").map(|i| i.size),
            Some(4)
        );
        assert_eq!(
            store.read_range(&put.key, 1, 2).await.expect("range"),
            Bytes::from_static(b"bc")
        );
    }
}
