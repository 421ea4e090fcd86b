//! `/api/v1/me`: the signed-in user's own account.

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get, patch, put};
use soundstream_types::{ChangePasswordRequest, Problem, UpdateMeRequest, UploadKind, User};

use crate::auth::AuthUser;
use crate::auth::password::{self, NewPassword};
use crate::auth::throttle::ThrottleKey;
use crate::clock::now_millis;
use crate::domain::{DisplayName, FieldErrors, LanguageCode, field_error};
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::persistence::{sessions, uploads, users};
use crate::routes::uploads::not_a_completed_upload;
use crate::startup::AppState;

fn account_gone() -> ApiError {
    ApiError::Unauthorized("This account no longer exists.".into())
}

/// The signed-in user.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = User),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
) -> ApiResult<Json<User>> {
    let mut conn = state.db.acquire().await?;
    let record = users::find_by_id(&mut conn, &user.id)
        .await?
        .ok_or_else(account_gone)?;
    Ok(Json(urls.user(&record).await?))
}

/// Changes the display name, preferred language or avatar (a completed
/// image upload of yours); `null` clears the language or the avatar.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: Data<AppState>,
    user: AuthUser,
    urls: MediaUrls,
    body: Json<UpdateMeRequest>,
) -> ApiResult<Json<User>> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let display_name = body
        .display_name
        .as_deref()
        .and_then(|name| errors.check(DisplayName::parse(name)));
    let language = match body.preferred_language {
        None => None,
        Some(None) => Some(None),
        Some(Some(code)) => errors
            .check(LanguageCode::parse("preferred_language", &code))
            .map(Some),
    };
    let mut conn = state.db.acquire().await?;
    if let Some(Some(upload_id)) = &body.avatar_upload_id {
        let upload = uploads::find_completed(&mut conn, upload_id, &user.id, UploadKind::Image)
            .await?
            .ok_or_else(|| not_a_completed_upload("avatar_upload_id", UploadKind::Image));
        errors.check(upload);
    }
    errors.into_result().map_err(ApiError::invalid_fields)?;

    let found = users::update_profile(
        &mut conn,
        &user.id,
        display_name.as_ref(),
        language.as_ref().map(Option::as_ref),
        body.avatar_upload_id.as_ref().map(Option::as_deref),
    )
    .await?;
    let record = users::find_by_id(&mut conn, &user.id)
        .await?
        .filter(|_| found)
        .ok_or_else(account_gone)?;
    Ok(Json(urls.user(&record).await?))
}

/// Changes the password. The current one is required; every other session
/// of the account is ended.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 403, description = "The current password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is not acceptable", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong current passwords", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/password")]
pub async fn change_password(
    state: Data<AppState>,
    user: AuthUser,
    body: Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    let new_password = NewPassword::parse("new_password", &new_password)
        .map_err(|error| ApiError::invalid_fields(vec![error]))?;

    let mut conn = state.db.acquire().await?;
    let record = users::find_by_id(&mut conn, &user.id)
        .await?
        .ok_or_else(account_gone)?;
    // A stolen access token must not become a way to guess the password.
    let policy = &state.settings.login_throttle;
    let keys = [ThrottleKey::account(&record.username)];
    if let Some(retry_after) = policy.locked_for(&mut conn, &keys).await? {
        return Err(ApiError::RateLimited { retry_after });
    }
    if !password::verify(current_password, Some(record.password_hash.clone())).await? {
        policy.record_failure(&mut conn, &keys).await?;
        return Err(ApiError::Validation {
            detail: "The current password is wrong.".into(),
            errors: vec![field_error("current_password", "is wrong")],
        });
    }
    drop(conn);

    let hash = password::hash(new_password).await?;
    let mut tx = state.db.begin_write().await?;
    users::update_password_hash(&mut tx, &user.id, &hash).await?;
    sessions::revoke_user_sessions(&mut tx, &user.id, Some(&user.session_id), now_millis()).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "password changed; other sessions ended");
    Ok(HttpResponse::NoContent().finish())
}
