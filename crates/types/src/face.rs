//! Face login: enrolment and login with a picture.

use serde::{Deserialize, Serialize};

/// `GET /me/face`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaceEnrolment {
    pub enrolled: bool,
    /// RFC 3339, when enrolled.
    pub enrolled_at: Option<String>,
    /// The provider that checked the enrolment.
    pub provider: Option<String>,
    /// Kept but not usable for login until you confirm your password
    /// (`POST /auth/confirm`): set by a password change or by signing out
    /// everywhere.
    #[serde(default)]
    pub needs_confirmation: bool,
}

/// `PUT /me/face` with a JSON body: enrol a completed image upload of yours.
/// (Alternatively send the JPEG or PNG itself as the body.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolFaceRequest {
    pub upload_id: String,
}

/// `POST /auth/face-login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaceLoginRequest {
    pub username: String,
    /// A JPEG or PNG of at most 5 MB, base64-encoded; a `data:` URL as a
    /// canvas produces is accepted too.
    pub image: String,
}
