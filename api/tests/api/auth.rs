//! Registration, password login, refresh-token rotation, logout and
//! brute-force protection.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use soundstream_types::{ProblemKind, Role, TokenResponse};

use crate::helpers::{
    GOOD_PASSWORD, TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with,
    spawn_second_instance,
};
use soundstream_api::config::{SessionPolicy, ThrottlePolicy};

async fn refresh(app: &TestApp, refresh_token: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": refresh_token }),
    )
    .await
}

#[tokio::test]
async fn register_signs_in_a_new_listener() {
    let app = spawn_app().await;

    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"username": "  Ana.Garcia ", "email": "Ana@Example.com",
                    "password": GOOD_PASSWORD, "display_name": " Ana García "}),
        )
        .await;

    assert_eq!(response.status().as_u16(), 201);
    let tokens: TokenResponse = response.json().await.expect("tokens");
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 900);
    // The idle timeout: a refresh within it keeps the session going.
    assert_eq!(tokens.refresh_expires_in, 7 * 24 * 3600);
    assert_eq!(tokens.user.username, "ana.garcia");
    assert_eq!(tokens.user.display_name, "Ana García");
    assert_eq!(tokens.user.email, "Ana@Example.com");
    assert_eq!(tokens.user.role, Role::Listener);
    let me = app
        .authed(Method::GET, "/api/v1/me", &tokens.access_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(me.status().as_u16(), 200);
}

#[tokio::test]
async fn register_lists_every_invalid_field() {
    let app = spawn_app().await;

    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"username": "a b", "email": "not-an-email", "password": "short",
                    "display_name": "   "}),
        )
        .await;

    let problem = assert_problem(response, 422).await;
    assert_eq!(problem.kind(), Some(ProblemKind::Validation));
    let mut fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["display_name", "email", "password", "username"]);
}

#[tokio::test]
async fn register_refuses_a_common_password() {
    let app = spawn_app().await;

    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"username": "ana", "email": "ana@example.com", "password": "Password123"}),
        )
        .await;

    let problem = assert_problem(response, 422).await;
    assert_eq!(problem.errors[0].field, "password");
    assert!(problem.errors[0].message.contains("common"));
}

#[tokio::test]
async fn register_refuses_a_taken_username_or_email_whatever_the_case() {
    let app = spawn_app().await;
    app.register("ana").await;

    let same_name = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"username": "ANA", "email": "other@example.com", "password": GOOD_PASSWORD}),
        )
        .await;
    let same_email = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"username": "bea", "email": "ANA@EXAMPLE.COM", "password": GOOD_PASSWORD}),
        )
        .await;

    let name_problem = assert_problem(same_name, 409).await;
    assert_eq!(name_problem.errors[0].field, "username");
    let email_problem = assert_problem(same_email, 409).await;
    assert_eq!(email_problem.errors[0].field, "email");
}

