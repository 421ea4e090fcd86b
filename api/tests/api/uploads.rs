//! Upload sessions end to end, with the local backend: presigned request,
//! bytes to storage, verification with tags, signed media URLs, avatars,
//! and the clean-up of abandoned uploads.

use reqwest::Method;
use serde_json::json;
use soundstream_types::{CompletedUpload, TokenResponse, UploadTicket, User};

use crate::helpers::{TestApp, assert_problem, spawn_app};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../crates/media/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

pub async fn start_upload(
    app: &TestApp,
    token: &str,
    kind: &str,
    content_type: &str,
    size: usize,
) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/uploads", token)
        .json(
            &json!({"kind": kind, "content_type": content_type, "size": size,
                      "filename": "a file.bin"}),
        )
        .send()
        .await
        .expect("sent")
}

/// Sends the bytes as a browser would: the ticket's method, URL and headers.
pub async fn send_bytes(app: &TestApp, ticket: &UploadTicket, bytes: Vec<u8>) -> reqwest::Response {
    let method = Method::from_bytes(ticket.method.as_bytes()).expect("method");
    let mut request = app.client.request(method, &ticket.url);
    for (name, value) in &ticket.headers {
        request = request.header(name, value);
    }
    request.body(bytes).send().await.expect("sent")
}

pub async fn complete(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.authed(
        Method::POST,
        &format!("/api/v1/uploads/{id}/complete"),
        token,
    )
    .send()
    .await
    .expect("sent")
}

/// Uploads a file all the way and returns the verification response.
pub async fn upload(
    app: &TestApp,
    token: &str,
    kind: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let response = start_upload(app, token, kind, content_type, bytes.len()).await;
    assert_eq!(response.status().as_u16(), 201, "upload started");
    let ticket: UploadTicket = response.json().await.expect("ticket");
    let sent = send_bytes(app, &ticket, bytes).await;
    assert!(sent.status().is_success(), "bytes sent: {}", sent.status());
    complete(app, token, &ticket.id).await
}

#[tokio::test]
async fn an_admin_uploads_audio_and_gets_its_tags_duration_and_cover() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;

    let response = upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/mpeg",
        fixture("tone.mp3"),
    )
    .await;

    assert_eq!(response.status().as_u16(), 200);
    let completed: CompletedUpload = response.json().await.expect("completed");
    let audio = completed.audio.expect("audio tags");
    assert!(
        audio.title.as_deref().is_some_and(|t| !t.is_empty()),
        "{audio:?}"
    );
    assert!(audio.artist.is_some(), "{audio:?}");
    assert!(
        (2_400..=2_600).contains(&audio.duration_ms),
        "{}",
        audio.duration_ms
    );
    let cover = audio.cover.expect("the embedded cover");
    let picture = app.client.get(&cover.url).send().await.expect("sent");
    assert_eq!(picture.status().as_u16(), 200);
    assert_eq!(
        picture.headers()["content-type"],
        cover.content_type.as_str()
    );
}

#[tokio::test]
async fn every_supported_audio_format_is_verified() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;

    for (file, content_type) in [
        ("tone.flac", "audio/flac"),
        ("tone.ogg", "audio/ogg"),
        ("tone.opus", "audio/opus"),
        ("tone.wav", "audio/wav"),
        ("tone.m4a", "audio/mp4"),
        ("tone.aac", "audio/aac"),
    ] {
        let response = upload(
            &app,
            &admin.access_token,
            "audio",
            content_type,
            fixture(file),
        )
        .await;
        assert_eq!(response.status().as_u16(), 200, "{file}");
        let completed: CompletedUpload = response.json().await.expect("completed");
        let duration = completed.audio.expect("tags").duration_ms;
        assert!((2_400..=2_600).contains(&duration), "{file}: {duration} ms");
    }
}

#[tokio::test]
async fn a_png_declared_as_audio_is_refused_and_deleted() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let bytes = fixture("not-audio.mp3");
    let ticket: UploadTicket = start_upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/mpeg",
        bytes.len(),
    )
    .await
    .json()
    .await
    .expect("ticket");
    send_bytes(&app, &ticket, bytes).await;

    let refused = complete(&app, &admin.access_token, &ticket.id).await;

    let problem = assert_problem(refused, 422).await;
    assert!(problem.detail.contains("PNG"), "{}", problem.detail);
    assert_problem(complete(&app, &admin.access_token, &ticket.id).await, 404).await;
}

