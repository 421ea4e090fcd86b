//! The offline provider with real inference on real photos (fetched by
//! scripts/lib/face.sh: `ensure_face_models` and `ensure_face_photos`), and
//! the liveness check on top of it. Transformed copies of a photo (mirrored,
//! re-encoded, shifted, squashed) stand for other frames of the same person.
#![cfg(feature = "local")]

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use image::{DynamicImage, GenericImageView, ImageOutputFormat, Rgb, RgbImage};
use soundstream_face::{
    DEFAULT_MAX_DISTANCE, EnrolledFace, FaceError, FaceVerifier, ImageSource, LivenessError,
    LivenessRefusal, LivenessRules, LocalSettings, LocalVerifier, TurnDirection, verify_live,
};

fn setup_dir(variable: &str, step: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!(
                "{variable} is not set: run `source scripts/lib/common.sh && \
             source scripts/lib/face.sh && {step}` first (CI sets it)"
            )
        })
}

fn settings() -> LocalSettings {
    LocalSettings::new(setup_dir(
        "SOUNDSTREAM_FACE_MODELS_DIR",
        "ensure_face_models",
    ))
}

fn verifier() -> &'static LocalVerifier {
    static VERIFIER: OnceLock<LocalVerifier> = OnceLock::new();
    VERIFIER.get_or_init(|| LocalVerifier::load(settings()).expect("the weights load"))
}

fn photo(name: &str) -> Vec<u8> {
    let path = setup_dir("SOUNDSTREAM_FACE_PHOTOS_DIR", "ensure_face_photos").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn decoded(name: &str) -> DynamicImage {
    image::load_from_memory(&photo(name)).expect("a test photo decodes")
}

fn jpeg(image: &DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageOutputFormat::Jpeg(quality))
        .expect("encodes");
    out.into_inner()
}

fn png(image: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageOutputFormat::Png)
        .expect("encodes");
    out.into_inner()
}

/// Every channel mapped through `level`.
fn relit(image: &DynamicImage, level: impl Fn(f32) -> f32) -> DynamicImage {
    let mut rgb = image.to_rgb8();
    for pixel in rgb.pixels_mut() {
        *pixel = Rgb(pixel.0.map(|c| level(f32::from(c)).clamp(0.0, 255.0) as u8));
    }
    DynamicImage::ImageRgb8(rgb)
}

/// A square around a face found in a group photo (box from dlib's
/// detector, widened so the whole head is in).
fn face_crop(name: &str, left: u32, top: u32, side: u32) -> Vec<u8> {
    let image = decoded(name);
    let (width, height) = image.dimensions();
    let x = left.saturating_sub(side / 2);
    let y = top.saturating_sub(side / 2);
    let crop_side = side * 2;
    png(&image.crop_imm(x, y, crop_side.min(width - x), crop_side.min(height - y)))
}

/// One face per entry, all different people: the demo groups of
/// @vladmandic/face-api and Joe Biden.
fn other_people() -> Vec<(String, Vec<u8>)> {
    let boxes: [(&str, u32, u32, u32); 12] = [
        ("sample1.jpg", 376, 376, 215),
        ("sample1.jpg", 830, 472, 215),
        ("sample2.jpg", 1448, 214, 179),
        ("sample3.jpg", 567, 376, 215),
        ("sample3.jpg", 1499, 352, 215),
        ("sample4.jpg", 615, 113, 215),
        ("sample4.jpg", 950, 209, 215),
        ("sample5.jpg", 376, 926, 215),
        ("sample5.jpg", 1380, 448, 215),
        ("sample6.jpg", 257, 543, 215),
        ("sample6.jpg", 639, 376, 215),
        ("sample6.jpg", 1165, 376, 215),
    ];
    let mut people: Vec<(String, Vec<u8>)> = boxes
        .iter()
        .map(|(name, left, top, side)| {
            (
                format!("{name}@{left},{top}"),
                face_crop(name, *left, *top, *side),
            )
        })
        .collect();
    people.push(("biden.jpg".to_owned(), photo("biden.jpg")));
    people
}

/// Barack Obama in several photos and transformed copies.
fn obama_pictures() -> Vec<(String, Vec<u8>)> {
    let frontal = decoded("obama.jpg");
    let (width, height) = frontal.dimensions();
    vec![
        ("obama.jpg".to_owned(), photo("obama.jpg")),
        ("obama2.jpg".to_owned(), photo("obama2.jpg")),
        ("obama3.jpg".to_owned(), photo("obama3.jpg")),
        ("obama2.jpg mirrored".to_owned(), mirrored("obama2.jpg")),
        ("obama.jpg jpeg q30".to_owned(), jpeg(&frontal, 30)),
        (
            "obama.jpg halved".to_owned(),
            png(&frontal.resize(width / 2, height / 2, image::imageops::FilterType::Triangle)),
        ),
    ]
}

