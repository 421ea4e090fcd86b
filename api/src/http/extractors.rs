//! `AuthUser` and `AdminUser`: a handler states who may call it by taking
//! one of these. Both verify the bearer token alone, with no database
//! round trip, so any instance can check any request.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use jsonwebtoken::errors::ErrorKind;
use soundstream_types::Role;

use crate::error::ApiError;
use crate::startup::AppState;

/// A caller with a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub role: Role,
    /// The session (refresh-token family) the token belongs to.
    pub session_id: String,
}

/// A caller with a valid access token and the admin role.
#[derive(Debug, Clone)]
pub struct AdminUser(pub AuthUser);

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
