//! URLs for stored media, as an answer needs them: presigned (or,
//! with local storage, signed and made absolute against the API's origin),
//! stable within a window so browsers cache what they point to.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use soundstream_storage::{ObjectKey, ObjectStore, StorageError, UrlWindow};
use soundstream_types::{Playlist, Song, User};

use crate::persistence::playlists::PlaylistRecord;
use crate::persistence::songs::SongRecord;
use crate::persistence::users::UserRecord;
use crate::services::ServiceError;

/// Playback URLs live between one and two windows.
pub const URL_WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone)]
pub struct MediaUrls {
    store: Arc<dyn ObjectStore>,
    /// The configured public origin, for the local backend's paths.
    origin: String,
}

impl MediaUrls {
    /// URLs from `store`, made absolute against `origin` (`scheme://host`).
    pub fn new(store: Arc<dyn ObjectStore>, origin: String) -> Self {
        Self { store, origin }
    }

    /// The window of the download URLs issued now.
    pub fn current_window() -> UrlWindow {
        UrlWindow::containing(SystemTime::now(), URL_WINDOW)
    }

    /// Makes an API-relative URL (local storage) absolute.
    pub fn absolute(&self, url: String) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.origin)
        } else {
            url
        }
    }

    /// The download URL of an optional `(object, content type)`, such as a cover.
    pub async fn download_optional(
        &self,
        object: Option<&(String, String)>,
    ) -> Result<Option<String>, ServiceError> {
        match object {
            Some((key, content_type)) => Ok(Some(self.download(key, content_type).await?)),
            None => Ok(None),
        }
    }

    /// A download URL for an object, answered with `content_type`.
    pub async fn download(
        &self,
        object_key: &str,
        content_type: &str,
    ) -> Result<String, ServiceError> {
        let key = ObjectKey::parse(object_key).ok_or_else(|| {
            ServiceError::Storage(StorageError::Backend(format!(
                "the database holds a malformed object key {object_key:?}"
            )))
        })?;
        let window = Self::current_window();
        let url = self
            .store
            .presign_download(&key, content_type, window)
            .await?;
        Ok(self.absolute(url))
    }

    /// The user as the API shows it, with a URL for the avatar.
    pub async fn user(&self, record: &UserRecord) -> Result<User, ServiceError> {
        let avatar_url = match &record.avatar {
            Some(avatar) => Some(
                self.download(&avatar.object_key, &avatar.content_type)
                    .await?,
            ),
            None => None,
        };
        Ok(record.to_dto(avatar_url))
    }

    /// The song as the API shows it, with a URL for its cover.
    pub async fn song(&self, record: &SongRecord) -> Result<Song, ServiceError> {
        Ok(record.to_dto(self.download_optional(record.cover.as_ref()).await?))
    }

    /// Several songs, in order.
    pub async fn songs<'r>(
        &self,
        records: impl IntoIterator<Item = &'r SongRecord>,
    ) -> Result<Vec<Song>, ServiceError> {
        let mut songs = Vec::new();
        for record in records {
            songs.push(self.song(record).await?);
        }
        Ok(songs)
    }

    /// The playlist as the API shows it, with a URL for its cover.
    pub async fn playlist(&self, record: &PlaylistRecord) -> Result<Playlist, ServiceError> {
        Ok(record.to_dto(self.download_optional(record.cover.as_ref()).await?))
    }
}
