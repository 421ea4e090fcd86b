//! `GET /api/v1/admin/jobs`: the background work queue.

use actix_web::get;
use actix_web::web::{Data, Json};
use soundstream_types::{JobsOverview, Problem};

use crate::auth::AdminUser;
use crate::http::error::ApiResult;
use crate::services::jobs;
use crate::state::AppState;

/// Renditions and loudness analysis: jobs by state and kind, and the
/// latest failures with their reasons.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job queue", body = JobsOverview),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/jobs")]
pub async fn jobs_overview(
    state: Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<Json<JobsOverview>> {
    Ok(Json(jobs::overview(&state).await?))
}
