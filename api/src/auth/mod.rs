//! Accounts and sessions: password policy and hashing, access and refresh
//! tokens, the extractors handlers use to state who may call them, and
//! brute-force protection.

pub mod extractors;
pub mod password;
pub mod secret;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use extractors::{AdminUser, AuthUser};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("a blocking task was cancelled")]
    Blocking(#[from] tokio::task::JoinError),
    #[error("signing the access token failed")]
    Signing(#[source] jsonwebtoken::errors::Error),
}
