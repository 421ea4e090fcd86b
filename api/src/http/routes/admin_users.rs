//! `/api/v1/admin/users`: listing users and changing roles and status.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{get, patch};
use serde::Deserialize;
use soundstream_types::{AdminUpdateUserRequest, Page, Problem, User};

use crate::auth::AdminUser;
use crate::domain::pagination::PageQuery;
use crate::http::error::{ApiError, ApiResult};
use crate::services::accounts;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearch {
    /// Part of a username, email or display name (case-insensitive).
    pub q: Option<String>,
}

/// Users ordered by username, optionally filtered.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(UserSearch, PageQuery),
    responses(
        (status = 200, description = "A page of users", body = Page<User>,
            links(
                ("UpdateFirstUser" = (operation_id = "update_user", parameters(("id" = "$response.body#/items/0/id")))),
            )
        ),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    state: Data<AppState>,
    _admin: AdminUser,
    urls: MediaUrls,
    search: Query<UserSearch>,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<User>>> {
    let page = page.parse().map_err(ApiError::invalid_fields)?;
    Ok(Json(
        accounts::list_users(&state, &urls, search.q.as_deref(), &page).await?,
    ))
}

/// Changes a user's role or disabled flag. The last enabled admin can be
/// neither demoted nor disabled; disabling ends the user's sessions.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    request_body = AdminUpdateUserRequest,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It would leave no enabled administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/admin/users/{id}")]
pub async fn update_user(
    state: Data<AppState>,
    admin: AdminUser,
    urls: MediaUrls,
    id: Path<String>,
    body: Json<AdminUpdateUserRequest>,
) -> ApiResult<Json<User>> {
    Ok(Json(
        accounts::update_user(&state, &urls, &admin, &id, body.into_inner()).await?,
    ))
}
