//! Amazon Translate: ListLanguages says what it can do (any language into
//! any other, and `auto` detection), TranslateText translates the words of
//! every line in one call, joined by newlines; if the answer does not come
//! back with one line per line, its own lines are kept (never a call per line).
//! The client speaks awsJson1.1: aws-sdk-translate defaults to Smithy RPCv2
//! CBOR, which proxies, VPC endpoints and emulators answering JSON reject.

use std::time::Duration;

use aws_sdk_translate::Client;
use aws_sdk_translate::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_translate::operation::list_languages::ListLanguagesError;
use aws_sdk_translate::operation::translate_text::TranslateTextError;
use aws_smithy_json::protocol::aws_json_rpc::AwsJsonRpcProtocol;
use soundstream_aws::{AwsAccess, Timeouts};

use crate::layout::{Layout, split_answer};
use crate::{AUTO, Languages, TranslateError, Translation, Translator, without_provider};

/// How long callers should wait after a throttled or failed call.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// TranslateText's limit on the text, in UTF-8 bytes.
const MAX_TEXT_BYTES: usize = 10_000;
/// Error codes AWS uses for throttling outside the modelled exceptions.
const THROTTLING_CODES: [&str; 4] = [
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
    "SlowDown",
];

#[derive(Clone, PartialEq)]
pub struct AwsSettings {
    pub access: AwsAccess,
    /// Another endpoint than AWS's own (a VPC endpoint or a proxy).
    pub endpoint_url: Option<String>,
    /// The longest a whole call may take, retries included, and one attempt.
    pub operation_timeout: Duration,
    pub attempt_timeout: Duration,
}

impl Default for AwsSettings {
    fn default() -> Self {
        Self {
            access: AwsAccess::default(),
            endpoint_url: None,
            operation_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(4),
        }
    }
}

impl std::fmt::Debug for AwsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsSettings")
            .field("access", &self.access)
            .field("endpoint_url", &self.endpoint_url)
            .field("operation_timeout", &self.operation_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct AwsTranslator {
    client: Client,
}

impl AwsTranslator {
    pub async fn connect(settings: &AwsSettings) -> Self {
        let timeouts = Timeouts {
            operation: settings.operation_timeout,
            attempt: settings.attempt_timeout,
        };
        let shared = soundstream_aws::load(&settings.access, Some(timeouts)).await;
        let mut config = aws_sdk_translate::config::Builder::from(&shared)
            .protocol(AwsJsonRpcProtocol::aws_json_1_1());
        if let Some(endpoint) = &settings.endpoint_url {
            config = config.endpoint_url(endpoint);
        }
        Self::with_client(Client::from_conf(config.build()))
    }

    /// A translator over a ready client (tests give it one whose HTTP is
    /// stubbed by the SDK's own test utilities).
    pub fn with_client(client: Client) -> Self {
        Self { client }
    }

    /// One TranslateText call: the translated text and its source language.
    async fn translate_text(
        &self,
        text: &str,
        source: &str,
        target: &str,
    ) -> Result<(String, String), TranslateError> {
        let output = self
            .client
            .translate_text()
            .text(text)
            .source_language_code(source)
            .target_language_code(target)
            .send()
            .await
            .map_err(|error| translate_error(&error, source, target))?;
        let source = output.source_language_code().to_owned();
        Ok((output.translated_text().to_owned(), source))
    }
}

fn unavailable(reason: String) -> TranslateError {
    TranslateError::Unavailable {
        reason,
        retry_after: RETRY_AFTER,
    }
}

/// Timeouts, dispatch failures, 5xx answers and throttling outside the
/// modelled exceptions: the provider is unavailable.
fn transport_error<E>(error: &SdkError<E>) -> Option<TranslateError>
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    let reason = match error {
        SdkError::TimeoutError(_) => "the translation service did not answer in time",
        SdkError::DispatchFailure(_) => "the translation service could not be reached",
        SdkError::ResponseError(_) => "the translation service answered unintelligibly",
        SdkError::ServiceError(service) if service.raw().status().is_server_error() => {
            "the translation service failed"
        }
        SdkError::ServiceError(service)
            if service
                .err()
                .code()
                .is_some_and(|code| THROTTLING_CODES.contains(&code)) =>
        {
            "the translation service is throttling requests"
        }
        _ => return None,
    };
    Some(unavailable(format!(
        "{reason}: {}",
        DisplayErrorContext(error)
    )))
}

