//! `/api/v1/admin/users`: listing users and changing roles and status.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{get, patch};
use serde::Deserialize;
use soundstream_types::{AdminUpdateUserRequest, Page, Problem, Role, User};

use crate::auth::AdminUser;
use crate::clock::now_millis;
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::pagination::PageQuery;
use crate::persistence::{sessions, users};
use crate::startup::AppState;

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
        (status = 200, description = "A page of users", body = Page<User>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
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
    let search = search.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let mut conn = state.db.acquire().await?;
    let rows = users::list(&mut conn, search, page.after.as_deref(), page.fetch_limit()).await?;
    let (rows, next_cursor) = page.page(rows, |user| user.username.clone());
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(urls.user(row).await?);
    }
    Ok(Json(Page { items, next_cursor }))
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
    let AdminUpdateUserRequest { role, disabled } = body.into_inner();
    let mut tx = state.db.begin_write().await?;
    let target = users::find_by_id(&mut tx, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No user has this id.".into()))?;
    let loses_admin = target.role == Role::Admin
        && !target.disabled
        && (role == Some(Role::Listener) || disabled == Some(true));
    if loses_admin && users::other_active_admins(&mut tx, &target.id).await? == 0 {
        return Err(ApiError::Conflict {
            detail: "This is the last enabled administrator: promote someone else first.".into(),
            errors: Vec::new(),
        });
    }
    users::update_role_and_status(&mut tx, &target.id, role, disabled).await?;
    let updated = users::find_by_id(&mut tx, &target.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No user has this id.".into()))?;
    if disabled == Some(true) {
        sessions::revoke_user_sessions(&mut tx, &target.id, None, now_millis()).await?;
    }
    tx.commit().await?;
    tracing::info!(
        admin_id = %admin.0.id,
        user_id = %updated.id,
        role = updated.role.as_str(),
        disabled = updated.disabled,
        "user updated by an administrator"
    );
    Ok(Json(urls.user(&updated).await?))
}
