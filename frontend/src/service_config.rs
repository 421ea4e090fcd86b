//! What this deployment offers (`GET /api/v1/config`: optional features,
//! upload limits, languages), loaded once by the app and read by any page.

use leptos::prelude::*;
use soundstream_types::ServiceConfig;

use crate::transport::{self, ApiError};

/// The service configuration as the app provides it.
pub type ServiceConfigResource = LocalResource<Result<ServiceConfig, ApiError>>;

/// `GET /api/v1/config` (public: the sign-in screens need it too).
pub async fn load() -> Result<ServiceConfig, ApiError> {
    transport::get_public("/api/v1/config").await
}

/// Starts loading the configuration and provides it to every component below.
pub fn provide() {
    provide_context::<ServiceConfigResource>(LocalResource::new(load));
}

pub fn use_service_config() -> ServiceConfigResource {
    expect_context::<ServiceConfigResource>()
}