#[tokio::test]
async fn a_corrupt_audio_file_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;

    let response = upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/mpeg",
        fixture("truncated.mp3"),
    )
    .await;

    assert_problem(response, 422).await;
}

#[tokio::test]
async fn listeners_upload_images_but_not_audio() {
    let app = spawn_app().await;
    let listener = app.register("ana").await;

    let audio = start_upload(&app, &listener.access_token, "audio", "audio/mpeg", 100).await;
    let image = upload(
        &app,
        &listener.access_token,
        "image",
        "image/png",
        fixture("cover.png"),
    )
    .await;

    assert_problem(audio, 403).await;
    assert_eq!(image.status().as_u16(), 200);
}

#[tokio::test]
async fn upload_requests_are_validated() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;

    for (kind, content_type, size, field) in [
        ("audio", "text/html", 10, "content_type"),
        ("image", "audio/mpeg", 10, "content_type"),
        ("audio", "audio/mpeg", 0, "size"),
        ("audio", "audio/mpeg", 200 * 1024 * 1024 + 1, "size"),
        ("image", "image/png", 10 * 1024 * 1024 + 1, "size"),
    ] {
        let response = start_upload(&app, token, kind, content_type, size).await;
        let problem = assert_problem(response, 422).await;
        assert_eq!(
            problem.errors[0].field, field,
            "{kind} {content_type} {size}"
        );
    }
    let unknown_kind = app
        .authed(Method::POST, "/api/v1/uploads", token)
        .json(&json!({"kind": "video", "content_type": "video/mp4", "size": 1}))
        .send()
        .await
        .expect("sent");
    assert_problem(unknown_kind, 422).await;
    assert_problem(start_upload(&app, "", "image", "image/png", 1).await, 401).await;
}

#[tokio::test]
async fn completing_before_the_bytes_arrive_is_a_conflict() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let ticket: UploadTicket = start_upload(&app, &admin.access_token, "image", "image/png", 10)
        .await
        .json()
        .await
        .expect("ticket");

    assert_problem(complete(&app, &admin.access_token, &ticket.id).await, 409).await;
}

#[tokio::test]
async fn only_the_uploader_may_complete_an_upload() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    let bytes = fixture("cover.png");
    let ticket: UploadTicket =
        start_upload(&app, &ana.access_token, "image", "image/png", bytes.len())
            .await
            .json()
            .await
            .expect("ticket");
    send_bytes(&app, &ticket, bytes).await;

    assert_problem(complete(&app, &bea.access_token, &ticket.id).await, 404).await;
    assert_eq!(
        complete(&app, &ana.access_token, &ticket.id)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn the_local_upload_url_accepts_only_what_it_signed_and_keeps_nothing_else() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let bytes = fixture("cover.png");
    let ticket: UploadTicket =
        start_upload(&app, &ana.access_token, "image", "image/png", bytes.len())
            .await
            .json()
            .await
            .expect("ticket");
    let put = |content_type: &'static str, body: Vec<u8>, url: String| {
        let client = app.client.clone();
        async move {
            client
                .put(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .expect("sent")
        }
    };

    let wrong_type = put("image/jpeg", bytes.clone(), ticket.url.clone()).await;
    let too_long = put(
        "image/png",
        [bytes.clone(), vec![0; 10]].concat(),
        ticket.url.clone(),
    )
    .await;
    let too_short = put("image/png", bytes[..10].to_vec(), ticket.url.clone()).await;
    let tampered = put(
        "image/png",
        bytes.clone(),
        ticket.url.replace("sig=", "sig=x"),
    )
    .await;
    let bigger = put(
        "image/png",
        bytes.clone(),
        ticket
            .url
            .replace(&format!("len={}", bytes.len()), "len=99999999"),
    )
    .await;

    for (name, response) in [
        ("wrong type", wrong_type),
        ("too long", too_long),
        ("too short", too_short),
        ("tampered", tampered),
        ("bigger", bigger),
    ] {
        assert_problem(response, 403).await;
        let _ = name;
    }
    assert_problem(complete(&app, &ana.access_token, &ticket.id).await, 409).await;
}

