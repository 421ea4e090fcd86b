//! The whole upload flow with `SOUNDSTREAM_STORAGE=s3`, against a real S3
//! protocol server (s3s-fs) that checks every signature: the bytes go from
//! the client to the bucket, never through the API.

use soundstream_s3_test_server::{ACCESS_KEY_ID, REGION, S3TestServer, SECRET_ACCESS_KEY};
use soundstream_types::{CompletedUpload, ServiceConfig, UploadTicket};

use crate::helpers::{TestApp, TestOptions, assert_problem, spawn_app_with};
use crate::uploads::{complete, fixture, send_bytes, start_upload, upload};

/// The variables that select the test server's bucket.
pub fn s3_env(server: &S3TestServer) -> Vec<(&'static str, String)> {
    vec![
        ("SOUNDSTREAM_STORAGE", "s3".into()),
        ("SOUNDSTREAM_S3_BUCKET", server.bucket.clone()),
        ("AWS_ENDPOINT_URL", server.endpoint.clone()),
        ("AWS_REGION", REGION.into()),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID.into()),
        ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.into()),
    ]
}

async fn spawn_with_s3(server: &S3TestServer) -> TestApp {
    spawn_app_with(TestOptions {
        extra_env: s3_env(server),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn audio_goes_straight_to_the_bucket_and_is_verified_there() {
    let server = S3TestServer::start().await;
    let app = spawn_with_s3(&server).await;
    let admin = app.admin("boss").await;
    let bytes = fixture("tone.flac");
    let ticket: UploadTicket = start_upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/flac",
        bytes.len(),
    )
    .await
    .json()
    .await
    .expect("ticket");

    assert!(ticket.url.starts_with(&server.endpoint), "{}", ticket.url);
    assert!(send_bytes(&app, &ticket, bytes).await.status().is_success());
    let completed: CompletedUpload = complete(&app, &admin.access_token, &ticket.id)
        .await
        .json()
        .await
        .expect("completed");

    let audio = completed.audio.expect("tags");
    assert!(
        (2_400..=2_600).contains(&audio.duration_ms),
        "{}",
        audio.duration_ms
    );
    let cover = audio.cover.expect("embedded cover");
    assert!(cover.url.starts_with(&server.endpoint), "{}", cover.url);
    let picture = reqwest::get(&cover.url).await.expect("sent");
    assert_eq!(picture.status().as_u16(), 200);
    assert_eq!(
        picture.headers()["content-type"],
        cover.content_type.as_str()
    );
}

#[tokio::test]
async fn a_refused_upload_is_deleted_from_the_bucket() {
    let server = S3TestServer::start().await;
    let app = spawn_with_s3(&server).await;
    let admin = app.admin("boss").await;

    let response = upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/mpeg",
        fixture("not-audio.mp3"),
    )
    .await;

    assert_problem(response, 422).await;
    let audio_dir = server.object_path("audio");
    let left = std::fs::read_dir(&audio_dir)
        .map(|dir| dir.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "nothing left in {}", audio_dir.display());
}

#[tokio::test]
async fn readiness_and_config_report_the_bucket() {
    let server = S3TestServer::start().await;
    let app = spawn_with_s3(&server).await;

    let ready = app.get("/readyz").await;
    let config: ServiceConfig = app
        .get("/api/v1/config")
        .await
        .json()
        .await
        .expect("config");

    assert_eq!(ready.status().as_u16(), 200);
    assert_eq!(config.storage, "s3");
}

#[tokio::test]
async fn an_unreachable_bucket_makes_the_instance_unready() {
    let server = S3TestServer::start().await;
    let app = spawn_with_s3(&server).await;
    drop(server);

    let response = app.get("/readyz").await;

    let problem = assert_problem(response, 503).await;
    assert!(problem.detail.contains("storage"), "{}", problem.detail);
}
