//! Sessions end when they should, everywhere: revocation reaches other
//! instances, sessions have an absolute and an idle lifetime, and signing
//! keys rotate without signing anyone out.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use soundstream_api::config::SessionPolicy;
use soundstream_types::TokenResponse;

use crate::helpers::{
    TEST_JWT_SECRET, TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with,
    spawn_second_instance,
};

async fn read_me(app: &TestApp, token: &str) -> u16 {
    app.authed(Method::GET, "/api/v1/me", token)
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

async fn write_me(app: &TestApp, token: &str) -> u16 {
    app.authed(Method::PATCH, "/api/v1/me", token)
        .json(&json!({"display_name": "Still me"}))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

async fn refresh(app: &TestApp, refresh_token: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": refresh_token }),
    )
    .await
}

#[tokio::test]
async fn a_logout_stops_the_access_token_on_every_instance() {
    let first = spawn_app().await;
    let second = spawn_second_instance(&first, &TestOptions::default()).await;
    let ana = first.register("ana").await;
    // The other instance has seen the session open (and remembers it).
    assert_eq!(read_me(&second, &ana.access_token).await, 200);

    let out = first
        .post_json(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": ana.refresh_token }),
        )
        .await;

    assert_eq!(out.status().as_u16(), 204);
    assert_eq!(
        read_me(&first, &ana.access_token).await,
        401,
        "here, at once"
    );
    assert_eq!(
        write_me(&second, &ana.access_token).await,
        401,
        "changes elsewhere, at once"
    );
}

#[tokio::test]
async fn a_disabled_user_and_a_demoted_admin_lose_access_at_once() {
    let app = spawn_app().await;
    let second = spawn_second_instance(&app, &TestOptions::default()).await;
    let boss = app.admin("boss").await;
    let deputy = app.admin("deputy").await;
    let ana = app.register("ana").await;
    assert_eq!(read_me(&second, &ana.access_token).await, 200);
    let users = second
        .authed(Method::GET, "/api/v1/admin/users", &deputy.access_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(users.status().as_u16(), 200);

    for (id, change) in [
        (&ana.user.id, json!({"disabled": true})),
        (&deputy.user.id, json!({"role": "listener"})),
    ] {
        let patched = app
            .authed(
                Method::PATCH,
                &format!("/api/v1/admin/users/{id}"),
                &boss.access_token,
            )
            .json(&change)
            .send()
            .await
            .expect("sent");
        assert_eq!(patched.status().as_u16(), 200);
    }

    assert_eq!(write_me(&second, &ana.access_token).await, 401);
    let admin_route = second
        .authed(Method::GET, "/api/v1/admin/users", &deputy.access_token)
        .send()
        .await
        .expect("sent");
    assert_problem(admin_route, 401).await;
    // The demoted admin keeps a listener's access after refreshing.
    let refreshed: TokenResponse = refresh(&second, &deputy.refresh_token)
        .await
        .json()
        .await
        .expect("tokens");
    assert_eq!(read_me(&second, &refreshed.access_token).await, 200);
    let still_refused = second
        .authed(Method::GET, "/api/v1/admin/users", &refreshed.access_token)
        .send()
        .await
        .expect("sent");
    assert_problem(still_refused, 403).await;
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_everywhere() {
    let first = spawn_app().await;
    let second = spawn_second_instance(&first, &TestOptions::default()).await;
    let here = first.register("ana").await;
    let there: TokenResponse = second
        .login("ana", crate::helpers::GOOD_PASSWORD)
        .await
        .json()
        .await
        .expect("tokens");

    let changed = first
        .authed(Method::PUT, "/api/v1/me/password", &here.access_token)
        .json(&json!({"current_password": crate::helpers::GOOD_PASSWORD,
                      "new_password": "a brand new passphrase"}))
        .send()
        .await
        .expect("sent");

    assert_eq!(changed.status().as_u16(), 204);
    assert_eq!(write_me(&second, &there.access_token).await, 401);
    assert_problem(refresh(&second, &there.refresh_token).await, 401).await;
    assert_eq!(
        write_me(&first, &here.access_token).await,
        200,
        "the session that changed it stays"
    );
}

#[tokio::test]
async fn refreshing_never_extends_a_session_past_its_absolute_lifetime() {
    let app = spawn_app_with(TestOptions {
        sessions: Some(SessionPolicy {
            lifetime: Duration::from_secs(2),
            ..SessionPolicy::default()
        }),
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    assert!(ana.refresh_expires_in <= 2);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let kept: TokenResponse = refresh(&app, &ana.refresh_token)
        .await
        .json()
        .await
        .expect("a refresh within the lifetime works");
    assert!(kept.refresh_expires_in <= 1, "{}", kept.refresh_expires_in);

    tokio::time::sleep(Duration::from_millis(1000)).await;

    assert_problem(refresh(&app, &kept.refresh_token).await, 401).await;
    assert_eq!(read_me(&app, &kept.access_token).await, 401);
}

#[tokio::test]
async fn a_session_left_idle_ends() {
    let app = spawn_app_with(TestOptions {
        sessions: Some(SessionPolicy {
            idle_timeout: Duration::from_secs(1),
            ..SessionPolicy::default()
        }),
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    assert_eq!(ana.refresh_expires_in, 1);

    tokio::time::sleep(Duration::from_millis(1500)).await;

    assert_problem(refresh(&app, &ana.refresh_token).await, 401).await;
}

#[tokio::test]
async fn after_a_key_rotation_tokens_signed_with_the_previous_secret_still_work() {
    let before = spawn_app().await;
    let ana = before.register("ana").await;
    let new_secret = "the-rotated-secret-0123456789abcdef-xyz";
    let rotated = spawn_second_instance(
        &before,
        &TestOptions {
            extra_env: vec![
                ("SOUNDSTREAM_JWT_SECRET", new_secret.to_owned()),
                (
                    "SOUNDSTREAM_JWT_PREVIOUS_SECRET",
                    TEST_JWT_SECRET.to_owned(),
                ),
            ],
            ..Default::default()
        },
    )
    .await;
    let retired = spawn_second_instance(
        &before,
        &TestOptions {
            extra_env: vec![("SOUNDSTREAM_JWT_SECRET", new_secret.to_owned())],
            ..Default::default()
        },
    )
    .await;

    assert_eq!(read_me(&rotated, &ana.access_token).await, 200);
    let fresh: TokenResponse = refresh(&rotated, &ana.refresh_token)
        .await
        .json()
        .await
        .expect("tokens");
    assert_eq!(read_me(&retired, &fresh.access_token).await, 200);
    assert_eq!(
        read_me(&retired, &ana.access_token).await,
        401,
        "once the previous secret is dropped, its tokens stop"
    );
    assert_eq!(read_me(&before, &fresh.access_token).await, 401);
}

#[tokio::test]
async fn the_sweep_forgets_sessions_that_ended_long_ago_and_keeps_the_rest() {
    let app = spawn_app().await;
    let old = app.register("ana").await;
    let live = app.login("ana", crate::helpers::GOOD_PASSWORD).await;
    assert_eq!(live.status().as_u16(), 200);
    let live: TokenResponse = live.json().await.expect("tokens");
    app.post_json(
        "/api/v1/auth/logout",
        &json!({ "refresh_token": old.refresh_token }),
    )
    .await;
    // The logout happened two weeks ago.
    let fortnight = 14 * 24 * 3600 * 1000_i64;
    let db = app.state.db.clone();
    for table in ["sessions", "refresh_tokens"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET revoked_at = revoked_at - $1 WHERE revoked_at IS NOT NULL"
        )))
        .bind(fortnight)
        .execute(db.pool())
        .await
        .expect("backdated");
    }

    let report = soundstream_api::services::maintenance::sweep(&app.state)
        .await
        .expect("sweep");

    assert_eq!(report.expired_session_rows, 2, "{report:?}");
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.pool())
        .await
        .expect("count");
    assert_eq!(left, 1);
    assert_eq!(read_me(&app, &live.access_token).await, 200);
    assert_eq!(
        refresh(&app, &live.refresh_token).await.status().as_u16(),
        200
    );
}
