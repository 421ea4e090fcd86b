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

use crate::helpers::{
    GOOD_PASSWORD, TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with,
};
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

/// One sharp, well-lit face looking at the camera (shared with
/// face_liveness.rs).
pub fn one_face() -> FaceDetail {
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

/// These tests sign in with one picture: the liveness challenge, the
/// default, is off (tests/api/face_liveness.rs has it on).
fn one_picture() -> Vec<(&'static str, String)> {
    vec![("SOUNDSTREAM_FACE_LIVENESS", "off".to_owned())]
}

async fn spawn_with(face: Arc<dyn FaceVerifier>) -> TestApp {
    spawn_app_with(TestOptions {
        face: Some(face),
        extra_env: one_picture(),
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

/// A new listener whose session has just confirmed its password, as
/// changing face login requires.
async fn confirmed(app: &TestApp, username: &str) -> TokenResponse {
    let tokens = app.register(username).await;
    confirm(app, &tokens.access_token).await;
    tokens
}

async fn confirm(app: &TestApp, token: &str) {
    let response = app
        .authed(Method::POST, "/api/v1/auth/confirm", token)
        .json(&json!({ "password": GOOD_PASSWORD }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200, "confirming the password");
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
    let ana = confirmed(&app, "ana").await;

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
    let ana = confirmed(&app, "ana").await;

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
    let ana = confirmed(&app, "ana").await;
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
    let ana = confirmed(&app, "ana").await;
    let bea = confirmed(&app, "bea").await;
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
    let ana = confirmed(&app, "ana").await;

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
    let ana = confirmed(&app, "ana").await;

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
    let ana = confirmed(&app, "ana").await;
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
        extra_env: one_picture(),
        face: Some(recognising_rekognition()),
        throttle: Some(soundstream_api::config::ThrottlePolicy {
            account_free_failures: 3,
            ..Default::default()
        }),
        ..Default::default()
    })
    .await;
    let ana = confirmed(&app, "ana").await;
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
    let ana = confirmed(&app, "ana").await;
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

/// Counts the provider's calls, to show which attempts never reach it.
#[derive(Debug)]
struct Counting {
    inner: Arc<dyn FaceVerifier>,
    calls: std::sync::atomic::AtomicUsize,
    verifies: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl FaceVerifier for Counting {
    fn provider(&self) -> &'static str {
        self.inner.provider()
    }

    async fn enrol(
        &self,
        image: &[u8],
    ) -> Result<soundstream_face::Enrolment, soundstream_face::FaceError> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.enrol(image).await
    }

    async fn verify(
        &self,
        probe: &[u8],
        enrolled: &soundstream_face::EnrolledFace,
    ) -> Result<soundstream_face::Verification, soundstream_face::FaceError> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.verifies
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.verify(probe, enrolled).await
    }

    async fn look(
        &self,
        image: &[u8],
    ) -> Result<soundstream_face::FrameLook, soundstream_face::FaceError> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.look(image).await
    }

    async fn same_person(
        &self,
        a: &[u8],
        b: &[u8],
    ) -> Result<soundstream_face::Verification, soundstream_face::FaceError> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.same_person(a, b).await
    }

    fn same_identity(
        &self,
        a: &soundstream_face::FrameLook,
        b: &soundstream_face::FrameLook,
    ) -> Option<soundstream_face::Verification> {
        self.inner.same_identity(a, b)
    }
}

fn counting() -> Arc<Counting> {
    Arc::new(Counting {
        inner: recognising_rekognition(),
        calls: std::sync::atomic::AtomicUsize::new(0),
        verifies: std::sync::atomic::AtomicUsize::new(0),
    })
}

fn three_free_failures() -> soundstream_api::config::ThrottlePolicy {
    soundstream_api::config::ThrottlePolicy {
        account_free_failures: 3,
        ..Default::default()
    }
}

