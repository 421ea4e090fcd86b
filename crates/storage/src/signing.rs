//! HMAC-SHA256 signatures for the local backend's URLs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub(crate) struct UrlSigner {
    key: Vec<u8>,
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlSigner(***)")
    }
}

impl UrlSigner {
    pub(crate) fn new(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    fn mac(&self, parts: &[&str]) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        for part in parts {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    pub(crate) fn sign(&self, parts: &[&str]) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(parts).finalize().into_bytes())
    }

    /// Constant-time comparison of `signature` with the expected one.
    pub(crate) fn verify(&self, parts: &[&str], signature: &str) -> bool {
        URL_SAFE_NO_PAD
            .decode(signature)
            .is_ok_and(|bytes| self.mac(parts).verify_slice(&bytes).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_the_same_parts_and_key() {
        let signer = UrlSigner::new(b"key");
        let signature = signer.sign(&["GET", "audio/x", "100"]);
        assert!(signer.verify(&["GET", "audio/x", "100"], &signature));
        assert!(!signer.verify(&["GET", "audio/x", "101"], &signature));
        assert!(!signer.verify(&["GET", "audio/x1", "00"], &signature));
        assert!(!UrlSigner::new(b"other").verify(&["GET", "audio/x", "100"], &signature));
        assert!(!signer.verify(&["GET", "audio/x", "100"], "not base64!"));
    }
}