fn mirrored(name: &str) -> Vec<u8> {
    jpeg(&decoded(name).fliph(), 92)
}

async fn enrolled(name: &str) -> EnrolledFace {
    let image = photo(name);
    let enrolment = verifier().enrol(&image).await.expect("enrols");
    EnrolledFace {
        image: ImageSource::Bytes(image),
        template: enrolment.template,
    }
}

async fn distance(a: &[u8], b: &[u8]) -> f32 {
    let verification = verifier()
        .same_person(a, b)
        .await
        .expect("both have a face");
    // similarity = 100 × (1 − distance)
    1.0 - verification.similarity / 100.0
}

#[tokio::test]
async fn enrolment_keeps_the_128_number_descriptor() {
    let enrolment = verifier()
        .enrol(&photo("obama3.jpg"))
        .await
        .expect("enrols");

    let template = enrolment.template.expect("a template");
    assert_eq!(template.len(), 128 * 4);
    assert!(verifier().provider() == "local");
}

#[tokio::test]
async fn the_same_person_in_another_photo_is_accepted() {
    let enrolled = enrolled("obama3.jpg").await;
    let without_template = EnrolledFace {
        template: None,
        ..enrolled.clone()
    };

    let by_template = verifier()
        .verify(&photo("obama.jpg"), &enrolled)
        .await
        .expect("answered");
    let by_image = verifier()
        .verify(&photo("obama.jpg"), &without_template)
        .await
        .expect("answered");

    assert!(by_template.matched, "{by_template:?}");
    assert!(by_template.similarity > 50.0);
    assert!(
        (by_template.similarity - by_image.similarity).abs() < 0.5,
        "{by_template:?} {by_image:?}"
    );
}

#[tokio::test]
async fn another_person_is_refused() {
    let enrolled = enrolled("obama3.jpg").await;

    let verification = verifier()
        .verify(&photo("biden.jpg"), &enrolled)
        .await
        .expect("answered");

    assert!(!verification.matched, "{verification:?}");
    assert!(verification.similarity < 50.0);
}

#[tokio::test]
async fn a_picture_without_a_face_is_refused() {
    // Obama's crossed arms and the desk: no face.
    let image = decoded("obama.jpg");
    let (width, height) = image.dimensions();
    let body = png(&image.crop_imm(0, height / 2, width, height / 2));

    assert_eq!(verifier().enrol(&body).await, Err(FaceError::NoFace));
    assert_eq!(verifier().look(&body).await, Err(FaceError::NoFace));
}

#[tokio::test]
async fn two_faces_are_refused() {
    let obama = decoded("obama.jpg").to_rgb8();
    let biden = decoded("biden.jpg").resize(910, 1137, image::imageops::FilterType::Triangle);
    let biden = biden.to_rgb8();
    let mut side_by_side = RgbImage::new(obama.width() + biden.width(), obama.height());
    image::imageops::replace(&mut side_by_side, &obama, 0, 0);
    image::imageops::replace(&mut side_by_side, &biden, i64::from(obama.width()), 0);

    let two = verifier()
        .enrol(&jpeg(&DynamicImage::ImageRgb8(side_by_side), 90))
        .await;
    let group = verifier().enrol(&photo("sample3.jpg")).await;

    assert_eq!(two, Err(FaceError::MultipleFaces(2)));
    assert_eq!(group, Err(FaceError::MultipleFaces(3)));
    assert_eq!(
        two.expect_err("refused").to_string(),
        "more than one face (2 found): only you should be in the picture"
    );
}