#[tokio::test]
async fn changing_face_login_needs_a_recent_password_confirmation() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = app.register("ana").await;

    let enrol = enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    let remove = app
        .authed(Method::DELETE, "/api/v1/me/face", &ana.access_token)
        .send()
        .await
        .expect("sent");
    let wrong = app
        .authed(Method::POST, "/api/v1/auth/confirm", &ana.access_token)
        .json(&json!({ "password": "not my password" }))
        .send()
        .await
        .expect("sent");

    for refused in [enrol, remove] {
        let problem = assert_problem(refused, 403).await;
        assert!(
            problem.detail.contains("/api/v1/auth/confirm"),
            "{}",
            problem.detail
        );
    }
    assert_problem(wrong, 422).await;
    confirm(&app, &ana.access_token).await;
    let enrolled = enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    assert_eq!(enrolled.status().as_u16(), 200);
    // The confirmation belongs to the session, not the account.
    let elsewhere: TokenResponse = app
        .login("ana", GOOD_PASSWORD)
        .await
        .json()
        .await
        .expect("tokens");
    let from_elsewhere = app
        .authed(Method::DELETE, "/api/v1/me/face", &elsewhere.access_token)
        .send()
        .await
        .expect("sent");
    assert_problem(from_elsewhere, 403).await;
}

