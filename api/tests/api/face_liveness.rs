//! Face login's liveness challenge over HTTP: single use, short-lived,
//! bound to the username, the same for every username, and required
//! unless the operator switches it off. (Real inference on a real head
//! turn: `face_local.rs`.)

use std::sync::Arc;

use aws_sdk_rekognition::Client;
use aws_sdk_rekognition::operation::compare_faces::CompareFacesOutput;
use aws_sdk_rekognition::operation::detect_faces::DetectFacesOutput;
use aws_sdk_rekognition::types::CompareFacesMatch;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use soundstream_face::{FaceVerifier, QualityLimits, RekognitionVerifier};
use soundstream_types::{FaceChallenge, ServiceConfig, TurnDirection};

use crate::face::one_face;
use crate::helpers::{TestApp, TestOptions, assert_problem, spawn_app_with};
use crate::uploads::fixture;

/// Rekognition that sees one frontal face in every picture and calls any
/// two pictures the same person: whatever it is shown, a still picture
/// never turns.
fn frontal_rekognition() -> Arc<dyn FaceVerifier> {
    let face = mock!(Client::detect_faces).then_output(|| {
        DetectFacesOutput::builder()
            .face_details(one_face())
            .build()
    });
    let same = mock!(Client::compare_faces).then_output(|| {
        CompareFacesOutput::builder()
            .face_matches(CompareFacesMatch::builder().similarity(99.0).build())
            .build()
    });
    let client = mock_client!(aws_sdk_rekognition, RuleMode::MatchAny, [&face, &same]);
    Arc::new(RekognitionVerifier::with_client(
        client,
        95.0,
        QualityLimits::default(),
    ))
}

async fn spawn(liveness: &str) -> TestApp {
    spawn_app_with(TestOptions {
        face: Some(frontal_rekognition()),
        extra_env: vec![("SOUNDSTREAM_FACE_LIVENESS", liveness.to_owned())],
        ..Default::default()
    })
    .await
}

async fn challenge(app: &TestApp, username: &str) -> FaceChallenge {
    let response = app
        .post_json(
            "/api/v1/auth/face-login/challenge",
            &json!({ "username": username }),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("challenge")
}

fn still_frames(count: usize) -> Vec<String> {
    vec![STANDARD.encode(fixture("cover.jpg")); count]
}

async fn answer(
    app: &TestApp,
    username: &str,
    challenge_id: &str,
    frames: &[String],
) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/face-login",
        &json!({ "username": username, "challenge_id": challenge_id, "frames": frames }),
    )
    .await
}

const USED_OR_EXPIRED: &str = "expired or was already used";

#[tokio::test]
async fn the_challenge_is_on_by_default_and_reported() {
    let app = spawn_app_with(TestOptions {
        face: Some(frontal_rekognition()),
        ..Default::default()
    })
    .await;

    let config: ServiceConfig = app
        .get("/api/v1/config")
        .await
        .json()
        .await
        .expect("config");

    assert_eq!(config.features.face_liveness, "challenge");
}

#[tokio::test]
async fn every_username_gets_the_same_kind_of_challenge_for_about_a_minute() {
    let app = spawn("challenge").await;
    app.register("ana").await;

    for username in ["ana", "nobody-here", "ANA"] {
        let challenge = challenge(&app, username).await;

        assert_eq!(challenge.challenge_id.len(), 32);
        assert!(matches!(
            challenge.direction,
            TurnDirection::Left | TurnDirection::Right
        ));
        let expires = time::OffsetDateTime::parse(
            &challenge.expires_at,
            &time::format_description::well_known::Rfc3339,
        )
        .expect("RFC 3339");
        let left = expires - time::OffsetDateTime::now_utc();
        assert!(
            left > time::Duration::seconds(45) && left <= time::Duration::seconds(61),
            "{left}"
        );
    }
}

#[tokio::test]
async fn both_directions_are_asked_for() {
    let app = spawn("challenge").await;

    let mut seen = Vec::new();
    for _ in 0..64 {
        let direction = challenge(&app, "ana").await.direction;
        if !seen.contains(&direction) {
            seen.push(direction);
        }
    }

    assert_eq!(seen.len(), 2, "64 challenges asked only for {seen:?}");
}

