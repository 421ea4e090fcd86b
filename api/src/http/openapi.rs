//! The OpenAPI document, collected from the registered routes.
//! `soundstream openapi` prints it; `openapi.yaml` in the repository is
//! that output, and a test fails when the two differ.

use actix_web::App;
use soundstream_types::{FieldError, Problem};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
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

/// Documents the answers the shared extractors give on every operation
/// that uses them, so no handler has to repeat them (and none can forget):
/// `AuthUser`/`MaybeUser`/`AdminUser` answer 401 to a missing, invalid or
/// expired token or an ended session; `Json` answers 400 to malformed
/// JSON, 413 past the body limit, 415 to another content type and 422 to
/// the wrong shape (`http::body::json_error`); `Query` answers 400 to a
/// query string that does not parse (`http::body::query_error`). An
/// operation's own description of a status wins.
struct ExtractorAnswers;

impl ExtractorAnswers {
    fn add(operation: &mut Operation, status: &str, description: &str) {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description));
    }
}

fn problem_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            soundstream_types::PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

impl Modify for ExtractorAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let takes_a_token = operation.security.iter().flatten().any(|requirement| {
                    serde_json::to_value(requirement)
                        .is_ok_and(|value| value.get("bearer").is_some())
                });
                if takes_a_token {
                    Self::add(
                        operation,
                        "401",
                        "The access token is missing, invalid or expired, or its session has ended",
                    );
                }
                let takes_json = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| {
                        matches!(body, RefOr::T(body) if body.content.contains_key("application/json"))
                    });
                if takes_json {
                    Self::add(operation, "400", "The body is not valid JSON");
                    Self::add(
                        operation,
                        "413",
                        "The body is larger than this operation accepts",
                    );
                    Self::add(operation, "415", "The body is not sent as application/json");
                    Self::add(
                        operation,
                        "422",
                        "The body does not have the expected shape",
                    );
                }
                let takes_a_query = operation.parameters.iter().flatten().any(|parameter| {
                    matches!(parameter, RefOr::T(p) if p.parameter_in == ParameterIn::Query)
                });
                if takes_a_query {
                    Self::add(operation, "400", "The query string does not parse");
                }
            }
        }
    }
}

/// The whole document, as served at `/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_app, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    // After the routes are merged in: the answers belong to their operations.
    ExtractorAnswers.modify(&mut document);
    document
}

/// The document as served at `/openapi.json`, serialised once at start.
pub struct DocumentJson(actix_web::web::Bytes);

impl DocumentJson {
    pub fn of(document: &utoipa::openapi::OpenApi) -> Result<Self, serde_json::Error> {
        Ok(Self(serde_json::to_vec(document)?.into()))
    }
}

/// `GET /openapi.json`.
pub async fn serve_json(document: actix_web::web::Data<DocumentJson>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(mime::APPLICATION_JSON)
        .body(document.0.clone())
}

/// The document as YAML, as committed in `openapi.yaml`.
pub fn yaml() -> String {
    // Serialising an in-memory document of plain types cannot fail.
    document()
        .to_yaml()
        .expect("the OpenAPI document serialises to YAML")
}
