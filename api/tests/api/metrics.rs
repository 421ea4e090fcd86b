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