#[tokio::test]
async fn a_still_picture_as_every_frame_is_refused_and_the_challenge_is_used_up() {
    let app = spawn("challenge").await;
    app.register("ana").await;
    let challenge = challenge(&app, "ana").await;

    let first = answer(&app, "ana", &challenge.challenge_id, &still_frames(5)).await;
    let again = answer(&app, "ana", &challenge.challenge_id, &still_frames(5)).await;

    let refused = assert_problem(first, 401).await;
    assert!(
        refused.detail.contains("liveness check failed"),
        "{}",
        refused.detail
    );
    let reused = assert_problem(again, 401).await;
    assert!(reused.detail.contains(USED_OR_EXPIRED), "{}", reused.detail);
}

#[tokio::test]
async fn an_expired_challenge_is_refused() {
    let app = spawn("challenge").await;
    let challenge = challenge(&app, "ana").await;
    sqlx::query("UPDATE face_challenges SET expires_at = 0")
        .execute(app.state.db.pool())
        .await
        .expect("expired");

    let response = answer(&app, "ana", &challenge.challenge_id, &still_frames(5)).await;

    let problem = assert_problem(response, 401).await;
    assert!(
        problem.detail.contains(USED_OR_EXPIRED),
        "{}",
        problem.detail
    );
}

#[tokio::test]
async fn a_challenge_answers_only_for_its_username() {
    let app = spawn("challenge").await;
    let for_ana = challenge(&app, "Ana").await;

    let as_bea = answer(&app, "bea", &for_ana.challenge_id, &still_frames(5)).await;

    let problem = assert_problem(as_bea, 401).await;
    assert!(
        problem.detail.contains(USED_OR_EXPIRED),
        "{}",
        problem.detail
    );
}

#[tokio::test]
async fn with_the_challenge_on_one_picture_is_not_enough() {
    let app = spawn("challenge").await;

    let response = app
        .post_json(
            "/api/v1/auth/face-login",
            &json!({ "username": "ana", "image": STANDARD.encode(fixture("cover.jpg")) }),
        )
        .await;

    let problem = assert_problem(response, 422).await;
    assert!(problem.detail.contains("challenge"), "{}", problem.detail);
    assert_eq!(problem.errors[0].field, "challenge_id");
}

#[tokio::test]
async fn with_the_challenge_off_there_is_no_challenge() {
    let app = spawn("off").await;

    let response = app
        .post_json(
            "/api/v1/auth/face-login/challenge",
            &json!({ "username": "ana" }),
        )
        .await;

    assert_problem(response, 409).await;
}

#[tokio::test]
async fn frames_are_checked_before_the_challenge_is_used() {
    let app = spawn("challenge").await;
    let challenge = challenge(&app, "ana").await;
    let not_a_picture = vec![
        STANDARD.encode(fixture("cover.jpg")),
        STANDARD.encode(b"plain text"),
    ];

    let none = answer(&app, "ana", &challenge.challenge_id, &[]).await;
    let too_many = answer(&app, "ana", &challenge.challenge_id, &still_frames(13)).await;
    let bad = answer(&app, "ana", &challenge.challenge_id, &not_a_picture).await;
    let no_username = app
        .post_json(
            "/api/v1/auth/face-login/challenge",
            &json!({ "username": "  " }),
        )
        .await;

    assert_problem(none, 422).await;
    assert_problem(too_many, 422).await;
    let problem = assert_problem(bad, 422).await;
    assert_eq!(problem.errors[0].field, "frames[1]");
    assert_problem(no_username, 422).await;
    // Still unused: the right frames may follow.
    let used = answer(&app, "ana", &challenge.challenge_id, &still_frames(5)).await;
    let problem = assert_problem(used, 401).await;
    assert!(
        !problem.detail.contains(USED_OR_EXPIRED),
        "{}",
        problem.detail
    );
}
