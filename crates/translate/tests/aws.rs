//! The Amazon Translate provider at the SDK boundary, with the AWS SDK's own
//! test utilities (aws-smithy-mocks): the exact requests sent, and how each
//! answer and failure is handled. Two tests use real sockets: a silent one
//! for the timeout, and a listener that checks the client speaks awsJson1.1.

use std::time::Duration;

use aws_sdk_translate::Client;
use aws_sdk_translate::error::ErrorMetadata;
use aws_sdk_translate::operation::list_languages::{ListLanguagesError, ListLanguagesOutput};
use aws_sdk_translate::operation::translate_text::{TranslateTextError, TranslateTextOutput};
use aws_sdk_translate::types::Language;
use aws_sdk_translate::types::error::{
    DetectedLanguageLowConfidenceException, InternalServerException, InvalidRequestException,
    ResourceNotFoundException, ServiceUnavailableException, TextSizeLimitExceededException,
    TooManyRequestsException, UnsupportedLanguagePairException,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use soundstream_translate::{AwsSettings, AwsTranslator, TranslateError, Translator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LYRIC: &str = "\n\
I walk alone at night\n\
The city sleeps\n\
\n\
And you are gone\n\
My heart is broken\n\n";

const LYRIC_LINES: &str = "I walk alone at night\n\
The city sleeps\n\
And you are gone\n\
My heart is broken";

fn output(text: &str, source: &str, target: &str) -> TranslateTextOutput {
    TranslateTextOutput::builder()
        .translated_text(text)
        .source_language_code(source)
        .target_language_code(target)
        .build()
        .expect("all required fields are set")
}

fn translate_rule(
    text: &'static str,
    source: &'static str,
    answer: &'static str,
    detected: &'static str,
) -> Rule {
    mock!(Client::translate_text)
        .match_requests(move |request| {
            request.text() == Some(text)
                && request.source_language_code() == Some(source)
                && request.target_language_code() == Some("es")
                && request.terminology_names().is_empty()
        })
        .then_output(move || output(answer, detected, "es"))
}

fn translator(rules: &[&Rule]) -> AwsTranslator {
    AwsTranslator::with_client(mock_client!(aws_sdk_translate, RuleMode::MatchAny, rules))
}

#[tokio::test]
async fn a_lyric_goes_in_one_call_with_auto_detection_and_keeps_its_stanzas() {
    let rule = translate_rule(
        LYRIC_LINES,
        "auto",
        "Camino solo de noche\nLa ciudad duerme\nY te has ido\nMi corazón está roto",
        "en",
    );
    let translator = translator(&[&rule]);

    let translation = translator
        .translate(LYRIC, None, "es")
        .await
        .expect("translated");

    assert_eq!(
        translation.text,
        "\nCamino solo de noche\nLa ciudad duerme\n\nY te has ido\nMi corazón está roto\n\n"
    );
    assert_eq!(translation.source, "en");
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn a_given_source_language_is_sent_instead_of_auto() {
    let rule = translate_rule("Good night", "en", "Buenas noches", "en");
    let translator = translator(&[&rule]);

    let translation = translator
        .translate("Good night", Some("en"), "es")
        .await
        .expect("translated");

    assert_eq!(translation.text, "Buenas noches");
    assert_eq!(translation.source, "en");
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn lines_the_service_merges_cost_no_further_call() {
    let merged = translate_rule("the red\nhouse", "auto", "la casa roja", "en");
    let first = translate_rule("the red", "en", "el rojo", "en");
    let second = translate_rule("house", "en", "casa", "en");
    let translator = translator(&[&merged, &first, &second]);

    let translation = translator
        .translate("the red\nhouse\n", None, "es")
        .await
        .expect("translated");

    assert_eq!(translation.text, "la casa roja\n");
    assert_eq!(translation.source, "en");
    assert_eq!(
        (merged.num_calls(), first.num_calls(), second.num_calls()),
        (1, 0, 0)
    );
}

#[tokio::test]
async fn the_same_source_and_target_and_blank_text_need_no_call() {
    let rule = mock!(Client::translate_text).then_output(|| output("x", "en", "es"));
    let translator = translator(&[&rule]);

    let same = translator.translate("Hola\n", Some("es"), "es").await;
    let blank = translator.translate("\n  \n", Some("en"), "es").await;
    let blank_unknown = translator.translate("\n", None, "es").await;

    assert_eq!(same.map(|t| t.text).as_deref(), Ok("Hola\n"));
    assert_eq!(blank.map(|t| t.text).as_deref(), Ok("\n  \n"));
    assert_eq!(blank_unknown, Err(TranslateError::SourceNotDetected));
    assert_eq!(rule.num_calls(), 0);
}

#[tokio::test]
async fn text_over_the_service_limit_is_too_long_without_a_call() {
    let rule = mock!(Client::translate_text).then_output(|| output("x", "en", "es"));
    let translator = translator(&[&rule]);
    let text = "la ".repeat(4_000);

    assert_eq!(
        translator.translate(&text, None, "es").await,
        Err(TranslateError::TooLong)
    );
    assert_eq!(rule.num_calls(), 0);
}

fn languages(codes: &[&str]) -> Vec<Language> {
    codes
        .iter()
        .map(|code| {
            Language::builder()
                .language_code(*code)
                .language_name(*code)
                .build()
                .expect("all required fields are set")
        })
        .collect()
}

#[tokio::test]
async fn languages_are_any_to_any_with_auto_across_every_page() {
    let first_page = mock!(Client::list_languages)
        .match_requests(|request| request.next_token().is_none())
        .then_output(|| {
            ListLanguagesOutput::builder()
                .set_languages(Some(languages(&["auto", "en", "es"])))
                .next_token("page-2")
                .build()
        });
    let second_page = mock!(Client::list_languages)
        .match_requests(|request| request.next_token() == Some("page-2"))
        .then_output(|| {
            ListLanguagesOutput::builder()
                .set_languages(Some(languages(&["pt-PT"])))
                .build()
        });
    let translator = translator(&[&first_page, &second_page]);

    let languages = translator.languages().await.expect("listed");

    assert!(languages.detects_source());
    assert_eq!(languages.targets(None), ["en", "es", "pt-PT"]);
    assert_eq!(languages.targets(Some("es")), ["en", "pt-PT"]);
    assert!(languages.supports(Some("pt-PT"), "en"));
    assert!(!languages.supports(Some("en"), "en"));
    assert!(languages.targets(Some("tlh")).is_empty());
}

#[tokio::test]
async fn listing_languages_while_throttled_is_unavailable() {
    let rule = mock!(Client::list_languages).then_error(|| {
        ListLanguagesError::TooManyRequestsException(TooManyRequestsException::builder().build())
    });

    let outcome = translator(&[&rule]).languages().await;

    assert!(
        matches!(outcome, Err(TranslateError::Unavailable { .. })),
        "{outcome:?}"
    );
}

async fn failing_with(error: fn() -> TranslateTextError) -> Result<(), TranslateError> {
    let rule = mock!(Client::translate_text).then_error(error);
    translator(&[&rule])
        .translate("Good night", None, "xx")
        .await
        .map(|_| ())
}

#[tokio::test]
async fn throttling_and_outages_make_the_provider_unavailable() {
    let errors: [fn() -> TranslateTextError; 4] = [
        || {
            TranslateTextError::TooManyRequestsException(
                TooManyRequestsException::builder().build(),
            )
        },
        || {
            TranslateTextError::ServiceUnavailableException(
                ServiceUnavailableException::builder().build(),
            )
        },
        || TranslateTextError::InternalServerException(InternalServerException::builder().build()),
        || {
            TranslateTextError::generic(
                ErrorMetadata::builder().code("ThrottlingException").build(),
            )
        },
    ];

    for error in errors {
        let outcome = failing_with(error).await;
        assert!(
            matches!(&outcome, Err(TranslateError::Unavailable { retry_after, .. }) if !retry_after.is_zero()),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn each_refusal_says_what_is_wrong() {
    let cases: [(fn() -> TranslateTextError, TranslateError); 4] = [
        (
            || {
                TranslateTextError::UnsupportedLanguagePairException(
                    UnsupportedLanguagePairException::builder()
                        .source_language_code("en")
                        .target_language_code("xx")
                        .build(),
                )
            },
            TranslateError::UnsupportedPair {
                source: "en".into(),
                target: "xx".into(),
            },
        ),
        (
            || {
                TranslateTextError::DetectedLanguageLowConfidenceException(
                    DetectedLanguageLowConfidenceException::builder()
                        .detected_language_code("en")
                        .build(),
                )
            },
            TranslateError::SourceNotDetected,
        ),
        (
            || {
                TranslateTextError::TextSizeLimitExceededException(
                    TextSizeLimitExceededException::builder().build(),
                )
            },
            TranslateError::TooLong,
        ),
        (
            || {
                TranslateTextError::UnsupportedLanguagePairException(
                    UnsupportedLanguagePairException::builder().build(),
                )
            },
            // Without codes in the answer, the ones asked for.
            TranslateError::UnsupportedPair {
                source: "auto".into(),
                target: "xx".into(),
            },
        ),
    ];

    for (error, expected) in cases {
        assert_eq!(failing_with(error).await, Err(expected));
    }
}

#[tokio::test]
async fn configuration_faults_are_provider_errors() {
    let errors: [fn() -> TranslateTextError; 3] = [
        || TranslateTextError::InvalidRequestException(InvalidRequestException::builder().build()),
        || {
            TranslateTextError::ResourceNotFoundException(
                ResourceNotFoundException::builder().build(),
            )
        },
        || {
            TranslateTextError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .build(),
            )
        },
    ];

    for error in errors {
        let outcome = failing_with(error).await;
        assert!(
            matches!(outcome, Err(TranslateError::Provider(_))),
            "{outcome:?}"
        );
    }
}

fn settings_for(address: std::net::SocketAddr, timeout: Duration) -> AwsSettings {
    AwsSettings {
        access: soundstream_aws::AwsAccess {
            region: Some("eu-west-1".into()),
            credentials: Some(soundstream_aws::StaticCredentials {
                access_key_id: "AKIDTEST".into(),
                secret_access_key: "secret".into(),
                session_token: None,
            }),
        },
        endpoint_url: Some(format!("http://{address}")),
        operation_timeout: timeout,
        attempt_timeout: timeout,
    }
}

#[tokio::test]
async fn a_provider_that_does_not_answer_times_out_as_unavailable() {
    // A real socket that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let address = listener.local_addr().expect("address");
    let _silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let translator =
        AwsTranslator::connect(&settings_for(address, Duration::from_millis(300))).await;

    let outcome = translator.translate("Good night", None, "es").await;

    assert!(
        matches!(&outcome, Err(TranslateError::Unavailable { reason, .. }) if reason.contains("in time")),
        "{outcome:?}"
    );
}

/// Reads one HTTP/1.1 request (head and body) from `socket`.
async fn read_request(socket: &mut tokio::net::TcpStream) -> (String, String) {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let read = socket.read(&mut buffer).await.expect("request bytes");
        assert!(read > 0, "the client closed before sending a whole request");
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received).into_owned();
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            continue;
        };
        let length = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        if body.len() >= length {
            return (head.to_owned(), body.to_owned());
        }
    }
}

#[tokio::test]
async fn the_client_speaks_aws_json_1_1() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let address = listener.local_addr().expect("address");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let request = read_request(&mut socket).await;
        let body = r#"{"TranslatedText":"Buenas noches","SourceLanguageCode":"en","TargetLanguageCode":"es"}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        socket
            .write_all(answer.as_bytes())
            .await
            .expect("answer sent");
        request
    });
    let translator = AwsTranslator::connect(&settings_for(address, Duration::from_secs(5))).await;

    let translation = translator
        .translate("Good night", None, "es")
        .await
        .expect("translated");
    let (head, body) = server.await.expect("the listener ran");

    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-type: application/x-amz-json-1.1"),
        "{head}"
    );
    assert!(
        head.contains("x-amz-target: awsshinefrontendservice_20170701.translatetext"),
        "{head}"
    );
    let body: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
    assert_eq!(
        body,
        serde_json::json!({
            "Text": "Good night",
            "SourceLanguageCode": "auto",
            "TargetLanguageCode": "es",
        })
    );
    assert_eq!(translation.text, "Buenas noches");
    assert_eq!(translation.source, "en");
}
