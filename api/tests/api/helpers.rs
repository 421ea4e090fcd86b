//! `spawn_app()` and friends: the real application, a fresh database per
//! test, and an HTTP client.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use soundstream_api::commands::admin::{NewAdmin, create_admin};
use soundstream_api::config::ThrottlePolicy;
use soundstream_api::config::{DatabaseUrl, Settings};
use soundstream_api::db::Database;
use soundstream_api::startup::Application;
use soundstream_api::telemetry::init_subscriber;
use soundstream_types::{PROBLEM_CONTENT_TYPE, Problem, TokenResponse};
use sqlx::Connection;

/// Logs are silent unless `TEST_LOG` is set.
static TRACING: LazyLock<()> = LazyLock::new(|| {
    let settings = soundstream_api::config::LogSettings {
        filter: std::env::var("TEST_LOG_FILTER").unwrap_or_else(|_| "info".into()),
        format: soundstream_api::config::LogFormat::Text,
    };
    if std::env::var("TEST_LOG").is_ok() {
        init_subscriber(&settings, std::io::stdout);
    } else {
        init_subscriber(&settings, std::io::sink);
    }
});

/// The PostgreSQL server to create test databases on, when the suite runs
/// against PostgreSQL.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("SOUNDSTREAM_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A fresh, empty database URL: a new PostgreSQL database when configured,
/// otherwise a SQLite file in `data_dir`.
pub async fn fresh_database_url(data_dir: &Path) -> String {
    match postgres_admin_url() {
        Some(admin_url) => fresh_postgres_database(&admin_url).await,
        None => format!("sqlite://{}/soundstream.db", data_dir.display()),
    }
}

pub async fn fresh_postgres_database(admin_url: &str) -> String {
    sqlx::any::install_default_drivers();
    let name = format!("soundstream_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::AnyConnection::connect(admin_url)
        .await
        .expect("the test PostgreSQL server accepts connections");
    // The name is generated above from a UUID, never from input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("a test database can be created");
    let mut url = url::Url::parse(admin_url).expect("a valid PostgreSQL URL");
    url.set_path(&name);
    url.to_string()
}

/// The signing secret test instances use, so tests can forge tokens.
pub const TEST_JWT_SECRET: &str = "test-secret-0123456789abcdef0123456789";

/// A password that passes the policy.
pub const GOOD_PASSWORD: &str = "correct horse battery staple";

#[derive(Clone)]
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub state: soundstream_api::state::AppState,
    /// Deleted when the test ends.
    data_dir: std::sync::Arc<tempfile::TempDir>,
}

