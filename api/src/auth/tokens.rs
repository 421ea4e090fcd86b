//! Access tokens (JWT, HS256 pinned, 15 minutes, verifiable by any instance
//! without the database) and refresh tokens (opaque random strings, stored
//! only as SHA-256 hashes). Tokens name their key (`kid`): the current
//! secret signs, the previous one still verifies after a rotation.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;
use jsonwebtoken::errors::{Error as JwtError, ErrorKind};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use soundstream_types::Role;

use super::AuthError;
use super::secret::JwtSecret;

pub const ISSUER: &str = "soundstream";
pub const AUDIENCE: &str = "soundstream-api";
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
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

/// What an access token says. Signing is deterministic, so the same grant
/// gives the same token (a retried refresh gets the pair it missed).
pub struct AccessGrant<'a> {
    pub user_id: &'a str,
    pub role: Role,
    pub session_id: &'a str,
    /// Unix seconds.
    pub issued_at: u64,
    pub token_id: &'a str,
}

struct VerifyingKey {
    id: String,
    key: DecodingKey,
}

/// Signs and verifies access tokens; derives refresh-token successors.
#[derive(Clone)]
pub struct TokenKeys {
    key_id: String,
    encoding: EncodingKey,
    verifying: std::sync::Arc<Vec<VerifyingKey>>,
    validation: Validation,
    successor_key: Vec<u8>,
}

impl TokenKeys {
    pub fn new(current: &JwtSecret, previous: Option<&JwtSecret>) -> Self {
        let mut validation = Validation::new(ALGORITHM);
        validation.algorithms = vec![ALGORITHM];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let verifying = std::iter::once(current)
            .chain(previous)
            .map(|secret| VerifyingKey {
                id: secret.key_id(),
                key: DecodingKey::from_secret(secret.as_bytes()),
            })
            .collect();
        Self {
            key_id: current.key_id(),
            encoding: EncodingKey::from_secret(current.as_bytes()),
            verifying: std::sync::Arc::new(verifying),
            validation,
            successor_key: current.refresh_successor_key(),
        }
    }

    /// A signed access token, valid for [`ACCESS_TOKEN_TTL`] from its issue.
    pub fn issue_access_token(&self, grant: &AccessGrant<'_>) -> Result<String, AuthError> {
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: grant.user_id.to_owned(),
            role: grant.role,
            sid: grant.session_id.to_owned(),
            iat: grant.issued_at,
            exp: grant.issued_at + ACCESS_TOKEN_TTL.as_secs(),
            jti: grant.token_id.to_owned(),
        };
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(self.key_id.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(AuthError::Signing)
    }

    /// The claims of a valid token: signed by a key we hold (the current
    /// or the previous secret), right algorithm, issuer, audience, not
    /// expired. Tokens from before key ids verify with the current key.
    pub fn verify_access_token(&self, token: &str) -> Result<Claims, JwtError> {
        let header = jsonwebtoken::decode_header(token)?;
        let key = match &header.kid {
            None => &self.verifying[0],
            Some(kid) => self
                .verifying
                .iter()
                .find(|key| &key.id == kid)
                .ok_or_else(|| JwtError::from(ErrorKind::InvalidSignature))?,
        };
        jsonwebtoken::decode::<Claims>(token, &key.key, &self.validation).map(|data| data.claims)
    }

    /// The refresh token that replaces `presented` when it is rotated, and
    /// its hash. Derived rather than random so that presenting the same
    /// token again moments later (a lost answer, a second tab) can be
    /// answered with the same successor without storing it.
    pub fn successor_refresh_token(&self, presented: &str) -> (String, String) {
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&self.successor_key)
            .expect("HMAC accepts keys of any length");
        mac.update(presented.as_bytes());
        let token = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        let hash = refresh_token_hash(&token);
        (token, hash)
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
        TokenKeys::new(&JwtSecret::from_configured(secret), None)
    }

    fn grant(role: Role) -> AccessGrant<'static> {
        AccessGrant {
            user_id: "user-1",
            role,
            session_id: "family-1",
            issued_at: jsonwebtoken::get_current_timestamp(),
            token_id: "token-1",
        }
    }

    #[test]
    fn issued_tokens_verify_and_carry_the_claims() {
        let keys = keys("a-test-secret-that-is-long-enough-000");
        let token = keys.issue_access_token(&grant(Role::Admin)).expect("signs");
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
            .issue_access_token(&grant(Role::Admin))
            .expect("signs");
        assert!(
            keys("a-test-secret-that-is-long-enough-000")
                .verify_access_token(&token)
                .is_err()
        );
    }

    #[test]
    fn the_previous_secret_still_verifies_after_a_rotation_and_others_do_not() {
        let old = JwtSecret::from_configured("the-old-secret-that-is-long-enough-0000");
        let new = JwtSecret::from_configured("the-new-secret-that-is-long-enough-1111");
        let before = TokenKeys::new(&old, None)
            .issue_access_token(&grant(Role::Listener))
            .expect("signs");
        let rotated = TokenKeys::new(&new, Some(&old));

        let after = rotated
            .issue_access_token(&grant(Role::Listener))
            .expect("signs");

        assert!(rotated.verify_access_token(&before).is_ok());
        assert!(rotated.verify_access_token(&after).is_ok());
        let header = jsonwebtoken::decode_header(&after).expect("header");
        assert_eq!(header.kid, Some(new.key_id()));
        assert_ne!(new.key_id(), old.key_id());
        // Once the old secret is dropped, its tokens stop working.
        assert!(
            TokenKeys::new(&new, None)
                .verify_access_token(&before)
                .is_err()
        );
    }

    #[test]
    fn the_same_grant_signs_the_same_token_and_successors_are_stable() {
        let keys = keys("a-test-secret-that-is-long-enough-000");
        let grant = grant(Role::Listener);
        assert_eq!(
            keys.issue_access_token(&grant).expect("signs"),
            keys.issue_access_token(&grant).expect("signs")
        );
        let (successor, hash) = keys.successor_refresh_token("presented");
        assert_eq!(
            keys.successor_refresh_token("presented"),
            (successor.clone(), hash)
        );
        assert_ne!(keys.successor_refresh_token("other").0, successor);
        assert_eq!(successor.len(), 43);
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
