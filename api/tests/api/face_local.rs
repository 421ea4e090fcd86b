//! Face login with the offline provider end to end: real dlib inference
//! on real photos (scripts/lib/face.sh fetches them: official portraits of
//! Barack Obama and Joe Biden from the `face_recognition` package's tests),
//! through the liveness challenge. A head turned to his own right
//! (obama2.jpg) mirrored is a head turned to his own left.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use soundstream_face::{FaceVerifier, LocalSettings, LocalVerifier};
use soundstream_types::{FaceChallenge, TokenResponse};

use crate::helpers::{GOOD_PASSWORD, TestApp, TestOptions, assert_problem, spawn_app_with};

fn required_dir(variable: &str) -> PathBuf {
    let dir = std::env::var_os(variable).unwrap_or_else(|| {
        panic!("{variable} is not set: run scripts/test, or source scripts/lib/face.sh and call its ensure_ functions")
    });
    PathBuf::from(dir)
}

/// The models load once (about a second) for every test here.
static LOCAL: LazyLock<Arc<dyn FaceVerifier>> = LazyLock::new(|| {
    let settings = LocalSettings::new(required_dir("SOUNDSTREAM_FACE_MODELS_DIR"));
    Arc::new(LocalVerifier::load(settings).expect("the dlib weights load"))
});

fn photo(name: &str) -> Vec<u8> {
    let path = required_dir("SOUNDSTREAM_FACE_PHOTOS_DIR").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// `name` mirrored left to right, as a PNG.
fn mirrored(name: &str) -> Vec<u8> {
    let image = image::load_from_memory(&photo(name)).expect("decodes");
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .fliph()
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encodes");
    bytes.into_inner()
}

async fn spawn() -> TestApp {
    spawn_app_with(TestOptions {
        face: Some(LOCAL.clone()),
        ..Default::default()
    })
    .await
}

/// Obama, enrolled from a frontal portrait through the API.
async fn enrolled_obama(app: &TestApp) -> TokenResponse {
    enrol(app, "obama", photo("obama3.jpg")).await
}

/// A new listener who enrolled `picture` through the API.
async fn enrol(app: &TestApp, username: &str, picture: Vec<u8>) -> TokenResponse {
    let tokens = app.register(username).await;
    let confirmed = app
        .authed(
            reqwest::Method::POST,
            "/api/v1/auth/confirm",
            &tokens.access_token,
        )
        .json(&json!({ "password": GOOD_PASSWORD }))
        .send()
        .await
        .expect("sent");
    assert_eq!(confirmed.status().as_u16(), 200);
    let enrolled = app
        .authed(
            reqwest::Method::PUT,
            "/api/v1/me/face",
            &tokens.access_token,
        )
        .header("content-type", "image/jpeg")
        .body(picture)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        enrolled.status().as_u16(),
        200,
        "{}",
        enrolled.text().await.unwrap_or_default()
    );
    tokens
}

/// A real challenge asking for `direction` (challenges pick one at random).
async fn challenge_asking(app: &TestApp, username: &str, direction: &str) -> String {
    for _ in 0..40 {
        let challenge: FaceChallenge = app
            .post_json(
                "/api/v1/auth/face-login/challenge",
                &json!({ "username": username }),
            )
            .await
            .json()
            .await
            .expect("challenge");
        if serde_json::to_value(challenge.direction).expect("direction") == direction {
            return challenge.challenge_id;
        }
    }
    panic!("40 challenges never asked for {direction}");
}

async fn log_in(
    app: &TestApp,
    username: &str,
    direction: &str,
    frames: &[Vec<u8>],
) -> reqwest::Response {
    let challenge_id = challenge_asking(app, username, direction).await;
    let frames: Vec<String> = frames.iter().map(|frame| STANDARD.encode(frame)).collect();
    app.post_json(
        "/api/v1/auth/face-login",
        &json!({ "username": username, "challenge_id": challenge_id, "frames": frames }),
    )
    .await
}

fn turning_left() -> Vec<Vec<u8>> {
    vec![photo("obama.jpg"), mirrored("obama2.jpg")]
}

#[tokio::test]
async fn a_head_turned_the_asked_way_signs_in() {
    let app = spawn().await;
    enrolled_obama(&app).await;

    let left = log_in(&app, "obama", "left", &turning_left()).await;
    let right = log_in(
        &app,
        "obama",
        "right",
        &[photo("obama.jpg"), photo("obama2.jpg")],
    )
    .await;

    assert_eq!(
        left.status().as_u16(),
        200,
        "{}",
        left.text().await.unwrap_or_default()
    );
    assert_eq!(
        right.status().as_u16(),
        200,
        "{}",
        right.text().await.unwrap_or_default()
    );
}

/// Obama's own login, with `frames` answering a challenge that asks for
/// `direction`, is refused saying `why`. (A whole app in one future: the
/// callers box it.)
async fn assert_refused(direction: &str, frames: &[Vec<u8>], why: &str) {
    let app = spawn().await;
    enrolled_obama(&app).await;

    let response = log_in(&app, "obama", direction, frames).await;

    let problem = assert_problem(response, 401).await;
    assert!(problem.detail.contains(why), "{}", problem.detail);
}

#[tokio::test]
async fn a_turn_the_other_way_is_refused() {
    Box::pin(assert_refused("right", &turning_left(), "did not turn")).await;
}

#[tokio::test]
async fn a_still_photo_as_every_frame_is_refused() {
    let still = vec![photo("obama.jpg"); 6];
    Box::pin(assert_refused("left", &still, "copies of one still image")).await;
}

#[tokio::test]
async fn frames_without_a_turn_are_refused() {
    let frontal = [photo("obama.jpg"), photo("obama3.jpg")];
    Box::pin(assert_refused("left", &frontal, "did not turn")).await;
}

#[tokio::test]
async fn frames_of_two_people_are_refused() {
    let two_people = [photo("biden.jpg"), mirrored("obama2.jpg")];
    Box::pin(assert_refused("left", &two_people, "same person")).await;
}

#[tokio::test]
async fn someone_elses_live_turn_gets_the_answer_an_unknown_user_gets() {
    let app = spawn().await;
    enrolled_obama(&app).await;
    enrol(&app, "biden", photo("biden.jpg")).await;

    // Obama, alive and turning, tries Biden's account and an account that
    // does not exist.
    let as_biden = log_in(&app, "biden", "left", &turning_left()).await;
    let as_nobody = log_in(&app, "nobody", "left", &turning_left()).await;

    let as_biden = assert_problem(as_biden, 401).await;
    let as_nobody = assert_problem(as_nobody, 401).await;
    assert!(
        as_biden.detail.contains("not recognised"),
        "{}",
        as_biden.detail
    );
    assert_eq!(as_biden.detail, as_nobody.detail);
}
