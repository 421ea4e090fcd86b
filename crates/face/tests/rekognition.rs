//! The Rekognition provider at the SDK boundary, with the AWS SDK's own
//! test utilities (aws-smithy-mocks): the exact requests sent, and how each
//! answer and failure is handled.

use std::time::Duration;

use aws_sdk_rekognition::Client;
use aws_sdk_rekognition::config::timeout::TimeoutConfig;
use aws_sdk_rekognition::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
use aws_sdk_rekognition::operation::compare_faces::{CompareFacesError, CompareFacesOutput};
use aws_sdk_rekognition::operation::detect_faces::{DetectFacesError, DetectFacesOutput};
use aws_sdk_rekognition::primitives::Blob;
use aws_sdk_rekognition::types::error::{
    InternalServerError, InvalidImageFormatException, InvalidParameterException,
    ProvisionedThroughputExceededException, ThrottlingException,
};
use aws_sdk_rekognition::types::{
    Attribute, CompareFacesMatch, ComparedFace, FaceDetail, ImageQuality, Pose, QualityFilter,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use soundstream_face::{
    EnrolledFace, FaceError, FaceVerifier, FrameLook, ImageSource, LivenessError, LivenessRefusal,
    LivenessRules, QualityLimits, RekognitionVerifier, TurnDirection, verify_live,
};

const ENROLLED: &[u8] = b"enrolled-face-jpeg";
const PROBE: &[u8] = b"probe-face-jpeg";

fn verifier(client: Client) -> RekognitionVerifier {
    RekognitionVerifier::with_client(client, 95.0, QualityLimits::default())
}

fn face(sharpness: f32, brightness: f32, yaw: f32) -> FaceDetail {
    FaceDetail::builder()
        .confidence(99.9)
        .quality(
            ImageQuality::builder()
                .sharpness(sharpness)
                .brightness(brightness)
                .build(),
        )
        .pose(Pose::builder().yaw(yaw).pitch(2.0).roll(1.0).build())
        .build()
}

fn detect_returning(faces: Vec<FaceDetail>) -> Client {
    let rule = mock!(Client::detect_faces)
        .match_requests(|request| {
            request.image().and_then(|i| i.bytes()).map(Blob::as_ref) == Some(ENROLLED)
                && request.attributes() == [Attribute::Default]
        })
        .then_output(move || {
            DetectFacesOutput::builder()
                .set_face_details(Some(faces.clone()))
                .build()
        });
    mock_client!(aws_sdk_rekognition, RuleMode::MatchAny, &[&rule])
}

#[tokio::test]
async fn enrolment_accepts_one_sharp_well_lit_face_looking_at_the_camera() {
    let verifier = verifier(detect_returning(vec![face(60.0, 60.0, 5.0)]));

    let enrolment = verifier.enrol(ENROLLED).await.expect("accepted");

    assert_eq!(enrolment.template, None);
}

#[tokio::test]
async fn enrolment_says_what_is_wrong_with_the_picture() {
    let cases = [
        (vec![], FaceError::NoFace),
        (
            vec![face(60.0, 60.0, 0.0), face(60.0, 60.0, 0.0)],
            FaceError::MultipleFaces(2),
        ),
        (vec![face(5.0, 60.0, 0.0)], FaceError::TooBlurry),
        (vec![face(60.0, 10.0, 0.0)], FaceError::TooDark),
        (vec![face(60.0, 99.0, 0.0)], FaceError::TooBright),
        (vec![face(60.0, 60.0, 55.0)], FaceError::NotFacingCamera),
    ];

    for (faces, expected) in cases {
        let verifier = verifier(detect_returning(faces));
        assert_eq!(
            verifier.enrol(ENROLLED).await,
            Err(expected.clone()),
            "{expected}"
        );
    }
}

#[tokio::test]
async fn low_confidence_detections_do_not_count_as_faces() {
    let mut blurry_poster = face(60.0, 60.0, 0.0);
    blurry_poster.confidence = Some(40.0);
    let verifier = verifier(detect_returning(vec![face(60.0, 60.0, 0.0), blurry_poster]));

    assert!(verifier.enrol(ENROLLED).await.is_ok());
}

fn compare_rule_checking_the_request(
    source: ImageSource,
    similarities: Vec<f32>,
) -> aws_smithy_mocks::Rule {
    mock!(Client::compare_faces)
        .match_requests(move |request| {
            let source_matches = match &source {
                ImageSource::Bytes(bytes) => {
                    request
                        .source_image()
                        .and_then(|i| i.bytes())
                        .map(Blob::as_ref)
                        == Some(bytes.as_slice())
                }
                ImageSource::S3Object { bucket, key } => request
                    .source_image()
                    .and_then(|i| i.s3_object())
                    .is_some_and(|o| o.bucket() == Some(bucket) && o.name() == Some(key)),
            };
            source_matches
                && request
                    .target_image()
                    .and_then(|i| i.bytes())
                    .map(Blob::as_ref)
                    == Some(PROBE)
                && request.similarity_threshold() == Some(95.0)
                && request.quality_filter() == Some(&QualityFilter::Auto)
        })
        .then_output(move || {
            CompareFacesOutput::builder()
                .set_face_matches(Some(
                    similarities
                        .iter()
                        .map(|s| {
                            CompareFacesMatch::builder()
                                .similarity(*s)
                                .face(ComparedFace::builder().confidence(99.0).build())
                                .build()
                        })
                        .collect(),
                ))
                .build()
        })
}

#[tokio::test]
async fn verification_sends_threshold_quality_filter_and_both_images_as_bytes() {
    let rule = compare_rule_checking_the_request(ImageSource::Bytes(ENROLLED.to_vec()), vec![99.2]);
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&rule]
    ));
    let enrolled = EnrolledFace {
        image: ImageSource::Bytes(ENROLLED.to_vec()),
        template: None,
    };

    let verification = verifier.verify(PROBE, &enrolled).await.expect("answered");

    assert!(verification.matched);
    assert!((verification.similarity - 99.2).abs() < f32::EPSILON);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn an_enrolment_kept_in_s3_is_compared_in_place() {
    let source = ImageSource::S3Object {
        bucket: "media".into(),
        key: "face/0123".into(),
    };
    let rule = compare_rule_checking_the_request(source.clone(), vec![97.0]);
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&rule]
    ));

    let verification = verifier
        .verify(
            PROBE,
            &EnrolledFace {
                image: source,
                template: None,
            },
        )
        .await
        .expect("answered");

    assert!(verification.matched);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn no_match_above_the_threshold_is_not_a_match() {
    let rule = compare_rule_checking_the_request(ImageSource::Bytes(ENROLLED.to_vec()), vec![]);
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&rule]
    ));

    let verification = verifier
        .verify(
            PROBE,
            &EnrolledFace {
                image: ImageSource::Bytes(ENROLLED.to_vec()),
                template: None,
            },
        )
        .await
        .expect("answered");

    assert!(!verification.matched);
    assert_eq!(verification.similarity, 0.0);
}

