//! Sign-in and registration under attack: lockouts that cannot be turned
//! against the owner, client addresses behind load balancers, per-address
//! registration limits, and a flood of password hashing that leaves the
//! rest of the service answering.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use soundstream_api::config::ThrottlePolicy;

use crate::helpers::{GOOD_PASSWORD, TestApp, TestOptions, assert_problem, spawn_app_with};

/// Pair allowance 3, account-wide 6, address 10; short lockouts.
fn quick_lockouts() -> ThrottlePolicy {
    ThrottlePolicy {
        account_free_failures: 3,
        spread_free_failures: 6,
        address_free_failures: 10,
        first_lockout: Duration::from_secs(30),
        max_lockout: Duration::from_secs(60),
        window: Duration::from_secs(60),
    }
}

/// An app behind a "load balancer" on loopback: X-Forwarded-For names the
/// client.
async fn behind_a_proxy(throttle: ThrottlePolicy) -> TestApp {
    spawn_app_with(TestOptions {
        throttle: Some(throttle),
        extra_env: vec![("SOUNDSTREAM_TRUSTED_PROXIES", "127.0.0.1/32,::1".to_owned())],
        ..Default::default()
    })
    .await
}

async fn login_from(app: &TestApp, client: &str, login: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client)
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_guesser_at_one_address_cannot_lock_the_owner_out_elsewhere() {
    let app = behind_a_proxy(quick_lockouts()).await;
    app.register("ana").await;
    for _ in 0..20 {
        let answer = login_from(&app, "203.0.113.66", "ana", "a wrong guess").await;
        assert!(matches!(answer.status().as_u16(), 401 | 429));
    }
    assert_problem(
        login_from(&app, "203.0.113.66", "ana", GOOD_PASSWORD).await,
        429,
    )
    .await;

    // The owner, from an address never seen before.
    let owner = login_from(&app, "198.51.100.7", "ana", GOOD_PASSWORD).await;

    assert_eq!(owner.status().as_u16(), 200);
}

#[tokio::test]
async fn guesses_spread_over_many_addresses_still_lock_the_account_but_not_for_its_owner() {
    let app = behind_a_proxy(quick_lockouts()).await;
    app.register("ana").await;
    // The owner signed in from home before the attack.
    assert_eq!(
        login_from(&app, "198.51.100.7", "ana", GOOD_PASSWORD)
            .await
            .status()
            .as_u16(),
        200
    );
    // Two guesses from each of three addresses: no address reaches its
    // own allowance, the account-wide count reaches six.
    for n in 1..=3 {
        for _ in 0..2 {
            let guess = login_from(&app, &format!("203.0.113.{n}"), "ana", "a wrong guess").await;
            assert_problem(guess, 401).await;
        }
    }

    let next_guesser = login_from(&app, "203.0.113.99", "ana", GOOD_PASSWORD).await;
    let owner_at_home = login_from(&app, "198.51.100.7", "ana", GOOD_PASSWORD).await;

    let locked = assert_problem(next_guesser, 429).await;
    assert!(locked.detail.contains("try again"), "{}", locked.detail);
    assert_eq!(owner_at_home.status().as_u16(), 200);
}

#[tokio::test]
async fn ipv6_clients_are_counted_per_64() {
    let app = behind_a_proxy(quick_lockouts()).await;
    app.register("ana").await;
    for host in ["a", "b", "c"] {
        let guess = login_from(&app, &format!("2001:db8:1:2::{host}"), "ana", "wrong guess").await;
        assert_problem(guess, 401).await;
    }

    let same_block = login_from(&app, "2001:db8:1:2:ffff::1", "ana", GOOD_PASSWORD).await;
    let other_block = login_from(&app, "2001:db8:1:3::1", "ana", GOOD_PASSWORD).await;

    assert_problem(same_block, 429).await;
    assert_eq!(other_block.status().as_u16(), 200);
}

#[tokio::test]
async fn a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing() {
    // No trusted proxies: the peer (loopback) is the client.
    let app = spawn_app_with(TestOptions {
        throttle: Some(quick_lockouts()),
        ..Default::default()
    })
    .await;
    app.register("ana").await;
    for n in 0..3 {
        let guess = login_from(&app, &format!("203.0.113.{n}"), "ana", "wrong guess").await;
        assert_problem(guess, 401).await;
    }

    let evading = login_from(&app, "198.51.100.200", "ana", GOOD_PASSWORD).await;

    assert_problem(evading, 429).await;
}

