//! `soundstream import DIR`: files a folder of audio into the library.
//!
//! Each file goes through the same ingest as an upload (`services::ingest`):
//! identified by its magic bytes, its tags and content hash read where it
//! lies (one pass), then a pending upload row (so an interrupted run leaves
//! nothing the sweeper will not clean up), the objects in storage (the
//! audio and its embedded cover), and a transaction that completes the
//! uploads and files the song with its content hash; files go through in
//! batches, a transaction per batch. A file whose hash is already in the
//! library is skipped, so a re-run adds only what is missing.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use soundstream_media::{AudioFormat, AudioMetadata, DetectedFormat};
use soundstream_storage::ObjectKey;
use soundstream_types::UploadKind;

use crate::clock::now_millis;
use crate::db::{Database, DbError};
use crate::domain::FieldErrors;
use crate::persistence::filing::Places;
use crate::persistence::songs::{self, SONG_CONTENT_INDEX};
use crate::persistence::uploads::{self, NewUpload};
use crate::persistence::{garbage, users};
use crate::services::ingest::{
    self, Fallbacks, FiledNames, IngestError, SongDraft, SongFields, StoredCover,
};
use crate::services::uploads::AUDIO_MAX_BYTES;
use crate::services::{ServiceError, maintenance};
use crate::storage::{MediaStorage, new_object_key};
use crate::telemetry::error_chain;

/// File extensions taken for audio; anything else in the folder is left alone.
const AUDIO_EXTENSIONS: &[&str] = &["mp3", "flac", "ogg", "oga", "opus", "wav", "m4a", "aac"];
/// How long a file's pending upload may last before the sweeper takes it.
const PENDING_FOR: Duration = Duration::from_secs(60 * 60);
/// A batch's pending uploads are held this long, renewed every
/// [`HOLD_RENEWAL`] while the batch is filed: a killed import's hold lapses
/// within seconds, and the next import (or the sweeper) releases them.
const HOLD_FOR: Duration = Duration::from_secs(30);
const HOLD_RENEWAL: Duration = Duration::from_secs(10);
/// The artist of files whose tags name none.
const UNKNOWN_ARTIST: &str = "Unknown Artist";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("no administrator to file the songs under: create one with `soundstream admin create`")]
    NoAdministrator,
    #[error("{0} is not an administrator")]
    NotAnAdministrator(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Imported,
    AlreadyThere,
    Failed(String),
}

/// What a run did.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub imported: usize,
    pub already_there: usize,
    /// Files with other extensions, left alone.
    pub ignored: usize,
    pub failed: Vec<(PathBuf, String)>,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Pending uploads an interrupted earlier import left, released first.
    pub released: usize,
}

impl ImportSummary {
    pub fn files_per_second(&self) -> f64 {
        let files = self.imported + self.already_there + self.failed.len();
        files as f64 / self.elapsed.as_secs_f64().max(1e-3)
    }
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.released > 0 {
            writeln!(
                f,
                "Released {} upload(s) an interrupted import left behind.",
                self.released
            )?;
        }
        writeln!(
            f,
            "Imported {} file(s), {} already in the library, {} failed, {} other file(s) ignored.",
            self.imported,
            self.already_there,
            self.failed.len(),
            self.ignored
        )?;
        writeln!(
            f,
            "{:.1} s, {:.1} files/s, {:.1} MB/s.",
            self.elapsed.as_secs_f64(),
            self.files_per_second(),
            self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-3)
        )?;
        if !self.failed.is_empty() {
            writeln!(f, "Failed:")?;
            for (path, reason) in &self.failed {
                writeln!(f, "  {}: {reason}", path.display())?;
            }
        }
        Ok(())
    }
}

/// The bar drawn on standard error while importing (hidden when it is
/// not a terminal).
pub fn progress_bar(files: u64) -> ProgressBar {
    let bar = ProgressBar::new(files);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} files  {per_sec}  ETA {eta}  {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// The audio files under `dir`, in path order, and how many other files.
pub fn audio_files(dir: &Path) -> Result<(Vec<PathBuf>, usize), ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::NotAFolder(dir.to_owned()));
    }
    let mut files = Vec::new();
    let mut ignored = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else {
            ignored += 1;
            continue;
        };
        if !entry.file_type().is_file() {
            continue;
        }
        if is_audio_file_name(&entry.file_name().to_string_lossy()) {
            files.push(entry.into_path());
        } else {
            ignored += 1;
        }
    }
    Ok((files, ignored))
}

