//! Amazon Rekognition: DetectFaces checks enrolment images (one face,
//! sharp, well lit, facing the camera); CompareFaces compares a login probe
//! with the enrolled image, with a quality filter and a similarity
//! threshold. For the liveness challenge, DetectFaces gives each frame's
//! head pose and CompareFaces tells whether two frames show the same person.
//! Throttling, outages and timeouts become [`FaceError::Unavailable`], never
//! a match.

use std::time::Duration;

use aws_sdk_rekognition::Client;
use aws_sdk_rekognition::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_rekognition::operation::compare_faces::CompareFacesError;
use aws_sdk_rekognition::operation::detect_faces::DetectFacesError;
use aws_sdk_rekognition::primitives::Blob;
use aws_sdk_rekognition::types::{Attribute, FaceDetail, Image, QualityFilter, S3Object};

use soundstream_aws::{AwsAccess, Timeouts};

use crate::{
    EnrolledFace, Enrolment, FaceError, FaceVerifier, FrameLook, ImageSource, Verification,
};

/// How long callers should wait after a throttled or failed call.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// A face login must not hang on a slow provider.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(4);

/// The enrolment quality bar, on Rekognition's scales.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityLimits {
    /// Minimum confidence that a detection is a face (0–100).
    pub min_face_confidence: f32,
    /// Minimum sharpness (0–100).
    pub min_sharpness: f32,
    /// Acceptable brightness (0–100).
    pub min_brightness: f32,
    pub max_brightness: f32,
    /// Largest head turn (yaw), tilt (pitch) and roll, in degrees.
    pub max_yaw: f32,
    pub max_pitch: f32,
    pub max_roll: f32,
}

