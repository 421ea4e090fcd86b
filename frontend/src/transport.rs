//! The raw HTTP exchange with the SoundStream API, below both [`crate::auth`]
//! and [`crate::api`]: building a request, reading the answer once, and
//! turning every failure, including RFC 9457 problem documents, into an
//! [`ApiError`]. Knows nothing of sessions: calls that need credentials
//! receive the token from their caller.

use std::fmt;

use gloo_net::http::Request;
use serde::Serialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use soundstream_types::{PROBLEM_CONTENT_TYPE, Problem, UploadTicket};

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

/// Turns a failure before any HTTP answer (or while reading it) into an
/// [`ApiError::Network`] for `url`.
fn network_error(url: &str) -> impl Fn(gloo_net::Error) -> ApiError + '_ {
    move |error| ApiError::Network {
        url: url.to_owned(),
        message: error.to_string(),
    }
}

impl ApiError {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Problem(problem) => Some(problem.status),
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The field errors of a validation problem, for forms.
    pub fn field_errors(&self) -> Vec<soundstream_types::FieldError> {
        match self {
            Self::Problem(problem) => problem.errors.clone(),
            _ => Vec::new(),
        }
    }
}

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// A finished HTTP exchange, before decoding.
pub struct Answer {
    pub status: u16,
    status_text: String,
    content_type: Option<String>,
    body: String,
}

/// What a request carries.
pub enum Payload<'a> {
    None,
    Json(String),
    /// Raw bytes (a `Blob`/`File`) with their media type.
    Blob(&'a web_sys::Blob, &'a str),
}

/// Sends one request (with `bearer` as its credentials, if any) and reads
/// the whole answer.
pub async fn exchange(
    method: Method,
    url: &str,
    payload: &Payload<'_>,
    bearer: Option<&str>,
) -> Result<Answer, ApiError> {
    let builder = match method {
        Method::Get => Request::get(url),
        Method::Post => Request::post(url),
        Method::Put => Request::put(url),
        Method::Patch => Request::patch(url),
        Method::Delete => Request::delete(url),
    }
    .header("Accept", "application/json, application/problem+json");
    let builder = match bearer {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    };
    let request = match payload {
        Payload::None => builder.build(),
        Payload::Json(json) => builder
            .header("Content-Type", "application/json")
            .body(json.as_str()),
        Payload::Blob(blob, content_type) => builder
            .header("Content-Type", content_type)
            .body(wasm_bindgen::JsValue::from((*blob).clone())),
    }
    .map_err(network_error(url))?;
    let response = request.send().await.map_err(network_error(url))?;
    let status = response.status();
    let status_text = response.status_text();
    let content_type = response.headers().get("content-type");
    // Read the body once as text: it is either the value or the problem.
    let body = response.text().await.map_err(network_error(url))?;
    Ok(Answer {
        status,
        status_text,
        content_type,
        body,
    })
}

/// An API path (such as `/api/v1/config`) as a URL on the configured API.
pub fn api_url(path: &str) -> String {
    runtime_config::current().api_url(path)
}

/// `GET` an API path without credentials and decode its JSON body.
pub async fn get_public<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let answer = exchange(Method::Get, &api_url(path), &Payload::None, None).await?;
    decode_answer(&answer)
}

/// `POST` JSON without credentials (login, register, refresh, logout).
pub async fn post_public<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let answer = exchange(
        Method::Post,
        &api_url(path),
        &Payload::Json(to_json(body)?),
        None,
    )
    .await?;
    decode_answer(&answer)
}

/// Sends bytes to an upload ticket's URL with exactly its headers (no
/// credentials: the URL is presigned, possibly on another origin).
pub async fn upload_to(ticket: &UploadTicket, blob: &web_sys::Blob) -> Result<(), ApiError> {
    let url = media_url(&ticket.url);
    let method = match ticket.method.to_ascii_uppercase().as_str() {
        "POST" => Request::post(&url),
        _ => Request::put(&url),
    };
    let builder = ticket
        .headers
        .iter()
        .fold(method, |builder, (name, value)| builder.header(name, value));
    let request = builder
        .body(wasm_bindgen::JsValue::from(blob.clone()))
        .map_err(network_error(&url))?;
    let response = request.send().await.map_err(network_error(&url))?;
    let answer = Answer {
        status: response.status(),
        status_text: response.status_text(),
        content_type: response.headers().get("content-type"),
        body: response.text().await.unwrap_or_default(),
    };
    check_answer(&answer)
}

/// A media URL from the API (stream, cover, avatar, upload) usable by the
/// browser: the local storage backend answers paths on the API's origin.
pub fn media_url(url: &str) -> String {
    if url.starts_with('/') {
        api_url(url)
    } else {
        url.to_owned()
    }
}

/// A query string value, percent-encoded.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

pub fn to_json<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|error| ApiError::Decode {
        message: error.to_string(),
    })
}

pub fn decode_answer<T: DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    decode_response(
        answer.status,
        &answer.status_text,
        answer.content_type.as_deref(),
        &answer.body,
    )
}

pub fn check_answer(answer: &Answer) -> Result<(), ApiError> {
    if (200..300).contains(&answer.status) {
        return Ok(());
    }
    decode_answer::<IgnoredAny>(answer).map(|_| ())
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
