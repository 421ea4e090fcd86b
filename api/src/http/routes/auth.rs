//! `/api/v1/auth`: register, log in, refresh, log out (here or
//! everywhere), and confirm the password for sensitive changes; and
//! `/api/v1/setup/first-admin`, a new server's first administrator.

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, post};
use soundstream_types::{
    ConfirmRequest, Confirmation, LoginRequest, Problem, RefreshRequest, RegisterRequest,
    TokenResponse,
};

use crate::auth::AuthUser;
use crate::http::error::ApiResult;
use crate::http::extractors::ClientAddress;
use crate::services::media_urls::MediaUrls;
use crate::services::{accounts, sessions};
use crate::state::AppState;

/// Creates a listener account and signs it in. Each client address may
/// register a limited number of accounts per hour (across all instances).
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = TokenResponse),
        (status = 409, description = "Username or email already taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many passwords being checked at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: Data<AppState>,
    urls: MediaUrls,
    ClientAddress(client): ClientAddress,
    body: Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let tokens = accounts::register(&state, &urls, client, &body).await?;
    Ok(HttpResponse::Created().json(tokens))
}

/// Creates the server's first administrator and signs them in: what a new
/// server's player offers while no administrator exists
/// (`needs_first_admin` in `GET /config`). Refused with 409 as soon as one
/// exists, whoever made it (two people racing on any instances: one wins).
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "The first administrator, signed in", body = TokenResponse),
        (status = 409, description = "An administrator already exists, or the username or email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many accounts from this address; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many passwords being checked at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/setup/first-admin")]
pub async fn create_first_admin(
    state: Data<AppState>,
    urls: MediaUrls,
    ClientAddress(client): ClientAddress,
    body: Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let tokens = accounts::create_first_admin(&state, &urls, client, &body).await?;
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
        (status = 503, description = "Too many passwords being checked at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: Data<AppState>,
    ClientAddress(client): ClientAddress,
    urls: MediaUrls,
    body: Json<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(
        accounts::log_in(&state, &urls, client, body.into_inner()).await?,
    ))
}

/// Exchanges a refresh token for a new token pair. Each refresh token
/// works once: presenting it again within 20 seconds (a retry, another
/// tab) returns the same new pair; later, it ends the whole session.
/// Sessions end 30 days after sign-in however often they refresh, and
/// after 7 days without a refresh (both configurable).
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

/// Ends every session of your account, this one included. A face
/// enrolment is kept but needs a password confirmation before face login
/// accepts it again.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Every session ended"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout-everywhere")]
pub async fn logout_everywhere(state: Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    sessions::end_everywhere(&state, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Confirms your password in this session ("sudo mode"): for five minutes
/// the session may enrol, replace or remove a face, and a face enrolment
/// paused by a password change or signing out everywhere works again.
/// Wrong passwords count towards the sign-in lockout.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Confirmed", body = Confirmation),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many passwords being checked at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/confirm")]
pub async fn confirm(
    state: Data<AppState>,
    user: AuthUser,
    ClientAddress(client): ClientAddress,
    body: Json<ConfirmRequest>,
) -> ApiResult<Json<Confirmation>> {
    Ok(Json(
        accounts::confirm_password(&state, &user, client, body.into_inner()).await?,
    ))
}
