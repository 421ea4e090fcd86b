//! Text translation over HTTP against the real API, whose Amazon Translate
//! client is stubbed at the SDK boundary by the AWS SDK's test utilities.

use std::sync::Arc;

use aws_sdk_translate::Client;
use aws_sdk_translate::operation::list_languages::ListLanguagesOutput;
use aws_sdk_translate::operation::translate_text::{TranslateTextError, TranslateTextOutput};
use aws_sdk_translate::types::Language;
use aws_sdk_translate::types::error::{TooManyRequestsException, UnsupportedLanguagePairException};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use reqwest::Method;
use serde_json::json;
use soundstream_translate::{AwsTranslator, Translator};
use soundstream_types::{LanguageList, ProblemKind, ServiceConfig, TranslatedText};

use crate::helpers::{
    TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with, spawn_second_instance,
};

const LYRIC: &str = "Hello my love\n\nGood night";

fn languages_rule() -> Rule {
    mock!(Client::list_languages).then_output(|| {
        ListLanguagesOutput::builder()
            .set_languages(Some(
                ["en", "es", "fr"]
                    .iter()
                    .map(|code| {
                        Language::builder()
                            .language_code(*code)
                            .language_name(*code)
                            .build()
                            .expect("a complete language")
                    })
                    .collect(),
            ))
            .build()
    })
}

fn spanish_rule() -> Rule {
    mock!(Client::translate_text)
        .match_requests(|r| r.target_language_code() == Some("es"))
        .then_output(|| {
            TranslateTextOutput::builder()
                .translated_text("Hola mi amor\nBuenas noches")
                .source_language_code("en")
                .target_language_code("es")
                .build()
                .expect("a complete output")
        })
}

fn translator(rules: &[&Rule]) -> Arc<dyn Translator> {
    let client = mock_client!(aws_sdk_translate, RuleMode::MatchAny, rules.iter().copied());
    Arc::new(AwsTranslator::with_client(client))
}

async fn spawn_with(translator: Arc<dyn Translator>) -> TestApp {
    spawn_app_with(TestOptions {
        translator: Some(translator),
        ..Default::default()
    })
    .await
}

async fn translate(app: &TestApp, token: &str, body: serde_json::Value) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/translate", token)
        .json(&body)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_translation_keeps_stanzas_and_is_cached_for_every_instance() {
    let spanish = spanish_rule();
    let languages = languages_rule();
    let app = spawn_with(translator(&[&spanish, &languages])).await;
    let untouched = spanish_rule();
    let other_instance = spawn_second_instance(
        &app,
        &TestOptions {
            translator: Some(translator(&[&untouched])),
            ..Default::default()
        },
    )
    .await;
    let ana = app.register("ana").await;

    let first: TranslatedText = translate(
        &app,
        &ana.access_token,
        json!({"text": LYRIC, "target": "es"}),
    )
    .await
    .json()
    .await
    .expect("translation");
    let again: TranslatedText = translate(
        &other_instance,
        &ana.access_token,
        json!({"text": LYRIC, "target": "es"}),
    )
    .await
    .json()
    .await
    .expect("translation");

    assert_eq!(first.text, "Hola mi amor\n\nBuenas noches");
    assert_eq!(first.source, "en");
    assert!(!first.cached);
    assert_eq!(again.text, first.text);
    assert!(again.cached);
    assert_eq!(spanish.num_calls(), 1);
    assert_eq!(untouched.num_calls(), 0, "the other instance paid nothing");
}

#[tokio::test]
async fn the_preferred_language_is_the_default_target() {
    let spanish = spanish_rule();
    let app = spawn_with(translator(&[&spanish])).await;
    let ana = app.register("ana").await;

    let without = translate(&app, &ana.access_token, json!({"text": LYRIC})).await;
    app.authed(Method::PATCH, "/api/v1/me", &ana.access_token)
        .json(&json!({"preferred_language": "es"}))
        .send()
        .await
        .expect("sent");
    let with: TranslatedText = translate(&app, &ana.access_token, json!({"text": LYRIC}))
        .await
        .json()
        .await
        .expect("translation");

    let problem = assert_problem(without, 422).await;
    assert_eq!(problem.errors[0].field, "target");
    assert_eq!(with.target, "es");
}