#[tokio::test]
async fn local_media_urls_serve_ranges_and_etags_and_refuse_tampering() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let completed: CompletedUpload = upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/mpeg",
        fixture("tone.mp3"),
    )
    .await
    .json()
    .await
    .expect("completed");
    let url = completed.audio.and_then(|a| a.cover).expect("cover").url;

    let whole = app.client.get(&url).send().await.expect("sent");
    let etag = whole.headers()["etag"].clone();
    let ranged = app
        .client
        .get(&url)
        .header("range", "bytes=0-9")
        .send()
        .await
        .expect("sent");
    let cached = app
        .client
        .get(&url)
        .header("if-none-match", etag.clone())
        .send()
        .await
        .expect("sent");
    let same_version = app
        .client
        .get(&url)
        .header("range", "bytes=0-9")
        .header("if-range", etag)
        .send()
        .await
        .expect("sent");
    let changed_version = app
        .client
        .get(&url)
        .header("range", "bytes=0-9")
        .header("if-range", "\"another-version\"")
        .send()
        .await
        .expect("sent");
    let tampered = app
        .client
        .get(url.replace("ct=image", "ct=text"))
        .send()
        .await
        .expect("sent");

    assert_eq!(whole.status().as_u16(), 200);
    assert!(
        whole.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .starts_with("private, max-age=")
    );
    assert_eq!(ranged.status().as_u16(), 206);
    assert_eq!(ranged.bytes().await.expect("body").len(), 10);
    assert_eq!(cached.status().as_u16(), 304);
    assert_eq!(same_version.status().as_u16(), 206);
    assert_eq!(
        changed_version.status().as_u16(),
        200,
        "a stale If-Range gets it all"
    );
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_problem(tampered, 403).await;
}

#[tokio::test]
async fn an_expired_local_url_is_refused() {
    use std::time::{Duration, SystemTime};

    use soundstream_storage::{LocalStore, ObjectKey, ObjectStore, UrlWindow};

    let app = spawn_app().await;
    let secret =
        soundstream_api::auth::secret::JwtSecret::from_configured(crate::helpers::TEST_JWT_SECRET);
    let scratch = tempfile::tempdir().expect("dir");
    let signer =
        LocalStore::new(scratch.path().to_owned(), &secret.media_url_key()).expect("store");
    let key = ObjectKey::generate("image", [9; 16]);
    let long_ago = UrlWindow::containing(
        SystemTime::now() - Duration::from_secs(7200),
        Duration::from_secs(60),
    );
    let expired = signer
        .presign_download(&key, "image/png", long_ago)
        .await
        .expect("url");

    let response = app.get(&expired).await;

    assert_problem(response, 403).await;
}

#[tokio::test]
async fn an_avatar_is_a_completed_image_upload_of_ones_own() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    let ana_image: CompletedUpload = upload(
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
    let patch = |token: String, body: serde_json::Value| {
        let request = app.authed(Method::PATCH, "/api/v1/me", &token).json(&body);
        async move { request.send().await.expect("sent") }
    };

    let someone_elses = patch(
        bea.access_token.clone(),
        json!({"avatar_upload_id": ana_image.id}),
    )
    .await;
    let set: User = patch(
        ana.access_token.clone(),
        json!({"avatar_upload_id": ana_image.id}),
    )
    .await
    .json()
    .await
    .expect("user");
    assert_problem(someone_elses, 422).await;
    let avatar_url = set.avatar_url.expect("an avatar URL");
    let me: User = app
        .authed(Method::GET, "/api/v1/me", &ana.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("user");
    assert_eq!(
        me.avatar_url.as_deref(),
        Some(avatar_url.as_str()),
        "stable within its window"
    );
    let cleared: User = patch(ana.access_token.clone(), json!({"avatar_upload_id": null}))
        .await
        .json()
        .await
        .expect("user");

    let image = app.client.get(&avatar_url).send().await.expect("sent");
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(
        image.bytes().await.expect("body").to_vec(),
        fixture("cover.png")
    );
    assert_eq!(cleared.avatar_url, None);
    let again: TokenResponse = app
        .login("ana", crate::helpers::GOOD_PASSWORD)
        .await
        .json()
        .await
        .expect("tokens");
    assert_eq!(again.user.avatar_url, None);
}

#[tokio::test]
async fn abandoned_uploads_are_swept_once_however_many_instances_sweep() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let mut tickets = Vec::new();
    for _ in 0..3 {
        let bytes = fixture("cover.png");
        let ticket: UploadTicket =
            start_upload(&app, &ana.access_token, "image", "image/png", bytes.len())
                .await
                .json()
                .await
                .expect("ticket");
        send_bytes(&app, &ticket, bytes).await;
        tickets.push(ticket);
    }
    let db = app.state.db.clone();
    sqlx::query("UPDATE uploads SET created_at = created_at - $1")
        .bind(25 * 3600 * 1000_i64)
        .execute(db.pool())
        .await
        .expect("backdated");

    let (first, second) = tokio::join!(
        soundstream_api::services::maintenance::sweep(&app.state),
        soundstream_api::services::maintenance::sweep(&app.state),
    );

    let swept = first.expect("sweep").abandoned_uploads + second.expect("sweep").abandoned_uploads;
    assert_eq!(swept, 3);
    for ticket in &tickets {
        assert_problem(complete(&app, &ana.access_token, &ticket.id).await, 404).await;
    }
    let media = app.state.settings.data_dir.join("media/image");
    let left = std::fs::read_dir(&media)
        .map(|dir| dir.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "objects deleted from {}", media.display());
}

