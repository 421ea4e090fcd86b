//! A new server's first administrator, made from the player: offered only
//! while no administrator exists, and only one of two people racing (on
//! two instances) becomes it.

use reqwest::Method;
use serde_json::json;
use soundstream_types::{ServiceConfig, TokenResponse, User};

use crate::helpers::{
    GOOD_PASSWORD, TestApp, TestOptions, assert_problem, spawn_app, spawn_second_instance,
};

async fn needs_first_admin(app: &TestApp) -> bool {
    let config: ServiceConfig = app
        .get("/api/v1/config")
        .await
        .json()
        .await
        .expect("config");
    config.needs_first_admin
}

async fn create_first_admin(app: &TestApp, username: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/setup/first-admin",
        &json!({
            "username": username,
            "email": format!("{username}@example.com"),
            "password": GOOD_PASSWORD,
        }),
    )
    .await
}

async fn admins(app: &TestApp) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM users WHERE role = 'admin'")
        .fetch_one(app.state.db.pool())
        .await
        .expect("counted");
    count
}

#[tokio::test]
async fn a_new_server_offers_its_first_administrator_once() {
    let app = spawn_app().await;
    assert!(needs_first_admin(&app).await);

    let created = create_first_admin(&app, "boss").await;

    assert_eq!(created.status().as_u16(), 201);
    let tokens: TokenResponse = created.json().await.expect("tokens");
    let me: User = app
        .authed(Method::GET, "/api/v1/me", &tokens.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("me");
    assert_eq!(me.username, "boss");
    assert_eq!(me.role.as_str(), "admin");
    assert!(!needs_first_admin(&app).await);
    let again = assert_problem(create_first_admin(&app, "second").await, 409).await;
    assert!(again.detail.contains("already has an administrator"));
    assert_eq!(admins(&app).await, 1);
}

#[tokio::test]
async fn an_administrator_made_on_the_command_line_closes_the_offer() {
    let app = spawn_app().await;
    app.admin("cli-boss").await;

    assert!(!needs_first_admin(&app).await);
    assert_problem(create_first_admin(&app, "late").await, 409).await;
    assert_eq!(admins(&app).await, 1);
}

#[tokio::test]
async fn a_listener_does_not_close_the_offer() {
    let app = spawn_app().await;
    app.register("ana").await;

    assert!(needs_first_admin(&app).await);
}

#[tokio::test]
async fn invalid_fields_are_422_and_leave_the_offer_open() {
    let app = spawn_app().await;

    let response = app
        .post_json(
            "/api/v1/setup/first-admin",
            &json!({"username": "x", "email": "not-an-email", "password": "short"}),
        )
        .await;

    let problem = assert_problem(response, 422).await;
    assert_eq!(problem.errors.len(), 3, "{problem:?}");
    assert!(needs_first_admin(&app).await);
}

#[tokio::test]
async fn of_people_racing_on_two_instances_exactly_one_becomes_the_first_administrator() {
    let first = spawn_app().await;
    let second = spawn_second_instance(&first, &TestOptions::default()).await;

    let attempts = (0..8).map(|n| {
        let app = if n % 2 == 0 { &first } else { &second };
        async move { create_first_admin(app, &format!("racer{n}")).await }
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|response| response.status().as_u16())
        .collect();

    assert_eq!(
        statuses.iter().filter(|&&status| status == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|&status| status == 201 || status == 409),
        "{statuses:?}"
    );
    assert_eq!(admins(&first).await, 1);
}
