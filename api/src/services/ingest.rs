//! Library ingest: the one way audio becomes a song, whether it arrives as
//! an upload (completion, then `POST /songs`) or from a folder
//! (`soundstream import`). It identifies the bytes by their magic numbers,
//! reads the tags, duration and embedded cover, keeps the cover as an image
//! upload, and files the song with the request's fields over the tags'.
//! A file that is not what it must be is *refused* (the caller's fault,
//! 422); a storage or database fault is *failed* (ours, 503/500), the same
//! way on every path.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use soundstream_media::{
    AudioFormat, AudioMetadata, DetectedFormat, EmbeddedPicture, ImageError, ImageFormat,
    MediaError, SNIFF_LEN, check_image as media_check_image, id3v2_len, read_audio_metadata, sniff,
};
use soundstream_storage::{ObjectKey, ObjectStore, RangeReader, StorageError};
use soundstream_types::{CreateSongRequest, Song, UploadKind};
use sqlx::AnyConnection;

use crate::auth::AdminUser;
use crate::clock::now_millis;
use crate::db::Database;
use crate::domain::{CatalogueName, FieldErrors, LanguageCode, field_error};
use crate::persistence::filing::Places;
use crate::persistence::songs::{self, NewSong};
use crate::persistence::uploads::{self, NewUpload};
use crate::services::catalogue::{lyrics_fields, no_song};
use crate::services::jobs;
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult, unusable_upload};
use crate::state::AppState;
use crate::storage::{MediaStorage, new_object_key};
use crate::telemetry::error_chain;

/// Why bytes were not taken.
#[derive(Debug)]
pub enum IngestError {
    /// The bytes are not what they must be: a sentence saying why.
    Refused(String),
    /// Something on our side failed: keep the bytes, report the fault.
    Failed(ServiceError),
}

impl<E: Into<ServiceError>> From<E> for IngestError {
    fn from(error: E) -> Self {
        Self::Failed(error.into())
    }
}

/// An object in media storage being ingested, read by ranges.
#[derive(Debug, Clone)]
pub struct Source {
    pub store: Arc<dyn ObjectStore>,
    pub key: ObjectKey,
    pub size: u64,
}

impl Source {
    /// Up to `len` bytes from `offset`.
    async fn read_range(&self, offset: u64, len: u64) -> Result<Vec<u8>, IngestError> {
        Ok(self
            .store
            .read_range(&self.key, offset, len)
            .await?
            .to_vec())
    }
}

/// Where a large ID3v2 tag (cover art) hides what follows it from
/// detection: the tag's length, when `head` does not reach past it.
fn hidden_by_tag(head: &[u8], size: u64) -> Option<u64> {
    id3v2_len(head).filter(|len| len + 4 > head.len() as u64 && *len < size)
}

/// What the bytes are, by their magic numbers, looking past a large ID3v2
/// tag.
pub async fn identify(source: &Source) -> Result<Option<DetectedFormat>, IngestError> {
    let head = source.read_range(0, SNIFF_LEN as u64).await?;
    let mut detected = sniff(&head);
    if let Some(tag_len) = hidden_by_tag(&head, source.size) {
        let after_tag = source.read_range(tag_len, SNIFF_LEN as u64).await?;
        detected = sniff(&after_tag).or(detected);
    }
    Ok(detected)
}