#[tokio::test]
async fn concurrent_registrations_of_one_username_create_one_account() {
    let app = spawn_app().await;
    let app = &app;
    let attempt = |n: usize| {
        let body = json!({"username": "racer", "email": format!("racer{n}@example.com"),
                          "password": GOOD_PASSWORD});
        async move { app.post_json("/api/v1/auth/register", &body).await }
    };

    let responses = futures_util::future::join_all((0..4).map(attempt)).await;

    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        3,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn login_accepts_the_username_or_the_email() {
    let app = spawn_app().await;
    app.register("ana").await;

    for login in ["ana", "ANA", "ana@example.com", "Ana@Example.COM"] {
        let response = app.login(login, GOOD_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 200, "{login}");
        let tokens: TokenResponse = response.json().await.expect("tokens");
        assert_eq!(tokens.user.username, "ana");
    }
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.register("ana").await;

    let wrong_password = assert_problem(app.login("ana", "not the password").await, 401).await;
    let unknown_user = assert_problem(app.login("nobody", GOOD_PASSWORD).await, 401).await;

    assert_eq!(wrong_password.problem_type, unknown_user.problem_type);
    assert_eq!(wrong_password.title, unknown_user.title);
    assert_eq!(wrong_password.detail, unknown_user.detail);
}

#[tokio::test]
async fn refresh_rotates_the_token_pair() {
    let app = spawn_app().await;
    let first = app.register("ana").await;

    let response = refresh(&app, &first.refresh_token).await;

    assert_eq!(response.status().as_u16(), 200);
    let second: TokenResponse = response.json().await.expect("tokens");
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_ne!(second.access_token, first.access_token);
    assert_eq!(
        refresh(&app, &second.refresh_token).await.status().as_u16(),
        200
    );
}

fn no_refresh_grace() -> SessionPolicy {
    SessionPolicy {
        refresh_grace: Duration::ZERO,
        ..SessionPolicy::default()
    }
}

#[tokio::test]
async fn refresh_token_reuse_revokes_the_family() {
    let app = spawn_app_with(TestOptions {
        sessions: Some(no_refresh_grace()),
        ..Default::default()
    })
    .await;
    let first = app.register("ana").await;
    let second: TokenResponse = refresh(&app, &first.refresh_token)
        .await
        .json()
        .await
        .expect("tokens");

    let reuse = refresh(&app, &first.refresh_token).await;

    let problem = assert_problem(reuse, 401).await;
    assert!(
        problem.detail.contains("already used"),
        "{}",
        problem.detail
    );
    // The thief's (or the victim's) newer token is dead too.
    assert_problem(refresh(&app, &second.refresh_token).await, 401).await;
}

#[tokio::test]
async fn racing_refreshes_with_one_token_get_the_same_new_pair() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;

    let responses =
        futures_util::future::join_all((0..2).map(|_| refresh(&app, &tokens.refresh_token))).await;

    let mut pairs = Vec::new();
    for response in responses {
        assert_eq!(response.status().as_u16(), 200);
        pairs.push(response.json::<TokenResponse>().await.expect("tokens"));
    }
    assert_eq!(pairs[0].access_token, pairs[1].access_token);
    assert_eq!(pairs[0].refresh_token, pairs[1].refresh_token);
    assert_ne!(pairs[0].refresh_token, tokens.refresh_token);
    // The shared successor carries the session on, once.
    assert_eq!(
        refresh(&app, &pairs[0].refresh_token)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn a_retried_refresh_within_the_grace_window_gets_the_pair_it_missed() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;
    let first: TokenResponse = refresh(&app, &tokens.refresh_token)
        .await
        .json()
        .await
        .expect("tokens");

    // The answer was lost; the client tries again with the same token.
    let retry = refresh(&app, &tokens.refresh_token).await;

    assert_eq!(retry.status().as_u16(), 200);
    let retry: TokenResponse = retry.json().await.expect("tokens");
    assert_eq!(retry.refresh_token, first.refresh_token);
    assert_eq!(retry.access_token, first.access_token);
    let me = app
        .authed(Method::GET, "/api/v1/me", &retry.access_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(me.status().as_u16(), 200);
}

#[tokio::test]
async fn once_the_successor_is_used_the_old_token_is_theft_even_within_the_window() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;
    let first: TokenResponse = refresh(&app, &tokens.refresh_token)
        .await
        .json()
        .await
        .expect("tokens");
    let second: TokenResponse = refresh(&app, &first.refresh_token)
        .await
        .json()
        .await
        .expect("tokens");

    let replay = refresh(&app, &tokens.refresh_token).await;

    assert_problem(replay, 401).await;
    assert_problem(refresh(&app, &second.refresh_token).await, 401).await;
}

#[tokio::test]
async fn unknown_and_garbage_refresh_tokens_are_401() {
    let app = spawn_app().await;

    assert_problem(refresh(&app, "no-such-token").await, 401).await;
    assert_problem(refresh(&app, "").await, 401).await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let tokens = app.register("ana").await;

    let response = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": tokens.refresh_token }),
        )
        .await;

    assert_eq!(response.status().as_u16(), 204);
    assert_problem(refresh(&app, &tokens.refresh_token).await, 401).await;
    let again = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": tokens.refresh_token }),
        )
        .await;
    assert_eq!(again.status().as_u16(), 204, "logging out twice is fine");
}

