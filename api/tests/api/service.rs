//! Health, readiness, the deployment's feature flags, and the headers
//! every answer carries.

use soundstream_types::{CheckStatus, Health, Readiness, ServiceConfig};

use crate::helpers::{postgres_admin_url, spawn_app};

#[tokio::test]
async fn healthz_reports_alive_with_the_version() {
    let app = spawn_app().await;

    let response = app.get("/healthz").await;

    assert_eq!(response.status().as_u16(), 200);
    let health: Health = response.json().await.expect("health body");
    assert_eq!(health.status, CheckStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn readyz_checks_the_database() {
    let app = spawn_app().await;

    let response = app.get("/readyz").await;

    assert_eq!(response.status().as_u16(), 200);
    let readiness: Readiness = response.json().await.expect("readiness body");
    assert_eq!(readiness.checks.database, CheckStatus::Ok);
}

#[tokio::test]
async fn config_reports_backends_and_disabled_features() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/config").await;

    assert_eq!(response.status().as_u16(), 200);
    let config: ServiceConfig = response.json().await.expect("config body");
    let expected_database = if postgres_admin_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(config.database, expected_database);
    assert_eq!(config.storage, "local");
    assert!(!config.features.face_login.enabled);
    assert_eq!(config.features.face_login.provider, "none");
    assert!(!config.features.translation.enabled);
    assert_eq!(config.uploads.audio_max_bytes, 200 * 1024 * 1024);
    assert_eq!(config.uploads.image_max_bytes, 10 * 1024 * 1024);
    assert_eq!(config.uploads.image_max_pixels, 40_000_000);
    assert_eq!(config.uploads.image_quota_bytes, 100 * 1024 * 1024);
    assert_eq!(config.uploads.image_quota_count, 200);
    assert_eq!(config.languages.interface, vec!["en", "es"]);
}

#[tokio::test]
async fn responses_carry_a_generated_request_id() {
    let app = spawn_app().await;

    let response = app.get("/healthz").await;

    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("x-request-id header");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

#[tokio::test]
async fn a_well_formed_incoming_request_id_is_kept() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "lb-abc.123")
        .send()
        .await
        .expect("sent");

    assert_eq!(response.headers()["x-request-id"], "lb-abc.123");
}

#[tokio::test]
async fn an_unsafe_incoming_request_id_is_replaced() {
    let app = spawn_app().await;
    let too_long = "x".repeat(200);

    for bad in [too_long.as_str(), "has space", "new\tline"] {
        let response = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", bad)
            .send()
            .await
            .expect("sent");

        let id = response.headers()["x-request-id"].to_str().expect("ascii");
        assert_ne!(id, bad);
        assert!(uuid::Uuid::parse_str(id).is_ok());
    }
}

#[tokio::test]
async fn cors_allows_only_the_configured_origins() {
    let app = crate::helpers::spawn_app_with(crate::helpers::TestOptions {
        extra_env: vec![(
            "SOUNDSTREAM_CORS_ORIGINS",
            "https://music.example.com".into(),
        )],
        ..Default::default()
    })
    .await;

    let allowed = app
        .client
        .get(app.url("/api/v1/config"))
        .header("origin", "https://music.example.com")
        .send()
        .await
        .expect("sent");
    let other = app
        .client
        .get(app.url("/api/v1/config"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("sent");

    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://music.example.com"
    );
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = crate::helpers::spawn_app().await;
    for path in [
        "/healthz",
        "/api/v1/config",
        "/api/v1/no-such-thing",
        "/openapi.json",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "strict-origin-when-cross-origin"),
            ("x-frame-options", "DENY"),
        ] {
            assert_eq!(
                headers.get(name).and_then(|v| v.to_str().ok()),
                Some(value),
                "{name} on {path}"
            );
        }
    }
}