async fn register_from(app: &TestApp, client: &str, username: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/register"))
        .header("x-forwarded-for", client)
        .json(
            &json!({"username": username, "email": format!("{username}@example.com"),
                      "password": GOOD_PASSWORD}),
        )
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn registrations_are_limited_per_client_address() {
    let app = spawn_app_with(TestOptions {
        extra_env: vec![
            ("SOUNDSTREAM_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
            ("SOUNDSTREAM_REGISTRATIONS_PER_HOUR", "3".to_owned()),
        ],
        ..Default::default()
    })
    .await;
    for n in 0..3 {
        let created = register_from(&app, "203.0.113.5", &format!("bot{n}")).await;
        assert_eq!(created.status().as_u16(), 201);
    }

    let fourth = register_from(&app, "203.0.113.5", "bot3").await;
    let neighbour = register_from(&app, "203.0.113.6", "human").await;

    assert!(fourth.headers().contains_key("retry-after"));
    assert_problem(fourth, 429).await;
    assert_eq!(neighbour.status().as_u16(), 201);
}

#[tokio::test]
async fn a_taken_username_is_refused_without_hashing_a_password() {
    let app = spawn_app_with(TestOptions::default()).await;
    app.register("ana").await;
    // Every hashing permit and queue place taken: any hash would be a 503.
    let gate = app.state.hashing.clone();
    let blockers: Vec<_> = (0..64)
        .map(|_| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let password = soundstream_api::auth::password::NewPassword::parse(
                    "password",
                    "a slow and steady passphrase",
                )
                .expect("valid");
                let _ = gate.hash(password).await;
            })
        })
        .collect();

    let taken = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"username": "ANA", "email": "other@example.com", "password": GOOD_PASSWORD}),
        )
        .await;

    let problem = assert_problem(taken, 409).await;
    assert_eq!(problem.errors[0].field, "username");
    for blocker in blockers {
        blocker.await.expect("joined");
    }
}

#[tokio::test]
async fn a_flood_of_password_hashing_leaves_the_service_answering() {
    let app = spawn_app_with(TestOptions {
        extra_env: vec![("SOUNDSTREAM_REGISTRATIONS_PER_HOUR", "1000".to_owned())],
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");

    let flood = futures_util::future::join_all((0..300).map(|n| {
        let client = client.clone();
        let app = &app;
        async move {
            let request = if n % 2 == 0 {
                client.post(app.url("/api/v1/auth/register")).json(
                    &json!({"username": format!("flood{}", n % 40),
                                  "email": format!("flood{}@example.com", n % 40),
                                  "password": GOOD_PASSWORD}),
                )
            } else {
                client
                    .post(app.url("/api/v1/auth/login"))
                    .json(&json!({"login": "ana", "password": GOOD_PASSWORD}))
            };
            request.send().await.map(|r| r.status().as_u16())
        }
    }));
    let probes = async {
        let mut slowest = Duration::ZERO;
        let mut answers = Vec::new();
        for _ in 0..10 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            for (path, token) in [
                ("/readyz", None),
                ("/api/v1/songs", Some(&ana.access_token)),
            ] {
                let started = Instant::now();
                let request = match token {
                    Some(token) => app.authed(Method::GET, path, token),
                    None => app.client.get(app.url(path)),
                };
                let status = request.send().await.expect("sent").status().as_u16();
                slowest = slowest.max(started.elapsed());
                answers.push((path, status));
            }
        }
        (answers, slowest)
    };

    let (statuses, (probe_answers, slowest_probe)) = tokio::join!(flood, probes);

    for (path, status) in &probe_answers {
        assert_eq!(*status, 200, "{path} during the flood");
    }
    let mut seen = std::collections::BTreeMap::new();
    for status in statuses {
        let status = status.expect("every flood request is answered in time");
        assert!(
            [200, 201, 409, 429, 503].contains(&status),
            "unexpected {status}"
        );
        *seen.entry(status).or_insert(0) += 1;
    }
    eprintln!("flood answers {seen:?}; slowest probe {slowest_probe:?}");
    assert!(
        seen.contains_key(&503),
        "the gate turned work away: {seen:?}"
    );
}