fn enrolled() -> EnrolledFace {
    EnrolledFace {
        image: ImageSource::Bytes(ENROLLED.to_vec()),
        template: None,
    }
}

#[tokio::test]
async fn a_probe_without_a_face_is_reported_as_such() {
    let rule = mock!(Client::compare_faces).then_error(|| {
        CompareFacesError::InvalidParameterException(
            InvalidParameterException::builder()
                .message("Request has invalid parameters")
                .build(),
        )
    });
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&rule]
    ));

    assert_eq!(
        verifier.verify(PROBE, &enrolled()).await,
        Err(FaceError::NoFace)
    );
}

#[tokio::test]
async fn throttling_and_service_errors_make_the_provider_unavailable() {
    let throttled = mock!(Client::compare_faces).then_error(|| {
        CompareFacesError::ThrottlingException(ThrottlingException::builder().build())
    });
    let over_quota = mock!(Client::compare_faces).then_error(|| {
        CompareFacesError::ProvisionedThroughputExceededException(
            ProvisionedThroughputExceededException::builder().build(),
        )
    });
    let broken = mock!(Client::compare_faces).then_error(|| {
        CompareFacesError::InternalServerError(InternalServerError::builder().build())
    });
    let detect_throttled = mock!(Client::detect_faces).then_error(|| {
        DetectFacesError::ThrottlingException(ThrottlingException::builder().build())
    });

    for rule in [throttled, over_quota, broken] {
        let verifier = verifier(mock_client!(
            aws_sdk_rekognition,
            RuleMode::MatchAny,
            &[&rule]
        ));
        let outcome = verifier.verify(PROBE, &enrolled()).await;
        assert!(
            matches!(outcome, Err(FaceError::Unavailable { retry_after, .. }) if retry_after.as_secs() > 0),
            "{outcome:?}"
        );
    }
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&detect_throttled]
    ));
    assert!(matches!(
        verifier.enrol(ENROLLED).await,
        Err(FaceError::Unavailable { .. })
    ));
}