#[tokio::test]
async fn queued_objects_of_deleted_entities_are_deleted_from_storage() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let image: CompletedUpload = upload(
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
    let (object_key,): (String,) = sqlx::query_as("SELECT object_key FROM uploads WHERE id = $1")
        .bind(&image.id)
        .fetch_one(app.state.db.pool())
        .await
        .expect("key");
    let object = app.state.settings.data_dir.join("media").join(&object_key);
    assert!(object.is_file());
    let mut conn = app.state.db.acquire().await.expect("connection");
    soundstream_api::persistence::garbage::enqueue(&mut conn, &object_key, 0)
        .await
        .expect("queued");
    drop(conn);

    let report = soundstream_api::services::maintenance::sweep(&app.state)
        .await
        .expect("sweep");

    assert_eq!(report.garbage_objects, 1);
    assert!(!object.exists());
}

/// A PNG signature and header declaring `width` × `height`, then `filler`
/// bytes: what a decompression bomb looks like before its pixels.
pub fn png_declaring(width: u32, height: u32, filler: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend(std::iter::repeat_n(0_u8, filler));
    bytes
}

/// `tone.mp3` with its tag replaced by an ID3v2.3 tag holding one front
/// cover picture of `picture`'s bytes.
fn mp3_with_cover(picture: &[u8]) -> Vec<u8> {
    let tone = fixture("tone.mp3");
    let tag_len = 10
        + tone[6..10]
            .iter()
            .fold(0_usize, |len, byte| (len << 7) | usize::from(*byte));
    let mut frame = b"\0image/png\0\x03\0".to_vec();
    frame.extend_from_slice(picture);
    let mut body = b"APIC".to_vec();
    body.extend(u32::try_from(frame.len()).expect("small").to_be_bytes());
    body.extend([0, 0]);
    body.extend(frame);
    let syncsafe = |n: usize| {
        [
            (n >> 21) & 0x7f,
            (n >> 14) & 0x7f,
            (n >> 7) & 0x7f,
            n & 0x7f,
        ]
    };
    let mut file = b"ID3\x03\0\0".to_vec();
    file.extend(syncsafe(body.len()).map(|b| u8::try_from(b).expect("7 bits")));
    file.extend(body);
    file.extend_from_slice(&tone[tag_len..]);
    file
}

#[tokio::test]
async fn an_image_declaring_more_than_40_megapixels_is_refused_and_deleted() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let bomb = png_declaring(10_000, 10_000, 2_000);
    let ticket: UploadTicket =
        start_upload(&app, &ana.access_token, "image", "image/png", bomb.len())
            .await
            .json()
            .await
            .expect("ticket");
    send_bytes(&app, &ticket, bomb).await;

    let refused = complete(&app, &ana.access_token, &ticket.id).await;

    let problem = assert_problem(refused, 422).await;
    assert!(
        problem.detail.contains("10000×10000") && problem.detail.contains("40 megapixels"),
        "{}",
        problem.detail
    );
    assert_problem(complete(&app, &ana.access_token, &ticket.id).await, 404).await;
    let media = app.state.settings.data_dir.join("media/image");
    let left = std::fs::read_dir(&media)
        .map(|dir| dir.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "nothing kept in {}", media.display());
}

#[tokio::test]
async fn an_image_whose_dimensions_cannot_be_read_is_refused() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let mut cut = fixture("cover.png");
    cut.truncate(20);

    let refused = upload(&app, &ana.access_token, "image", "image/png", cut).await;

    let problem = assert_problem(refused, 422).await;
    assert!(problem.detail.contains("dimensions"), "{}", problem.detail);
}

