//! What a verified upload is protected from: its URL being used again, a
//! second completion, the clean-up racing a request that uses it; and
//! what uploads may cost: image quotas and the sweep of unused uploads.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use soundstream_api::persistence::uploads as upload_rows;
use soundstream_api::services::maintenance;
use soundstream_s3_test_server::{ACCESS_KEY_ID, REGION, S3TestServer, SECRET_ACCESS_KEY};
use soundstream_types::{CompletedUpload, TokenResponse, UploadKind, UploadTicket, User};

use crate::helpers::{TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with};
use crate::uploads::{complete, fixture, png_declaring, send_bytes, start_upload, upload};

async fn set_avatar(app: &TestApp, token: &str, upload_id: &str) -> reqwest::Response {
    app.authed(Method::PATCH, "/api/v1/me", token)
        .json(&json!({"avatar_upload_id": upload_id}))
        .send()
        .await
        .expect("sent")
}

async fn avatar_bytes(app: &TestApp, token: &str) -> Option<Vec<u8>> {
    let me: User = app
        .authed(Method::GET, "/api/v1/me", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("user");
    let url = me.avatar_url?;
    let response = app.client.get(&url).send().await.expect("sent");
    response
        .status()
        .is_success()
        .then_some(response.bytes().await.expect("body").to_vec())
}

async fn object_key(app: &TestApp, upload_id: &str) -> Option<String> {
    sqlx::query_as::<_, (String,)>("SELECT object_key FROM uploads WHERE id = $1")
        .bind(upload_id)
        .fetch_optional(app.state.db.pool())
        .await
        .expect("query")
        .map(|(key,)| key)
}

/// Makes every completed upload look `hours` older.
async fn age_completed_uploads(app: &TestApp, hours: i64) {
    sqlx::query("UPDATE uploads SET completed_at = completed_at - $1 WHERE status = 'complete'")
        .bind(hours * 3600 * 1000)
        .execute(app.state.db.pool())
        .await
        .expect("aged");
}

/// A PNG of the cover fixture's size, with other bytes: a swap attempt.
fn other_png_like(original: &[u8]) -> Vec<u8> {
    let mut other = png_declaring(64, 64, 0);
    other.resize(original.len(), 7);
    other
}

#[tokio::test]
async fn a_completed_uploads_url_takes_no_more_bytes() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let original = fixture("cover.png");
    let ticket: UploadTicket = start_upload(
        &app,
        &ana.access_token,
        "image",
        "image/png",
        original.len(),
    )
    .await
    .json()
    .await
    .expect("ticket");
    send_bytes(&app, &ticket, original.clone()).await;
    assert_eq!(
        complete(&app, &ana.access_token, &ticket.id).await.status(),
        200
    );
    assert_eq!(
        set_avatar(&app, &ana.access_token, &ticket.id)
            .await
            .status(),
        200
    );

    let swap = send_bytes(&app, &ticket, other_png_like(&original)).await;

    assert_problem(swap, 409).await;
    assert_eq!(avatar_bytes(&app, &ana.access_token).await, Some(original));
}

#[tokio::test]
async fn completing_again_is_a_conflict_that_keeps_the_object_in_use() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let original = fixture("cover.png");
    let completed: CompletedUpload = upload(
        &app,
        &ana.access_token,
        "image",
        "image/png",
        original.clone(),
    )
    .await
    .json()
    .await
    .expect("completed");
    set_avatar(&app, &ana.access_token, &completed.id).await;

    let again = complete(&app, &ana.access_token, &completed.id).await;

    let problem = assert_problem(again, 409).await;
    assert!(
        problem.detail.contains("already complete"),
        "{}",
        problem.detail
    );
    assert_eq!(avatar_bytes(&app, &ana.access_token).await, Some(original));
}

#[tokio::test]
async fn the_verified_object_is_not_the_one_the_upload_url_writes() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let bytes = fixture("cover.png");
    let ticket: UploadTicket =
        start_upload(&app, &ana.access_token, "image", "image/png", bytes.len())
            .await
            .json()
            .await
            .expect("ticket");
    let sent_key = object_key(&app, &ticket.id).await.expect("pending upload");
    send_bytes(&app, &ticket, bytes).await;

    complete(&app, &ana.access_token, &ticket.id).await;

    let verified_key = object_key(&app, &ticket.id)
        .await
        .expect("completed upload");
    assert_ne!(verified_key, sent_key);
    assert!(!ticket.url.contains(&verified_key));
    let queued: Option<(i64,)> =
        sqlx::query_as("SELECT not_before FROM storage_garbage WHERE object_key = $1")
            .bind(&sent_key)
            .fetch_optional(app.state.db.pool())
            .await
            .expect("query");
    assert!(
        queued.is_some(),
        "the sent key is deleted after its URL expired"
    );
}