/// Whether a file of this name is taken for audio: one of
/// [`AUDIO_EXTENSIONS`] in any case, and not hidden (macOS leaves `._song.mp3`
/// resource forks beside the real files).
pub fn is_audio_file_name(name: &str) -> bool {
    !name.starts_with('.')
        && Path::new(name)
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| AUDIO_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Who the imported songs and their uploads belong to: the named
/// administrator, or the oldest one.
pub async fn owner(db: &Database, username: Option<&str>) -> Result<String, ImportError> {
    let mut conn = db.acquire().await?;
    match username {
        Some(name) => users::find_by_login(&mut conn, name)
            .await?
            .filter(|user| user.role == soundstream_types::Role::Admin && !user.disabled)
            .map(|user| user.id)
            .ok_or_else(|| ImportError::NotAnAdministrator(name.to_owned())),
        None => users::oldest_admin(&mut conn)
            .await?
            .ok_or(ImportError::NoAdministrator),
    }
}

/// Files filed in one transaction, at most.
const BATCH: usize = 64;

/// Imports `files`, `jobs` at a time, advancing `progress` as each ends.
///
/// Two stages run side by side: each file is examined where it lies (one
/// read: format, tags, content hash); then, in batches, the files are
/// looked up by their hashes (one statement) and what is new is filed:
/// one transaction for the batch's pending uploads, its objects stored
/// `jobs` at a time, and one transaction that files its songs.
pub async fn import_files(
    db: &Database,
    storage: &MediaStorage,
    owner_id: &str,
    files: Vec<PathBuf>,
    jobs: usize,
    progress: &ProgressBar,
) -> ImportSummary {
    let started = Instant::now();
    let jobs = jobs.max(1);
    let mut summary = ImportSummary::default();
    let (examined_tx, mut examined_rx) = tokio::sync::mpsc::channel(BATCH * 2);
    let examining = async move {
        // Each file examined on the blocking pool, which goes on whether or
        // not this stream is polled while the filing stage is behind.
        let mut examined = futures_util::stream::iter(files)
            .map(|path| {
                let file = path.clone();
                let task = tokio::task::spawn_blocking(move || examine_blocking(file));
                async move {
                    let result = task
                        .await
                        .unwrap_or_else(|error| Err(format!("reading stopped: {error}")));
                    (path, result)
                }
            })
            .buffer_unordered(jobs);
        while let Some(result) = examined.next().await {
            if examined_tx.send(result).await.is_err() {
                break;
            }
        }
    };
    let filing = async {
        let mut batch = Vec::with_capacity(BATCH);
        while examined_rx.recv_many(&mut batch, BATCH).await > 0 {
            let mut new = Vec::with_capacity(batch.len());
            let mut outcomes = Vec::with_capacity(batch.len());
            for (path, result) in batch.drain(..) {
                match result {
                    Ok(file) => new.push(file),
                    Err(reason) => outcomes.push((path, Outcome::Failed(reason), 0)),
                }
            }
            outcomes.extend(file_batch(db, storage, owner_id, new, jobs).await);
            for (path, outcome, bytes) in outcomes {
                progress.inc(1);
                progress.set_message(path.display().to_string());
                match outcome {
                    Outcome::Imported => {
                        summary.imported += 1;
                        summary.bytes += bytes;
                    }
                    Outcome::AlreadyThere => summary.already_there += 1,
                    Outcome::Failed(reason) => {
                        tracing::warn!(path = %path.display(), %reason, "file not imported");
                        summary.failed.push((path, reason));
                    }
                }
            }
        }
    };
    futures_util::future::join(examining, filing).await;
    summary.failed.sort();
    summary.elapsed = started.elapsed();
    summary
}

/// Releases what an import killed mid-batch left: pending uploads whose
/// hold lapsed (their objects deleted, or queued for the sweeper when
/// storage refuses) and local storage's partial files. Returns how many
/// uploads went.
pub async fn release_interrupted(
    db: &Database,
    storage: &MediaStorage,
) -> Result<usize, ImportError> {
    maintenance::remove_stale_partials(storage).await;
    let mut released = 0;
    loop {
        let mut tx = db.begin_write().await?;
        // Only lapsed holds: the day-old cutoff is the sweeper's business.
        let keys = uploads::claim_abandoned(&mut tx, i64::MIN, now_millis(), 100).await?;
        tx.commit().await.map_err(DbError::from)?;
        if keys.is_empty() {
            return Ok(released);
        }
        released += keys.len();
        for key in keys {
            let deleted = match ObjectKey::parse(&key) {
                Some(object_key) => storage.store.delete(&object_key).await.is_ok(),
                None => true,
            };
            if !deleted {
                let mut conn = db.acquire().await?;
                garbage::enqueue(&mut conn, &key, now_millis()).await?;
            }
        }
    }
}

/// Renews the hold on `upload_ids` until dropped; a renewal that fails is
/// logged and tried again (a lapsed hold only costs this batch its files).
async fn keep_holding(db: &Database, upload_ids: &[String]) {
    loop {
        tokio::time::sleep(HOLD_RENEWAL).await;
        let renewed = async {
            let mut conn = db.acquire().await?;
            let until = now_millis() + i64::try_from(HOLD_FOR.as_millis()).unwrap_or(i64::MAX);
            uploads::hold(&mut conn, upload_ids, until).await
        }
        .await;
        if let Err(error) = renewed {
            tracing::warn!(error = %error_chain(&error), "renewing the import's hold failed");
        }
    }
}

/// What says a file is unchanged: its length and modification time.
type FileVersion = (u64, Option<SystemTime>);

/// A file ready to file: read once, new to the library.
struct Examined {
    path: PathBuf,
    size: u64,
    version: FileVersion,
    format: AudioFormat,
    tags: AudioMetadata,
    hash: String,
}

fn service_failure(error: ServiceError) -> String {
    match error {
        ServiceError::Database(error) => format!("database: {}", error_chain(&error)),
        ServiceError::Storage(error) => format!("storage: {error}"),
        other => error_chain(&other),
    }
}

fn db_failure(error: DbError) -> String {
    service_failure(error.into())
}

/// One open file, read through once for its format, its tags and its
/// SHA-256 (the tag reader touches only the head and the tail, which the
/// hashing pass then finds in the page cache).
fn examine_blocking(path: PathBuf) -> Result<Examined, String> {
    let cannot_read = |error: std::io::Error| format!("cannot read: {error}");
    let refused = |error: IngestError, what: &str| match error {
        IngestError::Refused(reason) => format!("{what}: {reason}"),
        IngestError::Failed(error) => service_failure(error),
    };
    let mut file = std::fs::File::open(&path).map_err(cannot_read)?;
    let metadata = file.metadata().map_err(cannot_read)?;
    let size = metadata.len();
    if size > AUDIO_MAX_BYTES {
        return Err(format!(
            "too large: {size} bytes, at most {AUDIO_MAX_BYTES}"
        ));
    }
    let format = match ingest::identify_file(&mut file, size).map_err(cannot_read)? {
        Some(DetectedFormat::Audio(format)) => format,
        _ => {
            return Err(
                "not audio: the bytes are not MP3, AAC, MP4, Ogg, Opus, FLAC or WAV".into(),
            );
        }
    };
    let tags = ingest::read_file_tags(&mut file, format)
        .map_err(|error| refused(error, &format!("unreadable {format}")))?;
    file.seek(SeekFrom::Start(0)).map_err(cannot_read)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; HASH_BUFFER_LEN];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => hasher.update(&buffer[..read]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(cannot_read(error)),
        }
    }
    Ok(Examined {
        path,
        size,
        version: (size, metadata.modified().ok()),
        format,
        tags,
        hash: format!("{:x}", hasher.finalize()),
    })
}

