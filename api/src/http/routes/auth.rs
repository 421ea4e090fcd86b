//! `/api/v1/auth`: register, log in, refresh, log out.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use soundstream_types::{
    LoginRequest, Problem, RefreshRequest, RegisterRequest, Role, TokenResponse,
};

use crate::auth::password::{self, NewPassword};
use crate::auth::sessions;
use crate::auth::throttle::login_keys;
use crate::domain::{DisplayName, Email, FieldErrors, Username, field_error};
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::persistence::users::{self, EMAIL_INDEX, NewUser, USERNAME_INDEX};
use crate::persistence::violated_unique_index;
use crate::startup::AppState;

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
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let username = errors.check(Username::parse(&body.username));
    let email = errors.check(Email::parse(&body.email));
    let new_password = errors.check(NewPassword::parse("password", &body.password));
    let display_name = errors.check(DisplayName::parse(
        body.display_name.as_deref().unwrap_or(&body.username),
    ));
    // A field that did not parse left its error behind.
    let (Some(username), Some(email), Some(new_password), Some(display_name)) =
        (username, email, new_password, display_name)
    else {
        return Err(ApiError::invalid_fields(errors.into_vec()));
    };

    let password_hash = password::hash(new_password).await?;
    let mut tx = state.db.begin_write().await?;
    let inserted = users::insert(
        &mut tx,
        &NewUser {
            username: &username,
            email: &email,
            display_name: &display_name,
            password_hash: &password_hash,
            role: Role::Listener,
        },
    )
    .await;
    let user = match inserted {
        Ok(user) => user,
        Err(error) => {
            return Err(
                match violated_unique_index(&error, &[USERNAME_INDEX, EMAIL_INDEX]) {
                    Some(USERNAME_INDEX) => taken("username", "This username is already taken."),
                    Some(_) => taken("email", "An account with this email already exists."),
                    None => error.into(),
                },
            );
        }
    };
    let tokens = sessions::start(&state, &urls, &mut tx, &user).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, username = %user.username, "account registered");
    Ok(HttpResponse::Created().json(tokens))
}

fn taken(field: &str, detail: &str) -> ApiError {
    ApiError::Conflict {
        detail: detail.to_owned(),
        errors: vec![field_error(field, "is already taken")],
    }
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized("The login or password is incorrect.".into())
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
    let LoginRequest { login, password } = body.into_inner();
    let policy = &state.settings.login_throttle;
    let keys = login_keys(&req, &login, state.settings.trust_forwarded_for);

    let mut conn = state.db.acquire().await?;
    if let Some(retry_after) = policy.locked_for(&mut conn, &keys).await? {
        tracing::warn!(outcome = "locked", "login refused: too many failures");
        return Err(ApiError::RateLimited { retry_after });
    }
    let user = users::find_by_login(&mut conn, &login).await?;
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    if !password::verify(password, stored_hash).await? {
        policy.record_failure(&mut conn, &keys).await?;
        tracing::info!(outcome = "failure", "login failed");
        return Err(invalid_credentials());
    }
    let user = user.ok_or_else(invalid_credentials)?;
    if user.disabled {
        tracing::info!(user_id = %user.id, outcome = "disabled", "login refused");
        return Err(ApiError::Forbidden(
            "This account is disabled; ask an administrator.".into(),
        ));
    }
    policy.clear_account(&mut conn, &login).await?;
    drop(conn);

    let tokens = sessions::sign_in(&state, &urls, &user).await?;
    tracing::info!(user_id = %user.id, outcome = "success", "signed in");
    Ok(Json(tokens))
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