#[tokio::test]
async fn an_unsupported_pair_is_422_listing_what_is_offered() {
    let refusing = mock!(Client::translate_text).then_error(|| {
        TranslateTextError::UnsupportedLanguagePairException(
            UnsupportedLanguagePairException::builder()
                .source_language_code("en")
                .target_language_code("de")
                .build(),
        )
    });
    let languages = languages_rule();
    let app = spawn_with(translator(&[&refusing, &languages])).await;
    let ana = app.register("ana").await;

    let response = translate(
        &app,
        &ana.access_token,
        json!({"text": "Hi", "source": "en", "target": "de"}),
    )
    .await;

    let problem = assert_problem(response, 422).await;
    assert!(
        problem.detail.contains("es") && problem.detail.contains("fr"),
        "{}",
        problem.detail
    );
}

#[tokio::test]
async fn provider_throttling_is_503_with_retry_after() {
    let throttled = mock!(Client::translate_text).then_error(|| {
        TranslateTextError::TooManyRequestsException(TooManyRequestsException::builder().build())
    });
    let app = spawn_with(translator(&[&throttled])).await;
    let ana = app.register("ana").await;

    let response = translate(
        &app,
        &ana.access_token,
        json!({"text": "Hi", "target": "es"}),
    )
    .await;

    assert!(response.headers().contains_key("retry-after"));
    let problem = assert_problem(response, 503).await;
    assert_eq!(problem.kind(), Some(ProblemKind::ServiceUnavailable));
}

#[tokio::test]
async fn texts_over_ten_thousand_bytes_and_bad_codes_are_422() {
    let spanish = spanish_rule();
    let app = spawn_with(translator(&[&spanish])).await;
    let ana = app.register("ana").await;

    let long = translate(
        &app,
        &ana.access_token,
        json!({"text": "ñ".repeat(5_001), "target": "es"}),
    )
    .await;
    let bad_code = translate(
        &app,
        &ana.access_token,
        json!({"text": "Hi", "target": "spanish"}),
    )
    .await;

    assert_eq!(assert_problem(long, 422).await.errors[0].field, "text");
    assert_eq!(
        assert_problem(bad_code, 422).await.errors[0].field,
        "target"
    );
    assert_eq!(spanish.num_calls(), 0);
}

#[tokio::test]
async fn translations_are_rate_limited_per_user() {
    let spanish = spanish_rule();
    let app = spawn_app_with(TestOptions {
        translator: Some(translator(&[&spanish])),
        translate_per_minute: Some(2),
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    for _ in 0..2 {
        translate(
            &app,
            &ana.access_token,
            json!({"text": LYRIC, "target": "es"}),
        )
        .await;
    }

    let third = translate(
        &app,
        &ana.access_token,
        json!({"text": LYRIC, "target": "es"}),
    )
    .await;
    let someone_else = translate(
        &app,
        &bea.access_token,
        json!({"text": LYRIC, "target": "es"}),
    )
    .await;

    assert!(third.headers().contains_key("retry-after"));
    assert_problem(third, 429).await;
    assert_eq!(someone_else.status().as_u16(), 200);
}

#[tokio::test]
async fn languages_and_config_show_what_the_provider_offers() {
    let languages = languages_rule();
    let app = spawn_with(translator(&[&languages])).await;

    let list: LanguageList = app
        .get("/api/v1/languages")
        .await
        .json()
        .await
        .expect("languages");
    let config: ServiceConfig = app
        .get("/api/v1/config")
        .await
        .json()
        .await
        .expect("config");

    assert_eq!(list.provider, "aws");
    assert!(list.detects_source);
    assert!(config.features.translation.enabled);
    assert_eq!(config.features.translation.provider, "aws");
    assert_eq!(config.languages.translation, ["en", "es", "fr"]);
}

#[tokio::test]
async fn without_a_provider_translation_is_503_and_translate_needs_sign_in() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;

    let languages = app.get("/api/v1/languages").await;
    let translated = translate(
        &app,
        &ana.access_token,
        json!({"text": "Hi", "target": "es"}),
    )
    .await;
    let anonymous = app
        .post_json("/api/v1/translate", &json!({"text": "Hi", "target": "es"}))
        .await;

    assert_eq!(
        assert_problem(languages, 503).await.kind(),
        Some(ProblemKind::FeatureDisabled)
    );
    assert_eq!(
        assert_problem(translated, 503).await.kind(),
        Some(ProblemKind::FeatureDisabled)
    );
    assert_problem(anonymous, 401).await;
}
