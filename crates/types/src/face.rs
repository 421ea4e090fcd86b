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

/// `POST /auth/face-login`: with the liveness challenge on (the default),
/// `challenge_id` and `frames`; with it off, `image`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaceLoginRequest {
    pub username: String,
    /// One JPEG or PNG of at most 5 MB, base64-encoded (a `data:` URL as a
    /// canvas produces is accepted too). Only when the server's liveness
    /// check is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// From `POST /auth/face-login/challenge`, for this username; used once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_id: Option<String>,
    /// A short sequence, base64 like `image`: a frontal frame first, then
    /// frames taken while turning the head the way the challenge asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames: Option<Vec<String>>,
}

/// `POST /auth/face-login/challenge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaceChallengeRequest {
    pub username: String,
}

/// Which way to turn the head: the person's own left or right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TurnDirection {
    Left,
    Right,
}

/// A single-use liveness challenge: look at the camera, then turn your head
/// the way `direction` says, before `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaceChallenge {
    pub challenge_id: String,
    pub direction: TurnDirection,
    /// RFC 3339.
    pub expires_at: String,
}