fn translate_error(
    error: &SdkError<TranslateTextError>,
    source: &str,
    target: &str,
) -> TranslateError {
    if let Some(fault) = transport_error(error) {
        return fault;
    }
    let Some(service) = error.as_service_error() else {
        return TranslateError::Provider(DisplayErrorContext(error).to_string());
    };
    match service {
        TranslateTextError::TooManyRequestsException(_) => {
            unavailable("the translation service is throttling requests".into())
        }
        TranslateTextError::ServiceUnavailableException(_)
        | TranslateTextError::InternalServerException(_) => {
            unavailable(format!("the translation service failed: {service}"))
        }
        TranslateTextError::UnsupportedLanguagePairException(pair) => {
            TranslateError::UnsupportedPair {
                source: pair.source_language_code().unwrap_or(source).to_owned(),
                target: pair.target_language_code().unwrap_or(target).to_owned(),
            }
        }
        TranslateTextError::DetectedLanguageLowConfidenceException(_) => {
            TranslateError::SourceNotDetected
        }
        TranslateTextError::TextSizeLimitExceededException(_) => TranslateError::TooLong,
        // A malformed request or a missing terminology: our bug or our
        // configuration, not the caller's text.
        TranslateTextError::InvalidRequestException(_)
        | TranslateTextError::ResourceNotFoundException(_) => {
            TranslateError::Provider(DisplayErrorContext(error).to_string())
        }
        _ => TranslateError::Provider(DisplayErrorContext(error).to_string()),
    }
}

fn list_error(error: &SdkError<ListLanguagesError>) -> TranslateError {
    if let Some(fault) = transport_error(error) {
        return fault;
    }
    match error.as_service_error() {
        Some(ListLanguagesError::TooManyRequestsException(_)) => {
            unavailable("the translation service is throttling requests".into())
        }
        Some(ListLanguagesError::InternalServerException(_)) => {
            unavailable(format!("the translation service failed: {error}"))
        }
        // InvalidParameterValue, UnsupportedDisplayLanguageCode: our request.
        _ => TranslateError::Provider(DisplayErrorContext(error).to_string()),
    }
}

#[async_trait::async_trait]
impl Translator for AwsTranslator {
    fn provider(&self) -> &'static str {
        "aws"
    }

    async fn languages(&self) -> Result<Languages, TranslateError> {
        let mut codes = Vec::new();
        let mut next_token = None;
        loop {
            let output = self
                .client
                .list_languages()
                .set_next_token(next_token)
                .max_results(500)
                .send()
                .await
                .map_err(|error| list_error(&error))?;
            codes.extend(
                output
                    .languages()
                    .iter()
                    .map(|language| language.language_code().to_owned())
                    .filter(|code| code != AUTO),
            );
            next_token = output.next_token().map(str::to_owned);
            if next_token.is_none() {
                break;
            }
        }
        // Any language into any other; `auto` detects among them.
        let pairs = codes.iter().flat_map(|target| {
            codes
                .iter()
                .map(String::as_str)
                .chain([AUTO])
                .filter(move |source| source != target)
                .map(move |source| (source.to_owned(), target.clone()))
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
        let joined = lines.join("\n");
        if joined.len() > MAX_TEXT_BYTES {
            return Err(TranslateError::TooLong);
        }
        let (answer, detected) = self
            .translate_text(&joined, source.unwrap_or(AUTO), target)
            .await?;
        let text = match split_answer(&answer, "\n", lines.len())
            .and_then(|translated| layout.rebuild(&translated))
        {
            Some(text) => text,
            None => {
                // One call per request, however many lines: asking again
                // line by line would let one text cost thousands of calls.
                tracing::debug!(
                    lines = lines.len(),
                    "Amazon Translate merged or split lines; keeping its lines"
                );
                layout.rebuild_loosely(&answer, "\n")
            }
        };
        Ok(Translation {
            text,
            source: detected,
        })
    }
}
