//! The rules of the product, one module per capability. Every surface
//! (the JSON API under `http`, the command line under `commands`, and
//! background work) calls these; none of them sees HTTP. Each returns
//! [`ServiceError`], which `http::error` maps to a problem document.

pub mod accounts;
pub mod annotations;
pub mod app_passwords;
pub mod audio_work;
pub mod bookmarks;
pub mod browsing;
pub mod catalogue;
pub mod catalogue_version;
pub mod covers;
pub mod face;
pub mod ingest;
pub mod jobs;
pub mod kept_answers;
pub mod kept_searches;
pub mod listening;
pub mod maintenance;
pub mod media_urls;
pub mod play_queue;
pub mod playlists;
pub mod radio_listeners;
pub mod radio_stream;
pub mod search;
pub mod sessions;
pub mod song_pages;
pub mod stations;
pub mod translation;
pub mod uploads;

use std::time::Duration;

use soundstream_types::{FieldError, UploadKind};

use crate::auth::AuthError;
use crate::db::{DbError, UniqueIndex};
use crate::domain::field_error;
use crate::persistence::uploads::kind_name;

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Why a service refused or failed. The variants say what went wrong in
/// the product's terms; the HTTP status each maps to is decided once, in
/// `http::error`.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{detail}")]
    Conflict {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("too many attempts; try again later")]
    RateLimited { retry_after: Duration },
    #[error("the content is larger than the {limit} bytes accepted here")]
    TooLarge { limit: usize },
    /// A per-user storage quota would be exceeded: the sentence says which.
    #[error("{0}")]
    QuotaExceeded(String),
    /// A per-user budget is spent until `retry_after` (a new UTC day).
    #[error("{detail}")]
    BudgetExhausted {
        detail: String,
        retry_after: Duration,
    },
    #[error("{0}")]
    FeatureDisabled(String),
    #[error("{detail}")]
    ProviderUnavailable {
        detail: String,
        retry_after: Duration,
    },
    #[error("{0}")]
    ProviderFailed(String),
    /// Too much work of one kind at once (password hashing): try again soon.
    #[error("{detail}")]
    Busy {
        detail: String,
        retry_after: Duration,
    },
    #[error("database unavailable")]
    Database(#[from] DbError),
    #[error("authentication machinery failed")]
    Auth(AuthError),
    #[error("media storage failed")]
    Storage(#[from] soundstream_storage::StorageError),
    #[error("a background task failed")]
    Task(#[from] tokio::task::JoinError),
}

/// Counts one hit for `key` in the current fixed window of `window` and
/// refuses with 429 (and the time left in the window) past `allowed`.
pub(crate) async fn within_rate_limit(
    conn: &mut sqlx::AnyConnection,
    key: &str,
    window: Duration,
    allowed: u32,
) -> ServiceResult<()> {
    let now = crate::clock::now_millis();
    let window = crate::clock::millis(window);
    let window_start = now - now % window;
    let hits = crate::persistence::rate_limits::hit(conn, key, window_start).await?;
    if hits > i64::from(allowed) {
        return Err(ServiceError::RateLimited {
            retry_after: Duration::from_millis(
                u64::try_from(window_start + window - now).unwrap_or(1000),
            ),
        });
    }
    Ok(())
}

impl From<AuthError> for ServiceError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::Busy => Self::Busy {
                detail: "The server is busy checking passwords; try again in a moment.".into(),
                retry_after: crate::auth::password::HashingGate::RETRY_AFTER,
            },
            other => Self::Auth(other),
        }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(DbError::Query(error))
    }
}

/// One field that did not parse refuses the request.
impl From<FieldError> for ServiceError {
    fn from(error: FieldError) -> Self {
        Self::invalid_fields(vec![error])
    }
}

impl ServiceError {
    /// A refusal listing every invalid field.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        Self::Validation {
            detail: format!("Some fields are invalid: {}.", fields.join(", ")),
            errors,
        }
    }

    /// A refusal of one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Validation {
            detail: format!("{field} {message}."),
            errors: vec![field_error(field, message)],
        }
    }
}

/// What a violated unique index means to the caller: the field it guards
/// and the sentence that explains the refusal.
pub struct Constraint<'a> {
    pub index: UniqueIndex,
    pub field: &'a str,
    pub detail: &'a str,
}

/// The one mapping from a unique violation to a 409 naming the field
/// (realworld's `on_constraint`); any other error passes through.
pub fn on_constraint(error: DbError, constraints: &[Constraint<'_>]) -> ServiceError {
    match constraints.iter().find(|c| error.violates(&c.index)) {
        Some(constraint) => ServiceError::Conflict {
            detail: constraint.detail.to_owned(),
            errors: vec![field_error(constraint.field, "is already taken")],
        },
        None => error.into(),
    }
}

/// The field error for an id that names no completed upload of `kind` of
/// the caller's.
pub fn not_a_completed_upload(field: &str, kind: UploadKind) -> FieldError {
    field_error(
        field,
        format!("must be a completed {} upload of yours", kind_name(kind)),
    )
}

/// The same, as the refusal of the whole request.
pub fn unusable_upload(field: &str, kind: UploadKind) -> ServiceError {
    ServiceError::Validation {
        detail: format!(
            "{field} must name a completed {} upload of yours.",
            kind_name(kind)
        ),
        errors: vec![not_a_completed_upload(field, kind)],
    }
}
