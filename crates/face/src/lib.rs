//! Face verification for face login: the [`FaceVerifier`] trait that the
//! API talks to, and its Amazon Rekognition provider. An offline provider
//! implements the same trait (its `template` carries a face descriptor).

mod rekognition;

use std::time::Duration;

pub use rekognition::{QualityLimits, RekognitionSettings, RekognitionVerifier};

/// Where the enrolled face image is, for the provider to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// The image bytes (local storage).
    Bytes(Vec<u8>),
    /// An object the provider reads itself (S3 storage, same region).
    S3Object { bucket: String, key: String },
}

/// What the API keeps for an enrolled user besides the image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Enrolment {
    /// Provider-specific data (none for Rekognition).
    pub template: Option<Vec<u8>>,
}

/// An enrolled face to compare a probe with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolledFace {
    pub image: ImageSource,
    pub template: Option<Vec<u8>>,
}

/// The outcome of comparing a probe with an enrolment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verification {
    /// Whether the similarity reached the provider's threshold.
    pub matched: bool,
    /// The best similarity found, on the provider's scale (0–100 for
    /// Rekognition); 0 when no face matched at all.
    pub similarity: f32,
}

/// Why an image was not accepted, or why the provider could not answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaceError {
    #[error("no face found")]
    NoFace,
    #[error("more than one face ({0} found): only you should be in the picture")]
    MultipleFaces(usize),
    #[error("the picture is too blurry: hold still in good light")]
    TooBlurry,
    #[error("the picture is too dark: find more light")]
    TooDark,
    #[error("the picture is too bright: avoid light behind or straight at you")]
    TooBright,
    #[error("turn towards the camera and look straight at it")]
    NotFacingCamera,
    #[error("the image is not usable: {0}")]
    InvalidImage(String),
    /// Throttling, a provider outage or a timeout: try again later.
    #[error("the face service is unavailable: {reason}")]
    Unavailable {
        reason: String,
        retry_after: Duration,
    },
    /// The provider refused for a reason retrying will not fix
    /// (permissions, configuration).
    #[error("the face service failed: {0}")]
    Provider(String),
}

impl FaceError {
    /// Whether the image was at fault (as opposed to the provider).
    pub fn is_about_the_image(&self) -> bool {
        !matches!(self, Self::Unavailable { .. } | Self::Provider(_))
    }
}

#[async_trait::async_trait]
pub trait FaceVerifier: Send + Sync + std::fmt::Debug {
    /// `rekognition`, `local`, …
    fn provider(&self) -> &'static str;

    /// Checks that `image` shows exactly one face of enrolment quality and
    /// returns what must be kept for it.
    async fn enrol(&self, image: &[u8]) -> Result<Enrolment, FaceError>;

    /// Compares the probe with the enrolled face.
    async fn verify(
        &self,
        probe: &[u8],
        enrolled: &EnrolledFace,
    ) -> Result<Verification, FaceError>;
}
