//! HTTP handlers, one file per resource. [`configure`] registers them all;
//! the OpenAPI document is collected from the same registration, so the
//! served routes and the published contract cannot drift apart.

pub mod fallback;
pub mod health;
pub mod service_config;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Mounts every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(scope("/api/v1").service(service_config::get_service_config));
}