impl Default for QualityLimits {
    fn default() -> Self {
        Self {
            min_face_confidence: 90.0,
            min_sharpness: 20.0,
            min_brightness: 25.0,
            max_brightness: 95.0,
            max_yaw: 30.0,
            max_pitch: 30.0,
            max_roll: 40.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RekognitionSettings {
    pub access: AwsAccess,
    /// Similarity (0–100) a login probe must reach.
    pub similarity_threshold: f32,
}

#[derive(Debug, Clone)]
pub struct RekognitionVerifier {
    client: Client,
    similarity_threshold: f32,
    limits: QualityLimits,
}

impl RekognitionVerifier {
    pub async fn connect(settings: &RekognitionSettings) -> Self {
        let timeouts = Timeouts {
            operation: OPERATION_TIMEOUT,
            attempt: ATTEMPT_TIMEOUT,
        };
        let shared = soundstream_aws::load(&settings.access, Some(timeouts)).await;
        Self::with_client(
            Client::from_conf(aws_sdk_rekognition::config::Builder::from(&shared).build()),
            settings.similarity_threshold,
            QualityLimits::default(),
        )
    }

    /// A verifier over a ready client (tests give it one whose HTTP is
    /// stubbed by the SDK's own test utilities).
    pub fn with_client(client: Client, similarity_threshold: f32, limits: QualityLimits) -> Self {
        Self {
            client,
            similarity_threshold,
            limits,
        }
    }

    /// The one confident face in the image (low-confidence detections, such
    /// as a blurry poster behind the user, do not count).
    async fn one_face(&self, image: &[u8]) -> Result<FaceDetail, FaceError> {
        let output = self
            .client
            .detect_faces()
            .image(bytes_image(image))
            .attributes(Attribute::Default)
            .send()
            .await
            .map_err(|error| detect_error(&error))?;
        let mut faces: Vec<FaceDetail> = output
            .face_details
            .unwrap_or_default()
            .into_iter()
            .filter(|face| {
                face.confidence()
                    .is_some_and(|c| c >= self.limits.min_face_confidence)
            })
            .collect();
        match faces.len() {
            0 => Err(FaceError::NoFace),
            1 => Ok(faces.remove(0)),
            many => Err(FaceError::MultipleFaces(many)),
        }
    }

    async fn compare(
        &self,
        source: Image,
        target: &[u8],
        quality_filter: QualityFilter,
    ) -> Result<Verification, FaceError> {
        let output = self
            .client
            .compare_faces()
            .source_image(source)
            .target_image(bytes_image(target))
            .similarity_threshold(self.similarity_threshold)
            .quality_filter(quality_filter)
            .send()
            .await
            .map_err(|error| compare_error(&error))?;
        let similarity = output
            .face_matches()
            .iter()
            .filter_map(|found| found.similarity())
            .fold(0.0_f32, f32::max);
        Ok(Verification {
            matched: similarity >= self.similarity_threshold,
            similarity,
        })
    }

    fn check_quality(&self, face: &FaceDetail) -> Result<(), FaceError> {
        let limits = &self.limits;
        if let Some(quality) = face.quality() {
            if quality
                .sharpness()
                .is_some_and(|s| s < limits.min_sharpness)
            {
                return Err(FaceError::TooBlurry);
            }
            if let Some(brightness) = quality.brightness() {
                if brightness < limits.min_brightness {
                    return Err(FaceError::TooDark);
                }
                if brightness > limits.max_brightness {
                    return Err(FaceError::TooBright);
                }
            }
        }
        if let Some(pose) = face.pose() {
            let beyond = |angle: Option<f32>, max: f32| angle.is_some_and(|a| a.abs() > max);
            if beyond(pose.yaw(), limits.max_yaw)
                || beyond(pose.pitch(), limits.max_pitch)
                || beyond(pose.roll(), limits.max_roll)
            {
                return Err(FaceError::NotFacingCamera);
            }
        }
        Ok(())
    }
}

fn bytes_image(bytes: &[u8]) -> Image {
    Image::builder().bytes(Blob::new(bytes.to_vec())).build()
}

fn source_image(source: &ImageSource) -> Image {
    match source {
        ImageSource::Bytes(bytes) => bytes_image(bytes),
        ImageSource::S3Object { bucket, key } => Image::builder()
            .s3_object(S3Object::builder().bucket(bucket).name(key).build())
            .build(),
    }
}

/// Timeouts, dispatch failures and 5xx answers: the provider is unavailable.
fn transport_error<E: std::error::Error + 'static>(error: &SdkError<E>) -> Option<FaceError> {
    let unavailable = match error {
        SdkError::TimeoutError(_) => Some("the face service did not answer in time"),
        SdkError::DispatchFailure(_) => Some("the face service could not be reached"),
        SdkError::ResponseError(_) => Some("the face service answered unintelligibly"),
        SdkError::ServiceError(service) if service.raw().status().is_server_error() => {
            Some("the face service failed")
        }
        _ => None,
    };
    unavailable.map(|reason| FaceError::Unavailable {
        reason: format!("{reason}: {}", DisplayErrorContext(error)),
        retry_after: RETRY_AFTER,
    })
}

fn unavailable(reason: &str) -> FaceError {
    FaceError::Unavailable {
        reason: reason.to_owned(),
        retry_after: RETRY_AFTER,
    }
}

fn detect_error(error: &SdkError<DetectFacesError>) -> FaceError {
    if let Some(fault) = transport_error(error) {
        return fault;
    }
    match error.as_service_error() {
        Some(
            DetectFacesError::ThrottlingException(_)
            | DetectFacesError::ProvisionedThroughputExceededException(_),
        ) => unavailable("the face service is throttling requests"),
        Some(DetectFacesError::InternalServerError(_)) => unavailable("the face service failed"),
        Some(
            DetectFacesError::ImageTooLargeException(_)
            | DetectFacesError::InvalidImageFormatException(_)
            | DetectFacesError::InvalidParameterException(_),
        ) => FaceError::InvalidImage(error.message().unwrap_or("not a usable image").to_owned()),
        _ => FaceError::Provider(DisplayErrorContext(error).to_string()),
    }
}

fn compare_error(error: &SdkError<CompareFacesError>) -> FaceError {
    if let Some(fault) = transport_error(error) {
        return fault;
    }
    match error.as_service_error() {
        Some(
            CompareFacesError::ThrottlingException(_)
            | CompareFacesError::ProvisionedThroughputExceededException(_),
        ) => unavailable("the face service is throttling requests"),
        Some(CompareFacesError::InternalServerError(_)) => unavailable("the face service failed"),
        // Rekognition answers InvalidParameter when an image has no face.
        Some(CompareFacesError::InvalidParameterException(_)) => FaceError::NoFace,
        Some(
            CompareFacesError::ImageTooLargeException(_)
            | CompareFacesError::InvalidImageFormatException(_),
        ) => FaceError::InvalidImage(error.message().unwrap_or("not a usable image").to_owned()),
        _ => FaceError::Provider(DisplayErrorContext(error).to_string()),
    }
}

#[async_trait::async_trait]
impl FaceVerifier for RekognitionVerifier {
    fn provider(&self) -> &'static str {
        "rekognition"
    }

    async fn enrol(&self, image: &[u8]) -> Result<Enrolment, FaceError> {
        let face = self.one_face(image).await?;
        self.check_quality(&face)?;
        Ok(Enrolment::default())
    }

    async fn verify(
        &self,
        probe: &[u8],
        enrolled: &EnrolledFace,
    ) -> Result<Verification, FaceError> {
        self.compare(source_image(&enrolled.image), probe, QualityFilter::Auto)
            .await
    }

    async fn look(&self, image: &[u8]) -> Result<FrameLook, FaceError> {
        let face = self.one_face(image).await?;
        let yaw = face
            .pose()
            .and_then(|pose| pose.yaw())
            .ok_or_else(|| FaceError::Provider("DetectFaces returned no head pose".to_owned()))?;
        Ok(FrameLook {
            yaw_degrees: yaw_towards_own_left(yaw),
            identity: None,
        })
    }

    async fn same_person(&self, a: &[u8], b: &[u8]) -> Result<Verification, FaceError> {
        // No quality filter: liveness frames show a turned head on purpose,
        // which AUTO would discard as a low-quality face.
        self.compare(bytes_image(a), b, QualityFilter::None).await
    }
}

/// Rekognition's `Pose.Yaw` is positive when the face points towards the
/// image's left edge, i.e. the person turned to their own right (taken from
/// the image's point of view, unmirrored); [`FrameLook`] counts a turn to
/// the person's own left as positive, so the sign flips.
fn yaw_towards_own_left(rekognition_yaw: f32) -> f32 {
    -rekognition_yaw
}
