//! Request bodies and their limits: compressed bodies are refused before
//! anything inflates them, bodies must keep arriving (no slow-loris), the
//! error model of the JSON, query and path extractors, and bodies larger
//! than the default JSON limit (face images), read with an explicit bound
//! and parsed the same way.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut, Payload};
use actix_web::{HttpMessage, HttpRequest, ResponseError};
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;

use soundstream_types::FieldError;

use crate::http::error::ApiError;

/// Largest JSON body accepted by default; endpoints with other needs
/// (translation text, face images) set their own.
pub const JSON_BODY_LIMIT: usize = 256 * 1024;

/// Refuses any request body sent with a `Content-Encoding` (gzip, br, zstd,
/// deflate…) with a 415, before a byte of it is read. Nothing the API takes
/// needs one, and actix would otherwise inflate it chunk by chunk ahead of
/// the size limits: a few kilobytes of zstd become gigabytes in memory.
pub async fn refuse_encoded_bodies(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let encoded = req
        .headers()
        .get_all(header::CONTENT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("identity"));
    if encoded {
        let refusal = ApiError::UnsupportedMediaType(
            "Compressed request bodies are not accepted: send the body without Content-Encoding."
                .into(),
        );
        return Ok(req.into_response(refusal.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// A body that stops arriving for this long is abandoned.
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// After this long, a body must have averaged [`BODY_MIN_RATE`].
const BODY_GRACE: Duration = Duration::from_secs(10);
/// Bytes per second: a dial-up modem manages seven times this.
const BODY_MIN_RATE: u64 = 1024;

/// Makes every request body keep pace: a client that stops sending for
/// [`BODY_IDLE_TIMEOUT`], or trickles slower than [`BODY_MIN_RATE`] once
/// past a short grace, gets its request failed instead of holding a
/// connection and a worker's attention for ever. (Headers have their own
/// deadline: the server's client request timeout.)
pub async fn pace_bodies(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let payload = req.take_payload();
    let paced: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(PacedPayload {
        inner: payload,
        idle: Box::pin(tokio::time::sleep(BODY_IDLE_TIMEOUT)),
        started: Instant::now(),
        received: 0,
        failed: false,
    });
    req.set_payload(actix_web::dev::Payload::from(paced));
    Ok(next.call(req).await?.map_into_boxed_body())
}

struct PacedPayload {
    inner: actix_web::dev::Payload,
    idle: Pin<Box<tokio::time::Sleep>>,
    started: Instant,
    received: u64,
    failed: bool,
}

fn too_slow() -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the request body arrived too slowly",
    ))
}

impl Stream for PacedPayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.failed {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let elapsed = this.started.elapsed();
                if elapsed > BODY_GRACE && this.received < BODY_MIN_RATE * elapsed.as_secs() {
                    this.failed = true;
                    return Poll::Ready(Some(Err(too_slow())));
                }
                this.idle
                    .as_mut()
                    .reset(tokio::time::Instant::now() + BODY_IDLE_TIMEOUT);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Pending => match this.idle.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.failed = true;
                    Poll::Ready(Some(Err(too_slow())))
                }
                Poll::Pending => Poll::Pending,
            },
            other => other,
        }
    }
}

/// The whole body, refusing more than `limit` bytes with a 413.
pub async fn read_limited(mut payload: Payload, limit: usize) -> Result<Bytes, ApiError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| {
            ApiError::BadRequest(format!("The body could not be read: {error}"))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The request's media type, lower-cased, without parameters.
pub fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Parses a JSON body read with [`read_limited`].
pub fn parse_json<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T, ApiError> {
    if media_type(req) != "application/json" {
        return Err(ApiError::UnsupportedMediaType(
            "The request body must be JSON, sent with Content-Type: application/json.".into(),
        ));
    }
    serde_json::from_slice(body).map_err(|error| json_shape_error(&error))
}

/// JSON bodies: malformed → 400, wrong shape → 422 with the field, too big
/// → 413, not JSON → 415.
pub fn json_error(error: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api_error = match &error {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge { limit: *limit },
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
            "The request body must be JSON, sent with Content-Type: application/json.".to_owned(),
        ),
        JsonPayloadError::Deserialize(source) => json_shape_error(source),
        JsonPayloadError::Payload(PayloadError::Overflow) => ApiError::PayloadTooLarge {
            limit: JSON_BODY_LIMIT,
        },
        other => ApiError::BadRequest(format!("The request body could not be read: {other}")),
    };
    actix_web::error::InternalError::from_response(error, api_error.error_response()).into()
}

/// Malformed JSON → 400; well-formed JSON of the wrong shape → 422 naming
/// the field.
pub fn json_shape_error(source: &serde_json::Error) -> ApiError {
    if source.is_data() {
        let message = source.to_string();
        ApiError::Validation {
            detail: format!("The JSON body does not have the expected shape: {message}"),
            errors: vec![FieldError {
                field: field_from_serde_message(&message).unwrap_or_else(|| "body".to_owned()),
                message,
            }],
        }
    } else {
        ApiError::MalformedJson(format!("The request body is not valid JSON: {source}"))
    }
}

/// serde names the offending field in backticks (`missing field `email``).
fn field_from_serde_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    let field = &message[start..end];
    (!field.is_empty() && field.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| field.to_owned())
}

pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api_error = ApiError::BadRequest(format!("The query string is invalid: {error}"));
    actix_web::error::InternalError::from_response(error, api_error.error_response()).into()
}

pub fn path_error(error: PathError, _req: &HttpRequest) -> actix_web::Error {
    let api_error = ApiError::NotFound(format!("The address is not valid here: {error}"));
    actix_web::error::InternalError::from_response(error, api_error.error_response()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_yield_the_field_name() {
        assert_eq!(
            field_from_serde_message("missing field `email` at line 1 column 2").as_deref(),
            Some("email")
        );
        assert_eq!(
            field_from_serde_message("invalid type: string \"x\", expected u32").as_deref(),
            None
        );
    }
}