#[derive(Default)]
pub struct TestOptions {
    pub web_dir: Option<PathBuf>,
    pub extra_env: Vec<(&'static str, String)>,
    pub throttle: Option<ThrottlePolicy>,
    pub sessions: Option<soundstream_api::config::SessionPolicy>,
    /// A face provider to use instead of the configured one.
    pub face: Option<std::sync::Arc<dyn soundstream_face::FaceVerifier>>,
    /// A translation provider to use instead of the configured one.
    pub translator: Option<std::sync::Arc<dyn soundstream_translate::Translator>>,
    pub translate_per_minute: Option<u32>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(TestOptions::default()).await
}

/// Settings for a test instance: port 0, a temporary data dir, the given
/// database and extra variables.
pub fn test_settings(data_dir: &Path, database_url: &str, options: &TestOptions) -> Settings {
    let data_dir = data_dir.display().to_string();
    let web_dir = options
        .web_dir
        .as_ref()
        .map(|dir| dir.display().to_string());
    let mut vars: HashMap<&str, &str> = HashMap::from([
        ("SOUNDSTREAM_BIND", "127.0.0.1:0"),
        ("SOUNDSTREAM_DATA_DIR", data_dir.as_str()),
        ("DATABASE_URL", database_url),
        ("SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS", "0"),
        ("SOUNDSTREAM_JWT_SECRET", TEST_JWT_SECRET),
        // Not the build's default (the local provider, with its weights):
        // a test that wants a face provider says which.
        ("SOUNDSTREAM_FACE_PROVIDER", "none"),
        // Transcoding is CPU-heavy: the tests of background work ask for it.
        ("SOUNDSTREAM_JOB_WORKERS", "0"),
    ]);
    if let Some(web_dir) = &web_dir {
        vars.insert("SOUNDSTREAM_WEB_DIR", web_dir);
    }
    for (name, value) in &options.extra_env {
        vars.insert(name, value);
    }
    let mut settings = Settings::from_source(&vars).expect("test settings are valid");
    // The embedded default would pick up a ./dist built in the repository.
    if web_dir.is_none() {
        settings.web_dir = None;
    }
    if let Some(throttle) = &options.throttle {
        settings.login_throttle = throttle.clone();
    }
    if let Some(sessions) = &options.sessions {
        settings.sessions = sessions.clone();
    }
    if let Some(limit) = options.translate_per_minute {
        settings.translate_per_minute = limit;
    }
    settings
}

pub async fn spawn_app_with(options: TestOptions) -> TestApp {
    let data_dir = std::sync::Arc::new(tempfile::tempdir().expect("temp data dir"));
    let database_url = fresh_database_url(data_dir.path()).await;
    // Boxed: starting an application is a large future.
    Box::pin(spawn_instance(data_dir, database_url, &options)).await
}

/// Another instance of `app`'s deployment: same database, its own process
/// state, as behind a load balancer.
pub async fn spawn_second_instance(app: &TestApp, options: &TestOptions) -> TestApp {
    Box::pin(spawn_instance(
        app.data_dir.clone(),
        app.database_url.clone(),
        options,
    ))
    .await
}

async fn spawn_instance(
    data_dir: std::sync::Arc<tempfile::TempDir>,
    database_url: String,
    options: &TestOptions,
) -> TestApp {
    LazyLock::force(&TRACING);
    let settings = test_settings(data_dir.path(), &database_url, options);
    let app = if options.face.is_some() || options.translator.is_some() {
        Application::build_with(
            settings,
            soundstream_api::state::Providers {
                face: options.face.clone(),
                translator: options.translator.clone(),
                transcoder: None,
            },
        )
        .await
    } else {
        Application::build(settings).await
    }
    .expect("the application starts");
    let port = app.port();
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client"),
        database_url,
        state,
        data_dir,
    }
}

impl TestApp {
    /// The deployment's data directory (local media, the SQLite file).
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn request(&self, method: reqwest::Method, path: &str) -> reqwest::Response {
        self.client
            .request(method, self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// A request with `Authorization: Bearer <token>`.
    pub fn authed(
        &self,
        method: reqwest::Method,
        path: &str,
        access_token: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(access_token)
    }

    /// Registers a listener and returns its tokens.
    pub async fn register(&self, username: &str) -> TokenResponse {
        let response = self
            .post_json(
                "/api/v1/auth/register",
                &serde_json::json!({
                    "username": username,
                    "email": format!("{username}@example.com"),
                    "password": GOOD_PASSWORD,
                }),
            )
            .await;
        assert_eq!(response.status().as_u16(), 201, "registering {username}");
        response.json().await.expect("token response")
    }

    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &serde_json::json!({ "login": login, "password": password }),
        )
        .await
    }

    /// Creates an administrator (as `soundstream admin create` does) and signs it in.
    pub async fn admin(&self, username: &str) -> TokenResponse {
        let db = Database::connect(&database_url(&self.database_url))
            .await
            .expect("connect");
        create_admin(
            &db,
            NewAdmin {
                username,
                email: &format!("{username}@example.com"),
                display_name: None,
                password: GOOD_PASSWORD,
            },
        )
        .await
        .expect("admin created");
        let response = self.login(username, GOOD_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 200);
        response.json().await.expect("token response")
    }
}

pub fn database_url(url: &str) -> DatabaseUrl {
    if url.starts_with("sqlite:") {
        DatabaseUrl::Sqlite(url.to_owned())
    } else {
        DatabaseUrl::Postgres(url.to_owned())
    }
}

/// Asserts the response is a problem document with `status` and returns it.
pub async fn assert_problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(
        response.status().as_u16(),
        status,
        "status of {}",
        response.url()
    );
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with(PROBLEM_CONTENT_TYPE),
        "content type {content_type:?} of {}",
        response.url()
    );
    let problem: Problem = response.json().await.expect("a problem document");
    assert_eq!(problem.status, status);
    assert!(!problem.title.is_empty() && !problem.detail.is_empty());
    problem
}
