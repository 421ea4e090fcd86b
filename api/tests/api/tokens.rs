//! Access tokens: what they carry and the forgeries that must fail.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TEST_JWT_SECRET, TestApp, assert_problem, spawn_app};

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).expect("a JWT has a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

async fn me_with(app: &TestApp, token: &str) -> reqwest::Response {
    app.authed(Method::GET, "/api/v1/me", token)
        .send()
        .await
        .expect("sent")
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signs")
}

#[tokio::test]
async fn access_tokens_carry_the_pinned_claims_for_fifteen_minutes() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;

    let claims = payload(&tokens.access_token);
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(tokens.access_token.split('.').next().expect("header"))
            .expect("base64url"),
    )
    .expect("JSON");

    assert_eq!(header["alg"], "HS256");
    assert_eq!(claims["iss"], "soundstream");
    assert_eq!(claims["aud"], "soundstream-api");
    assert_eq!(claims["sub"], tokens.user.id.as_str());
    assert_eq!(claims["role"], "listener");
    assert!(claims["jti"].as_str().is_some_and(|j| !j.is_empty()));
    let lifetime = claims["exp"].as_u64().expect("exp") - claims["iat"].as_u64().expect("iat");
    assert_eq!(lifetime, 900);
}

#[tokio::test]
async fn a_request_without_a_token_is_401_with_www_authenticate() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/me").await;

    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, 401).await;
}

#[tokio::test]
async fn forged_and_stale_tokens_are_refused() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;
    let genuine = payload(&tokens.access_token);
    let with = |field: &str, value: Value| {
        let mut claims = genuine.clone();
        claims[field] = value;
        claims
    };
    let now = jsonwebtoken::get_current_timestamp();
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(with("role", json!("admin")).to_string())
    );
    let forgeries = [
        ("alg none", unsigned),
        (
            "another key",
            sign(&genuine, "some-other-secret-0123456789abcdef0123"),
        ),
        (
            "expired",
            sign(&with("exp", json!(now - 120)), TEST_JWT_SECRET),
        ),
        (
            "wrong audience",
            sign(&with("aud", json!("another-api")), TEST_JWT_SECRET),
        ),
        (
            "wrong issuer",
            sign(&with("iss", json!("someone-else")), TEST_JWT_SECRET),
        ),
        ("tampered payload", {
            let mut parts: Vec<String> =
                tokens.access_token.split('.').map(str::to_owned).collect();
            parts[1] = URL_SAFE_NO_PAD.encode(with("role", json!("admin")).to_string());
            parts.join(".")
        }),
        ("garbage", "not.a.jwt".to_owned()),
    ];

    for (name, token) in forgeries {
        let response = me_with(&app, &token).await;
        assert_eq!(response.status().as_u16(), 401, "{name}");
        assert_problem(response, 401).await;
    }
    assert_eq!(
        me_with(&app, &tokens.access_token).await.status().as_u16(),
        200
    );
}

#[tokio::test]
async fn an_expired_token_says_to_refresh() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;
    let mut claims = payload(&tokens.access_token);
    claims["exp"] = json!(jsonwebtoken::get_current_timestamp() - 120);

    let response = me_with(&app, &sign(&claims, TEST_JWT_SECRET)).await;

    let problem = assert_problem(response, 401).await;
    assert!(problem.detail.contains("expired"), "{}", problem.detail);
}