/// [`identify`] for a local file read where it lies (`soundstream
/// import`), on the calling thread: run it on the blocking pool.
pub fn identify_file(file: &mut File, size: u64) -> std::io::Result<Option<DetectedFormat>> {
    let mut read_at = |offset: u64| -> std::io::Result<Vec<u8>> {
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = Vec::with_capacity(SNIFF_LEN);
        file.take(SNIFF_LEN as u64).read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let head = read_at(0)?;
    let mut detected = sniff(&head);
    if let Some(tag_len) = hidden_by_tag(&head, size) {
        detected = sniff(&read_at(tag_len)?).or(detected);
    }
    Ok(detected)
}

/// How much of an image [`check_image`] reads first: the dimensions are in
/// the first bytes, unless a JPEG carries a large EXIF block before them.
const IMAGE_HEAD_LEN: u64 = 64 * 1024;

/// Refuses an image whose dimensions cannot be read or exceed
/// [`MAX_IMAGE_PIXELS`](soundstream_media::MAX_IMAGE_PIXELS), reading its
/// header (the whole file only when the header does not fit in the first
/// bytes; images are at most 10 MB).
pub async fn check_image(source: &Source, format: ImageFormat) -> Result<(), IngestError> {
    let head = source.read_range(0, IMAGE_HEAD_LEN).await?;
    let checked = match media_check_image(format, &head) {
        Err(ImageError::Unreadable { .. }) if source.size > IMAGE_HEAD_LEN => {
            media_check_image(format, &source.read_range(0, source.size).await?)
        }
        checked => checked,
    };
    checked
        .map(|_| ())
        .map_err(|error| IngestError::Refused(format!("{}.", capitalise(&error.to_string()))))
}

/// The tags, duration and embedded picture of audio in `format`.
pub async fn read_tags(source: &Source, format: AudioFormat) -> Result<AudioMetadata, IngestError> {
    let reader = RangeReader::new(
        source.store.clone(),
        source.key.clone(),
        source.size,
        tokio::runtime::Handle::current(),
    );
    tags_or_refusal(tokio::task::spawn_blocking(move || read_audio_metadata(reader, format)).await?)
}

/// [`read_tags`] for a local file read where it lies, on the calling
/// thread: run it on the blocking pool.
pub fn read_file_tags(file: &mut File, format: AudioFormat) -> Result<AudioMetadata, IngestError> {
    file.seek(SeekFrom::Start(0))
        .map_err(|error| IngestError::Failed(StorageError::from(error).into()))?;
    tags_or_refusal(read_audio_metadata(file, format))
}

fn tags_or_refusal(read: Result<AudioMetadata, MediaError>) -> Result<AudioMetadata, IngestError> {
    match read {
        Ok(metadata) => Ok(metadata),
        Err(error @ MediaError::Unreadable { .. }) => Err(IngestError::Refused(format!(
            "{}.",
            capitalise(&error.to_string())
        ))),
        // Reading failed underneath the parser: storage, not the file.
        Err(error) => Err(IngestError::Failed(
            StorageError::Backend(error_chain(&error)).into(),
        )),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A picture found in an audio file, stored as a completed image upload of
/// its owner's, so it can be used wherever an image upload is accepted.
pub struct StoredCover {
    pub upload_id: String,
    pub object_key: ObjectKey,
    pub content_type: &'static str,
}

pub async fn store_embedded_cover(
    storage: &MediaStorage,
    db: &Database,
    owner_id: &str,
    picture: EmbeddedPicture,
) -> ServiceResult<StoredCover> {
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

/// What the one filing a song asks for, beside its tags.
#[derive(Debug, Default)]
pub struct SongFields<'a> {
    pub title: Option<&'a str>,
    pub artist: Option<&'a str>,
    pub album: Option<&'a str>,
    pub track_number: Option<u32>,
    pub disc_number: Option<u32>,
    pub year: Option<i32>,
    pub genre: Option<&'a str>,
}

/// What to fall back on when neither the request nor the tags say
/// (`soundstream import`, which has no request to ask).
#[derive(Debug, Default)]
pub struct Fallbacks<'a> {
    pub title: Option<&'a str>,
    /// The artist when the tags name none, not even an album artist.
    pub artist: Option<&'a str>,
}

/// The names a song is filed under, parsed: the request's, else the tags',
/// else the fallbacks'.
pub struct FiledNames {
    pub title: CatalogueName,
    pub artist: CatalogueName,
    pub album: Option<CatalogueName>,
    /// Files a tagged album under its album artist.
    pub album_artist: Option<CatalogueName>,
    pub genre: Option<CatalogueName>,
}

impl FiledNames {
    pub fn resolve(
        errors: &mut FieldErrors,
        given: &SongFields<'_>,
        tags: &AudioMetadata,
        fallbacks: &Fallbacks<'_>,
    ) -> Option<Self> {
        let mut name = |field: &str, value: Option<&str>, required: bool| match value {
            Some(value) => errors.check(CatalogueName::parse(field, value)),
            None if required => errors.check::<CatalogueName>(Err(field_error(
                field,
                "is missing from the request and the file's tags",
            ))),
            None => None,
        };
        let title = name(
            "title",
            given.title.or(tags.title.as_deref()).or(fallbacks.title),
            true,
        );
        let fallback_artist = fallbacks
            .artist
            .map(|last| tags.album_artist.as_deref().unwrap_or(last));
        let artist = name(
            "artist",
            given.artist.or(tags.artist.as_deref()).or(fallback_artist),
            true,
        );
        let album = name("album", given.album.or(tags.album.as_deref()), false);
        // The tagged album artist files the tagged album; an album given
        // in the request belongs to the song's artist.
        let album_artist = match &tags.album_artist {
            Some(tagged) if given.album.is_none() => {
                CatalogueName::parse("album_artist", tagged).ok()
            }
            _ => None,
        };
        // A genre given in the request must parse; a tagged one that does
        // not (too long, say) is left out rather than refusing the file.
        let genre = match given.genre {
            Some(genre) => errors.check(CatalogueName::parse("genre", genre)),
            None => tags
                .genre
                .as_deref()
                .and_then(|tagged| CatalogueName::parse("genre", tagged).ok()),
        };
        Some(Self {
            title: title?,
            artist: artist?,
            album,
            album_artist,
            genre,
        })
    }
}

/// A song ready to file: its names, numbers and objects.
pub struct SongDraft<'a> {
    pub names: &'a FiledNames,
    pub given: &'a SongFields<'a>,
    pub tags: &'a AudioMetadata,
    pub audio_object_key: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    pub content_hash: Option<&'a str>,
    pub cover_object_key: Option<&'a str>,
    pub lyrics: Option<&'a str>,
    pub lyrics_language: Option<&'a LanguageCode>,
    pub uploaded_by: &'a str,
}

/// Files the song (its artist and album matched or created, through
/// `places`: the transaction's) and queues its analysis and renditions.
/// Returns its id.
pub async fn file_song(
    conn: &mut AnyConnection,
    places: &mut Places,
    draft: &SongDraft<'_>,
) -> ServiceResult<String> {
    let names = draft.names;
    let id = songs::insert(
        conn,
        places,
        &NewSong {
            title: &names.title,
            artist: &names.artist,
            album: names.album.as_ref(),
            album_artist: names.album_artist.as_ref(),
            track_number: draft.given.track_number.or(draft.tags.track_number),
            disc_number: draft.given.disc_number.or(draft.tags.disc_number),
            year: draft.given.year.or(draft.tags.year),
            genre: names.genre.as_ref(),
            duration_ms: draft.tags.duration_ms,
            bit_rate_kbps: draft
                .tags
                .bit_rate_kbps
                .or_else(|| average_bit_rate_kbps(draft.size, draft.tags.duration_ms)),
            sample_rate_hz: draft.tags.sample_rate_hz,
            audio_object_key: draft.audio_object_key,
            content_type: draft.content_type,
            size: draft.size,
            content_hash: draft.content_hash,
            cover_object_key: draft.cover_object_key,
            lyrics: draft.lyrics.filter(|l| !l.trim().is_empty()),
            lyrics_language: draft.lyrics_language.map(LanguageCode::as_str),
            uploaded_by: draft.uploaded_by,
        },
    )
    .await?;
    // A new song: its work cannot be waiting already.
    jobs::enqueue_song_work(conn, &id, now_millis()).await?;
    Ok(id)
}

/// The whole file's bit rate, for formats whose container does not state
/// the audio's (ADTS AAC): apps show it as the stream's quality.
fn average_bit_rate_kbps(size: u64, duration_ms: u64) -> Option<u32> {
    let kbps = size.saturating_mul(8).checked_div(duration_ms)?;
    u32::try_from(kbps).ok().filter(|&kbps| kbps > 0)
}

fn already_a_song() -> ServiceError {
    ServiceError::Conflict {
        detail: "A song already plays this upload.".into(),
        errors: vec![field_error("upload_id", "is already a song")],
    }
}

/// Creates a song from a completed audio upload of the admin's. Fields left
/// out are taken from the file's tags (read again: the duration is the
/// file's, not the client's); the cover is the image upload given, else
/// the art embedded in the file.
pub async fn create_song(
    state: &AppState,
    urls: &MediaUrls,
    admin: &AdminUser,
    request: &CreateSongRequest,
) -> ServiceResult<Song> {
    let owner = &admin.0.id;
    let mut conn = state.db.acquire().await?;
    let upload = uploads::find_completed(&mut conn, &request.upload_id, owner, UploadKind::Audio)
        .await?
        .ok_or_else(|| unusable_upload("upload_id", UploadKind::Audio))?;
    if songs::uses_object(&mut conn, &upload.object_key).await? {
        return Err(already_a_song());
    }
    let cover_upload = match &request.cover_upload_id {
        Some(id) => Some(
            uploads::find_completed(&mut conn, id, owner, UploadKind::Image)
                .await?
                .ok_or_else(|| unusable_upload("cover_upload_id", UploadKind::Image))?,
        ),
        None => None,
    };
    drop(conn);

    let key = ObjectKey::parse(&upload.object_key).ok_or_else(no_song)?;
    let source = Source {
        store: state.storage.store.clone(),
        key,
        size: upload.size,
    };
    let refused = |reason: String| ServiceError::Validation {
        detail: format!("The audio cannot be read: {reason}"),
        errors: vec![field_error("upload_id", reason)],
    };
    let tags = match identify(&source).await {
        Ok(Some(DetectedFormat::Audio(format))) => read_tags(&source, format).await,
        Ok(_) => {
            return Err(ServiceError::Validation {
                detail: "The upload is not audio.".into(),
                errors: vec![field_error("upload_id", "is not audio")],
            });
        }
        Err(error) => Err(error),
    };
    let tags = match tags {
        Ok(tags) => tags,
        Err(IngestError::Refused(reason)) => return Err(refused(reason)),
        Err(IngestError::Failed(error)) => return Err(error),
    };

    let given = SongFields {
        title: request.title.as_deref(),
        artist: request.artist.as_deref(),
        album: request.album.as_deref(),
        track_number: request.track_number,
        disc_number: request.disc_number,
        year: request.year,
        genre: request.genre.as_deref(),
    };
    let mut errors = FieldErrors::default();
    let names = FiledNames::resolve(&mut errors, &given, &tags, &Fallbacks::default());
    let lyrics_language = lyrics_fields(
        &mut errors,
        request.lyrics.as_deref(),
        request.lyrics_language.as_deref(),
    );
    let Some(names) = names else {
        return Err(ServiceError::invalid_fields(errors.into_vec()));
    };
    errors.into_result().map_err(ServiceError::invalid_fields)?;

    let cover_upload_id = match (cover_upload, &tags.cover) {
        (Some(cover), _) => Some(cover.id),
        (None, Some(picture)) => Some(
            store_embedded_cover(&state.storage, &state.db, owner, picture.clone())
                .await?
                .upload_id,
        ),
        (None, None) => None,
    };
    // Looked up again, locked, in the transaction that refers to them: the
    // clean-up cannot take them away in between (see `find_completed`).
    let mut tx = state.db.begin_write().await?;
    let upload = uploads::find_completed(&mut tx, &request.upload_id, owner, UploadKind::Audio)
        .await?
        .ok_or_else(|| unusable_upload("upload_id", UploadKind::Audio))?;
    let cover_key = match cover_upload_id {
        Some(id) => Some(
            uploads::find_completed(&mut tx, &id, owner, UploadKind::Image)
                .await?
                .ok_or_else(|| unusable_upload("cover_upload_id", UploadKind::Image))?
                .object_key,
        ),
        None => None,
    };
    if songs::uses_object(&mut tx, &upload.object_key).await? {
        return Err(already_a_song());
    }
    let id = file_song(
        &mut tx,
        &mut Places::default(),
        &SongDraft {
            names: &names,
            given: &given,
            tags: &tags,
            audio_object_key: &upload.object_key,
            content_type: &upload.content_type,
            size: upload.size,
            content_hash: None,
            cover_object_key: cover_key.as_deref(),
            lyrics: request.lyrics.as_deref(),
            lyrics_language: lyrics_language.as_ref(),
            uploaded_by: owner,
        },
    )
    .await?;
    let record = songs::find(&mut tx, &id).await?.ok_or_else(no_song)?;
    tx.commit().await?;
    tracing::info!(song_id = %id, admin_id = %owner, "song created");
    urls.song(&record).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(genre: Option<&str>) -> AudioMetadata {
        AudioMetadata {
            title: Some("Song".into()),
            artist: Some("Artist".into()),
            album: None,
            album_artist: None,
            track_number: None,
            disc_number: None,
            year: None,
            genre: genre.map(str::to_owned),
            duration_ms: 1_000,
            bit_rate_kbps: None,
            sample_rate_hz: None,
            cover: None,
        }
    }

    fn genre_of(given: Option<&str>, tags: &AudioMetadata) -> (Option<String>, bool) {
        let mut errors = FieldErrors::default();
        let fields = SongFields {
            genre: given,
            ..SongFields::default()
        };
        let names = FiledNames::resolve(&mut errors, &fields, tags, &Fallbacks::default());
        let genre = names.and_then(|names| names.genre.map(|g| g.as_str().to_owned()));
        (genre, errors.into_result().is_ok())
    }

    #[test]
    fn the_genre_is_the_requests_else_the_tagged_one() {
        assert_eq!(
            genre_of(None, &tagged(Some("Bossa Nova"))),
            (Some("Bossa Nova".into()), true)
        );
        assert_eq!(
            genre_of(Some("Jazz"), &tagged(Some("Bossa Nova"))),
            (Some("Jazz".into()), true)
        );
        assert_eq!(genre_of(None, &tagged(None)), (None, true));
        // A tagged genre that is no catalogue name is left out; a given one
        // is refused.
        let long = "x".repeat(201);
        assert_eq!(genre_of(None, &tagged(Some(&long))), (None, true));
        assert!(!genre_of(Some(&long), &tagged(None)).1);
    }

    #[test]
    fn the_average_bit_rate_is_the_whole_files() {
        // 30,000 bytes over 2.5 s: 96 kbit/s.
        assert_eq!(average_bit_rate_kbps(30_000, 2_500), Some(96));
        assert_eq!(average_bit_rate_kbps(30_000, 0), None);
        assert_eq!(average_bit_rate_kbps(10, 60_000), None);
    }
}
