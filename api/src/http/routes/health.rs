//! Liveness (`/healthz`) and readiness (`/readyz`) probes for the load
//! balancer and orchestrator.

use std::time::Duration;

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get};
use soundstream_types::{CheckStatus, Health, Problem, ProblemKind, Readiness, ReadinessChecks};

use crate::http::error::problem_response;
use crate::state::AppState;
use crate::telemetry::error_chain;

/// A dependency slower than this counts as unreachable for routing purposes.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is alive and answering.
#[utoipa::path(
    tag = "service",
    responses((status = 200, description = "The process is alive", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: CheckStatus::Ok,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// Whether this instance should receive traffic: the database and media
/// storage answer and the instance is not shutting down.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Ready for traffic", body = Readiness),
        (status = 503, description = "Draining after SIGTERM, or the database or storage is unreachable",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: Data<AppState>) -> HttpResponse {
    if state.lifecycle.is_draining() {
        return unavailable("This instance is shutting down and no longer takes traffic.");
    }
    match tokio::time::timeout(CHECK_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(error = %error_chain(&error), "readiness: database check failed");
            return unavailable("The database is unreachable.");
        }
        Err(_) => return unavailable("The database did not answer in time."),
    }
    match tokio::time::timeout(CHECK_TIMEOUT, state.storage.store.check()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(error = %error_chain(&error), "readiness: storage check failed");
            return unavailable("Media storage is unreachable.");
        }
        Err(_) => return unavailable("Media storage did not answer in time."),
    }
    HttpResponse::Ok().json(Readiness {
        status: CheckStatus::Ok,
        checks: ReadinessChecks {
            database: CheckStatus::Ok,
            storage: CheckStatus::Ok,
        },
    })
}

fn unavailable(detail: &str) -> HttpResponse {
    problem_response(Problem::new(ProblemKind::ServiceUnavailable, detail))
}
