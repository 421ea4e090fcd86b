//! The signed-in user's own account: profile and password.

use reqwest::Method;
use serde_json::json;
use soundstream_types::{TokenResponse, User};

use crate::helpers::{GOOD_PASSWORD, assert_problem, spawn_app};

#[tokio::test]
async fn me_returns_the_signed_in_user() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;

    let response = app
        .authed(Method::GET, "/api/v1/me", &tokens.access_token)
        .send()
        .await
        .expect("sent");

    let me: User = response.json().await.expect("user");
    assert_eq!(me, tokens.user);
}

#[tokio::test]
async fn patch_me_changes_name_and_language_and_null_clears_the_language() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;
    let patch = |body: serde_json::Value| {
        app.authed(Method::PATCH, "/api/v1/me", &tokens.access_token)
            .json(&body)
            .send()
    };

    let changed: User = patch(json!({"display_name": "  Ana G. ", "preferred_language": "ES"}))
        .await
        .expect("sent")
        .json()
        .await
        .expect("user");
    let untouched: User = patch(json!({}))
        .await
        .expect("sent")
        .json()
        .await
        .expect("user");
    let cleared: User = patch(json!({"preferred_language": null}))
        .await
        .expect("sent")
        .json()
        .await
        .expect("user");

    assert_eq!(changed.display_name, "Ana G.");
    assert_eq!(changed.preferred_language.as_deref(), Some("es"));
    assert_eq!(untouched, changed);
    assert_eq!(cleared.preferred_language, None);
    assert_eq!(cleared.display_name, "Ana G.");
}

#[tokio::test]
async fn patch_me_refuses_bad_values_and_unknown_fields() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;

    let bad = app
        .authed(Method::PATCH, "/api/v1/me", &tokens.access_token)
        .json(&json!({"display_name": "", "preferred_language": "klingon"}))
        .send()
        .await
        .expect("sent");
    let unknown = app
        .authed(Method::PATCH, "/api/v1/me", &tokens.access_token)
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .expect("sent");

    let problem = assert_problem(bad, 422).await;
    assert_eq!(problem.errors.len(), 2);
    assert_problem(unknown, 422).await;
}

async fn change_password(
    app: &crate::helpers::TestApp,
    access_token: &str,
    current: &str,
    new: &str,
) -> reqwest::Response {
    app.authed(Method::PUT, "/api/v1/me/password", access_token)
        .json(&json!({"current_password": current, "new_password": new}))
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn changing_the_password_requires_the_current_one() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;

    let response = change_password(
        &app,
        &tokens.access_token,
        "wrong!!!",
        "a brand new passphrase",
    )
    .await;

    let problem = assert_problem(response, 422).await;
    assert_eq!(problem.errors[0].field, "current_password");
    assert_eq!(app.login("ana", GOOD_PASSWORD).await.status().as_u16(), 200);
}

#[tokio::test]
async fn a_new_password_must_meet_the_policy() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;

    let response = change_password(&app, &tokens.access_token, GOOD_PASSWORD, "qwerty123").await;

    let problem = assert_problem(response, 422).await;
    assert_eq!(problem.errors[0].field, "new_password");
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_only() {
    let app = spawn_app().await;
    let this_session = app.register("ana").await;
    let other_session: TokenResponse = app
        .login("ana", GOOD_PASSWORD)
        .await
        .json()
        .await
        .expect("tokens");

    let response = change_password(
        &app,
        &this_session.access_token,
        GOOD_PASSWORD,
        "a brand new passphrase",
    )
    .await;

    assert_eq!(response.status().as_u16(), 204);
    let app = &app;
    let refresh = |token: String| {
        let body = json!({ "refresh_token": token });
        async move { app.post_json("/api/v1/auth/refresh", &body).await }
    };
    assert_problem(refresh(other_session.refresh_token).await, 401).await;
    assert_eq!(
        refresh(this_session.refresh_token).await.status().as_u16(),
        200
    );
    assert_problem(app.login("ana", GOOD_PASSWORD).await, 401).await;
    assert_eq!(
        app.login("ana", "a brand new passphrase")
            .await
            .status()
            .as_u16(),
        200
    );
}
