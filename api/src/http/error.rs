//! The API's error type and the RFC 9457 problem-document error model.
//!
//! Handlers return `ApiError`; the services' errors convert into it once,
//! here. Responses produced by actix itself (unknown routes, extractor
//! failures, file errors) are rewritten into problem documents by
//! [`problem_error_handlers`], so no error body ever escapes in another shape.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, ResponseError};
use soundstream_types::{FieldError, PROBLEM_CONTENT_TYPE, Problem, ProblemKind};

use crate::auth::AuthError;
use crate::db::DbError;
use crate::services::ServiceError;
use crate::telemetry::{current_request, error_chain};

pub type ApiResult<T, E = ApiError> = Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{method} is not allowed here; allowed: {}", allowed_list(.allowed))]
    MethodNotAllowed {
        method: Method,
        allowed: Vec<Method>,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    MalformedJson(String),
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("the request body is larger than the {limit} bytes accepted here")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{detail}")]
    Conflict {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("too many attempts; try again in {} seconds", retry_after_seconds(.retry_after))]
    RateLimited { retry_after: std::time::Duration },
    #[error("{0}")]
    QuotaExceeded(String),
    #[error("{detail}")]
    BudgetExhausted {
        detail: String,
        retry_after: std::time::Duration,
    },
    #[error("database unavailable")]
    Database(#[from] DbError),
    #[error("authentication machinery failed")]
    Auth(#[from] AuthError),
    #[error("media storage failed")]
    Storage(#[from] soundstream_storage::StorageError),
    #[error("a background task failed")]
    Task(#[from] tokio::task::JoinError),
    #[error("the answer could not be written as JSON")]
    Serialization(#[from] serde_json::Error),
    /// A handler panicked (a bug): caught by `http::panics`.
    #[error("the request handler panicked: {0}")]
    Panicked(String),
    #[error("{0}")]
    FeatureDisabled(String),
    #[error("{detail}")]
    ProviderUnavailable {
        detail: String,
        retry_after: std::time::Duration,
    },
    #[error("{0}")]
    ProviderFailed(String),
    #[error("{detail}")]
    Busy {
        detail: String,
        retry_after: std::time::Duration,
    },
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::NotFound(detail) => Self::NotFound(detail),
            ServiceError::Validation { detail, errors } => Self::Validation { detail, errors },
            ServiceError::Conflict { detail, errors } => Self::Conflict { detail, errors },
            ServiceError::Unauthorized(detail) => Self::Unauthorized(detail),
            ServiceError::Forbidden(detail) => Self::Forbidden(detail),
            ServiceError::RateLimited { retry_after } => Self::RateLimited { retry_after },
            ServiceError::TooLarge { limit } => Self::PayloadTooLarge { limit },
            ServiceError::QuotaExceeded(detail) => Self::QuotaExceeded(detail),
            ServiceError::BudgetExhausted {
                detail,
                retry_after,
            } => Self::BudgetExhausted {
                detail,
                retry_after,
            },
            ServiceError::FeatureDisabled(detail) => Self::FeatureDisabled(detail),
            ServiceError::ProviderUnavailable {
                detail,
                retry_after,
            } => Self::ProviderUnavailable {
                detail,
                retry_after,
            },
            ServiceError::ProviderFailed(detail) => Self::ProviderFailed(detail),
            ServiceError::Busy {
                detail,
                retry_after,
            } => Self::Busy {
                detail,
                retry_after,
            },
            ServiceError::Database(error) => Self::Database(error),
            ServiceError::Auth(error) => Self::Auth(error),
            ServiceError::Storage(error) => Self::Storage(error),
            ServiceError::Task(error) => Self::Task(error),
        }
    }
}

/// A query string or path parameter that did not parse.
impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        Self::invalid_fields(vec![error])
    }
}

fn retry_after_seconds(duration: &std::time::Duration) -> u64 {
    // Round up: a client waiting the advertised time must find the lock gone.
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

fn allowed_list(allowed: &[Method]) -> String {
    allowed
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl ApiError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            Self::NotFound(_) => ProblemKind::NotFound,
            Self::MethodNotAllowed { .. } => ProblemKind::MethodNotAllowed,
            Self::BadRequest(_) => ProblemKind::BadRequest,
            Self::MalformedJson(_) => ProblemKind::MalformedJson,
            Self::Validation { .. } => ProblemKind::Validation,
            Self::PayloadTooLarge { .. } => ProblemKind::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ProblemKind::UnsupportedMediaType,
            Self::Unauthorized(_) => ProblemKind::Unauthorized,
            Self::Forbidden(_) => ProblemKind::Forbidden,
            Self::Conflict { .. } => ProblemKind::Conflict,
            Self::RateLimited { .. } | Self::BudgetExhausted { .. } => ProblemKind::RateLimited,
            Self::QuotaExceeded(_) => ProblemKind::QuotaExceeded,
            Self::Database(error) if error.is_unavailable() || error.is_disk_full() => {
                ProblemKind::ServiceUnavailable
            }
            Self::Storage(_) | Self::ProviderUnavailable { .. } | Self::Busy { .. } => {
                ProblemKind::ServiceUnavailable
            }
            Self::FeatureDisabled(_) => ProblemKind::FeatureDisabled,
            Self::ProviderFailed(_) => ProblemKind::BadGateway,
            Self::Database(_)
            | Self::Auth(_)
            | Self::Task(_)
            | Self::Serialization(_)
            | Self::Panicked(_) => ProblemKind::Internal,
        }
    }

    /// A full disk, under the database or local media storage: a 503 that
    /// says so, with no `Retry-After` (waiting will not free space).
    fn is_disk_full(&self) -> bool {
        match self {
            Self::Database(error) => error.is_disk_full(),
            Self::Storage(soundstream_storage::StorageError::Io(error)) => {
                error.kind() == std::io::ErrorKind::StorageFull
            }
            _ => false,
        }
    }

    /// A 422 listing every invalid field.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        Self::Validation {
            detail: format!("Some fields are invalid: {}.", fields.join(", ")),
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let kind = self.kind();
        let detail = if let Self::FeatureDisabled(detail)
        | Self::ProviderUnavailable { detail, .. }
        | Self::Busy { detail, .. } = self
        {
            // Safe and useful to show: what is off, or which provider is down.
            detail.clone()
        } else if kind.status() >= 500 {
            // The cause goes to the log with its whole chain, never to the
            // client. A database known to be down was logged once when it
            // was found down: each request refused for it is only a warning.
            if matches!(self, Self::Database(DbError::Unreachable)) {
                tracing::warn!(error = %error_chain(self), "request refused: the database is down");
            } else {
                tracing::error!(error = %error_chain(self), "request failed on the server side");
            }
            match kind {
                ProblemKind::ServiceUnavailable if self.is_disk_full() => {
                    "The server's disk is full; nothing was saved. An operator must free space."
                        .to_owned()
                }
                ProblemKind::ServiceUnavailable => {
                    "A backing service is unavailable; try again shortly.".to_owned()
                }
                _ => "Something went wrong on our side; it has been logged.".to_owned(),
            }
        } else {
            self.to_string()
        };
        let mut problem = Problem::new(kind, detail);
        if let Self::Validation { errors, .. } | Self::Conflict { errors, .. } = self {
            problem = problem.with_errors(errors.clone());
        }
        let mut response = problem_response(problem);
        if let Self::MethodNotAllowed { allowed, .. } = self
            && let Ok(value) = HeaderValue::from_str(&allowed_list(allowed))
        {
            response.headers_mut().insert(header::ALLOW, value);
        }
        if kind == ProblemKind::ServiceUnavailable && !self.is_disk_full() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if let Self::RateLimited { retry_after }
        | Self::ProviderUnavailable { retry_after, .. }
        | Self::Busy { retry_after, .. }
        | Self::BudgetExhausted { retry_after, .. } = self
        {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after_seconds(retry_after)),
            );
        }
        if kind == ProblemKind::Unauthorized {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Serialises a problem, adding the current request's id and path.
pub fn problem_response(mut problem: Problem) -> HttpResponse {
    if let Some(request) = current_request() {
        problem.request_id.get_or_insert(request.id);
        problem.instance.get_or_insert(request.path);
    }
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .content_type(PROBLEM_CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(problem)
}

/// A problem for a status with no more specific meaning (RFC 9457 §4.2.1:
/// `about:blank`, titled with the status phrase).
fn problem_for_status(status: StatusCode) -> Problem {
    match ProblemKind::ALL
        .into_iter()
        .find(|kind| kind.status() == status.as_u16())
    {
        Some(kind) => Problem::new(kind, default_detail(status)),
        None => Problem {
            problem_type: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: default_detail(status),
            instance: None,
            errors: Vec::new(),
            request_id: None,
        },
    }
}

fn default_detail(status: StatusCode) -> String {
    match status {
        StatusCode::NOT_FOUND => "Nothing exists at this address.".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => "This method is not allowed here.".to_owned(),
        StatusCode::RANGE_NOT_SATISFIABLE => {
            "The requested range lies outside the resource.".to_owned()
        }
        StatusCode::PRECONDITION_FAILED => "A request precondition did not hold.".to_owned(),
        status if status.is_server_error() => {
            "Something went wrong on our side; it has been logged.".to_owned()
        }
        status => format!(
            "The request failed: {}.",
            status.canonical_reason().unwrap_or("client error")
        ),
    }
}

/// Rewrites every error response that is not yet a problem document
/// (actix's own 404/405/400s, file-serving errors) into one, keeping its
/// status and headers such as `Allow` or CORS.
pub fn problem_error_handlers<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|response: ServiceResponse<B>| {
        let is_problem = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with(PROBLEM_CONTENT_TYPE));
        if is_problem {
            return Ok(ErrorHandlerResponse::Response(
                response.map_into_left_body(),
            ));
        }
        let status = response.status();
        let (request, original) = response.into_parts();
        let mut rewritten = problem_response(problem_for_status(status));
        for (name, value) in original.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                rewritten.headers_mut().insert(name.clone(), value.clone());
            }
        }
        let rewritten: HttpResponse<BoxBody> = rewritten;
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(request, rewritten).map_into_right_body::<B>(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use actix_web::test as actix_test;
    use actix_web::{App, web};

    use super::*;
    use crate::http::body::json_error;

    #[derive(Debug, serde::Deserialize)]
    struct Greeting {
        #[serde(rename = "name")]
        _name: String,
    }

    async fn echo(_body: web::Json<Greeting>) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    /// The JSON error model as the server configures it, on a JSON route.
    async fn post(content_type: &str, body: &'static str) -> (StatusCode, Problem) {
        let app = actix_test::init_service(
            App::new()
                .app_data(
                    web::JsonConfig::default()
                        .limit(64)
                        .error_handler(json_error),
                )
                .route("/echo", web::post().to(echo))
                .wrap(problem_error_handlers()),
        )
        .await;
        let request = actix_test::TestRequest::post()
            .uri("/echo")
            .insert_header((header::CONTENT_TYPE, content_type))
            .set_payload(body)
            .to_request();
        let response = actix_test::call_service(&app, request).await;
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        assert_eq!(
            content_type,
            Some(HeaderValue::from_static(PROBLEM_CONTENT_TYPE))
        );
        (status, actix_test::read_body_json(response).await)
    }

    #[actix_web::test]
    async fn malformed_json_is_a_400_problem() {
        let (status, problem) = post("application/json", "{\"name\": ").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(problem.kind(), Some(ProblemKind::MalformedJson));
    }

    #[actix_web::test]
    async fn json_of_the_wrong_shape_is_a_422_naming_the_field() {
        let (status, problem) = post("application/json", "{}").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem.errors[0].field, "name");
    }

    #[actix_web::test]
    async fn a_non_json_content_type_is_a_415_problem() {
        let (status, problem) = post("text/plain", "{\"name\":\"x\"}").await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(problem.kind(), Some(ProblemKind::UnsupportedMediaType));
    }

    #[actix_web::test]
    async fn an_oversized_body_is_a_413_problem() {
        let (status, problem) = post(
            "application/json",
            "{\"name\": \"a name far longer than the sixty-four bytes this route accepts\"}",
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(problem.detail.contains("64 bytes"), "{}", problem.detail);
    }

    #[actix_web::test]
    async fn actix_generated_errors_become_problems() {
        let app = actix_test::init_service(
            App::new()
                .service(web::resource("/only-get").route(web::get().to(HttpResponse::Ok)))
                .wrap(problem_error_handlers()),
        )
        .await;
        let request = actix_test::TestRequest::delete()
            .uri("/only-get")
            .to_request();
        let response = actix_test::call_service(&app, request).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        let problem: Problem = actix_test::read_body_json(response).await;
        assert_eq!(problem.kind(), Some(ProblemKind::MethodNotAllowed));
    }

    #[test]
    fn statuses_without_a_kind_use_about_blank() {
        let problem = problem_for_status(StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(problem.problem_type, "about:blank");
        assert_eq!(problem.title, "Range Not Satisfiable");
        assert_eq!(problem.status, 416);
    }

    #[actix_web::test]
    async fn server_errors_never_leak_their_cause() {
        let error = ApiError::Database(DbError::Query(sqlx::Error::Protocol(
            "secret table layout".into(),
        )));
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .expect("body is in memory");
        let problem: Problem = serde_json::from_slice(&body).expect("a problem document");
        assert_eq!(problem.kind(), Some(ProblemKind::Internal));
        assert!(!problem.detail.contains("secret"));
    }
}
