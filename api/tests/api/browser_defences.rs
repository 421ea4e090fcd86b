//! Browser-side defences: media URLs built from the configured public
//! origin whatever Host a request claims, a Content-Security-Policy on the
//! web player (strict, naming the media origin), on `/docs` (one its own
//! assets satisfy) and on plain API answers, and HSTS only over HTTPS.

use reqwest::Method;
use serde_json::json;
use soundstream_s3_test_server::S3TestServer;
use soundstream_types::{PlaybackUrl, Song, UploadTicket};

use crate::helpers::{TestApp, TestOptions, spawn_app, spawn_app_with};
use crate::s3_storage::s3_env;
use crate::songs::create_song;
use crate::web_player::write_dist;

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// The directives of a policy, by name.
fn directive(policy: &str, name: &str) -> Vec<String> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|part| part.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .map(|sources| sources.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

async fn a_song(app: &TestApp) -> (String, Song) {
    let admin = app.admin("boss").await;
    let song = create_song(
        app,
        &admin.access_token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Tone"}),
    )
    .await;
    (admin.access_token, song)
}

async fn playback_url(app: &TestApp, token: &str, song: &Song, forged: &[(&str, &str)]) -> String {
    let mut request = app.authed(
        Method::GET,
        &format!("/api/v1/songs/{}/stream", song.id),
        token,
    );
    for (name, value) in forged {
        request = request.header(*name, *value);
    }
    let playback: PlaybackUrl = request
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("url");
    playback.url
}

#[tokio::test]
async fn a_forged_host_does_not_move_playback_urls() {
    let app = spawn_app().await;
    let (token, song) = a_song(&app).await;

    let honest = playback_url(&app, &token, &song, &[]).await;
    let forged_host = playback_url(&app, &token, &song, &[("host", "evil.example")]).await;
    let forged_forwarding = playback_url(
        &app,
        &token,
        &song,
        &[
            ("x-forwarded-host", "evil.example"),
            ("x-forwarded-proto", "https"),
            ("forwarded", "host=evil.example;proto=https"),
        ],
    )
    .await;

    // The default public origin is the address the instance is bound to.
    assert!(
        honest.starts_with(&format!("{}/media/", app.address)),
        "{honest}"
    );
    for url in [&forged_host, &forged_forwarding] {
        assert!(!url.contains("evil.example"), "{url}");
        assert!(url.starts_with(&format!("{}/media/", app.address)), "{url}");
    }
    let audio = app.client.get(&forged_host).send().await.expect("sent");
    assert_eq!(audio.status().as_u16(), 200);
}

#[tokio::test]
async fn media_urls_follow_the_configured_public_url() {
    let app = spawn_app_with(TestOptions {
        extra_env: vec![("SOUNDSTREAM_PUBLIC_URL", "https://music.example.com".into())],
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;

    let ticket: UploadTicket = app
        .authed(Method::POST, "/api/v1/uploads", &ana.access_token)
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .json(&json!({"kind": "image", "content_type": "image/png", "size": 10}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("ticket");

    assert!(
        ticket.url.starts_with("https://music.example.com/media/"),
        "{}",
        ticket.url
    );
}

#[tokio::test]
async fn the_web_player_is_served_with_a_strict_policy_naming_the_api() {
    let dist = tempfile::tempdir().expect("dist dir");
    write_dist(dist.path());
    let app = spawn_app_with(TestOptions {
        web_dir: Some(dist.path().to_owned()),
        ..Default::default()
    })
    .await;

    for path in ["/", "/playlists/123", "/config.json"] {
        let response = app.get(path).await;
        let policy = header(&response, "content-security-policy").expect("a policy");

        assert_eq!(
            directive(&policy, "script-src"),
            ["'self'", "'wasm-unsafe-eval'"],
            "{path}: {policy}"
        );
        assert_eq!(directive(&policy, "frame-ancestors"), ["'none'"]);
        assert_eq!(directive(&policy, "object-src"), ["'none'"]);
        for name in ["connect-src", "media-src", "img-src"] {
            let sources = directive(&policy, name);
            assert!(sources.contains(&app.address), "{name}: {policy}");
            assert!(!sources.iter().any(|s| s == "*"), "{name}: {policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(!policy.contains("'unsafe-eval'"), "{policy}");
    }
}

#[tokio::test]
async fn with_s3_the_player_may_load_media_from_the_bucket() {
    let server = S3TestServer::start().await;
    let dist = tempfile::tempdir().expect("dist dir");
    write_dist(dist.path());
    let app = spawn_app_with(TestOptions {
        web_dir: Some(dist.path().to_owned()),
        extra_env: s3_env(&server),
        ..Default::default()
    })
    .await;
    let (token, song) = a_song(&app).await;
    let bucket_origin = url::Url::parse(&playback_url(&app, &token, &song, &[]).await)
        .expect("url")
        .origin()
        .ascii_serialization();

    let policy = header(&app.get("/").await, "content-security-policy").expect("policy");

    // Presigned GETs (audio, covers) and PUTs (uploads) go to the bucket.
    assert_ne!(bucket_origin, app.address);
    for name in ["connect-src", "media-src", "img-src"] {
        assert!(
            directive(&policy, name).contains(&bucket_origin),
            "{name} lacks {bucket_origin}: {policy}"
        );
    }
}

#[tokio::test]
async fn docs_have_a_policy_their_own_assets_satisfy() {
    let app = spawn_app().await;

    let page = app.get("/docs/").await;
    let policy = header(&page, "content-security-policy").expect("a policy");
    let html = page.text().await.expect("html");

    assert_eq!(directive(&policy, "script-src"), ["'self'"], "{policy}");
    assert_eq!(directive(&policy, "frame-ancestors"), ["'none'"]);
    assert_eq!(directive(&policy, "connect-src"), ["'self'"]);
    // Every script is a file of its own, served by the API (no CDN), and
    // answers 200: nothing inline for the policy to block.
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "{html}");
    for script in scripts {
        let tag = &script[..script.find('>').expect("tag ends")];
        let src = tag
            .split("src=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("an inline script in /docs/: <script{tag}>"));
        assert!(!src.contains("://"), "{src} is not the API's own");
        let asset = app
            .get(&format!("/docs/{}", src.trim_start_matches("./")))
            .await;
        assert_eq!(asset.status().as_u16(), 200, "{src}");
    }
}

#[tokio::test]
async fn api_answers_carry_a_policy_that_allows_nothing() {
    let app = spawn_app().await;

    for path in ["/healthz", "/api/v1/config", "/api/v1/no-such-thing"] {
        let response = app.get(path).await;
        let policy = header(&response, "content-security-policy").expect("a policy");
        assert_eq!(directive(&policy, "default-src"), ["'none'"], "{path}");
        assert_eq!(directive(&policy, "frame-ancestors"), ["'none'"], "{path}");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_site_is_served_over_https() {
    let plain = spawn_app().await;
    let https = spawn_app_with(TestOptions {
        extra_env: vec![("SOUNDSTREAM_PUBLIC_URL", "https://music.example.com".into())],
        ..Default::default()
    })
    .await;

    let without = plain.get("/healthz").await;
    let with = https.get("/api/v1/no-such-thing").await;

    assert_eq!(header(&without, "strict-transport-security"), None);
    assert_eq!(
        header(&with, "strict-transport-security").as_deref(),
        Some("max-age=31536000")
    );
}
