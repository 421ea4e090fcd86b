//! Logs and request correlation: the tracing subscriber (text or JSON), and
//! the middleware that gives every request an id (taken from `X-Request-Id`
//! or generated), a span carrying it, and one log line when it ends.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::{Instrument, Level};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{LogFormat, LogSettings};

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Installs the global subscriber. Logs go to `writer` (stdout in the
/// binary, a sink in tests unless `TEST_LOG` is set).
pub fn init_subscriber<W>(settings: &LogSettings, writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(&settings.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    // `try_init` fails only when a subscriber is already installed (tests
    // starting several apps in one process), which is fine to ignore.
    let _ = match settings.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// The id of the request being served, readable from anywhere inside it
/// (error responses include it in the problem document).
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub id: String,
    pub path: String,
}

tokio::task_local! {
    static REQUEST_CONTEXT: RequestContext;
}

/// The current request's context, if called while serving one.
pub fn current_request() -> Option<RequestContext> {
    REQUEST_CONTEXT.try_with(Clone::clone).ok()
}

/// Accepts a client-supplied id only when it is short and printable, so
/// logs cannot be forged or flooded through the header.
fn incoming_request_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(&REQUEST_ID_HEADER)?.to_str().ok()?;
    let acceptable = (1..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    acceptable.then(|| value.to_owned())
}

/// Middleware: request id, request span and the access log line.
pub async fn request_telemetry(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, Error> {
    let started = Instant::now();
    let request_id = incoming_request_id(&req).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let method = req.method().clone();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %request_id);
    let context = RequestContext {
        id: request_id.clone(),
        path: path.clone(),
    };

    let result = REQUEST_CONTEXT
        .scope(context, next.call(req).instrument(span.clone()))
        .await;

    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match result {
        Ok(mut response) => {
            let route = response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".to_owned());
            let status = response.status().as_u16();
            if let Ok(value) = HeaderValue::from_str(&request_id) {
                response.headers_mut().insert(REQUEST_ID_HEADER, value);
            }
            match access_log_level(status) {
                Level::ERROR => {
                    tracing::error!(%method, %route, %path, status, latency_ms, "request finished");
                }
                Level::WARN => {
                    tracing::warn!(%method, %route, %path, status, latency_ms, "request finished");
                }
                _ => tracing::info!(%method, %route, %path, status, latency_ms, "request finished"),
            }
            Ok(response)
        }
        Err(error) => {
            tracing::error!(%method, %path, latency_ms, %error, "request failed");
            Err(error)
        }
    }
}

/// A 5xx is an error, except 503: "not now" is a service doing its job
/// (readiness draining at every balancer check, sign-ins shed while
/// password hashing is at capacity, a dependency down), and the failure
/// behind it, if any, is logged where it was found.
fn access_log_level(status: u16) -> Level {
    match status {
        503 => Level::WARN,
        500.. => Level::ERROR,
        _ => Level::INFO,
    }
}

/// `error: cause: cause` on one line, for logs.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saying_not_now_is_a_warning_and_other_5xx_are_errors() {
        assert_eq!(access_log_level(503), Level::WARN);
        assert_eq!(access_log_level(500), Level::ERROR);
        assert_eq!(access_log_level(502), Level::ERROR);
        assert_eq!(access_log_level(200), Level::INFO);
        assert_eq!(access_log_level(404), Level::INFO);
    }
}