#[tokio::test]
async fn an_image_within_the_limit_is_accepted() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;

    let accepted = upload(
        &app,
        &ana.access_token,
        "image",
        "image/png",
        png_declaring(8_000, 5_000, 100),
    )
    .await;

    assert_eq!(accepted.status().as_u16(), 200);
}

#[tokio::test]
async fn an_oversized_embedded_cover_is_not_kept() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let with_small_cover = mp3_with_cover(&fixture("cover.png"));
    let with_bomb = mp3_with_cover(&png_declaring(20_000, 20_000, 1_000));

    let small: CompletedUpload = upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/mpeg",
        with_small_cover,
    )
    .await
    .json()
    .await
    .expect("completed");
    let bomb: CompletedUpload = upload(&app, &admin.access_token, "audio", "audio/mpeg", with_bomb)
        .await
        .json()
        .await
        .expect("completed");

    assert!(
        small.audio.expect("tags").cover.is_some(),
        "the control keeps its cover"
    );
    assert_eq!(bomb.audio.expect("tags").cover, None);
    let (images,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE kind = 'image'")
        .fetch_one(app.state.db.pool())
        .await
        .expect("count");
    assert_eq!(images, 1, "only the small cover is stored");
}

/// A valid PCM WAV (16-bit stereo 44.1 kHz) of `data_len` bytes of
/// samples that differ along the file, so a misplaced byte shows.
fn wav(data_len: u32) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(44 + data_len as usize);
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + data_len).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16_u32.to_le_bytes());
    bytes.extend_from_slice(&1_u16.to_le_bytes());
    bytes.extend_from_slice(&2_u16.to_le_bytes());
    bytes.extend_from_slice(&44_100_u32.to_le_bytes());
    bytes.extend_from_slice(&(44_100_u32 * 4).to_le_bytes());
    bytes.extend_from_slice(&4_u16.to_le_bytes());
    bytes.extend_from_slice(&16_u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&data_len.to_le_bytes());
    bytes.extend((0..data_len).map(|i| (i % 251) as u8));
    bytes
}

#[tokio::test]
async fn local_media_serves_exact_bytes_across_read_chunks() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    // Several of the server's 64 KiB read chunks, and not a multiple of one.
    let bytes = wav(300_000);
    let completed: CompletedUpload = upload(
        &app,
        &admin.access_token,
        "audio",
        "audio/wav",
        bytes.clone(),
    )
    .await
    .json()
    .await
    .expect("completed");
    let song: soundstream_types::Song = app
        .authed(Method::POST, "/api/v1/songs", &admin.access_token)
        .json(&json!({"upload_id": completed.id, "title": "Long", "artist": "Tone"}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("song");
    let playback: soundstream_types::PlaybackUrl = app
        .authed(
            Method::GET,
            &format!("/api/v1/songs/{}/stream", song.id),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("url");
    let get = |range: Option<&str>| {
        let mut request = app.client.get(&playback.url);
        if let Some(range) = range {
            request = request.header("range", range);
        }
        request.send()
    };

    let whole = get(None).await.expect("sent");
    let across = get(Some("bytes=1000-200000")).await.expect("sent");
    let suffix = get(Some("bytes=-70000")).await.expect("sent");
    let open_ended = get(Some("bytes=131072-")).await.expect("sent");
    let beyond = get(Some("bytes=400000-")).await.expect("sent");

    let len = bytes.len();
    assert_eq!(whole.status().as_u16(), 200);
    assert_eq!(whole.headers()["content-length"], len.to_string().as_str());
    assert!(whole.bytes().await.expect("body") == bytes, "whole file");
    assert_eq!(across.status().as_u16(), 206);
    assert_eq!(
        across.headers()["content-range"],
        format!("bytes 1000-200000/{len}").as_str()
    );
    assert!(across.bytes().await.expect("body") == bytes[1000..=200_000]);
    assert_eq!(suffix.status().as_u16(), 206);
    assert!(suffix.bytes().await.expect("body") == bytes[len - 70_000..]);
    assert_eq!(open_ended.status().as_u16(), 206);
    assert!(open_ended.bytes().await.expect("body") == bytes[131_072..]);
    assert_eq!(beyond.status().as_u16(), 416);
    assert_eq!(
        beyond.headers()["content-range"],
        format!("bytes */{len}").as_str()
    );
}
