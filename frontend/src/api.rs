//! Calls to the SoundStream JSON API as the signed-in user: the access token
//! comes from [`crate::auth`] (refreshed first when it is about to expire,
//! and once more if the API still answers 401); the exchange itself and the
//! error type come from [`crate::transport`], re-exported here so pages
//! need only this module.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth;
use crate::transport::{Answer, Payload, api_url, check_answer, decode_answer, exchange, to_json};
pub use crate::transport::{ApiError, Method, encode, media_url, upload_to};

/// Sends a request as the signed-in user: the access token is refreshed
/// first when it is about to expire, and once more if the API still
/// answers 401 (a token revoked or expired early).
async fn authed(method: Method, path: &str, payload: Payload<'_>) -> Result<Answer, ApiError> {
    let url = api_url(path);
    let token = auth::access_token().await?;
    let answer = exchange(method, &url, &payload, token.as_deref()).await?;
    if answer.status != 401 || token.is_none() {
        return Ok(answer);
    }
    let token = auth::refresh_now().await?;
    exchange(method, &url, &payload, Some(&token)).await
}

/// `GET` as the signed-in user.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode_answer(&authed(Method::Get, path, Payload::None).await?)
}

/// A JSON request as the signed-in user, decoding the JSON answer.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode_answer(&authed(method, path, Payload::Json(to_json(body)?)).await?)
}

/// A `POST` without a body as the signed-in user, decoding the JSON answer.
pub async fn post_empty<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode_answer(&authed(Method::Post, path, Payload::None).await?)
}

/// A request as the signed-in user whose success has no body (204).
pub async fn send_empty<B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<(), ApiError> {
    let payload = match body {
        Some(body) => Payload::Json(to_json(body)?),
        None => Payload::None,
    };
    check_answer(&authed(method, path, payload).await?)
}

/// Sends a file as the request body (face enrolment), decoding the answer.
pub async fn send_blob<T: DeserializeOwned>(
    method: Method,
    path: &str,
    blob: &web_sys::Blob,
    content_type: &str,
) -> Result<T, ApiError> {
    decode_answer(&authed(method, path, Payload::Blob(blob, content_type)).await?)
}
