//! Request bodies and their limits: compressed bodies are refused before
//! anything inflates them, the error model of the JSON, query and path
//! extractors, and bodies larger than the default JSON limit (face images),
//! read with an explicit bound and parsed the same way.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut, Payload};
use actix_web::{HttpRequest, ResponseError};
use futures_util::StreamExt;
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
