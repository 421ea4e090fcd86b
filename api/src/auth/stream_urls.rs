//! Signed radio stream URLs: audio apps (VLC, internet-radio apps) cannot
//! send a bearer token, so a listeners-only station's stream is opened
//! with `?exp=<unix seconds>&sig=<hex HMAC-SHA256>` issued to a signed-in
//! listener. The signature covers the station and the expiry only.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::secret::JwtSecret;

pub struct StreamUrlSigner {
    key: Vec<u8>,
}

impl StreamUrlSigner {
    pub fn new(secret: &JwtSecret) -> Self {
        Self {
            key: secret.stream_url_key(),
        }
    }

    fn mac(&self, station_id: &str, expires: u64) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(format!("station-stream\n{station_id}\n{expires}").as_bytes());
        mac
    }

    /// The signature of a stream URL of `station_id` valid until `expires`.
    pub fn sign(&self, station_id: &str, expires: u64) -> String {
        hex::encode(self.mac(station_id, expires).finalize().into_bytes())
    }

    /// Whether `signature` was made by [`sign`](Self::sign) for this
    /// station and expiry, and `now` (Unix seconds) is before the expiry.
    pub fn verify(&self, station_id: &str, expires: u64, signature: &str, now: u64) -> bool {
        let Ok(signature) = hex::decode(signature) else {
            return false;
        };
        now < expires
            && self
                .mac(station_id, expires)
                .verify_slice(&signature)
                .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_opens_only_its_station_until_it_expires() {
        let signer = StreamUrlSigner::new(&JwtSecret::from_configured(
            "a-secret-long-enough-for-the-policy-0123456789",
        ));
        let signature = signer.sign("station-a", 1_000);
        assert!(signer.verify("station-a", 1_000, &signature, 999));
        assert!(!signer.verify("station-a", 1_000, &signature, 1_000));
        assert!(!signer.verify("station-b", 1_000, &signature, 10));
        assert!(!signer.verify("station-a", 2_000, &signature, 10));
        assert!(!signer.verify("station-a", 1_000, "zz", 10));
    }
}
