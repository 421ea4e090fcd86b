//! The access-token signing secret: `SOUNDSTREAM_JWT_SECRET`, or in
//! embedded mode one generated on first start and kept in the data dir, so
//! restarts (and instances sharing the dir) accept each other's tokens.
//! The previous secret after a rotation (`SOUNDSTREAM_JWT_PREVIOUS_SECRET`,
//! or `jwt-secret.previous` beside the kept one) still verifies tokens.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::config::{MIN_SECRET_LEN, Settings};

const SECRET_FILE: &str = "jwt-secret";
const PREVIOUS_SECRET_FILE: &str = "jwt-secret.previous";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or create the token secret {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the token secret in {} is shorter than 32 characters", path.display())]
    TooShort { path: PathBuf },
}

/// At least 32 bytes of key material for HS256.
#[derive(Clone)]
pub struct JwtSecret(Vec<u8>);

impl std::fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtSecret(***)")
    }
}

impl JwtSecret {
    /// A configured secret; its length was checked with the configuration.
    /// The configured secret, else the one kept in the data dir.
    pub fn for_settings(settings: &Settings) -> Result<Self, SecretError> {
        match &settings.jwt_secret {
            Some(secret) => Ok(Self::from_configured(secret)),
            None => Self::load_or_create(&settings.data_dir),
        }
    }

    /// The secret before the last rotation, if any: the configured one,
    /// else `jwt-secret.previous` in the data dir (in embedded mode, rotate
    /// by renaming `jwt-secret` to it and restarting).
    pub fn previous_for_settings(settings: &Settings) -> Result<Option<Self>, SecretError> {
        if let Some(previous) = &settings.jwt_previous_secret {
            return Ok(Some(Self::from_configured(previous)));
        }
        if settings.jwt_secret.is_some() {
            return Ok(None);
        }
        let path = settings.data_dir.join(PREVIOUS_SECRET_FILE);
        match std::fs::read_to_string(&path) {
            Ok(secret) if secret.trim().len() >= MIN_SECRET_LEN => {
                Ok(Some(Self::from_configured(secret.trim())))
            }
            Ok(_) => Err(SecretError::TooShort { path }),
            Err(error) if error.kind() == ErrorKind::NotFound => Ok(None),
            Err(source) => Err(SecretError::Io { path, source }),
        }
    }

    pub fn from_configured(secret: &str) -> Self {
        Self(secret.as_bytes().to_vec())
    }

    /// The secret kept in `data_dir`, created with 256 random bits on first use.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, SecretError> {
        let path = data_dir.join(SECRET_FILE);
        let io = |source| SecretError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(io)?;
        if !path.exists() {
            // Written in full to a file of our own, then linked into place:
            // the link either appears complete or fails because another
            // process (or an earlier start) won, so nobody ever reads a
            // half-written or empty secret, even after a crash.
            let mut random = [0_u8; 32];
            rand::fill(&mut random);
            let draft = data_dir.join(format!(".{SECRET_FILE}.{}", hex_encode(&random[..8])));
            let draft_io = |source| SecretError::Io {
                path: draft.clone(),
                source,
            };
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&draft).map_err(draft_io)?;
            rand::fill(&mut random);
            let written = file
                .write_all(hex_encode(&random).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(draft_io);
            let linked = written.and_then(|()| match std::fs::hard_link(&draft, &path) {
                Ok(()) => Ok(()),
                // Another instance made it first: use theirs.
                Err(error) if error.kind() == ErrorKind::AlreadyExists => Ok(()),
                Err(error) => Err(io(error)),
            });
            // The draft is only a name for bytes now linked (or lost the race).
            let _ = std::fs::remove_file(&draft);
            linked?;
        }
        let secret = std::fs::read_to_string(&path).map_err(io)?;
        let secret = secret.trim();
        if secret.len() < MIN_SECRET_LEN {
            return Err(SecretError::TooShort { path });
        }
        Ok(Self(secret.as_bytes().to_vec()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// A key id that names the secret without revealing it.
    pub fn key_id(&self) -> String {
        hex_encode(&self.derived_key(b"soundstream access token key id v1")[..8])
    }

    /// A key for deriving a rotated refresh token's successor.
    pub fn refresh_successor_key(&self) -> Vec<u8> {
        self.derived_key(b"soundstream refresh token successor v1")
    }

    fn derived_key(&self, purpose: &[u8]) -> Vec<u8> {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        mac.update(purpose);
        mac.finalize().into_bytes().to_vec()
    }

    /// A key for sealing app passwords at rest (see `auth::app_secrets`).
    pub fn app_password_key(&self) -> Vec<u8> {
        self.derived_key(b"soundstream app password sealing v1")
    }

    /// A key for signing radio stream URLs (see `auth::stream_urls`).
    pub fn stream_url_key(&self) -> Vec<u8> {
        self.derived_key(b"soundstream radio stream URL signing v1")
    }

    /// A key for signing local media URLs, derived so that neither key
    /// reveals the other.
    pub fn media_url_key(&self) -> Vec<u8> {
        self.derived_key(b"soundstream local media URL signing v1")
    }
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_starting_at_once_all_read_the_one_complete_secret() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().expect("temp dir");
            let secrets: Vec<Vec<u8>> = std::thread::scope(|scope| {
                let starts: Vec<_> = (0..8)
                    .map(|_| scope.spawn(|| JwtSecret::load_or_create(dir.path())))
                    .collect();
                starts
                    .into_iter()
                    .map(|start| {
                        start
                            .join()
                            .expect("no panic")
                            .expect("every start gets the secret")
                            .as_bytes()
                            .to_vec()
                    })
                    .collect()
            });
            assert!(secrets.iter().all(|secret| secret == &secrets[0]));
            assert_eq!(secrets[0].len(), 64);
            let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
            assert_eq!(leftovers, 1, "only the secret file is left");
        }
    }

    #[test]
    fn a_generated_secret_is_kept_and_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = JwtSecret::load_or_create(dir.path()).expect("created");
        let second = JwtSecret::load_or_create(dir.path()).expect("read back");
        assert_eq!(first.as_bytes(), second.as_bytes());
        assert_eq!(first.as_bytes().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
