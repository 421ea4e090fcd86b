//! `/api/v1/me`: the signed-in user's own account.

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get, patch, put};
use soundstream_types::{ChangePasswordRequest, Problem, UpdateMeRequest, User};

use crate::auth::AuthUser;
use crate::http::error::ApiResult;
use crate::http::extractors::ClientAddress;
use crate::services::accounts;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

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
    Ok(Json(accounts::me(&state, &urls, &user).await?))
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
    Ok(Json(
        accounts::update_me(&state, &urls, &user, body.into_inner()).await?,
    ))
}

/// Changes the password. The current one is required; every other session
/// of the account is ended, and a face enrolment needs a password
/// confirmation (`POST /auth/confirm`) before face login accepts it again.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 422, description = "The current password is wrong, or the new one is not acceptable", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong current passwords", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/password")]
pub async fn change_password(
    state: Data<AppState>,
    user: AuthUser,
    ClientAddress(client): ClientAddress,
    body: Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    accounts::change_password(&state, &user, client, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
