//! The media store this deployment uses, chosen by `SOUNDSTREAM_STORAGE`.

use std::sync::Arc;

use soundstream_storage::{LocalStore, ObjectKey, ObjectStore, S3Store, StorageError};

use crate::config::StorageSettings;

/// A fresh, unguessable object key under `prefix` (`audio`, `image`, `face`).
pub fn new_object_key(prefix: &str) -> ObjectKey {
    let mut random = [0_u8; 16];
    rand::fill(&mut random);
    ObjectKey::generate(prefix, random)
}

#[derive(Debug, Clone)]
pub struct MediaStorage {
    pub store: Arc<dyn ObjectStore>,
    /// Set with local storage: the API itself serves its signed URLs.
    pub local: Option<Arc<LocalStore>>,
}

impl MediaStorage {
    pub async fn connect(
        settings: &StorageSettings,
        local_signing_key: &[u8],
    ) -> Result<Self, StorageError> {
        Ok(match settings {
            StorageSettings::Local { root } => {
                let local = Arc::new(LocalStore::new(root.clone(), local_signing_key)?);
                Self {
                    store: local.clone(),
                    local: Some(local),
                }
            }
            StorageSettings::S3(s3) => Self {
                store: Arc::new(S3Store::connect(s3).await),
                local: None,
            },
        })
    }
}
