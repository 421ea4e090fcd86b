//! `soundstream import DIR`: files a folder of audio into the library.
//!
//! Each file goes through the same ingest as an upload (`services::ingest`):
//! identified by its magic bytes and its tags read where it lies, then a
//! pending upload row (so an interrupted run leaves nothing the sweeper
//! will not clean up), the object in storage, and one transaction that
//! completes the upload and files the song with its content hash. A file
//! whose hash is already in the library is skipped, so a re-run adds only
//! what is missing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use soundstream_media::DetectedFormat;
use soundstream_types::UploadKind;

use crate::clock::now_millis;
use crate::db::{Database, DbError};
use crate::domain::FieldErrors;
use crate::persistence::songs::{self, SONG_CONTENT_INDEX};
use crate::persistence::uploads::{self, NewUpload};
use crate::persistence::users;
use crate::services::ServiceError;
use crate::services::ingest::{
    self, Fallbacks, FiledNames, IngestError, SongDraft, SongFields, Source,
};
use crate::services::uploads::AUDIO_MAX_BYTES;
use crate::storage::{MediaStorage, new_object_key};
use crate::telemetry::error_chain;

/// File extensions taken for audio; anything else in the folder is left alone.
const AUDIO_EXTENSIONS: &[&str] = &["mp3", "flac", "ogg", "oga", "opus", "wav", "m4a", "aac"];
/// How long a file's pending upload may last before the sweeper takes it.
const PENDING_FOR: Duration = Duration::from_secs(60 * 60);
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
}

impl ImportSummary {
    pub fn files_per_second(&self) -> f64 {
        let files = self.imported + self.already_there + self.failed.len();
        files as f64 / self.elapsed.as_secs_f64().max(1e-3)
    }
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
        let name = entry.file_name().to_string_lossy();
        let audio = !name.starts_with('.')
            && Path::new(&*name)
                .extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| AUDIO_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
        if audio {
            files.push(entry.into_path());
        } else {
            ignored += 1;
        }
    }
    Ok((files, ignored))
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

/// Imports `files`, `jobs` at a time, advancing `progress` as each ends.
pub async fn import_files(
    db: &Database,
    storage: &MediaStorage,
    owner_id: &str,
    files: Vec<PathBuf>,
    jobs: usize,
    progress: &ProgressBar,
) -> ImportSummary {
    let started = Instant::now();
    let mut summary = ImportSummary::default();
    let mut outcomes = futures_util::stream::iter(files)
        .map(|path| async move {
            let (outcome, bytes) = import_file(db, storage, owner_id, &path).await;
            (path, outcome, bytes)
        })
        .buffer_unordered(jobs.max(1));
    while let Some((path, outcome, bytes)) = outcomes.next().await {
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
    summary.failed.sort();
    summary.elapsed = started.elapsed();
    summary
}

async fn import_file(
    db: &Database,
    storage: &MediaStorage,
    owner_id: &str,
    path: &Path,
) -> (Outcome, u64) {
    match try_import_file(db, storage, owner_id, path).await {
        Ok((outcome, bytes)) => (outcome, bytes),
        Err(reason) => (Outcome::Failed(reason), 0),
    }
}

/// What says a file is unchanged: its length and modification time.
async fn file_version(path: &Path) -> Result<(u64, Option<std::time::SystemTime>), String> {
    let metadata = tokio::fs::metadata(path)
        .await
        .map_err(|error| format!("cannot read: {error}"))?;
    Ok((metadata.len(), metadata.modified().ok()))
}

/// SHA-256 of a file, read in chunks on the blocking pool.
async fn hash_file(path: &Path) -> Result<String, String> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&path)?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher)?;
        Ok::<_, std::io::Error>(format!("{:x}", hasher.finalize()))
    })
    .await
    .map_err(|error| format!("reading stopped: {error}"))?
    .map_err(|error| format!("cannot read: {error}"))
}