#[tokio::test]
async fn a_provider_that_does_not_answer_times_out_as_unavailable() {
    // A real socket that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let address = listener.local_addr().expect("address");
    let _silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let config = aws_sdk_rekognition::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .endpoint_url(format!("http://{address}"))
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_millis(300))
                .build(),
        )
        .build();
    let verifier = verifier(Client::from_conf(config));

    let outcome = verifier.verify(PROBE, &enrolled()).await;

    assert!(
        matches!(&outcome, Err(FaceError::Unavailable { reason, .. }) if reason.contains("in time")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn look_asks_detect_faces_for_default_attributes_of_the_frame() {
    let verifier = verifier(detect_returning(vec![face(60.0, 60.0, 0.0)]));

    let look = verifier.look(ENROLLED).await.expect("one face");

    assert_eq!(
        look,
        FrameLook {
            yaw_degrees: 0.0,
            identity: None
        }
    );
}

#[tokio::test]
async fn look_reports_a_turn_to_the_persons_own_left_as_positive_yaw() {
    // Rekognition's Yaw is negative when the face points towards the
    // image's right edge: the person turned to their own left.
    let turned_left = verifier(detect_returning(vec![face(60.0, 60.0, -32.5)]));
    let turned_right = verifier(detect_returning(vec![face(60.0, 60.0, 28.0)]));

    let left = turned_left.look(ENROLLED).await.expect("one face");
    let right = turned_right.look(ENROLLED).await.expect("one face");

    assert_eq!(left.yaw_degrees, 32.5);
    assert_eq!(right.yaw_degrees, -28.0);
}

#[tokio::test]
async fn look_needs_exactly_one_confident_face_but_no_quality() {
    let mut background = face(60.0, 60.0, 0.0);
    background.confidence = Some(40.0);
    let cases = [
        (vec![], Err(FaceError::NoFace)),
        (
            vec![face(60.0, 60.0, 10.0), face(60.0, 60.0, 0.0)],
            Err(FaceError::MultipleFaces(2)),
        ),
        // A turned, blurry frame is what a liveness turn looks like.
        (vec![face(5.0, 60.0, -45.0), background], Ok(45.0)),
    ];

    for (faces, expected) in cases {
        let verifier = verifier(detect_returning(faces));
        let yaw = verifier.look(ENROLLED).await.map(|look| look.yaw_degrees);
        assert_eq!(yaw, expected);
    }
}

#[tokio::test]
async fn look_without_a_pose_in_the_answer_is_a_provider_failure() {
    let posed_nothing = FaceDetail::builder().confidence(99.0).build();
    let verifier = verifier(detect_returning(vec![posed_nothing]));

    assert!(matches!(
        verifier.look(ENROLLED).await,
        Err(FaceError::Provider(_))
    ));
}

#[tokio::test]
async fn look_reports_throttling_as_unavailable_and_bad_bytes_as_invalid() {
    let throttled = mock!(Client::detect_faces).then_error(|| {
        DetectFacesError::ThrottlingException(ThrottlingException::builder().build())
    });
    let not_an_image = mock!(Client::detect_faces).then_error(|| {
        DetectFacesError::InvalidImageFormatException(
            InvalidImageFormatException::builder()
                .message("Request has invalid image format")
                .build(),
        )
    });

    let verifier_throttled = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&throttled]
    ));
    let verifier_invalid = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&not_an_image]
    ));

    assert!(matches!(
        verifier_throttled.look(ENROLLED).await,
        Err(FaceError::Unavailable { .. })
    ));
    assert!(matches!(
        verifier_invalid.look(ENROLLED).await,
        Err(FaceError::InvalidImage(_))
    ));
}

