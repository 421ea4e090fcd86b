//! What handlers take from a request besides its body: `AuthUser` and
//! `AdminUser` (a handler states who may call it by taking one of these),
//! the `MediaUrls` for answers, and the client's address.
//!
//! The bearer token is verified by signature alone; then its session's
//! standing is checked (see `auth::standing`): from this instance's
//! memory of the last few seconds for reads, from the database for
//! anything that changes data and for every admin route.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::{Method, header};
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::errors::ErrorKind;
use soundstream_types::Role;

use crate::auth::{AdminUser, AuthUser};
use crate::config::TrustedProxies;
use crate::http::error::ApiError;
use crate::services::media_urls::MediaUrls;
use crate::services::sessions;
use crate::state::AppState;

/// The caller of a request whose token verified, before its session's
/// standing is checked.
fn verify_token(req: &HttpRequest) -> Result<AuthUser, ApiError> {
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

/// `user` (whose token verified) if their session still stands; `fresh`
/// reads the session from the database rather than from recent memory.
async fn still_standing(
    req: HttpRequest,
    user: AuthUser,
    fresh: bool,
) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<Data<AppState>>()
        .ok_or_else(|| ApiError::Unauthorized("Authentication is not available here.".into()))?;
    sessions::check_access(state, &user, fresh).await?;
    Ok(user)
}

/// Whether the request may change something (and so must see a logout or
/// a disabled account at once).
fn changes_data(req: &HttpRequest) -> bool {
    !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let fresh = changes_data(req);
        let req = req.clone();
        Box::pin(async move {
            let user = verify_token(&req)?;
            still_standing(req, user, fresh).await
        })
    }
}

/// The caller when the request carries a bearer token (which must then be
/// valid: an expired token is a 401, not an anonymous call); `None`
/// without one. For what anyone may read and members may read more of.
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if !req.headers().contains_key(header::AUTHORIZATION) {
                return Ok(Self(None));
            }
            let user = verify_token(&req)?;
            Ok(Self(Some(still_standing(req, user, false).await?)))
        })
    }
}

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            // The token's role is checked first, so a listener costs no query.
            let user = verify_token(&req)?;
            if user.role != Role::Admin {
                return Err(ApiError::Forbidden(
                    "Only administrators may do this.".into(),
                ));
            }
            still_standing(req, user, true).await.map(Self)
        })
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

/// The client's address (see [`client_address`]).
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let proxies = req
            .app_data::<Data<AppState>>()
            .map(|state| state.settings.trusted_proxies.clone())
            .unwrap_or_default();
        ready(Ok(Self(client_address(req, &proxies))))
    }
}

/// The client's address: the peer, or behind trusted load balancers the
/// rightmost `X-Forwarded-For` entry that is not one of them (entries to
/// its left are the client's to forge).
pub fn client_address(req: &HttpRequest, proxies: &TrustedProxies) -> Option<IpAddr> {
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    proxies.client(req.peer_addr().map(|addr| addr.ip()), &forwarded)
}
