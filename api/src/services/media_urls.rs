//! URLs for stored media, as a request's answer needs them: presigned (or,
//! with local storage, signed and made absolute against the API's origin),
//! stable within a window so browsers cache what they point to.

use std::future::{Ready, ready};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use soundstream_storage::{ObjectKey, ObjectStore, StorageError, UrlWindow};
use soundstream_types::User;

use crate::error::ApiError;
use crate::persistence::users::UserRecord;
use crate::startup::AppState;

/// Playback URLs live between one and two windows.
pub const URL_WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone)]
pub struct MediaUrls {
    store: Arc<dyn ObjectStore>,
    /// `scheme://host` of this request, for the local backend's paths.
    origin: String,
}

impl MediaUrls {
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
    ) -> Result<Option<String>, ApiError> {
        match object {
            Some((key, content_type)) => Ok(Some(self.download(key, content_type).await?)),
            None => Ok(None),
        }
    }

    /// A download URL for an object, answered with `content_type`.
    pub async fn download(&self, object_key: &str, content_type: &str) -> Result<String, ApiError> {
        let key = ObjectKey::parse(object_key).ok_or_else(|| {
            ApiError::Storage(StorageError::Backend(format!(
                "the database holds a malformed object key {object_key:?}"
            )))
        })?;
        let window = UrlWindow::containing(SystemTime::now(), URL_WINDOW);
        let url = self
            .store
            .presign_download(&key, content_type, window)
            .await?;
        Ok(self.absolute(url))
    }

    /// The user as the API shows it, with a URL for the avatar.
    pub async fn user(&self, record: &UserRecord) -> Result<User, ApiError> {
        let avatar_url = match &record.avatar {
            Some(avatar) => Some(
                self.download(&avatar.object_key, &avatar.content_type)
                    .await?,
            ),
            None => None,
        };
        Ok(record.to_dto(avatar_url))
    }
}

impl FromRequest for MediaUrls {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let connection = req.connection_info();
        let origin = format!("{}://{}", connection.scheme(), connection.host());
        ready(
            req.app_data::<Data<AppState>>()
                .map(|state| Self {
                    store: state.storage.store.clone(),
                    origin,
                })
                .ok_or_else(|| ApiError::NotFound("Media is not available here.".into())),
        )
    }
}