fn quick_lockouts() -> ThrottlePolicy {
    ThrottlePolicy {
        account_free_failures: 3,
        spread_free_failures: 6,
        address_free_failures: 10,
        first_lockout: Duration::from_secs(1),
        max_lockout: Duration::from_secs(4),
        window: Duration::from_secs(60),
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_retry_after_until_it_expires() {
    let app = spawn_app_with(TestOptions {
        throttle: Some(quick_lockouts()),
        ..Default::default()
    })
    .await;
    app.register("ana").await;
    for _ in 0..3 {
        assert_problem(app.login("ana", "wrong password!").await, 401).await;
    }

    let locked = app.login("ana", GOOD_PASSWORD).await;

    let retry_after: u64 = locked.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert_eq!(retry_after, 1);
    let problem = assert_problem(locked, 429).await;
    assert_eq!(problem.kind(), Some(ProblemKind::RateLimited));

    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(app.login("ana", GOOD_PASSWORD).await.status().as_u16(), 200);
}

#[tokio::test]
async fn lockout_delays_grow_with_each_further_failure() {
    let app = spawn_app_with(TestOptions {
        throttle: Some(quick_lockouts()),
        ..Default::default()
    })
    .await;
    for _ in 0..3 {
        app.login("ghost", "wrong password!").await;
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_problem(app.login("ghost", "wrong password!").await, 401).await;

    let locked = app.login("ghost", "wrong password!").await;

    assert_eq!(locked.headers()["retry-after"], "2");
    assert_problem(locked, 429).await;
}

#[tokio::test]
async fn unknown_accounts_lock_exactly_like_real_ones() {
    let app = spawn_app_with(TestOptions {
        throttle: Some(quick_lockouts()),
        ..Default::default()
    })
    .await;
    app.register("ana").await;
    for login in ["ana", "nobody"] {
        for _ in 0..3 {
            app.login(login, "wrong password!").await;
        }
    }

    let real = assert_problem(app.login("ana", "wrong password!").await, 429).await;
    let unknown = assert_problem(app.login("nobody", "wrong password!").await, 429).await;

    assert_eq!(real.detail, unknown.detail);
}

#[tokio::test]
async fn failures_are_also_counted_per_client_address() {
    let app = spawn_app_with(TestOptions {
        throttle: Some(quick_lockouts()),
        ..Default::default()
    })
    .await;
    app.register("ana").await;
    // Ten failures over five accounts: no account is locked, the address is.
    for n in 0..5 {
        for _ in 0..2 {
            app.login(&format!("user{n}"), "wrong password!").await;
        }
    }

    let response = app.login("ana", GOOD_PASSWORD).await;

    assert_problem(response, 429).await;
}

#[tokio::test]
async fn a_lockout_holds_across_instances() {
    let options = TestOptions {
        throttle: Some(quick_lockouts()),
        ..Default::default()
    };
    let first = spawn_app_with(TestOptions {
        throttle: Some(quick_lockouts()),
        ..Default::default()
    })
    .await;
    let second = spawn_second_instance(&first, &options).await;
    first.register("ana").await;
    for _ in 0..3 {
        first.login("ana", "wrong password!").await;
    }

    let on_the_other_instance = second.login("ana", GOOD_PASSWORD).await;

    assert_problem(on_the_other_instance, 429).await;
}

#[tokio::test]
async fn a_disabled_user_can_neither_log_in_nor_refresh() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let listener = app.register("ana").await;

    let disable = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", listener.user.id),
            &admin.access_token,
        )
        .json(&json!({ "disabled": true }))
        .send()
        .await
        .expect("sent");
    assert_eq!(disable.status().as_u16(), 200);

    let login = assert_problem(app.login("ana", GOOD_PASSWORD).await, 403).await;
    assert!(login.detail.contains("disabled"));
    assert_problem(refresh(&app, &listener.refresh_token).await, 401).await;
}
