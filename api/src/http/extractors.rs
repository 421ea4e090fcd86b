//! What handlers take from a request besides its body: `AuthUser` and
//! `AdminUser` (a handler states who may call it by taking one of these;
//! both verify the bearer token alone, with no database round trip, so any
//! instance can check any request), the `MediaUrls` for answers, and the
//! client's address.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use jsonwebtoken::errors::ErrorKind;
use soundstream_types::Role;

use crate::auth::{AdminUser, AuthUser};
use crate::http::error::ApiError;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<Data<AppState>>()
        .ok_or_else(|| ApiError::Unauthorized("Authentication is not available here.".into()))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "Sign in first: send the access token as Authorization: Bearer <token>.".into(),
            )
        })?;
    let claims = state
        .tokens
        .verify_access_token(token)
        .map_err(|error| match error.kind() {
            ErrorKind::ExpiredSignature => ApiError::Unauthorized(
                "The access token has expired; refresh it at /api/v1/auth/refresh.".into(),
            ),
            _ => ApiError::Unauthorized("The access token is not valid.".into()),
        })?;
    Ok(AuthUser {
        id: claims.sub,
        role: claims.role,
        session_id: claims.sid,
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|user| match user.role {
            Role::Admin => Ok(Self(user)),
            Role::Listener => Err(ApiError::Forbidden(
                "Only administrators may do this.".into(),
            )),
        }))
    }
}

impl FromRequest for MediaUrls {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        // The configured origin, not the request's Host or X-Forwarded-Host:
        // those are the client's to forge, and the URLs go to other users.
        ready(
            req.app_data::<Data<AppState>>()
                .map(|state| {
                    MediaUrls::new(state.storage.store.clone(), state.public_origin.to_string())
                })
                .ok_or_else(|| ApiError::NotFound("Media is not available here.".into())),
        )
    }
}

/// The client's address: the peer, or behind a trusted load balancer the
/// last `X-Forwarded-For` entry (earlier entries are the client's to forge).
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for
        && let Some(forwarded) = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .last()
            .and_then(|last| last.parse::<IpAddr>().ok())
    {
        return Some(forwarded);
    }
    req.peer_addr().map(|addr| addr.ip())
}
