//! `GET /api/v1/config`: what this deployment offers, so the player can hide
//! what is switched off.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceConfig {
    /// Version of the API build.
    pub version: String,
    /// Database engine in use (`sqlite` or `postgres`).
    pub database: String,
    /// Media storage backend in use (`local` or `s3`).
    pub storage: String,
    /// True while no administrator exists: the player offers to create the
    /// first one (`POST /setup/first-admin`).
    pub needs_first_admin: bool,
    pub features: Features,
    pub uploads: UploadLimits,
    pub languages: Languages,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Features {
    pub face_login: FeatureStatus,
    /// `challenge` (face login asks for a head turn: send `challenge_id`
    /// and `frames`) or `off` (send one `image`).
    pub face_liveness: String,
    pub translation: FeatureStatus,
    /// Renditions and loudness made after upload (`ffmpeg`); when off,
    /// songs play in their original encoding without normalisation.
    #[serde(default = "FeatureStatus::off")]
    pub renditions: FeatureStatus,
}

impl FeatureStatus {
    pub fn off() -> Self {
        Self {
            enabled: false,
            provider: "none".into(),
        }
    }
}

/// Whether an optional feature is on, and which provider serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeatureStatus {
    pub enabled: bool,
    /// `none` when disabled.
    pub provider: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadLimits {
    pub audio_max_bytes: u64,
    pub image_max_bytes: u64,
    pub audio_content_types: Vec<String>,
    pub image_content_types: Vec<String>,
    /// Images with more pixels than this (width × height) are refused.
    pub image_max_pixels: u64,
    /// Bytes of images each listener may keep (administrators have no quota).
    pub image_quota_bytes: u64,
    /// Number of images each listener may keep.
    pub image_quota_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Languages {
    /// Languages the player's interface ships in (BCP 47 codes).
    pub interface: Vec<String>,
    /// Target languages the translation provider offers; empty when disabled.
    pub translation: Vec<String>,
}