async fn face_status(app: &TestApp, token: &str) -> FaceEnrolment {
    app.authed(Method::GET, "/api/v1/me/face", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("status")
}

#[tokio::test]
async fn a_password_change_keeps_the_enrolment_but_face_login_waits_for_a_confirmation() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = confirmed(&app, "ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    let changed = app
        .authed(Method::PUT, "/api/v1/me/password", &ana.access_token)
        .json(&json!({"current_password": GOOD_PASSWORD, "new_password": "a new long passphrase"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(changed.status().as_u16(), 204);

    let paused = face_login(&app, "ana", &ana_now()).await;
    let mismatch = face_login(&app, "ana", &someone_else()).await;

    let (paused, mismatch) = (
        assert_problem(paused, 401).await,
        assert_problem(mismatch, 401).await,
    );
    assert_eq!(
        paused.detail, mismatch.detail,
        "a paused enrolment looks like any refusal"
    );
    let status = face_status(&app, &ana.access_token).await;
    assert!(status.enrolled && status.needs_confirmation);
    let confirmed = app
        .authed(Method::POST, "/api/v1/auth/confirm", &ana.access_token)
        .json(&json!({ "password": "a new long passphrase" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(confirmed.status().as_u16(), 200);
    assert!(
        !face_status(&app, &ana.access_token)
            .await
            .needs_confirmation
    );
    assert_eq!(
        face_login(&app, "ana", &ana_now()).await.status().as_u16(),
        200
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_and_pauses_face_login() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = confirmed(&app, "ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    let other_device: TokenResponse = app
        .login("ana", GOOD_PASSWORD)
        .await
        .json()
        .await
        .expect("tokens");

    let out = app
        .authed(
            Method::POST,
            "/api/v1/auth/logout-everywhere",
            &ana.access_token,
        )
        .send()
        .await
        .expect("sent");

    assert_eq!(out.status().as_u16(), 204);
    for token in [&ana.access_token, &other_device.access_token] {
        let write = app
            .authed(Method::PATCH, "/api/v1/me", token)
            .json(&json!({"display_name": "Mallory"}))
            .send()
            .await
            .expect("sent");
        assert_problem(write, 401).await;
    }
    for refresh_token in [&ana.refresh_token, &other_device.refresh_token] {
        let refreshed = app
            .post_json(
                "/api/v1/auth/refresh",
                &json!({ "refresh_token": refresh_token }),
            )
            .await;
        assert_problem(refreshed, 401).await;
    }
    assert_problem(face_login(&app, "ana", &ana_now()).await, 401).await;
}

#[tokio::test]
async fn administrators_sign_in_by_face_only_when_the_operator_allows_it() {
    for (allowed, expected) in [(None, 401), (Some("true"), 200)] {
        let app = spawn_app_with(TestOptions {
            face: Some(recognising_rekognition()),
            extra_env: allowed
                .map(|value| ("SOUNDSTREAM_FACE_LOGIN_ADMINS", value.to_owned()))
                .into_iter()
                .chain(one_picture())
                .collect(),
            ..Default::default()
        })
        .await;
        let boss = app.admin("boss").await;
        confirm(&app, &boss.access_token).await;
        let enrolled = enrol_body(&app, &boss.access_token, "image/png", enrolment_picture()).await;
        assert_eq!(enrolled.status().as_u16(), 200);

        let login = face_login(&app, "boss", &ana_now()).await;

        assert_eq!(login.status().as_u16(), expected, "allowed: {allowed:?}");
    }
}

#[tokio::test]
async fn a_locked_out_address_is_refused_before_any_face_work() {
    let counter = counting();
    let app = spawn_app_with(TestOptions {
        extra_env: one_picture(),
        face: Some(counter.clone()),
        throttle: Some(three_free_failures()),
        ..Default::default()
    })
    .await;
    let ana = confirmed(&app, "ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    for _ in 0..3 {
        assert_problem(face_login(&app, "ana", &someone_else()).await, 401).await;
    }
    let calls_before = counter.calls.load(std::sync::atomic::Ordering::SeqCst);

    let locked = face_login(&app, "ana", &ana_now()).await;

    assert_problem(locked, 429).await;
    assert_eq!(
        counter.calls.load(std::sync::atomic::Ordering::SeqCst),
        calls_before,
        "the provider was not asked"
    );
}

#[tokio::test]
async fn parallel_face_attempts_cannot_outrun_the_lockout() {
    let counter = counting();
    let app = spawn_app_with(TestOptions {
        extra_env: one_picture(),
        face: Some(counter.clone()),
        throttle: Some(three_free_failures()),
        ..Default::default()
    })
    .await;
    let ana = confirmed(&app, "ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    let enrol_calls = counter.calls.load(std::sync::atomic::Ordering::SeqCst);

    let wrong = someone_else();
    let answers =
        futures_util::future::join_all((0..12).map(|_| face_login(&app, "ana", &wrong))).await;

    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    let refused = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        refused <= 3,
        "at most the allowance was tried: {statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        12 - refused,
        "{statuses:?}"
    );
    let provider_calls = counter.calls.load(std::sync::atomic::Ordering::SeqCst) - enrol_calls;
    assert!(provider_calls <= 3, "{provider_calls} provider calls");
}

#[tokio::test]
async fn every_face_login_costs_the_provider_the_same_call_enrolled_or_not() {
    use std::sync::atomic::Ordering::SeqCst;
    let counter = counting();
    let app = spawn_app_with(TestOptions {
        extra_env: one_picture(),
        face: Some(counter.clone()),
        ..Default::default()
    })
    .await;
    let ana = confirmed(&app, "ana").await;
    enrol_body(&app, &ana.access_token, "image/png", enrolment_picture()).await;
    app.register("bea").await;
    let boss = app.admin("boss").await;
    confirm(&app, &boss.access_token).await;
    enrol_body(&app, &boss.access_token, "image/png", enrolment_picture()).await;

    let mut answers = Vec::new();
    for (who, picture) in [
        ("ana", someone_else()),
        ("bea", ana_now()),
        ("nobody", ana_now()),
        ("boss", ana_now()),
    ] {
        let (calls, verifies) = (counter.calls.load(SeqCst), counter.verifies.load(SeqCst));
        let answer = assert_problem(face_login(&app, who, &picture).await, 401).await;
        assert_eq!(
            (
                counter.calls.load(SeqCst) - calls,
                counter.verifies.load(SeqCst) - verifies
            ),
            (1, 1),
            "{who}: one comparison, like everyone else"
        );
        answers.push(answer.detail);
    }
    answers.dedup();
    assert_eq!(answers.len(), 1, "one answer for all: {answers:?}");
}

#[tokio::test]
async fn face_pictures_declaring_more_than_40_megapixels_never_reach_the_provider() {
    let app = spawn_with(recognising_rekognition()).await;
    let ana = confirmed(&app, "ana").await;
    let bomb = crate::uploads::png_declaring(30_000, 30_000, 500);

    let enrolment = enrol_body(&app, &ana.access_token, "image/png", bomb.clone()).await;
    let login = face_login(&app, "ana", &bomb).await;

    let problem = assert_problem(enrolment, 422).await;
    assert!(problem.detail.contains("megapixels"), "{}", problem.detail);
    assert_problem(login, 422).await;
}
