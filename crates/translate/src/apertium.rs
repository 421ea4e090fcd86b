//! Apertium, offline and rule based, through the HTTP API of its server
//! APy: `GET /listPairs`, `POST /translate`, `GET /identifyLang`. APy names
//! languages with ISO 639-3 codes (`eng`, `spa`, `eng_US`); the API uses
//! BCP 47 (`en`, `es`, `en-US`), so codes are mapped both ways with a small
//! table. The words of every line go in one call, separated by a line
//! holding a full stop: Apertium moves words across bare line breaks, never
//! across a sentence end.

use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::Deserialize;

use crate::layout::{Layout, split_answer};
use crate::{Languages, TranslateError, Translation, Translator, without_provider};

/// How long callers should wait after a failed call.
const RETRY_AFTER: Duration = Duration::from_secs(2);
/// APy gives up on a pipeline after 10 s by default.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Ends a sentence between lines; see the module doc.
const LINE_SEPARATOR: &str = "\n.\n";
/// What APy explains when it has no such pair.
const PAIR_NOT_INSTALLED: &str = "That pair is not installed";

/// ISO 639-3 codes of the languages Apertium has pairs for, with their
/// BCP 47 form: the ISO 639-1 code, or the 639-3 code itself when there is
/// no two-letter one (Asturian is `ast` in BCP 47 too).
const CODES: &[(&str, &str)] = &[
    ("afr", "af"),
    ("ara", "ar"),
    ("arg", "an"),
    ("ast", "ast"),
    ("bel", "be"),
    ("bos", "bs"),
    ("bre", "br"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cym", "cy"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("eus", "eu"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("gle", "ga"),
    ("glg", "gl"),
    ("hbs", "sh"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("ind", "id"),
    ("isl", "is"),
    ("ita", "it"),
    ("kaz", "kk"),
    ("mkd", "mk"),
    ("mlt", "mt"),
    ("msa", "ms"),
    ("nld", "nl"),
    ("nno", "nn"),
    ("nob", "nb"),
    ("oci", "oc"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sme", "se"),
    ("spa", "es"),
    ("srd", "sc"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tat", "tt"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
];

/// `eng` → `en`, `eng_US` → `en-US`, `cat_valencia` → `ca-valencia`;
/// `None` for a language missing from [`CODES`].
fn to_bcp47(apertium: &str) -> Option<String> {
    let (language, variant) = match apertium.split_once('_') {
        Some((language, variant)) => (language, Some(variant)),
        None => (apertium, None),
    };
    let language = CODES.iter().find(|(code, _)| *code == language)?.1;
    Some(match variant {
        Some(variant) => format!("{language}-{variant}"),
        None => language.to_owned(),
    })
}

/// The inverse of [`to_bcp47`], forgiving about case (`pt-br` → `por_BR`).
fn from_bcp47(code: &str) -> Option<String> {
    let (language, variant) = match code.split_once('-') {
        Some((language, variant)) => (language, Some(variant)),
        None => (code, None),
    };
    let language = language.to_ascii_lowercase();
    let apertium = CODES.iter().find(|(_, bcp47)| *bcp47 == language)?.0;
    Some(match variant {
        Some(region) if region.len() == 2 => format!("{apertium}_{}", region.to_ascii_uppercase()),
        Some(variant) => format!("{apertium}_{}", variant.to_ascii_lowercase()),
        None => apertium.to_owned(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PairsAnswer {
    response_data: Vec<Pair>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pair {
    source_language: String,
    target_language: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TranslateAnswer {
    response_data: Translated,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Translated {
    translated_text: String,
}

/// APy's error body: `{"status": "error", "code": 400, "explanation": …}`.
#[derive(Debug, Deserialize)]
struct ErrorAnswer {
    explanation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApertiumTranslator {
    base_url: Url,
    client: reqwest::Client,
}

impl ApertiumTranslator {
    /// A translator for the APy server at `base_url` (`http://host:2737`).
    pub fn new(base_url: &str) -> Result<Self, TranslateError> {
        let mut base_url = Url::parse(base_url).map_err(|error| {
            TranslateError::Provider(format!("invalid Apertium URL {base_url:?}: {error}"))
        })?;
        // So that joining `translate` keeps a path prefix (`/apy/`).
        if !base_url.path().ends_with('/') {
            let path = format!("{}/", base_url.path());
            base_url.set_path(&path);
        }
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|error| TranslateError::Provider(format!("HTTP client: {error}")))?;
        Ok(Self { base_url, client })
    }

    fn endpoint(&self, name: &str) -> Url {
        self.base_url
            .join(name)
            .expect("a plain endpoint name joins onto a base URL")
    }

    /// Sends a request and returns the body of a successful answer.
    async fn call(
        &self,
        request: reqwest::RequestBuilder,
        pair: Option<(&str, &str)>,
    ) -> Result<bytes::Bytes, TranslateError> {
        let response = request
            .send()
            .await
            .map_err(|error| request_error(&error))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|error| request_error(&error))?;
        if status.is_success() {
            return Ok(body);
        }
        let explanation = serde_json::from_slice::<ErrorAnswer>(&body)
            .ok()
            .and_then(|answer| answer.explanation)
            .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
        Err(match (status, pair) {
            (StatusCode::BAD_REQUEST, Some((source, target)))
                if explanation.contains(PAIR_NOT_INSTALLED) =>
            {
                TranslateError::UnsupportedPair {
                    source: source.to_owned(),
                    target: target.to_owned(),
                }
            }
            (status, _) if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS => {
                unavailable(format!("Apertium answered {status}: {explanation}"))
            }
            (status, _) => {
                TranslateError::Provider(format!("Apertium answered {status}: {explanation}"))
            }
        })
    }

    /// One APy translation of `text` between Apertium codes.
    async fn translate_text(
        &self,
        text: &str,
        source: &str,
        target: &str,
        pair: (&str, &str),
    ) -> Result<String, TranslateError> {
        let langpair = format!("{source}|{target}");
        // POST: lyrics can outgrow a URL. Unknown words stay unmarked (APy
        // prefixes them with `*` by default).
        let request = self.client.post(self.endpoint("translate")).form(&[
            ("langpair", langpair.as_str()),
            ("q", text),
            ("markUnknown", "no"),
        ]);
        let body = self.call(request, Some(pair)).await?;
        let answer: TranslateAnswer = serde_json::from_slice(&body).map_err(|error| {
            TranslateError::Provider(format!("unexpected Apertium answer: {error}"))
        })?;
        Ok(answer.response_data.translated_text)
    }

    /// The most likely language of `text` among those APy can name, if it
    /// can tell (without CLD2 and analysers it answers `{}`).
    async fn identify(&self, text: &str) -> Result<Option<String>, TranslateError> {
        let request = self
            .client
            .get(self.endpoint("identifyLang"))
            .query(&[("q", text)]);
        let body = self.call(request, None).await?;
        let scores: std::collections::HashMap<String, f64> =
            serde_json::from_slice(&body).unwrap_or_default();
        Ok(scores
            .into_iter()
            .filter(|(code, _)| to_bcp47(code).is_some())
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(code, _)| code))
    }
}

fn unavailable(reason: String) -> TranslateError {
    TranslateError::Unavailable {
        reason,
        retry_after: RETRY_AFTER,
    }
}

fn request_error(error: &reqwest::Error) -> TranslateError {
    if error.is_timeout() {
        unavailable(format!("Apertium did not answer in time: {error}"))
    } else if error.is_connect() {
        unavailable(format!("Apertium could not be reached: {error}"))
    } else {
        unavailable(format!("Apertium failed: {error}"))
    }
}

#[async_trait::async_trait]
impl Translator for ApertiumTranslator {
    fn provider(&self) -> &'static str {
        "apertium"
    }

    async fn languages(&self) -> Result<Languages, TranslateError> {
        let body = self
            .call(self.client.get(self.endpoint("listPairs")), None)
            .await?;
        let answer: PairsAnswer = serde_json::from_slice(&body).map_err(|error| {
            TranslateError::Provider(format!("unexpected Apertium answer: {error}"))
        })?;
        let pairs = answer.response_data.iter().filter_map(|pair| {
            Some((
                to_bcp47(&pair.source_language)?,
                to_bcp47(&pair.target_language)?,
            ))
        });
        Ok(Languages::from_pairs(pairs))
    }

    async fn translate(
        &self,
        text: &str,
        source: Option<&str>,
        target: &str,
    ) -> Result<Translation, TranslateError> {
        let layout = Layout::of(text);
        let lines = layout.contents();
        if let Some(answer) = without_provider(text, source, target, !lines.is_empty()) {
            return answer;
        }
        let (source, apertium_source) = match source {
            Some(source) => (source.to_owned(), from_bcp47(source)),
            None => {
                let detected = self
                    .identify(&lines.join("\n"))
                    .await?
                    .ok_or(TranslateError::SourceNotDetected)?;
                let source = to_bcp47(&detected).ok_or(TranslateError::SourceNotDetected)?;
                (source, Some(detected))
            }
        };
        let unsupported = || TranslateError::UnsupportedPair {
            source: source.clone(),
            target: target.to_owned(),
        };
        let apertium_source = apertium_source.ok_or_else(unsupported)?;
        let apertium_target = from_bcp47(target).ok_or_else(unsupported)?;
        let pair = (source.as_str(), target);

        let answer = self
            .translate_text(
                &lines.join(LINE_SEPARATOR),
                &apertium_source,
                &apertium_target,
                pair,
            )
            .await?;
        let text = match split_answer(&answer, LINE_SEPARATOR, lines.len())
            .and_then(|translated| layout.rebuild(&translated))
        {
            Some(text) => text,
            None => {
                // One call per request, however many lines: asking again
                // line by line would let one text cost thousands of calls.
                tracing::debug!(
                    lines = lines.len(),
                    "Apertium merged or split lines; keeping its lines"
                );
                layout.rebuild_loosely(&answer, LINE_SEPARATOR)
            }
        };
        Ok(Translation { text, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apertium_codes_map_to_bcp47_and_back() {
        for (apertium, bcp47) in [
            ("eng", "en"),
            ("spa", "es"),
            ("eng_US", "en-US"),
            ("por_BR", "pt-BR"),
            ("cat_valencia", "ca-valencia"),
            ("ast", "ast"),
        ] {
            assert_eq!(to_bcp47(apertium).as_deref(), Some(bcp47));
            assert_eq!(from_bcp47(bcp47).as_deref(), Some(apertium));
        }
        assert_eq!(from_bcp47("PT-br").as_deref(), Some("por_BR"));
        assert_eq!(to_bcp47("xyz"), None);
        assert_eq!(from_bcp47("tlh"), None);
    }
}
