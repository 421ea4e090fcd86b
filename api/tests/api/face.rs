//! Face login over HTTP against the real API, whose Rekognition client is
//! stubbed at the SDK boundary by the AWS SDK's own test utilities.

use std::sync::Arc;

use aws_sdk_rekognition::Client;
use aws_sdk_rekognition::operation::compare_faces::{CompareFacesError, CompareFacesOutput};
use aws_sdk_rekognition::operation::detect_faces::DetectFacesOutput;
use aws_sdk_rekognition::primitives::Blob;
use aws_sdk_rekognition::types::error::ThrottlingException;
use aws_sdk_rekognition::types::{CompareFacesMatch, FaceDetail, ImageQuality, Pose};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::json;
use soundstream_face::{FaceVerifier, QualityLimits, RekognitionVerifier};
use soundstream_types::{
    CompletedUpload, FaceEnrolment, ProblemKind, ServiceConfig, TokenResponse,
};

use crate::helpers::{TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with};
use crate::uploads::{fixture, upload};

/// Ana's enrolment picture, a picture of Ana, a picture of someone else,
/// and a picture with nobody in it.
fn enrolment_picture() -> Vec<u8> {
    fixture("cover.png")
}
fn ana_now() -> Vec<u8> {
    fixture("cover.jpg")
}
fn someone_else() -> Vec<u8> {
    [fixture("cover.jpg"), b"someone else".to_vec()].concat()
}
fn nobody() -> Vec<u8> {
    [fixture("cover.png"), b"nobody here".to_vec()].concat()
}

fn one_face() -> FaceDetail {
    FaceDetail::builder()
        .confidence(99.5)
        .quality(
            ImageQuality::builder()
                .sharpness(70.0)
                .brightness(60.0)
                .build(),
        )
        .pose(Pose::builder().yaw(3.0).pitch(-2.0).roll(1.0).build())
        .build()
}

fn detect_rules() -> Vec<Rule> {
    let empty = mock!(Client::detect_faces)
        .match_requests(|r| {
            r.image().and_then(|i| i.bytes()).map(Blob::as_ref) == Some(&nobody()[..])
        })
        .then_output(|| DetectFacesOutput::builder().build());
    let face = mock!(Client::detect_faces).then_output(|| {
        DetectFacesOutput::builder()
            .face_details(one_face())
            .build()
    });
    vec![empty, face]
}

/// Rekognition that recognises Ana's new picture against her enrolment.
fn recognising_rekognition() -> Arc<dyn FaceVerifier> {
    let ana = mock!(Client::compare_faces)
        .match_requests(|r| {
            r.source_image().and_then(|i| i.bytes()).map(Blob::as_ref)
                == Some(&enrolment_picture()[..])
                && r.target_image().and_then(|i| i.bytes()).map(Blob::as_ref)
                    == Some(&ana_now()[..])
        })
        .then_output(|| {
            CompareFacesOutput::builder()
                .face_matches(CompareFacesMatch::builder().similarity(99.1).build())
                .build()
        });
    let anyone_else =
        mock!(Client::compare_faces).then_output(|| CompareFacesOutput::builder().build());
    let mut rules = detect_rules();
    rules.extend([ana, anyone_else]);
    verifier(&rules)
}

fn throttled_rekognition() -> Arc<dyn FaceVerifier> {
    let throttled = mock!(Client::compare_faces).then_error(|| {
        CompareFacesError::ThrottlingException(ThrottlingException::builder().build())
    });
    let mut rules = detect_rules();
    rules.push(throttled);
    verifier(&rules)
}

fn verifier(rules: &[Rule]) -> Arc<dyn FaceVerifier> {
    let client = mock_client!(aws_sdk_rekognition, RuleMode::MatchAny, rules.iter());
    Arc::new(RekognitionVerifier::with_client(
        client,
        95.0,
        QualityLimits::default(),
    ))
}

async fn spawn_with(face: Arc<dyn FaceVerifier>) -> TestApp {
    spawn_app_with(TestOptions {
        face: Some(face),
        ..Default::default()
    })
    .await
}

async fn enrol_body(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.authed(Method::PUT, "/api/v1/me/face", token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent")
}

async fn face_login(app: &TestApp, username: &str, image: &[u8]) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/face-login",
        &json!({"username": username, "image": STANDARD.encode(image)}),
    )
    .await
}

#[tokio::test]
async fn config_reports_face_login_and_its_provider() {
    let app = spawn_with(recognising_rekognition()).await;

    let config: ServiceConfig = app
        .get("/api/v1/config")
        .await
        .json()
        .await
        .expect("config");

    assert!(config.features.face_login.enabled);
    assert_eq!(config.features.face_login.provider, "rekognition");
}

#[tokio::test]
async fn without_a_provider_every_face_endpoint_is_503() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;

    let responses = [
        app.authed(Method::GET, "/api/v1/me/face", &ana.access_token)
            .send()
            .await
            .expect("sent"),
        enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await,
        app.authed(Method::DELETE, "/api/v1/me/face", &ana.access_token)
            .send()
            .await
            .expect("sent"),
        face_login(&app, "ana", &ana_now()).await,
    ];

    for response in responses {
        let problem = assert_problem(response, 503).await;
        assert_eq!(problem.kind(), Some(ProblemKind::FeatureDisabled));
    }
}

#[tokio::test]
async fn enrol_then_log_in_with_the_face() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;

    let enrolled = enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    let status: FaceEnrolment = app
        .authed(Method::GET, "/api/v1/me/face", &ana.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("status");
    let login = face_login(&app, "ana", &ana_now()).await;

    assert_eq!(enrolled.status().as_u16(), 200);
    assert!(status.enrolled);
    assert_eq!(status.provider.as_deref(), Some("rekognition"));
    assert!(status.enrolled_at.is_some());
    assert_eq!(login.status().as_u16(), 200);
    let tokens: TokenResponse = login.json().await.expect("tokens");
    assert_eq!(tokens.user.username, "ana");
    assert_eq!(tokens.token_type, "Bearer");
}

