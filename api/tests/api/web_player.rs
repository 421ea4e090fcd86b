//! The API serves the built web player at `/`.

use std::path::Path;

use crate::helpers::{TestApp, TestOptions, assert_problem, spawn_app_with};

const HASHED_JS: &str = "soundstream-web-0123456789abcdef.js";

pub fn write_dist(dir: &Path) {
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>SoundStream</title>",
    )
    .expect("write index");
    std::fs::write(dir.join("config.json"), r#"{"api_base_url":""}"#).expect("write config");
    std::fs::write(dir.join(HASHED_JS), "console.log('x');".repeat(200)).expect("write js");
}

async fn spawn_with_web_player() -> (TestApp, tempfile::TempDir) {
    let dist = tempfile::tempdir().expect("dist dir");
    write_dist(dist.path());
    let app = spawn_app_with(TestOptions {
        web_dir: Some(dist.path().to_owned()),
        ..Default::default()
    })
    .await;
    (app, dist)
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn index_html_is_served_at_the_root_and_never_cached_stale() {
    let (app, _dist) = spawn_with_web_player().await;

    let response = app.get("/").await;

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert!(header(&response, "content-type").starts_with("text/html"));
    assert!(response.text().await.expect("html").contains("SoundStream"));
}

#[tokio::test]
async fn client_routes_fall_back_to_index_html() {
    let (app, _dist) = spawn_with_web_player().await;

    for path in ["/library", "/albums/0192f3c4-5b6a", "/status"] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert!(
            response
                .text()
                .await
                .expect("html")
                .contains("<title>SoundStream")
        );
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_config_json_is_revalidated() {
    let (app, _dist) = spawn_with_web_player().await;

    let asset = app.get(&format!("/{HASHED_JS}")).await;
    let config = app.get("/config.json").await;

    assert_eq!(
        header(&asset, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&config, "cache-control"), "no-cache");
    assert!(header(&config, "content-type").starts_with("application/json"));
}

#[tokio::test]
async fn assets_support_etags_ranges_and_compression() {
    let (app, _dist) = spawn_with_web_player().await;
    let path = format!("/{HASHED_JS}");

    let first = app.get(&path).await;
    let etag = header(&first, "etag");
    let not_modified = app
        .client
        .get(app.url(&path))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("sent");
    let partial = app
        .client
        .get(app.url(&path))
        .header("range", "bytes=0-9")
        .send()
        .await
        .expect("sent");
    let compressed = app
        .client
        .get(app.url(&path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("sent");

    assert!(!etag.is_empty());
    assert_eq!(not_modified.status().as_u16(), 304);
    assert_eq!(partial.status().as_u16(), 206);
    assert_eq!(partial.bytes().await.expect("body").len(), 10);
    assert_eq!(header(&compressed, "content-encoding"), "gzip");
}

#[tokio::test]
async fn a_precompressed_brotli_file_is_sent_to_clients_that_accept_brotli() {
    let (app, dist) = spawn_with_web_player().await;
    // Not real brotli: the server sends the file's bytes as they are.
    let precompressed = b"brotli bytes of the module".to_vec();
    std::fs::write(dist.path().join(format!("{HASHED_JS}.br")), &precompressed).expect("write br");
    let path = format!("/{HASHED_JS}");
    let get = |encodings: &'static str| {
        app.client
            .get(app.url(&path))
            .header("accept-encoding", encodings)
            .send()
    };

    let brotli = get("gzip, deflate, br, zstd").await.expect("sent");
    let refused = get("gzip, br;q=0").await.expect("sent");

    assert_eq!(brotli.status().as_u16(), 200);
    assert_eq!(header(&brotli, "content-encoding"), "br");
    assert!(
        header(&brotli, "vary")
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    assert!(header(&brotli, "content-type").contains("javascript"));
    assert_eq!(
        header(&brotli, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(brotli.bytes().await.expect("body").to_vec(), precompressed);
    assert_eq!(header(&refused, "content-encoding"), "gzip");
}

#[tokio::test]
async fn missing_files_and_api_paths_are_problems_not_the_player() {
    let (app, _dist) = spawn_with_web_player().await;

    assert_problem(app.get("/missing-0123456789abcdef.js").await, 404).await;
    assert_problem(app.get("/api/v1/unknown").await, 404).await;
    assert_problem(app.get("/.env").await, 404).await;
    assert_problem(app.get("/../Cargo.toml").await, 404).await;
}
