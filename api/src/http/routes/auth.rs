//! `/api/v1/auth`: register, log in, refresh, log out.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use soundstream_types::{LoginRequest, Problem, RefreshRequest, RegisterRequest, TokenResponse};

use crate::http::error::ApiResult;
use crate::http::extractors::client_address;
use crate::services::media_urls::MediaUrls;
use crate::services::{accounts, sessions};
use crate::state::AppState;

/// Creates a listener account and signs it in.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = TokenResponse),
        (status = 409, description = "Username or email already taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: Data<AppState>,
    urls: MediaUrls,
    body: Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let tokens = accounts::register(&state, &urls, &body).await?;
    Ok(HttpResponse::Created().json(tokens))
}

/// Signs in with a username or email and a password.
///
/// Unknown accounts and wrong passwords get the same answer in similar
/// time. Failures are counted per account and per client address across
/// all instances; past a few, each one locks the account (or address) for
/// twice as long as the last, answered with 429 and `Retry-After`.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong login or password", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is disabled", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: Data<AppState>,
    req: HttpRequest,
    urls: MediaUrls,
    body: Json<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let client = client_address(&req, state.settings.trust_forwarded_for);
    Ok(Json(
        accounts::log_in(&state, &urls, client, body.into_inner()).await?,
    ))
}

/// Exchanges a refresh token for a new token pair. Each refresh token
/// works once; presenting a used one again ends the whole session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: Data<AppState>,
    urls: MediaUrls,
    body: Json<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(
        sessions::refresh(&state, &urls, &body.refresh_token).await?,
    ))
}

/// Ends the session the refresh token belongs to.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out (also when the token was unknown)"))
)]
#[post("/auth/logout")]
pub async fn logout(state: Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    sessions::end(&state, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}
