//! Request bodies larger than the default JSON limit (face images): read
//! with an explicit bound, and parsed with the same error model as the
//! regular JSON extractor.

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut, Payload};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, json_shape_error};

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
