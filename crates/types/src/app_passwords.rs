//! App passwords: secrets for Subsonic apps, made and revoked by their owner.

use serde::{Deserialize, Serialize};

/// `POST /me/app-passwords`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAppPasswordRequest {
    /// What the secret is for ("Phone", "Feishin"): 1–100 characters.
    pub name: String,
}

/// An app password as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppPassword {
    pub id: String,
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `null` until an app used it.
    pub last_used_at: Option<String>,
}

/// A new app password: the only answer that carries the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedAppPassword {
    pub id: String,
    pub name: String,
    /// Shown once: the password (or API key) to enter in a Subsonic app.
    pub secret: String,
    /// RFC 3339.
    pub created_at: String,
}
