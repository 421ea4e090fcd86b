//! Every error is an RFC 9457 problem document.

use soundstream_types::ProblemKind;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn unknown_api_route_is_a_404_problem_with_request_id_and_instance() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/no-such-thing").await;
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();

    let problem = assert_problem(response, 404).await;
    assert_eq!(problem.kind(), Some(ProblemKind::NotFound));
    assert_eq!(problem.problem_type, "urn:soundstream:problem:not-found");
    assert_eq!(problem.instance.as_deref(), Some("/api/v1/no-such-thing"));
    assert_eq!(problem.request_id.as_deref(), Some(request_id.as_str()));
    assert!(problem.detail.contains("/api/v1/no-such-thing"));
}

#[tokio::test]
async fn unknown_path_without_a_web_player_is_a_404_problem() {
    let app = spawn_app().await;

    let problem = assert_problem(app.get("/library").await, 404).await;

    assert_eq!(problem.kind(), Some(ProblemKind::NotFound));
}

#[tokio::test]
async fn wrong_method_is_a_405_problem_with_allow() {
    let app = spawn_app().await;

    for (method, path) in [
        (reqwest::Method::POST, "/api/v1/config"),
        (reqwest::Method::DELETE, "/healthz"),
        (reqwest::Method::PUT, "/readyz"),
        (reqwest::Method::POST, "/metrics"),
    ] {
        let response = app.request(method.clone(), path).await;
        let allow = response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);

        let problem = assert_problem(response, 405).await;
        assert_eq!(problem.kind(), Some(ProblemKind::MethodNotAllowed));
        assert_eq!(allow.as_deref(), Some("GET"), "{method} {path}");
        assert!(problem.detail.contains(method.as_str()));
    }
}

#[tokio::test]
async fn a_bad_percent_encoded_path_is_a_problem_not_a_crash() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/%ff%fe/%00").await;

    assert_problem(response, 404).await;
}

async fn post_raw(
    app: &crate::helpers::TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;

    let problem = assert_problem(
        post_raw(&app, "application/json", "{\"login\": ").await,
        400,
    )
    .await;

    assert_eq!(problem.kind(), Some(ProblemKind::MalformedJson));
}

#[tokio::test]
async fn json_missing_a_field_is_a_422_naming_it() {
    let app = spawn_app().await;

    let response = post_raw(&app, "application/json", r#"{"login": "ana"}"#).await;

    let problem = assert_problem(response, 422).await;
    assert_eq!(problem.errors[0].field, "password");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    let app = spawn_app().await;

    let response = post_raw(&app, "text/plain", r#"{"login":"a","password":"b"}"#).await;

    let problem = assert_problem(response, 415).await;
    assert_eq!(problem.kind(), Some(ProblemKind::UnsupportedMediaType));
}

#[tokio::test]
async fn an_oversized_body_is_a_413_problem_and_the_server_stays_up() {
    let app = spawn_app().await;
    let huge = format!(
        r#"{{"login": "{}", "password": "x"}}"#,
        "a".repeat(1024 * 1024)
    );

    let response = post_raw(&app, "application/json", huge).await;

    let problem = assert_problem(response, 413).await;
    assert_eq!(problem.kind(), Some(ProblemKind::PayloadTooLarge));
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}
