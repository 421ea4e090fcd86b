//! Text and lyrics translation: the [`Translator`] trait that the API talks
//! to, its Amazon Translate provider and its offline Apertium provider.
//! Every provider keeps the text's layout (line breaks, blank lines between
//! stanzas, surrounding newlines) exactly; see [`layout`].

mod apertium;
mod aws;
mod layout;

use std::time::Duration;

pub use apertium::ApertiumTranslator;
pub use aws::{AwsSettings, AwsTranslator};

/// The source code that asks the provider to detect the language.
pub const AUTO: &str = "auto";

/// A source language and every language it can be translated into, as the
/// BCP 47 codes the API uses (`en`, `es`, `pt-BR`, `ast`…). The source may be
/// [`AUTO`] when the provider detects the language itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLanguage {
    pub code: String,
    pub targets: Vec<String>,
}

/// What a provider can translate, grouped by source language (a flat pair
/// list for a provider like AWS would hold thousands of entries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages {
    /// Sorted by code; targets sorted too.
    pub sources: Vec<SourceLanguage>,
}

impl Languages {
    /// Builds the list from `(source, target)` pairs, deduplicated and sorted.
    pub fn from_pairs<S: Into<String>, T: Into<String>>(
        pairs: impl IntoIterator<Item = (S, T)>,
    ) -> Self {
        let mut grouped = std::collections::BTreeMap::<String, Vec<String>>::new();
        for (source, target) in pairs {
            grouped
                .entry(source.into())
                .or_default()
                .push(target.into());
        }
        let sources = grouped
            .into_iter()
            .map(|(code, mut targets)| {
                targets.sort();
                targets.dedup();
                SourceLanguage { code, targets }
            })
            .collect();
        Self { sources }
    }

    /// The languages `source` (or [`AUTO`] for `None`) translates into;
    /// empty when the source is not supported.
    pub fn targets(&self, source: Option<&str>) -> &[String] {
        let source = source.unwrap_or(AUTO);
        self.sources
            .iter()
            .find(|s| s.code == source)
            .map_or(&[], |s| s.targets.as_slice())
    }

    pub fn supports(&self, source: Option<&str>, target: &str) -> bool {
        self.targets(source).iter().any(|t| t == target)
    }

    /// Whether the provider can detect the source language.
    pub fn detects_source(&self) -> bool {
        self.sources.iter().any(|s| s.code == AUTO)
    }
}

/// The answer that needs no provider: a text into its own language, or one
/// with no words to translate (`None` when the provider must be asked).
pub(crate) fn without_provider(
    text: &str,
    source: Option<&str>,
    target: &str,
    has_words: bool,
) -> Option<Result<Translation, TranslateError>> {
    if source == Some(target) {
        return Some(Ok(Translation {
            text: text.to_owned(),
            source: target.to_owned(),
        }));
    }
    if !has_words {
        return Some(
            source
                .map(|source| Translation {
                    text: text.to_owned(),
                    source: source.to_owned(),
                })
                .ok_or(TranslateError::SourceNotDetected),
        );
    }
    None
}

/// A translated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub text: String,
    /// The source language: the one given, or the one the provider detected.
    pub source: String,
}

/// Why a text was not translated.
// Display and Error are written out: thiserror takes a field named `source`
// for the error's cause, and `UnsupportedPair { source, target }` reads best.
#[derive(Debug, Clone, PartialEq)]
pub enum TranslateError {
    /// The provider cannot translate between these languages; list what it
    /// can with [`Translator::languages`].
    UnsupportedPair {
        source: String,
        target: String,
    },
    /// No source was given and the provider could not tell which it is.
    SourceNotDetected,
    TooLong,
    /// Throttling, a provider outage, a timeout or a refused connection:
    /// try again later.
    Unavailable {
        reason: String,
        retry_after: Duration,
    },
    /// The provider refused for a reason retrying will not fix
    /// (permissions, configuration, an unexpected answer).
    Provider(String),
}

impl std::fmt::Display for TranslateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnsupportedPair { source, target } => {
                write!(f, "translation from {source} to {target} is not supported")
            }
            Self::SourceNotDetected => f.write_str(
                "the source language could not be detected: say which language the text is in",
            ),
            Self::TooLong => f.write_str("the text is too long to translate"),
            Self::Unavailable { reason, .. } => {
                write!(f, "the translation service is unavailable: {reason}")
            }
            Self::Provider(reason) => write!(f, "the translation service failed: {reason}"),
        }
    }
}

impl std::error::Error for TranslateError {}

#[async_trait::async_trait]
pub trait Translator: Send + Sync + std::fmt::Debug {
    /// `aws`, `apertium`.
    fn provider(&self) -> &'static str;

    /// What the provider can translate.
    async fn languages(&self) -> Result<Languages, TranslateError>;

    /// Translates `text` into `target`, from `source` or, when `None`, from
    /// the language the provider detects. The layout of `text` is kept.
    async fn translate(
        &self,
        text: &str,
        source: Option<&str>,
        target: &str,
    ) -> Result<Translation, TranslateError>;
}
