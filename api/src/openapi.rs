//! The OpenAPI document, collected from the registered routes.
//! `soundstream openapi` prints it; `openapi.yaml` in the repository is
//! that output, and a test fails when the two differ.

use actix_web::App;
use soundstream_types::{FieldError, Problem};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "SoundStream API",
        description = "Self-hostable music streaming: accounts, media, catalogue, face login and lyrics translation. \
Every error is an RFC 9457 `application/problem+json` document. Lists use keyset pagination \
(`limit`, `cursor`; responses carry `items` and `next_cursor`).",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    tags(
        (name = "service", description = "Health, readiness and deployment features"),
    ),
    components(schemas(Problem, FieldError)),
)]
struct ApiDoc;

/// The whole document, as served at `/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_app, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    document
}

/// The document as YAML, as committed in `openapi.yaml`.
pub fn yaml() -> String {
    // Serialising an in-memory document of plain types cannot fail.
    document()
        .to_yaml()
        .expect("the OpenAPI document serialises to YAML")
}
