//! Text translation: what the provider offers and a translated text.

use serde::{Deserialize, Serialize};

/// `POST /translate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TranslateRequest {
    /// At most 10,000 bytes; line breaks and stanzas are kept.
    pub text: String,
    /// Defaults to your preferred language.
    #[serde(default)]
    pub target: Option<String>,
    /// Detected when absent (if the provider can).
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TranslatedText {
    pub text: String,
    /// The source language, given or detected.
    pub source: String,
    pub target: String,
    pub provider: String,
    /// Whether it came from the shared translation cache.
    pub cached: bool,
}

/// Targets available from one source language (`auto`: detected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageSource {
    pub code: String,
    pub targets: Vec<String>,
}

/// `GET /languages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageList {
    pub provider: String,
    /// Whether the source language may be left out.
    pub detects_source: bool,
    pub sources: Vec<LanguageSource>,
}
