//! `spawn_app()` and friends: the real application, a fresh database per
//! test, and an HTTP client.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use soundstream_api::config::Settings;
use soundstream_api::startup::Application;
use soundstream_api::telemetry::init_subscriber;
use soundstream_types::{PROBLEM_CONTENT_TYPE, Problem};
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

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// Deleted when the test ends.
    _data_dir: tempfile::TempDir,
}

#[derive(Default)]
pub struct TestOptions {
    pub web_dir: Option<PathBuf>,
    pub extra_env: Vec<(&'static str, String)>,
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
    settings
}

pub async fn spawn_app_with(options: TestOptions) -> TestApp {
    LazyLock::force(&TRACING);
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let database_url = fresh_database_url(data_dir.path()).await;
    let settings = test_settings(data_dir.path(), &database_url, &options);
    let app = Application::build(settings)
        .await
        .expect("the application starts");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client"),
        _data_dir: data_dir,
    }
}

impl TestApp {
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
