//! Accounts' security mechanisms, below the services that use them:
//! password policy and hashing, access and refresh tokens, the signing
//! secret, app passwords sealed at rest, brute-force protection, and who a verified caller is.

pub mod app_secrets;
pub mod password;
pub mod secret;
pub mod standing;
pub mod stream_urls;
pub mod throttle;
pub mod tokens;

use soundstream_types::Role;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("a blocking task was cancelled")]
    Blocking(#[from] tokio::task::JoinError),
    #[error("signing the access token failed")]
    Signing(#[source] jsonwebtoken::errors::Error),
    #[error("too many passwords are being checked at once")]
    Busy,
}

/// A caller whose access token verified.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub role: Role,
    /// The session (refresh-token family) the token belongs to.
    pub session_id: String,
}

/// A verified caller with the admin role.
#[derive(Debug, Clone)]
pub struct AdminUser(pub AuthUser);
