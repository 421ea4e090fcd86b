//! Passwords: the policy for new ones and argon2id hashing with OWASP's
//! parameters, run on the blocking pool so request workers never stall.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use soundstream_types::FieldError;

use super::AuthError;
use crate::domain::field_error;

/// OWASP's first recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

static COMMON_PASSWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .map(str::to_lowercase)
        .collect()
});

/// Verified against when the account does not exist, so an unknown
/// username costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<Result<String, String>> =
    LazyLock::new(|| hash_blocking("not a real password, only a timing twin"));

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .expect("the OWASP argon2 parameters are within argon2's limits");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A password that meets the policy for new passwords. Not `Display`, so it
/// cannot end up in a log line by accident.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// 8–128 characters, not among the 10,000 most common passwords.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let length = input.chars().count();
        if !(8..=128).contains(&length) {
            return Err(field_error(field, "must be 8 to 128 characters long"));
        }
        if COMMON_PASSWORDS.contains(&input.to_lowercase()) {
            return Err(field_error(
                field,
                "is one of the most common passwords; choose one that is harder to guess",
            ));
        }
        Ok(Self(input.to_owned()))
    }
}

fn hash_blocking(password: &str) -> Result<String, String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| error.to_string())
}

/// The PHC string of a new password's argon2id hash.
pub async fn hash(password: NewPassword) -> Result<String, AuthError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password.0))
        .await?
        .map_err(AuthError::Hashing)
}

/// Whether `password` matches `stored`; with no stored hash (unknown
/// account) the same work is done against a dummy and the answer is no.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AuthError> {
    tokio::task::spawn_blocking(move || {
        let (hash, real) = match stored {
            Some(hash) => (hash, true),
            None => (DUMMY_HASH.clone().map_err(AuthError::Hashing)?, false),
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| AuthError::Hashing(e.to_string()))?;
        let matches = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_count_characters() {
        assert!(NewPassword::parse("password", "short").is_err());
        assert!(NewPassword::parse("password", "ñandú-río").is_ok());
        assert!(NewPassword::parse("password", &"x7".repeat(64)).is_ok());
        assert!(NewPassword::parse("password", &format!("{}z", "x7".repeat(64))).is_err());
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(COMMON_PASSWORDS.len(), 10_000);
        for common in ["password", "PassWord1", "qwertyuiop", "iloveyou"] {
            assert!(NewPassword::parse("password", common).is_err(), "{common}");
        }
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash(NewPassword::parse("password", "correct horse battery").expect("valid"))
            .await
            .expect("hashes");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify("correct horse battery".into(), Some(hash.clone()))
                .await
                .expect("ok")
        );
        assert!(
            !verify("wrong horse battery".into(), Some(hash))
                .await
                .expect("ok")
        );
        assert!(!verify("anything".into(), None).await.expect("ok"));
    }
}
