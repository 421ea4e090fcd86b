//! Access tokens (JWT, HS256 pinned, 15 minutes, verifiable by any instance
//! without the database) and refresh tokens (opaque random strings, stored
//! only as SHA-256 hashes).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use soundstream_types::Role;

use super::AuthError;
use super::secret::JwtSecret;

pub const ISSUER: &str = "soundstream";
pub const AUDIENCE: &str = "soundstream-api";
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
pub const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);
const ALGORITHM: Algorithm = Algorithm::HS256;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user id.
    pub sub: String,
    pub role: Role,
    /// The session (refresh-token family) this token was issued for.
    pub sid: String,
    pub exp: u64,
    pub iat: u64,
    pub jti: String,
}

/// Signs and verifies access tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    pub fn new(secret: &JwtSecret) -> Self {
        let mut validation = Validation::new(ALGORITHM);
        validation.algorithms = vec![ALGORITHM];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 30;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    /// A signed access token for the user and session, with its lifetime.
    pub fn issue_access_token(
        &self,
        user_id: &str,
        role: Role,
        session_id: &str,
    ) -> Result<String, AuthError> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: user_id.to_owned(),
            role,
            sid: session_id.to_owned(),
            iat: now,
            exp: now + ACCESS_TOKEN_TTL.as_secs(),
            jti: uuid::Uuid::now_v7().to_string(),
        };
        jsonwebtoken::encode(&Header::new(ALGORITHM), &claims, &self.encoding)
            .map_err(AuthError::Signing)
    }

    /// The claims of a valid token: right algorithm, signature, issuer,
    /// audience and not expired.
    pub fn verify_access_token(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
    }
}

/// A new refresh token and the hash to store for it.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0_u8; 32];
    rand::fill(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = refresh_token_hash(&token);
    (token, hash)
}

/// The stored form of a refresh token: a database leak yields no usable tokens.
pub fn refresh_token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> TokenKeys {
        TokenKeys::new(&JwtSecret::from_configured(secret))
    }

    #[test]
    fn issued_tokens_verify_and_carry_the_claims() {
        let keys = keys("a-test-secret-that-is-long-enough-000");
        let token = keys
            .issue_access_token("user-1", Role::Admin, "family-1")
            .expect("signs");
        let claims = keys.verify_access_token(&token).expect("verifies");
        assert_eq!(claims.sub, "user-1");
        assert_eq!(claims.role, Role::Admin);
        assert_eq!(claims.sid, "family-1");
        assert_eq!(claims.exp - claims.iat, 15 * 60);
        assert_eq!(
            (claims.iss.as_str(), claims.aud.as_str()),
            (ISSUER, AUDIENCE)
        );
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let token = keys("another-secret-that-is-long-enough-111")
            .issue_access_token("user-1", Role::Admin, "f")
            .expect("signs");
        assert!(
            keys("a-test-secret-that-is-long-enough-000")
                .verify_access_token(&token)
                .is_err()
        );
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let (first, first_hash) = new_refresh_token();
        let (second, _) = new_refresh_token();
        assert_ne!(first, second);
        assert_eq!(first.len(), 43);
        assert_eq!(first_hash, refresh_token_hash(&first));
        assert_eq!(first_hash.len(), 64);
        assert!(!first_hash.contains(&first));
    }
}