#[tokio::test]
async fn a_canvas_data_url_is_accepted() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;

    let response = app
        .post_json(
            "/api/v1/auth/face-login",
            &json!({"username": "ana",
                    "image": format!("data:image/jpeg;base64,{}", STANDARD.encode(ana_now()))}),
        )
        .await;

    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn an_image_upload_can_be_enrolled_and_the_enrolment_removed() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    let picture: CompletedUpload = upload(
        &app,
        &ana.access_token,
        "image",
        "image/png",
        enrolment_picture(),
    )
    .await
    .json()
    .await
    .expect("upload");
    let by_id = |token: String| {
        let request = app
            .authed(Method::PUT, "/api/v1/me/face", &token)
            .json(&json!({"upload_id": picture.id}));
        async move { request.send().await.expect("sent") }
    };

    let someone_elses = by_id(bea.access_token.clone()).await;
    let own = by_id(ana.access_token.clone()).await;
    let removed = app
        .authed(Method::DELETE, "/api/v1/me/face", &ana.access_token)
        .send()
        .await
        .expect("sent");
    let status: FaceEnrolment = app
        .authed(Method::GET, "/api/v1/me/face", &ana.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("status");

    assert_problem(someone_elses, 422).await;
    assert_eq!(own.status().as_u16(), 200);
    assert_eq!(removed.status().as_u16(), 204);
    assert!(!status.enrolled);
    assert_problem(face_login(&app, "ana", &ana_now()).await, 401).await;
}

#[tokio::test]
async fn an_enrolment_picture_without_a_face_is_refused_saying_so() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;

    let response = enrol_body(&app, &ana.access_token, "image/png", nobody()).await;

    let problem = assert_problem(response, 422).await;
    assert!(
        problem.detail.contains("no face found"),
        "{}",
        problem.detail
    );
}

#[tokio::test]
async fn enrolment_refuses_other_formats_and_oversized_pictures() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;

    let gif = enrol_body(&app, &ana.access_token, "image/gif", b"GIF89a".to_vec()).await;
    let lying = enrol_body(
        &app,
        &ana.access_token,
        "image/png",
        b"not an image at all".to_vec(),
    )
    .await;
    let huge = enrol_body(
        &app,
        &ana.access_token,
        "image/png",
        vec![0; 5 * 1024 * 1024 + 1],
    )
    .await;

    assert_problem(gif, 415).await;
    assert_problem(lying, 422).await;
    assert_problem(huge, 413).await;
}

#[tokio::test]
async fn mismatch_unknown_user_and_no_enrolment_get_one_answer() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;
    app.register("bea").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;

    let mismatch = assert_problem(face_login(&app, "ana", &someone_else()).await, 401).await;
    let unknown = assert_problem(face_login(&app, "nobody", &ana_now()).await, 401).await;
    let not_enrolled = assert_problem(face_login(&app, "bea", &ana_now()).await, 401).await;
    let no_face = assert_problem(face_login(&app, "ana", &nobody()).await, 401).await;

    for other in [&unknown, &not_enrolled, &no_face] {
        assert_eq!(other.problem_type, mismatch.problem_type);
        assert_eq!(other.detail, mismatch.detail);
    }
}

#[tokio::test]
async fn face_login_failures_count_towards_the_shared_lockout() {
    let app = spawn_app_with(TestOptions {
        face: Some(recognising_rekognition()),
        throttle: Some(soundstream_api::config::ThrottlePolicy {
            account_free_failures: 3,
            ..Default::default()
        }),
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    for _ in 0..3 {
        face_login(&app, "ana", &someone_else()).await;
    }

    let face = face_login(&app, "ana", &ana_now()).await;
    let password = app.login("ana", crate::helpers::GOOD_PASSWORD).await;

    assert!(face.headers().contains_key("retry-after"));
    assert_problem(face, 429).await;
    assert_problem(password, 429).await;
}

#[tokio::test]
async fn a_throttled_provider_is_a_503_with_retry_after_and_no_token() {
    let app = spawn_with(throttled_rekognition()).await;
    let ana = app.register("ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;

    let response = face_login(&app, "ana", &ana_now()).await;

    assert_eq!(response.headers()["retry-after"], "5");
    let problem = assert_problem(response, 503).await;
    assert_eq!(problem.kind(), Some(ProblemKind::ServiceUnavailable));
}

#[tokio::test]
async fn face_login_refuses_bad_images_before_asking_the_provider() {
    let app = spawn_with(recognising_rekognition()).await;

    let not_base64 = app
        .post_json(
            "/api/v1/auth/face-login",
            &json!({"username": "ana", "image": "%%%"}),
        )
        .await;
    let not_an_image = face_login(&app, "ana", b"plain text").await;
    let missing_field = app
        .post_json("/api/v1/auth/face-login", &json!({"username": "ana"}))
        .await;

    assert_problem(not_base64, 422).await;
    assert_problem(not_an_image, 422).await;
    assert_problem(missing_field, 422).await;
}

#[tokio::test]
async fn face_pictures_declaring_more_than_40_megapixels_never_reach_the_provider() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;
    let bomb = crate::uploads::png_declaring(30_000, 30_000, 500);

    let enrolment = enrol_body(&app, &ana.access_token, "image/png", bomb.clone()).await;
    let login = face_login(&app, "ana", &bomb).await;

    let problem = assert_problem(enrolment, 422).await;
    assert!(problem.detail.contains("megapixels"), "{}", problem.detail);
    assert_problem(login, 422).await;
}
