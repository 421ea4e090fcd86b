//! App passwords at rest. Subsonic's token scheme sends md5(secret + salt),
//! so the server must recover each secret: secrets are sealed with
//! AES-256-GCM under a key derived from the server's signing secret (the
//! previous secret after a rotation still opens them), and found by their
//! SHA-256 when an app presents one alone as an API key.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sha2::{Digest, Sha256};

use crate::auth::secret::JwtSecret;

/// Characters of a generated secret: lower-case letters and digits without
/// look-alikes, easy to type into a phone.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// 24 characters of 31: about 119 bits.
const SECRET_LEN: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("sealing an app password failed")]
    Seal,
}

/// The keys that seal and open app passwords.
pub struct AppSecretKeys {
    current: LessSafeKey,
    previous: Option<LessSafeKey>,
}

impl std::fmt::Debug for AppSecretKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppSecretKeys(***)")
    }
}

fn key(secret: &JwtSecret) -> LessSafeKey {
    let bytes = secret.app_password_key();
    LessSafeKey::new(
        UnboundKey::new(&AES_256_GCM, &bytes).expect("an HMAC-SHA256 output is a 256-bit key"),
    )
}

impl AppSecretKeys {
    pub fn new(secret: &JwtSecret, previous: Option<&JwtSecret>) -> Self {
        Self {
            current: key(secret),
            previous: previous.map(key),
        }
    }

    /// A new random secret.
    pub fn generate() -> String {
        let mut random = [0_u8; SECRET_LEN];
        rand::fill(&mut random);
        random
            .iter()
            .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
            .collect()
    }

    /// `hex(nonce || ciphertext || tag)` of the secret.
    pub fn seal(&self, secret: &str) -> Result<String, SealError> {
        let mut nonce = [0_u8; NONCE_LEN];
        rand::fill(&mut nonce);
        let mut sealed = secret.as_bytes().to_vec();
        self.current
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut sealed,
            )
            .map_err(|_| SealError::Seal)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(hex::encode(out))
    }

    /// The secret a sealed value holds; `None` when no key opens it (the
    /// server's secret was rotated twice since, or the value was altered).
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = hex::decode(sealed).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        std::iter::once(&self.current)
            .chain(self.previous.as_ref())
            .find_map(|key| {
                let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
                let mut buffer = ciphertext.to_vec();
                let plain = key.open_in_place(nonce, Aad::empty(), &mut buffer).ok()?;
                String::from_utf8(plain.to_vec()).ok()
            })
    }

    /// What a secret is found by.
    pub fn lookup_hash(secret: &str) -> String {
        hex::encode(Sha256::digest(secret.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_the_same_or_next_key_only() {
        let old = JwtSecret::from_configured("old-secret-0123456789abcdef0123456789");
        let new = JwtSecret::from_configured("new-secret-0123456789abcdef0123456789");
        let secret = AppSecretKeys::generate();
        let sealed = AppSecretKeys::new(&old, None)
            .seal(&secret)
            .expect("sealed");
        assert!(!sealed.contains(&hex::encode(secret.as_bytes())));
        assert_eq!(
            AppSecretKeys::new(&new, Some(&old)).open(&sealed),
            Some(secret)
        );
        assert_eq!(AppSecretKeys::new(&new, None).open(&sealed), None);
        let mut altered = sealed.into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'0' { b'1' } else { b'0' };
        let altered = String::from_utf8(altered).expect("hex");
        assert_eq!(AppSecretKeys::new(&old, None).open(&altered), None);
    }

    #[test]
    fn generated_secrets_are_long_and_typeable() {
        let secret = AppSecretKeys::generate();
        assert_eq!(secret.len(), SECRET_LEN);
        assert!(secret.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(secret, AppSecretKeys::generate());
    }
}