#[tokio::test]
async fn bytes_that_are_not_an_image_are_invalid() {
    let truncated = &photo("obama.jpg")[..2000];

    for bytes in [b"not an image at all".as_slice(), truncated] {
        let outcome = verifier().enrol(bytes).await;
        assert!(
            matches!(outcome, Err(FaceError::InvalidImage(_))),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn dark_bright_and_blurry_pictures_say_what_is_wrong() {
    let frontal = decoded("obama.jpg");

    let dark = jpeg(&relit(&frontal, |c| c * 0.22), 92);
    let bright = jpeg(&relit(&frontal, |c| 175.0 + c * 0.4), 92);
    let blurry = jpeg(&frontal.blur(5.0), 92);

    assert_eq!(verifier().enrol(&dark).await, Err(FaceError::TooDark));
    assert_eq!(verifier().enrol(&bright).await, Err(FaceError::TooBright));
    assert_eq!(verifier().enrol(&blurry).await, Err(FaceError::TooBlurry));
}

#[tokio::test]
async fn a_turned_head_is_refused_beyond_the_yaw_limit() {
    let strict = LocalVerifier::load(LocalSettings {
        max_yaw_degrees: 15.0,
        ..settings()
    })
    .expect("loads");

    assert_eq!(
        strict.enrol(&photo("obama2.jpg")).await,
        Err(FaceError::NotFacingCamera)
    );
    assert!(strict.enrol(&photo("obama.jpg")).await.is_ok());
}

#[tokio::test]
async fn a_missing_weight_file_is_named_with_how_to_fetch_it() {
    let outcome = LocalVerifier::load(LocalSettings::new(
        std::env::temp_dir().join("soundstream-no-face-models-here"),
    ));

    let Err(FaceError::Provider(message)) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(message.contains("dlib_face_recognition_resnet_model_v1.dat"));
    assert!(message.contains("ensure_face_models"));
}

#[tokio::test]
async fn a_burst_beyond_the_queue_is_answered_unavailable_at_once() {
    let one_at_a_time = LocalVerifier::load(LocalSettings {
        max_queued: 1,
        ..settings()
    })
    .expect("loads");
    let image = photo("obama.jpg");

    let (first, second) = tokio::join!(one_at_a_time.enrol(&image), one_at_a_time.enrol(&image));

    assert!(first.is_ok(), "{first:?}");
    assert!(
        matches!(second, Err(FaceError::Unavailable { retry_after, .. }) if retry_after.as_secs() > 0),
        "{second:?}"
    );
}

#[tokio::test]
async fn measured_distances_keep_the_threshold_clear_on_both_sides() {
    const MARGIN: f32 = 0.05;
    let obama = obama_pictures();
    let others = other_people();

    let mut same_max = (0.0_f32, String::new());
    for (i, (a_name, a)) in obama.iter().enumerate() {
        for (b_name, b) in &obama[i + 1..] {
            let d = distance(a, b).await;
            if d > same_max.0 {
                same_max = (d, format!("{a_name} / {b_name}"));
            }
        }
    }
    let mut different_min = (f32::INFINITY, String::new());
    let everyone: Vec<&(String, Vec<u8>)> = others.iter().chain(obama.first()).collect();
    for (i, (a_name, a)) in everyone.iter().enumerate() {
        for (b_name, b) in &everyone[i + 1..] {
            let d = distance(a, b).await;
            if d < different_min.0 {
                different_min = (d, format!("{a_name} / {b_name}"));
            }
        }
    }

    eprintln!(
        "same person: max distance {:.3} ({}); different people: min distance {:.3} ({}); threshold {DEFAULT_MAX_DISTANCE}",
        same_max.0, same_max.1, different_min.0, different_min.1
    );
    assert!(same_max.0 + MARGIN <= DEFAULT_MAX_DISTANCE, "{same_max:?}");
    assert!(
        different_min.0 - MARGIN >= DEFAULT_MAX_DISTANCE,
        "{different_min:?}"
    );
}

#[tokio::test]
async fn look_gives_the_yaw_sign_of_the_persons_own_turn() {
    let frontal = verifier().look(&photo("obama.jpg")).await.expect("a face");
    // In obama2.jpg he turns to his own right; the mirror image turns left.
    let right = verifier().look(&photo("obama2.jpg")).await.expect("a face");
    let left = verifier()
        .look(&mirrored("obama2.jpg"))
        .await
        .expect("a face");

    eprintln!(
        "yaw: frontal {:.1}, own right {:.1}, own left {:.1}",
        frontal.yaw_degrees, right.yaw_degrees, left.yaw_degrees
    );
    assert!(frontal.yaw_degrees.abs() < 8.0, "{frontal:?}");
    assert!(right.yaw_degrees < -20.0, "{}", right.yaw_degrees);
    assert!(left.yaw_degrees > 20.0, "{}", left.yaw_degrees);
    assert_eq!(left.identity.map(|d| d.len()), Some(512));
}

async fn live(frames: Vec<Vec<u8>>, direction: TurnDirection) -> Result<bool, LivenessError> {
    let enrolled = enrolled("obama3.jpg").await;
    verify_live(
        verifier(),
        &frames,
        &enrolled,
        direction,
        &LivenessRules::default(),
    )
    .await
    .map(|verification| verification.matched)
}

#[tokio::test]
async fn a_real_turn_the_asked_way_is_accepted() {
    let left = live(
        vec![photo("obama.jpg"), mirrored("obama2.jpg")],
        TurnDirection::Left,
    )
    .await;
    let right = live(
        vec![photo("obama.jpg"), photo("obama2.jpg"), photo("obama2.jpg")],
        TurnDirection::Right,
    )
    .await;

    assert_eq!(left, Ok(true));
    assert_eq!(right, Ok(true));
}

#[tokio::test]
async fn a_still_photo_repeated_as_every_frame_is_refused() {
    // The camera's view of a still picture, then the same view re-encoded,
    // and moved a little (the picture shifted in front of the camera).
    let frontal = decoded("obama.jpg");
    let (width, height) = frontal.dimensions();
    let view = |x: u32, y: u32| frontal.crop_imm(x, y, width - 60, height - 60);
    let still = jpeg(&view(30, 30), 90);
    let reencoded = jpeg(&view(30, 30), 60);
    let shifted = jpeg(&view(54, 46), 85);

    let repeated = live(
        vec![still.clone(), still.clone(), still.clone()],
        TurnDirection::Left,
    )
    .await;
    let disguised = live(vec![still, reencoded, shifted], TurnDirection::Left).await;

    assert_eq!(
        repeated,
        Err(LivenessError::Refused(LivenessRefusal::StillImage))
    );
    assert_eq!(
        disguised,
        Err(LivenessError::Refused(LivenessRefusal::StillImage))
    );
}

#[tokio::test]
async fn a_printed_photo_turned_in_front_of_the_camera_is_refused() {
    // A print held in front of a wall and turned about its vertical axis
    // looks narrower; the face in it does not turn.
    let print = decoded("obama.jpg").to_rgb8();
    let (width, height) = print.dimensions();
    let held_up = |factor: f32| {
        let mut scene = RgbImage::from_pixel(width * 2, height + 200, Rgb([200, 190, 170]));
        let narrower = image::imageops::resize(
            &print,
            (width as f32 * factor) as u32,
            height,
            image::imageops::FilterType::Triangle,
        );
        let left = i64::from(width) - i64::from(narrower.width()) / 2;
        image::imageops::replace(&mut scene, &narrower, left, 100);
        jpeg(&DynamicImage::ImageRgb8(scene), 90)
    };

    let frames = vec![held_up(1.0), held_up(0.85), held_up(0.7)];
    for frame in &frames {
        let look = verifier().look(frame).await.expect("a face");
        eprintln!("printed photo turned: yaw {:.1}", look.yaw_degrees);
    }

    let outcome = live(frames, TurnDirection::Left).await;

    assert_eq!(
        outcome,
        Err(LivenessError::Refused(LivenessRefusal::NoTurn))
    );
}

#[tokio::test]
async fn a_turn_the_other_way_is_refused() {
    let outcome = live(
        vec![photo("obama.jpg"), photo("obama2.jpg")],
        TurnDirection::Left,
    )
    .await;

    assert_eq!(
        outcome,
        Err(LivenessError::Refused(LivenessRefusal::NoTurn))
    );
}

#[tokio::test]
async fn frames_of_another_person_are_refused() {
    let outcome = live(
        vec![photo("obama.jpg"), mirrored("biden.jpg")],
        TurnDirection::Left,
    )
    .await;

    assert_eq!(
        outcome,
        Err(LivenessError::Refused(LivenessRefusal::DifferentPeople))
    );
}

#[tokio::test]
async fn a_single_frame_is_too_few() {
    let outcome = live(vec![photo("obama.jpg")], TurnDirection::Left).await;

    assert_eq!(
        outcome,
        Err(LivenessError::Refused(LivenessRefusal::TooFewFrames))
    );
}

#[tokio::test]
async fn a_live_turn_by_someone_else_does_not_match_the_enrolment() {
    let enrolled = enrolled("biden.jpg").await;

    let outcome = verify_live(
        verifier(),
        &[photo("obama.jpg"), mirrored("obama2.jpg")],
        &enrolled,
        TurnDirection::Left,
        &LivenessRules::default(),
    )
    .await;

    assert!(matches!(outcome, Ok(v) if !v.matched), "{outcome:?}");
}

#[tokio::test]
async fn time_per_enrolment_and_verification_on_one_core() {
    let enrolled = enrolled("obama3.jpg").await;
    let full = photo("obama.jpg");
    let frontal = decoded("obama.jpg");
    let webcam = jpeg(
        &frontal.crop_imm(55, 20, 800, 600).resize_exact(
            640,
            480,
            image::imageops::FilterType::Triangle,
        ),
        85,
    );
    const ROUNDS: u32 = 5;

    for (name, image) in [("910x1137 photo", &full), ("640x480 webcam frame", &webcam)] {
        let started = Instant::now();
        for _ in 0..ROUNDS {
            verifier().enrol(image).await.expect("enrols");
        }
        let enrol = started.elapsed() / ROUNDS;
        let started = Instant::now();
        for _ in 0..ROUNDS {
            verifier().verify(image, &enrolled).await.expect("answers");
        }
        let verify = started.elapsed() / ROUNDS;
        eprintln!("{name}: enrol {enrol:?}, verify {verify:?} (one worker)");
    }
}
