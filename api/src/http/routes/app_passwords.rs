//! `/api/v1/me/app-passwords`: secrets for Subsonic apps (`/rest`). The
//! secret is shown once, when made; lists show names and last use.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, delete, get, post};
use soundstream_types::{AppPassword, CreateAppPasswordRequest, CreatedAppPassword, Problem};

use crate::auth::AuthUser;
use crate::http::error::ApiResult;
use crate::services::app_passwords;
use crate::state::AppState;

/// Makes an app password for a Subsonic app. The secret is in this answer
/// only: enter it in the app as the password (with your username) or as
/// its API key.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = CreateAppPasswordRequest,
    responses(
        (status = 201, description = "Created; the secret is shown this once", body = CreatedAppPassword,
            links(
                ("RevokeAppPassword" = (operation_id = "revoke_app_password", parameters(("id" = "$response.body#/id")))),
            )
        ),
        (status = 409, description = "Too many app passwords", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/app-passwords")]
pub async fn create_app_password(
    state: Data<AppState>,
    user: AuthUser,
    body: Json<CreateAppPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let created = app_passwords::create(&state, &user, &body).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Your app passwords, oldest first, without their secrets.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "Your app passwords", body = Vec<AppPassword>))
)]
#[get("/me/app-passwords")]
pub async fn list_app_passwords(
    state: Data<AppState>,
    user: AuthUser,
) -> ApiResult<Json<Vec<AppPassword>>> {
    Ok(Json(app_passwords::list(&state, &user).await?))
}

/// Revokes an app password: apps using it are refused from now on.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "App password id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No app password of yours has this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/app-passwords/{id}")]
pub async fn revoke_app_password(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    app_passwords::revoke(&state, &user, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
