//! Client for the SoundStream JSON API: one generic `fetch_api` that resolves
//! paths against the runtime-configured base URL and turns every failure,
//! including RFC 9457 problem documents, into an [`ApiError`].

use std::fmt;

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use soundstream_types::{PROBLEM_CONTENT_TYPE, Problem, ServiceConfig};

use crate::runtime_config;

/// Why an API call produced no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an HTTP answer (API down, DNS, CORS refused).
    Network { url: String, message: String },
    /// The API answered with a problem document (boxed: it is far larger
    /// than the other variants, and errors travel through every `Result`).
    Problem(Box<Problem>),
    /// A non-2xx answer that is not a problem document (a proxy, a static host).
    Status { status: u16, status_text: String },
    /// A 2xx answer whose body is not the expected JSON.
    Decode { message: String },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network { url, message } => write!(f, "Could not reach {url} ({message})."),
            Self::Problem(problem) if problem.detail.is_empty() => {
                write!(f, "{} (HTTP {}).", problem.title, problem.status)
            }
            Self::Problem(problem) => f.write_str(&problem.detail),
            Self::Status {
                status,
                status_text,
            } if status_text.is_empty() => write!(f, "The server answered HTTP {status}."),
            Self::Status {
                status,
                status_text,
            } => write!(f, "The server answered HTTP {status} {status_text}."),
            Self::Decode { message } => {
                write!(f, "The server answered with unexpected data ({message}).")
            }
        }
    }
}

impl std::error::Error for ApiError {}

/// `GET` an API path (such as `/api/v1/config`) and decode its JSON body.
pub async fn fetch_api<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let url = runtime_config::current().api_url(path);
    let response = Request::get(&url)
        .header("Accept", "application/json, application/problem+json")
        .send()
        .await
        .map_err(|error| ApiError::Network {
            url: url.clone(),
            message: error.to_string(),
        })?;
    let status = response.status();
    let status_text = response.status_text();
    let content_type = response.headers().get("content-type");
    // Read the body once as text: it is either the value or the problem.
    let body = response.text().await.map_err(|error| ApiError::Network {
        url,
        message: error.to_string(),
    })?;
    decode_response(status, &status_text, content_type.as_deref(), &body)
}

/// `GET /api/v1/config`: what this deployment offers.
pub async fn service_config() -> Result<ServiceConfig, ApiError> {
    fetch_api("/api/v1/config").await
}

/// Turns a finished HTTP exchange into a value or an [`ApiError`]. Separate
/// from the network code so it can be tested on the host.
fn decode_response<T: DeserializeOwned>(
    status: u16,
    status_text: &str,
    content_type: Option<&str>,
    body: &str,
) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|error| ApiError::Decode {
            message: error.to_string(),
        });
    }
    let is_problem = content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(PROBLEM_CONTENT_TYPE));
    if is_problem && let Ok(problem) = serde_json::from_str::<Problem>(body) {
        return Err(ApiError::Problem(Box::new(problem)));
    }
    Err(ApiError::Status {
        status,
        status_text: status_text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use soundstream_types::ProblemKind;

    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Pong {
        ok: bool,
    }

    #[test]
    fn success_body_is_decoded() {
        let pong: Pong = decode_response(200, "OK", Some("application/json"), r#"{"ok":true}"#)
            .expect("valid body");
        assert_eq!(pong, Pong { ok: true });
    }

    #[test]
    fn problem_body_becomes_a_problem_error() {
        let sent = Problem::new(ProblemKind::ServiceUnavailable, "database unreachable");
        let body = serde_json::to_string(&sent).expect("problem serialises");

        let error = decode_response::<Pong>(
            503,
            "Service Unavailable",
            Some("application/problem+json; charset=utf-8"),
            &body,
        )
        .expect_err("503 is an error");

        assert_eq!(error.to_string(), "database unreachable");
        assert_eq!(error, ApiError::Problem(Box::new(sent)));
    }

    #[test]
    fn error_without_problem_body_reports_the_status() {
        let error = decode_response::<Pong>(502, "Bad Gateway", Some("text/html"), "<h1>oops</h1>")
            .expect_err("502 is an error");
        assert_eq!(
            error,
            ApiError::Status {
                status: 502,
                status_text: "Bad Gateway".to_owned()
            }
        );
    }

    #[test]
    fn html_fallback_instead_of_json_is_a_decode_error() {
        // A static host without the API answers index.html for every path.
        let error = decode_response::<Pong>(200, "OK", Some("text/html"), "<!DOCTYPE html>")
            .expect_err("HTML is not the expected JSON");
        assert!(matches!(error, ApiError::Decode { .. }));
    }
}
