//! The OpenAPI document, collected from the registered routes.
//! `soundstream openapi` prints it; `openapi.yaml` in the repository is
//! that output, and a test fails when the two differ.

use actix_web::App;
use soundstream_types::{FieldError, Problem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::http::routes;

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
        (name = "auth", description = "Registration, login and sessions"),
        (name = "me", description = "The signed-in user's own account"),
        (name = "face", description = "Face login enrolment (503 when no face provider is configured)"),
        (name = "library", description = "Artists and albums"),
        (name = "songs", description = "Songs from audio uploads, playback URLs and lyrics"),
        (name = "translation", description = "Text and lyrics translation (503 when no provider is configured)"),
        (name = "uploads", description = "Upload sessions: presigned transfer straight to storage, then verification"),
        (name = "radio", description = "Stations every listener hears in sync, and their Icecast-compatible streams"),
        (name = "media", description = "Signed media URLs served by the API with local storage"),
        (name = "admin", description = "Administration; admins only"),
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

/// Declares the `bearer` scheme that protected operations name.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The access_token from /api/v1/auth/login, /register or /refresh",
                    ))
                    .build(),
            ),
        );
    }
}

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