async fn try_import_file(
    db: &Database,
    storage: &MediaStorage,
    owner_id: &str,
    path: &Path,
) -> Result<(Outcome, u64), String> {
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|error| format!("cannot read: {error}"))?
        .len();
    if size > AUDIO_MAX_BYTES {
        return Err(format!(
            "too large: {size} bytes, at most {AUDIO_MAX_BYTES}"
        ));
    }
    let failed = |error: ServiceError| match error {
        ServiceError::Database(error) => format!("database: {}", error_chain(&error)),
        ServiceError::Storage(error) => format!("storage: {error}"),
        other => error_chain(&other),
    };
    let refused = |error: IngestError, what: &str| match error {
        IngestError::Refused(reason) => format!("{what}: {reason}"),
        IngestError::Failed(error) => failed(error),
    };
    let source = Source::File {
        path: path.to_owned(),
        size,
    };
    let format = match ingest::identify(&source).await {
        Ok(Some(DetectedFormat::Audio(format))) => format,
        Ok(_) => {
            return Err(
                "not audio: the bytes are not MP3, AAC, MP4, Ogg, Opus, FLAC or WAV".into(),
            );
        }
        Err(error) => return Err(refused(error, "cannot read")),
    };
    let tags = ingest::read_tags(&source, format)
        .await
        .map_err(|error| refused(error, &format!("unreadable {format}")))?;
    // Streamed twice (hashed here, stored below), never held whole; a file
    // that changes in between is refused rather than filed under a hash
    // that is not its content's.
    let before = file_version(path).await?;
    let hash = hash_file(path).await?;
    let db_failed = |error: DbError| failed(error.into());
    if songs::has_content(&mut *db.acquire().await.map_err(db_failed)?, &hash)
        .await
        .map_err(db_failed)?
    {
        return Ok((Outcome::AlreadyThere, 0));
    }

    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let given = SongFields::default();
    let mut errors = FieldErrors::default();
    let names = FiledNames::resolve(
        &mut errors,
        &given,
        &tags,
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
    })?;

    // The upload, pending until the song is filed.
    let upload_id = uuid::Uuid::now_v7().to_string();
    let object_key = new_object_key(uploads::kind_name(UploadKind::Audio));
    let content_type = format.content_type();
    let now = now_millis();
    let filename = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    uploads::insert(
        &mut *db.acquire().await.map_err(db_failed)?,
        &NewUpload {
            id: &upload_id,
            owner_id,
            kind: UploadKind::Audio,
            complete: false,
            object_key: object_key.as_str(),
            content_type,
            size,
            filename: filename.as_deref(),
            created_at: now,
            expires_at: now + i64::try_from(PENDING_FOR.as_millis()).unwrap_or(i64::MAX),
        },
    )
    .await
    .map_err(db_failed)?;
    storage
        .store
        .put_file(&object_key, path, content_type)
        .await
        .map_err(|error| format!("storage: {error}"))?;
    if file_version(path).await? != before {
        let _ = storage.store.delete(&object_key).await;
        return Err("the file changed while it was imported; run the import again".into());
    }
    let cover = match tags.cover.clone() {
        Some(picture) => Some(
            ingest::store_embedded_cover(storage, db, owner_id, picture)
                .await
                .map_err(|error| format!("storing the cover: {}", failed(error)))?,
        ),
        None => None,
    };

    let filed = async {
        let mut tx = db.begin_write().await?;
        // The import wrote the object itself: no upload URL was ever issued.
        uploads::mark_complete(&mut tx, &upload_id, object_key.as_str(), now_millis()).await?;
        ingest::file_song(
            &mut tx,
            &SongDraft {
                names: &names,
                given: &given,
                tags: &tags,
                audio_object_key: object_key.as_str(),
                content_type,
                size,
                content_hash: Some(&hash),
                cover_object_key: cover.as_ref().map(|c| c.object_key.as_str()),
                lyrics: None,
                lyrics_language: None,
                uploaded_by: owner_id,
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<_, ServiceError>(())
    }
    .await;
    match filed {
        Ok(()) => Ok((Outcome::Imported, size)),
        // The same bytes under another name in this folder, filed first
        // (the unique content hash refused this one).
        Err(ServiceError::Database(error)) if error.violates(&SONG_CONTENT_INDEX) => {
            let mut objects = vec![object_key.as_str().to_owned()];
            objects.extend(cover.map(|c| c.object_key.as_str().to_owned()));
            let mut tx = db.begin_write().await.map_err(db_failed)?;
            uploads::release_objects(&mut tx, &objects, now_millis())
                .await
                .map_err(db_failed)?;
            tx.commit().await.map_err(|error| db_failed(error.into()))?;
            Ok((Outcome::AlreadyThere, 0))
        }
        Err(error) => Err(failed(error)),
    }
}
