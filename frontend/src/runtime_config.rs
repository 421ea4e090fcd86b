//! Deployment settings read at run time from `config.json` beside
//! `index.html`, so one build of the player can be uploaded to any static
//! host (an S3 website bucket, the API itself) and pointed at any API.

use std::fmt;
use std::sync::OnceLock;

use gloo_net::http::Request;
use serde::Deserialize;
use web_sys::RequestCache;

/// Where the player finds the runtime configuration, relative to the
/// document's `<base href>` so deep links such as `/status` still find it.
const CONFIG_PATH: &str = "config.json";

/// The contents of `config.json`. Unknown keys are ignored so an older
/// player keeps working with a newer file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RuntimeConfig {
    /// Origin (and optional path prefix) of the API, such as
    /// `https://api.example.com`. Empty means the page's own origin.
    #[serde(default)]
    api_base_url: String,
}

/// Why `config.json` could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeConfigError {
    Unreachable(String),
    Status(u16),
    Malformed(String),
    BadBaseUrl(String),
}

impl fmt::Display for RuntimeConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreachable(message) => write!(f, "could not fetch {CONFIG_PATH}: {message}"),
            Self::Status(status) => write!(f, "{CONFIG_PATH} answered HTTP {status}"),
            Self::Malformed(message) => write!(f, "{CONFIG_PATH} is not valid: {message}"),
            Self::BadBaseUrl(value) => write!(
                f,
                "{CONFIG_PATH}: api_base_url {value:?} must be empty, an http(s) URL or a path starting with /"
            ),
        }
    }
}

impl std::error::Error for RuntimeConfigError {}

impl RuntimeConfig {
    /// Fetches and parses `config.json`. Bypasses the HTTP cache so a
    /// redeployed file takes effect on the next page load.
    pub async fn load() -> Result<Self, RuntimeConfigError> {
        let response = Request::get(CONFIG_PATH)
            .cache(RequestCache::NoCache)
            .send()
            .await
            .map_err(|error| RuntimeConfigError::Unreachable(error.to_string()))?;
        if !response.ok() {
            return Err(RuntimeConfigError::Status(response.status()));
        }
        let body = response
            .text()
            .await
            .map_err(|error| RuntimeConfigError::Unreachable(error.to_string()))?;
        Self::parse(&body)
    }

    /// Parses and checks the file's text.
    pub fn parse(text: &str) -> Result<Self, RuntimeConfigError> {
        let config: Self = serde_json::from_str(text)
            .map_err(|error| RuntimeConfigError::Malformed(error.to_string()))?;
        let base = config.api_base_url.trim();
        let acceptable = base.is_empty()
            || base.starts_with('/')
            || base.starts_with("http://")
            || base.starts_with("https://");
        if !acceptable {
            return Err(RuntimeConfigError::BadBaseUrl(config.api_base_url));
        }
        // Stored without a trailing slash so joining with "/api/..." never doubles it.
        Ok(Self {
            api_base_url: base.trim_end_matches('/').to_owned(),
        })
    }

    /// The URL of an API path such as `/api/v1/config`.
    pub fn api_url(&self, path: &str) -> String {
        format!("{}/{}", self.api_base_url, path.trim_start_matches('/'))
    }

    /// The configured API base, or `None` when the API shares the page's origin.
    pub fn api_base_url(&self) -> Option<&str> {
        (!self.api_base_url.is_empty()).then_some(self.api_base_url.as_str())
    }
}

/// Loaded once at start-up and never changed afterwards, so a process-wide
/// cell is simpler than threading it through every component.
static CURRENT: OnceLock<RuntimeConfig> = OnceLock::new();

/// Makes `config` the configuration for the rest of the session. Only the
/// first call has an effect.
pub fn install(config: RuntimeConfig) {
    if CURRENT.set(config).is_err() {
        leptos::logging::warn!("runtime configuration installed twice; keeping the first");
    }
}

/// The installed configuration (same-origin defaults before `install`).
pub fn current() -> &'static RuntimeConfig {
    CURRENT.get_or_init(RuntimeConfig::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_base_url_calls_the_same_origin() {
        let config = RuntimeConfig::parse(r#"{"api_base_url": ""}"#).expect("valid config");
        assert_eq!(config.api_url("/api/v1/config"), "/api/v1/config");
        assert_eq!(config.api_base_url(), None);
    }

    #[test]
    fn missing_base_url_means_same_origin() {
        let config = RuntimeConfig::parse("{}").expect("valid config");
        assert_eq!(config, RuntimeConfig::default());
    }

    #[test]
    fn absolute_base_url_is_joined_without_a_double_slash() {
        let config = RuntimeConfig::parse(r#"{"api_base_url": "https://api.example.com/"}"#)
            .expect("valid config");
        assert_eq!(
            config.api_url("/api/v1/config"),
            "https://api.example.com/api/v1/config"
        );
    }

    #[test]
    fn path_prefix_base_url_is_accepted() {
        let config = RuntimeConfig::parse(r#"{"api_base_url": "/music"}"#).expect("valid config");
        assert_eq!(config.api_url("api/v1/config"), "/music/api/v1/config");
    }

    #[test]
    fn base_url_without_scheme_is_rejected() {
        let error = RuntimeConfig::parse(r#"{"api_base_url": "api.example.com"}"#)
            .expect_err("a bare host is ambiguous");
        assert!(matches!(error, RuntimeConfigError::BadBaseUrl(_)));
    }

    #[test]
    fn html_instead_of_json_is_reported_as_malformed() {
        let error = RuntimeConfig::parse("<!DOCTYPE html>").expect_err("not JSON");
        assert!(matches!(error, RuntimeConfigError::Malformed(_)));
    }
}