async fn spawn_with_s3(server: &S3TestServer) -> TestApp {
    spawn_app_with(TestOptions {
        extra_env: vec![
            ("SOUNDSTREAM_STORAGE", "s3".into()),
            ("SOUNDSTREAM_S3_BUCKET", server.bucket.clone()),
            ("AWS_ENDPOINT_URL", server.endpoint.clone()),
            ("AWS_REGION", REGION.into()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.into()),
        ],
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn on_s3_bytes_sent_after_completion_never_reach_what_is_shown() {
    let server = S3TestServer::start().await;
    let app = spawn_with_s3(&server).await;
    let ana = app.register("ana").await;
    let original = fixture("cover.png");
    let ticket: UploadTicket = start_upload(
        &app,
        &ana.access_token,
        "image",
        "image/png",
        original.len(),
    )
    .await
    .json()
    .await
    .expect("ticket");
    send_bytes(&app, &ticket, original.clone()).await;
    complete(&app, &ana.access_token, &ticket.id).await;
    set_avatar(&app, &ana.access_token, &ticket.id).await;

    // A presigned PUT cannot be revoked: the bucket takes the bytes...
    let swap = send_bytes(&app, &ticket, other_png_like(&original)).await;
    let again = complete(&app, &ana.access_token, &ticket.id).await;

    // ...but they land on a key nothing shows, and nothing is re-verified.
    assert!(swap.status().is_success(), "{}", swap.status());
    assert_problem(again, 409).await;
    assert_eq!(avatar_bytes(&app, &ana.access_token).await, Some(original));
}

#[tokio::test]
async fn unused_and_replaced_images_are_swept_after_the_grace_period() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let completed: CompletedUpload = upload(
            &app,
            &ana.access_token,
            "image",
            "image/png",
            fixture("cover.png"),
        )
        .await
        .json()
        .await
        .expect("completed");
        ids.push(completed.id);
    }
    set_avatar(&app, &ana.access_token, &ids[0]).await;
    set_avatar(&app, &ana.access_token, &ids[1]).await;
    let keys = [
        object_key(&app, &ids[0]).await.expect("key"),
        object_key(&app, &ids[1]).await.expect("key"),
        object_key(&app, &ids[2]).await.expect("key"),
    ];
    let file = |key: &str| app.state.settings.data_dir.join("media").join(key);

    let fresh = maintenance::sweep(&app.state).await.expect("sweep");
    age_completed_uploads(&app, 25).await;
    let aged = maintenance::sweep(&app.state).await.expect("sweep");

    assert_eq!(fresh.unused_uploads, 0, "within the grace period");
    assert_eq!(
        aged.unused_uploads, 2,
        "the replaced avatar and the unused image"
    );
    assert!(!file(&keys[0]).exists() && !file(&keys[2]).exists());
    assert!(file(&keys[1]).exists(), "the avatar in use is kept");
    assert!(avatar_bytes(&app, &ana.access_token).await.is_some());
    assert_problem(set_avatar(&app, &ana.access_token, &ids[2]).await, 422).await;
}

#[tokio::test]
async fn the_sweep_waits_for_a_request_referencing_the_upload_and_keeps_it() {
    let app = spawn_app().await;
    let ana: TokenResponse = app.register("ana").await;
    let completed: CompletedUpload = upload(
        &app,
        &ana.access_token,
        "image",
        "image/png",
        fixture("cover.png"),
    )
    .await
    .json()
    .await
    .expect("completed");
    age_completed_uploads(&app, 25).await;
    let key = object_key(&app, &completed.id).await.expect("key");

    // A request has looked the upload up (locking it) and is about to use it.
    let mut tx = app.state.db.begin_write().await.expect("transaction");
    let found =
        upload_rows::find_completed(&mut tx, &completed.id, &ana.user.id, UploadKind::Image)
            .await
            .expect("query");
    assert!(found.is_some());
    let state = app.state.clone();
    let sweep = tokio::spawn(async move { maintenance::sweep(&state).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!sweep.is_finished(), "the sweep waits for the request");
    sqlx::query("UPDATE users SET avatar_upload_id = $1 WHERE id = $2")
        .bind(&completed.id)
        .bind(&ana.user.id)
        .execute(&mut *tx)
        .await
        .expect("referenced");
    tx.commit().await.expect("committed");

    let report = sweep.await.expect("joined").expect("sweep");

    assert_eq!(report.unused_uploads, 0);
    assert!(
        app.state
            .settings
            .data_dir
            .join("media")
            .join(&key)
            .exists()
    );
    assert!(avatar_bytes(&app, &ana.access_token).await.is_some());
}

#[tokio::test]
async fn a_request_waiting_on_the_sweep_finds_the_upload_gone() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let completed: CompletedUpload = upload(
        &app,
        &ana.access_token,
        "image",
        "image/png",
        fixture("cover.png"),
    )
    .await
    .json()
    .await
    .expect("completed");
    let key = object_key(&app, &completed.id).await.expect("key");

    // The clean-up has decided to release the upload and not committed yet.
    let mut tx = app.state.db.begin_write().await.expect("transaction");
    let released = upload_rows::release_if_unused(&mut tx, &key, 0)
        .await
        .expect("released");
    assert!(released);
    let request = {
        let app = app.clone();
        let token = ana.access_token.clone();
        let id = completed.id.clone();
        tokio::spawn(async move { set_avatar(&app, &token, &id).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!request.is_finished(), "the request waits for the clean-up");
    tx.commit().await.expect("committed");

    let response = request.await.expect("joined");

    assert_problem(response, 422).await;
    assert_eq!(avatar_bytes(&app, &ana.access_token).await, None);
}

#[tokio::test]
async fn concurrent_sweeps_and_requests_never_leave_a_reference_to_a_deleted_object() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    for round in 0..12 {
        let completed: CompletedUpload = upload(
            &app,
            &ana.access_token,
            "image",
            "image/png",
            fixture("cover.png"),
        )
        .await
        .json()
        .await
        .expect("completed");
        age_completed_uploads(&app, 25).await;
        // Unset, so the previous round's avatar is not what is checked.
        app.authed(Method::PATCH, "/api/v1/me", &ana.access_token)
            .json(&json!({"avatar_upload_id": null}))
            .send()
            .await
            .expect("sent");

        let (used, swept) = tokio::join!(
            set_avatar(&app, &ana.access_token, &completed.id),
            maintenance::sweep(&app.state),
        );

        swept.expect("sweep");
        match used.status().as_u16() {
            200 => assert!(
                avatar_bytes(&app, &ana.access_token).await.is_some(),
                "round {round}: the avatar set must still be served"
            ),
            _ => {
                assert_problem(used, 422).await;
            }
        }
    }
}

#[tokio::test]
async fn a_listener_cannot_keep_more_images_than_the_quota() {
    let app = spawn_app_with(TestOptions {
        extra_env: vec![("SOUNDSTREAM_IMAGE_QUOTA_COUNT", "2".into())],
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    let admin = app.admin("boss").await;
    for _ in 0..2 {
        let kept = upload(
            &app,
            &ana.access_token,
            "image",
            "image/png",
            fixture("cover.png"),
        )
        .await;
        assert_eq!(kept.status(), 200);
    }

    let third = start_upload(&app, &ana.access_token, "image", "image/png", 1000).await;
    let admins = start_upload(&app, &admin.access_token, "image", "image/png", 1000).await;

    let problem = assert_problem(third, 413).await;
    assert_eq!(
        problem.problem_type,
        "urn:soundstream:problem:quota-exceeded"
    );
    assert!(problem.detail.contains("2"), "{}", problem.detail);
    assert_eq!(admins.status(), 201, "administrators have no image quota");
}

#[tokio::test]
async fn a_listener_cannot_store_more_image_bytes_than_the_quota() {
    let app = spawn_app_with(TestOptions {
        extra_env: vec![("SOUNDSTREAM_IMAGE_QUOTA_MB", "1".into())],
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    let first = start_upload(&app, &ana.access_token, "image", "image/png", 700 * 1024).await;

    // Pending uploads count: a second large one does not fit beside it.
    let second = start_upload(&app, &ana.access_token, "image", "image/png", 700 * 1024).await;
    let small = start_upload(&app, &ana.access_token, "image", "image/png", 100 * 1024).await;

    assert_eq!(first.status(), 201);
    let problem = assert_problem(second, 413).await;
    assert!(problem.detail.contains("1 MB"), "{}", problem.detail);
    assert_eq!(small.status(), 201);
}

#[tokio::test]
async fn concurrent_uploads_cannot_overshoot_the_quota() {
    let app = spawn_app_with(TestOptions {
        extra_env: vec![("SOUNDSTREAM_IMAGE_QUOTA_COUNT", "3".into())],
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;

    let answers = futures_util::future::join_all(
        (0..8).map(|_| start_upload(&app, &ana.access_token, "image", "image/png", 1000)),
    )
    .await;

    let accepted = answers.iter().filter(|r| r.status() == 201).count();
    let refused = answers.iter().filter(|r| r.status() == 413).count();
    assert_eq!((accepted, refused), (3, 5));
}

#[tokio::test]
async fn concurrent_completions_verify_once_and_leave_no_stray_copy() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let bytes = fixture("cover.png");
    let ticket: UploadTicket =
        start_upload(&app, &ana.access_token, "image", "image/png", bytes.len())
            .await
            .json()
            .await
            .expect("ticket");
    send_bytes(&app, &ticket, bytes).await;

    let answers = futures_util::future::join_all(
        (0..4).map(|_| complete(&app, &ana.access_token, &ticket.id)),
    )
    .await;

    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        3,
        "{statuses:?}"
    );
    let media = app.state.settings.data_dir.join("media/image");
    let files = std::fs::read_dir(&media)
        .map(|dir| dir.count())
        .unwrap_or(0);
    assert_eq!(files, 1, "only the verified copy is kept");
}