#[tokio::test]
async fn same_person_compares_the_two_frames_without_the_quality_filter() {
    let rule = mock!(Client::compare_faces)
        .match_requests(|request| {
            request
                .source_image()
                .and_then(|i| i.bytes())
                .map(Blob::as_ref)
                == Some(ENROLLED)
                && request
                    .target_image()
                    .and_then(|i| i.bytes())
                    .map(Blob::as_ref)
                    == Some(PROBE)
                && request.similarity_threshold() == Some(95.0)
                && request.quality_filter() == Some(&QualityFilter::None)
        })
        .then_output(|| {
            CompareFacesOutput::builder()
                .face_matches(
                    CompareFacesMatch::builder()
                        .similarity(98.5)
                        .face(ComparedFace::builder().confidence(99.0).build())
                        .build(),
                )
                .build()
        });
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&rule]
    ));

    let verification = verifier
        .same_person(ENROLLED, PROBE)
        .await
        .expect("answered");

    assert!(verification.matched);
    assert_eq!(verification.similarity, 98.5);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn same_person_with_no_match_is_not_the_same_person() {
    let rule = mock!(Client::compare_faces).then_output(|| CompareFacesOutput::builder().build());
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&rule]
    ));

    let verification = verifier
        .same_person(ENROLLED, PROBE)
        .await
        .expect("answered");

    assert!(!verification.matched);
    assert!(
        verifier
            .same_identity(
                &FrameLook {
                    yaw_degrees: 0.0,
                    identity: None
                },
                &FrameLook {
                    yaw_degrees: 0.0,
                    identity: None
                }
            )
            .is_none()
    );
}

/// A small PNG whose pixels depend on `seed`, so two seeds are two
/// different pictures to the still-image check.
fn frame_png(seed: u8) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(64, 48, |x, y| {
        let value = if seed == 0 { x * 4 } else { (y * 5) ^ (x * 3) };
        image::Rgb([value as u8, seed, 255 - value as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut out, image::ImageOutputFormat::Png)
        .expect("encodes");
    out.into_inner()
}

fn detect_yaw_for(frame: Vec<u8>, rekognition_yaw: f32) -> aws_smithy_mocks::Rule {
    mock!(Client::detect_faces)
        .match_requests(move |request| {
            request.image().and_then(|i| i.bytes()).map(Blob::as_ref) == Some(frame.as_slice())
        })
        .then_output(move || {
            DetectFacesOutput::builder()
                .face_details(face(60.0, 60.0, rekognition_yaw))
                .build()
        })
}

#[tokio::test]
async fn liveness_with_rekognition_follows_the_pose_and_compares_each_frame() {
    let (frontal, turned) = (frame_png(0), frame_png(1));
    let frontal_pose = detect_yaw_for(frontal.clone(), 2.0);
    // Rekognition's -30 is a turn to the person's own left.
    let turned_pose = detect_yaw_for(turned.clone(), -30.0);
    let compare = mock!(Client::compare_faces).then_output(|| {
        CompareFacesOutput::builder()
            .face_matches(
                CompareFacesMatch::builder()
                    .similarity(99.0)
                    .face(ComparedFace::builder().confidence(99.0).build())
                    .build(),
            )
            .build()
    });
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&frontal_pose, &turned_pose, &compare]
    ));
    let frames = vec![frontal, turned];
    let rules = LivenessRules::default();

    let left = verify_live(&verifier, &frames, &enrolled(), TurnDirection::Left, &rules).await;
    let right = verify_live(
        &verifier,
        &frames,
        &enrolled(),
        TurnDirection::Right,
        &rules,
    )
    .await;

    assert!(matches!(left, Ok(v) if v.matched), "{left:?}");
    assert_eq!(right, Err(LivenessError::Refused(LivenessRefusal::NoTurn)));
    // Left: the turned frame against the frontal one, then the frontal one
    // against the enrolment. Right: refused after the turn is judged, before
    // the enrolment is compared (liveness comes from the frames alone).
    assert_eq!(compare.num_calls(), 3);
}

#[tokio::test]
async fn liveness_refuses_a_repeated_still_before_asking_the_provider() {
    let rule = mock!(Client::detect_faces).then_output(|| DetectFacesOutput::builder().build());
    let verifier = verifier(mock_client!(
        aws_sdk_rekognition,
        RuleMode::MatchAny,
        &[&rule]
    ));
    let still = frame_png(0);

    let outcome = verify_live(
        &verifier,
        &[still.clone(), still.clone(), still],
        &enrolled(),
        TurnDirection::Left,
        &LivenessRules::default(),
    )
    .await;

    assert_eq!(
        outcome,
        Err(LivenessError::Refused(LivenessRefusal::StillImage))
    );
    assert_eq!(rule.num_calls(), 0);
}
