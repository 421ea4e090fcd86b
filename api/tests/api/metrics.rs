//! Prometheus metrics by route and status, and the database pool gauges.

use crate::helpers::spawn_app;

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_status() {
    let app = spawn_app().await;
    app.get("/api/v1/config").await;
    app.get("/api/v1/config").await;
    app.get("/random/scanner/path").await;

    let response = app.get("/metrics").await;

    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.expect("text");
    assert!(
        text.contains(
            r#"soundstream_http_requests_total{endpoint="/api/v1/config",method="GET",status="200"} 2"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"soundstream_http_requests_duration_seconds_bucket{endpoint="/api/v1/config""#
        ),
        "{text}"
    );
    // Unmatched paths share one label instead of one series per URL.
    assert!(text.contains(r#"endpoint="unmatched""#), "{text}");
    assert!(!text.contains("/random/scanner/path"), "{text}");
}

#[tokio::test]
async fn metrics_expose_database_pool_gauges() {
    let app = spawn_app().await;
    app.get("/readyz").await;

    let text = app.get("/metrics").await.text().await.expect("text");

    assert!(
        text.contains(r#"soundstream_db_pool_connections{state="idle"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"soundstream_db_pool_connections{state="in_use"}"#),
        "{text}"
    );
    let max_line = text
        .lines()
        .find(|line| line.starts_with("soundstream_db_pool_max_connections "))
        .expect("max connections gauge");
    let max: i64 = max_line
        .rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a number");
    assert!(max >= 1);
}

#[tokio::test]
async fn a_configured_metrics_token_keeps_other_scrapers_out() {
    let token = "scraper-0123456789abcdef";
    let app = crate::helpers::spawn_app_with(crate::helpers::TestOptions {
        extra_env: vec![("SOUNDSTREAM_METRICS_TOKEN", token.to_owned())],
        ..Default::default()
    })
    .await;
    app.get("/api/v1/config").await;

    let anonymous = app.get("/metrics").await;
    let problem = crate::helpers::assert_problem(anonymous, 401).await;
    assert!(problem.detail.contains("Bearer"), "{}", problem.detail);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("scraper-0123456789abcdeX")
        .send()
        .await
        .expect("sent");
    crate::helpers::assert_problem(wrong, 401).await;

    let scraper = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    assert_eq!(scraper.status().as_u16(), 200);
    assert!(
        scraper
            .text()
            .await
            .expect("text")
            .contains("soundstream_http_requests_total")
    );
    // Only the metrics are guarded.
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
}

#[tokio::test]
async fn metrics_expose_background_jobs_and_panics_from_zero() {
    let app = spawn_app().await;
    let text = app.get("/metrics").await.text().await.expect("text");
    for series in [
        r#"soundstream_jobs_total{kind="renditions",outcome="failed"} 0"#,
        r#"soundstream_jobs_total{kind="analysis",outcome="done"} 0"#,
        "soundstream_handler_panics_total 0",
    ] {
        assert!(text.contains(series), "{series} in\n{text}");
    }
}
