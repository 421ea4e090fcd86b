//! Face verification for face login: the [`FaceVerifier`] trait that the
//! API talks to, its Amazon Rekognition provider, the offline dlib provider
//! (cargo feature `local`; its `template` carries a face descriptor) and the
//! head-turn liveness challenge both share ([`verify_live`]).

mod liveness;
#[cfg(feature = "local")]
mod local;
mod rekognition;

use std::time::Duration;

pub use liveness::{LivenessError, LivenessRefusal, LivenessRules, TurnDirection, verify_live};
#[cfg(feature = "local")]
pub use local::{DEFAULT_MAX_DISTANCE, LocalSettings, LocalVerifier};
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
    /// Provider-specific data: none for Rekognition, the face descriptor
    /// (128 little-endian f32) for the local provider.
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
    /// The best similarity found, 0–100 on the provider's scale
    /// (Rekognition's own; locally 100 × (1 − descriptor distance)); 0 when
    /// no face matched at all.
    pub similarity: f32,
}

/// What one frame of a liveness sequence shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameLook {
    /// Head turn about the vertical axis, in degrees: positive when the
    /// person turns their head to their own left, negative to their own
    /// right, 0 facing the camera. Frames are taken as the camera sends them
    /// (not mirrored like a selfie preview): a head turned to its own left
    /// points its nose towards the image's right edge.
    pub yaw_degrees: f32,
    /// The provider's face descriptor, when it computes one locally (the
    /// `local` provider); `None` for Rekognition.
    pub identity: Option<Vec<u8>>,
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

    /// The head pose (and, locally, the descriptor) of the one face in a
    /// frame; no face or several faces are errors as in enrolment.
    async fn look(&self, image: &[u8]) -> Result<FrameLook, FaceError>;

    /// Whether two images show the same person, on the scale and threshold
    /// of [`FaceVerifier::verify`].
    async fn same_person(&self, a: &[u8], b: &[u8]) -> Result<Verification, FaceError>;

    /// Compares two looks by their descriptors without running the model
    /// again; `None` when the provider keeps no descriptors (then callers
    /// use [`FaceVerifier::same_person`] on the images).
    fn same_identity(&self, _a: &FrameLook, _b: &FrameLook) -> Option<Verification> {
        None
    }
}
