//! RFC 9457 problem documents: the one error body of every API response.

use serde::{Deserialize, Serialize};

/// Media type of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The kinds of problem the API reports. Each has a stable `type` URI so
/// clients can branch on it without parsing titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    BadRequest,
    MalformedJson,
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    NotAcceptable,
    Conflict,
    PayloadTooLarge,
    /// A per-user storage quota would be exceeded (413, its own type so
    /// clients can tell it from an oversized request).
    QuotaExceeded,
    UnsupportedMediaType,
    RateLimited,
    FeatureDisabled,
    ServiceUnavailable,
    BadGateway,
    Internal,
}

impl ProblemKind {
    /// Every kind, for documentation and exhaustive tests.
    pub const ALL: [ProblemKind; 17] = [
        Self::BadRequest,
        Self::MalformedJson,
        Self::Validation,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::NotAcceptable,
        Self::Conflict,
        Self::PayloadTooLarge,
        Self::QuotaExceeded,
        Self::UnsupportedMediaType,
        Self::RateLimited,
        Self::FeatureDisabled,
        Self::ServiceUnavailable,
        Self::BadGateway,
        Self::Internal,
    ];

    pub const fn slug(self) -> &'static str {
        match self {
            Self::BadRequest => "bad-request",
            Self::MalformedJson => "malformed-json",
            Self::Validation => "validation",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not-found",
            Self::MethodNotAllowed => "method-not-allowed",
            Self::NotAcceptable => "not-acceptable",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload-too-large",
            Self::QuotaExceeded => "quota-exceeded",
            Self::UnsupportedMediaType => "unsupported-media-type",
            Self::RateLimited => "rate-limited",
            Self::FeatureDisabled => "feature-disabled",
            Self::ServiceUnavailable => "service-unavailable",
            Self::BadGateway => "bad-gateway",
            Self::Internal => "internal",
        }
    }

    pub const fn status(self) -> u16 {
        match self {
            Self::BadRequest | Self::MalformedJson => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::NotAcceptable => 406,
            Self::Conflict => 409,
            Self::PayloadTooLarge | Self::QuotaExceeded => 413,
            Self::UnsupportedMediaType => 415,
            Self::Validation => 422,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::BadGateway => 502,
            Self::FeatureDisabled | Self::ServiceUnavailable => 503,
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            Self::BadRequest => "Bad request",
            Self::MalformedJson => "Malformed JSON",
            Self::Validation => "Validation failed",
            Self::Unauthorized => "Authentication required",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::NotAcceptable => "Not acceptable",
            Self::Conflict => "Conflict",
            Self::PayloadTooLarge => "Payload too large",
            Self::QuotaExceeded => "Quota exceeded",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::RateLimited => "Too many requests",
            Self::FeatureDisabled => "Feature disabled",
            Self::ServiceUnavailable => "Service unavailable",
            Self::BadGateway => "Upstream provider failed",
            Self::Internal => "Internal server error",
        }
    }

    /// The `type` member: a URN, so it is a stable identifier and never
    /// mistaken for a page someone must host.
    pub fn type_uri(self) -> String {
        format!("urn:soundstream:problem:{}", self.slug())
    }

    /// The kind a `type` URI names, for clients that branch on it.
    pub fn from_type_uri(uri: &str) -> Option<Self> {
        let slug = uri.strip_prefix("urn:soundstream:problem:")?;
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }
}

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field, as a JSON pointer-like dotted path (`email`, `entries.2.song_id`).
    pub field: String,
    /// What is wrong and what is expected, for humans.
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "urn:soundstream:problem:not-found",
    "title": "Not found",
    "status": 404,
    "detail": "No route matches GET /api/v1/nope",
    "request_id": "0192f3c4-5b6a-7c8d-9e0f-112233445566"
})))]
pub struct Problem {
    /// A URI identifying the kind of problem (`urn:soundstream:problem:<kind>`).
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the kind of problem; the same for every occurrence.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence, for humans.
    pub detail: String,
    /// The request path this occurrence concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Invalid fields, for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request id, to find the matching log lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl Problem {
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Self {
            problem_type: kind.type_uri(),
            title: kind.title().to_owned(),
            status: kind.status(),
            detail: detail.into(),
            instance: None,
            errors: Vec::new(),
            request_id: None,
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn kind(&self) -> Option<ProblemKind> {
        ProblemKind::from_type_uri(&self.problem_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_type_uri() {
        for kind in ProblemKind::ALL {
            assert_eq!(ProblemKind::from_type_uri(&kind.type_uri()), Some(kind));
        }
    }

    #[test]
    fn serialises_type_member_and_omits_empty_extensions() {
        let problem = Problem::new(ProblemKind::NotFound, "no such song");
        let json = serde_json::to_value(&problem).expect("problem serialises");
        assert_eq!(json["type"], "urn:soundstream:problem:not-found");
        assert_eq!(json["status"], 404);
        assert!(json.get("errors").is_none());
        assert!(json.get("instance").is_none());
    }
}