/// Bytes read at a time while hashing: few system calls, cache-sized.
const HASH_BUFFER_LEN: usize = 256 * 1024;

async fn file_version(path: &Path) -> Result<FileVersion, String> {
    let metadata = tokio::fs::metadata(path)
        .await
        .map_err(|error| format!("cannot read: {error}"))?;
    Ok((metadata.len(), metadata.modified().ok()))
}

/// Where a file of a batch goes: its pending upload and object, and its
/// embedded cover's.
struct Reserved {
    upload_id: String,
    object_key: ObjectKey,
    cover: Option<StoredCover>,
}

impl Reserved {
    /// Its uploads: the audio's and the cover's.
    fn upload_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.upload_id.as_str())
            .chain(self.cover.as_ref().map(|cover| cover.upload_id.as_str()))
    }

    /// Its objects: the audio and the cover.
    fn object_keys(&self) -> impl Iterator<Item = &ObjectKey> {
        std::iter::once(&self.object_key).chain(self.cover.as_ref().map(|cover| &cover.object_key))
    }
}

/// A file whose objects are stored where they were reserved, ready for
/// its song to be filed.
struct Stored {
    file: Examined,
    names: FiledNames,
    place: Reserved,
}

/// Files a batch of new files: their pending uploads in one transaction
/// (so an interrupted run leaves nothing the sweeper will not clean up),
/// their objects stored `jobs` at a time, then their songs in one
/// transaction, or one transaction each if the batch's fails (the same
/// content filed meanwhile, under another name or by another run).
async fn file_batch(
    db: &Database,
    storage: &MediaStorage,
    owner_id: &str,
    files: Vec<Examined>,
    jobs: usize,
) -> Vec<(PathBuf, Outcome, u64)> {
    let mut outcomes = Vec::with_capacity(files.len());
    let hashes: Vec<&str> = files.iter().map(|file| file.hash.as_str()).collect();
    let in_library = async {
        let mut conn = db.acquire().await?;
        songs::contents_among(&mut conn, &hashes).await
    }
    .await;
    let mut known = match in_library {
        Ok(known) => known,
        Err(error) => {
            let reason = db_failure(error);
            return files
                .into_iter()
                .map(|file| (file.path, Outcome::Failed(reason.clone()), 0))
                .collect();
        }
    };
    let mut pending = Vec::with_capacity(files.len());
    for file in files {
        // In the library, or the same bytes earlier in the batch (those
        // are filed).
        if !known.insert(file.hash.clone()) {
            outcomes.push((file.path, Outcome::AlreadyThere, 0));
            continue;
        }
        match filed_names(&file) {
            Ok(names) => pending.push((file, names)),
            Err(reason) => outcomes.push((file.path, Outcome::Failed(reason), 0)),
        }
    }
    if pending.is_empty() {
        return outcomes;
    }

    let now = now_millis();
    let expires_at = now + i64::try_from(PENDING_FOR.as_millis()).unwrap_or(i64::MAX);
    let reserved: Vec<Reserved> = pending
        .iter()
        .map(|(file, _)| Reserved {
            upload_id: uuid::Uuid::now_v7().to_string(),
            object_key: new_object_key(uploads::kind_name(UploadKind::Audio)),
            cover: file.tags.cover.as_ref().map(|picture| StoredCover {
                upload_id: uuid::Uuid::now_v7().to_string(),
                object_key: new_object_key(uploads::kind_name(UploadKind::Image)),
                content_type: picture.format.content_type(),
            }),
        })
        .collect();
    let filenames: Vec<Option<String>> = pending
        .iter()
        .map(|(file, _)| {
            file.path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .collect();
    let mut new_uploads = Vec::with_capacity(pending.len() * 2);
    for (((file, _), reserved), filename) in pending.iter().zip(&reserved).zip(&filenames) {
        new_uploads.push(NewUpload {
            id: &reserved.upload_id,
            owner_id,
            kind: UploadKind::Audio,
            complete: false,
            object_key: reserved.object_key.as_str(),
            content_type: file.format.content_type(),
            size: file.size,
            filename: filename.as_deref(),
            created_at: now,
            expires_at,
        });
        if let (Some(cover), Some(picture)) = (&reserved.cover, &file.tags.cover) {
            new_uploads.push(NewUpload {
                id: &cover.upload_id,
                owner_id,
                kind: UploadKind::Image,
                complete: false,
                object_key: cover.object_key.as_str(),
                content_type: cover.content_type,
                size: picture.bytes.len() as u64,
                filename: None,
                created_at: now,
                expires_at,
            });
        }
    }
    let inserted = async {
        let mut tx = db.begin_write().await?;
        uploads::insert_all(&mut tx, &new_uploads).await?;
        let ids: Vec<String> = new_uploads.iter().map(|new| new.id.to_owned()).collect();
        let until = now + i64::try_from(HOLD_FOR.as_millis()).unwrap_or(i64::MAX);
        uploads::hold(&mut tx, &ids, until).await?;
        tx.commit().await?;
        Ok::<_, DbError>(ids)
    }
    .await;
    let upload_ids = match inserted {
        Ok(ids) => ids,
        Err(error) => {
            let reason = db_failure(error);
            outcomes.extend(
                pending
                    .into_iter()
                    .map(|(file, _)| (file.path, Outcome::Failed(reason.clone()), 0)),
            );
            return outcomes;
        }
    };
    let filing = store_and_file(db, storage, owner_id, pending, reserved, jobs);
    tokio::select! {
        filed = filing => outcomes.extend(filed),
        () = keep_holding(db, &upload_ids) => unreachable!("holding never ends by itself"),
    }
    outcomes
}

/// Stores a batch's files under their pending uploads' keys, flushes them
/// to disk together, then files their songs in one transaction (one by one
/// when that fails).
async fn store_and_file(
    db: &Database,
    storage: &MediaStorage,
    owner_id: &str,
    pending: Vec<(Examined, FiledNames)>,
    reserved: Vec<Reserved>,
    jobs: usize,
) -> Vec<(PathBuf, Outcome, u64)> {
    let mut outcomes = Vec::with_capacity(pending.len());
    let mut stored = Vec::with_capacity(pending.len());
    let mut storing = futures_util::stream::iter(pending.into_iter().zip(reserved))
        .map(|((file, names), reserved)| async move {
            let stored = Stored {
                file,
                names,
                place: reserved,
            };
            match store(storage, &stored).await {
                Ok(()) => Ok(stored),
                Err(reason) => Err((stored.file.path, reason)),
            }
        })
        .buffer_unordered(jobs);
    while let Some(result) = storing.next().await {
        match result {
            Ok(file) => stored.push(file),
            Err((path, reason)) => outcomes.push((path, Outcome::Failed(reason), 0)),
        }
    }
    if stored.is_empty() {
        return outcomes;
    }
    // No song may name an object before it is on disk.
    if let Err(error) = storage.store.sync_batch().await {
        let reason = format!("storage: flushing to disk: {error}");
        for file in stored {
            for key in file.place.object_keys() {
                let _ = storage.store.delete(key).await;
            }
            outcomes.push((file.file.path, Outcome::Failed(reason.clone()), 0));
        }
        return outcomes;
    }

    let filed = async {
        let mut tx = db.begin_write().await?;
        // The import wrote the objects itself: no upload URL was ever issued.
        let ids: Vec<&str> = stored
            .iter()
            .flat_map(|file| file.place.upload_ids())
            .collect();
        if uploads::complete_pending(&mut tx, &ids, now_millis()).await? != ids.len() as u64 {
            // A hold lapsed: filed one by one, the files it took fail alone.
            return Err(ServiceError::Database(DbError::Invariant(
                "an upload of the batch is no longer pending".into(),
            )));
        }
        let mut places = Places::default();
        for file in &stored {
            file_song(&mut tx, &mut places, owner_id, file).await?;
        }
        tx.commit().await?;
        Ok::<_, ServiceError>(())
    }
    .await;
    if filed.is_ok() {
        outcomes.extend(
            stored
                .into_iter()
                .map(|file| (file.file.path, Outcome::Imported, file.file.size)),
        );
        return outcomes;
    }
    for file in stored {
        let outcome = file_alone(db, owner_id, &file).await;
        let bytes = if outcome == Outcome::Imported {
            file.file.size
        } else {
            0
        };
        outcomes.push((file.file.path, outcome, bytes));
    }
    outcomes
}

/// The names the song is filed under: the tags', else the file's name and
/// an unknown artist.
fn filed_names(file: &Examined) -> Result<FiledNames, String> {
    let stem = file
        .path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut errors = FieldErrors::default();
    FiledNames::resolve(
        &mut errors,
        &SongFields::default(),
        &file.tags,
        &Fallbacks {
            title: Some(&stem),
            artist: Some(UNKNOWN_ARTIST),
        },
    )
    .ok_or_else(|| {
        errors
            .into_vec()
            .iter()
            .map(|error| format!("{}: {}", error.field, error.message))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Stores the file and its embedded cover under their reserved keys
/// (durable once the batch is synced), refusing a file that changed since
/// it was examined: its hash would not be its content's.
async fn store(storage: &MediaStorage, file: &Stored) -> Result<(), String> {
    let (examined, place) = (&file.file, &file.place);
    storage
        .store
        .put_file_in_batch(
            &place.object_key,
            &examined.path,
            examined.format.content_type(),
        )
        .await
        .map_err(|error| format!("storage: {error}"))?;
    if file_version(&examined.path).await? != examined.version {
        let _ = storage.store.delete(&place.object_key).await;
        return Err("the file changed while it was imported; run the import again".into());
    }
    if let (Some(cover), Some(picture)) = (&place.cover, &examined.tags.cover) {
        let put = storage
            .store
            .put_in_batch(
                &cover.object_key,
                picture.bytes.clone().into(),
                cover.content_type,
            )
            .await;
        if let Err(error) = put {
            let _ = storage.store.delete(&place.object_key).await;
            return Err(format!("storing the cover: storage: {error}"));
        }
    }
    Ok(())
}

/// Files the song of a file whose upload was completed, in `conn`'s
/// transaction.
async fn file_song(
    conn: &mut sqlx::AnyConnection,
    places: &mut Places,
    owner_id: &str,
    file: &Stored,
) -> Result<(), ServiceError> {
    ingest::file_song(
        conn,
        places,
        &SongDraft {
            names: &file.names,
            given: &SongFields::default(),
            tags: &file.file.tags,
            audio_object_key: file.place.object_key.as_str(),
            content_type: file.file.format.content_type(),
            size: file.file.size,
            content_hash: Some(&file.file.hash),
            cover_object_key: file.place.cover.as_ref().map(|c| c.object_key.as_str()),
            lyrics: None,
            lyrics_language: None,
            uploaded_by: owner_id,
        },
    )
    .await?;
    Ok(())
}

/// Files one song in a transaction of its own.
async fn file_alone(db: &Database, owner_id: &str, file: &Stored) -> Outcome {
    let filed = async {
        let mut tx = db.begin_write().await?;
        let ids: Vec<&str> = file.place.upload_ids().collect();
        if uploads::complete_pending(&mut tx, &ids, now_millis()).await? != ids.len() as u64 {
            return Ok(false);
        }
        file_song(&mut tx, &mut Places::default(), owner_id, file).await?;
        tx.commit().await?;
        Ok::<_, ServiceError>(true)
    }
    .await;
    match filed {
        Ok(true) => Outcome::Imported,
        // Held too long (the machine stalled): the next import or the
        // sweeper releases the upload and its object.
        Ok(false) => {
            Outcome::Failed("the import's hold on the file lapsed; run the import again".into())
        }
        // The same bytes under another name, filed first (the unique
        // content hash refused this one): its objects are nobody's.
        Err(ServiceError::Database(error)) if error.violates(&SONG_CONTENT_INDEX) => {
            let objects: Vec<String> = file
                .place
                .object_keys()
                .map(|key| key.as_str().to_owned())
                .collect();
            let released = async {
                let mut tx = db.begin_write().await?;
                uploads::release_objects(&mut tx, &objects, now_millis()).await?;
                tx.commit().await?;
                Ok::<_, DbError>(())
            }
            .await;
            match released {
                Ok(()) => Outcome::AlreadyThere,
                Err(error) => Outcome::Failed(db_failure(error)),
            }
        }
        Err(error) => Outcome::Failed(service_failure(error)),
    }
}
