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

fn merging_rule() -> Rule {
    mock!(Client::translate_text).then_output(|| {
        TranslateTextOutput::builder()
            .translated_text("todo en una sola línea")
            .source_language_code("en")
            .target_language_code("es")
            .build()
            .expect("a complete output")
    })
}

#[tokio::test]
async fn a_long_lyric_costs_one_provider_call_even_when_its_lines_come_back_merged() {
    let merging = merging_rule();
    let app = spawn_with(translator(&[&merging])).await;
    let ana = app.register("ana").await;
    let lyric = (1..=60)
        .map(|n| format!("line number {n}"))
        .collect::<Vec<_>>()
        .join("\n");

    let response = translate(
        &app,
        &ana.access_token,
        json!({"text": lyric, "target": "es"}),
    )
    .await;

    assert_eq!(response.status().as_u16(), 200);
    let translated: TranslatedText = response.json().await.expect("translation");
    assert_eq!(translated.text, "todo en una sola línea");
    assert_eq!(merging.num_calls(), 1, "never a call per line");
}

async fn spawn_with_budget(translator: Arc<dyn Translator>, characters: u32) -> TestApp {
    spawn_app_with(TestOptions {
        translator: Some(translator),
        extra_env: vec![("SOUNDSTREAM_TRANSLATE_DAILY_CHARS", characters.to_string())],
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn the_daily_character_budget_is_429_until_the_next_utc_day() {
    let spanish = spanish_rule();
    let app = spawn_with_budget(translator(&[&spanish]), 30).await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    assert_eq!(LYRIC.chars().count(), 25);
    let first = translate(
        &app,
        &ana.access_token,
        json!({"text": LYRIC, "target": "es"}),
    )
    .await;

    let over = translate(
        &app,
        &ana.access_token,
        json!({"text": "Good morning", "target": "es"}),
    )
    .await;
    let cached = translate(
        &app,
        &ana.access_token,
        json!({"text": LYRIC, "target": "es"}),
    )
    .await;
    let someone_else = translate(
        &app,
        &bea.access_token,
        json!({"text": "Good morning", "target": "es"}),
    )
    .await;

    assert_eq!(first.status().as_u16(), 200);
    let retry_after: u64 = over.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let to_midnight = 86_400 - now % 86_400;
    assert!(
        retry_after.abs_diff(to_midnight) <= 2,
        "{retry_after} vs {to_midnight}"
    );
    let problem = assert_problem(over, 429).await;
    assert_eq!(problem.problem_type, ProblemKind::RateLimited.type_uri());
    assert!(
        problem.detail.contains("midnight UTC"),
        "{}",
        problem.detail
    );
    assert_eq!(
        cached.status().as_u16(),
        200,
        "cached translations are free"
    );
    assert_eq!(someone_else.status().as_u16(), 200, "budgets are per user");
    assert_eq!(spanish.num_calls(), 2);
}

#[tokio::test]
async fn concurrent_requests_cannot_overspend_the_budget() {
    let spanish = spanish_rule();
    let app = spawn_with_budget(translator(&[&spanish]), 100).await;
    let ana = app.register("ana").await;

    // Ten different texts of 20 characters each: five fit in 100.
    let answers = futures_util::future::join_all((0..10).map(|n| {
        translate(
            &app,
            &ana.access_token,
            json!({"text": format!("text number {n:08}"), "target": "es"}),
        )
    }))
    .await;

    let ok = answers.iter().filter(|r| r.status() == 200).count();
    assert_eq!(ok, 5);
    assert_eq!(spanish.num_calls(), 5);
}

#[tokio::test]
async fn a_refused_translation_is_not_charged() {
    let throttled = mock!(Client::translate_text).then_error(|| {
        TranslateTextError::TooManyRequestsException(TooManyRequestsException::builder().build())
    });
    let app = spawn_with_budget(translator(&[&throttled]), 30).await;
    let ana = app.register("ana").await;

    for _ in 0..3 {
        let response = translate(
            &app,
            &ana.access_token,
            json!({"text": LYRIC, "target": "es"}),
        )
        .await;
        assert_problem(response, 503).await;
    }

    let (spent,): (i64,) = sqlx::query_as(
        "SELECT hits FROM rate_limit_windows WHERE limit_key LIKE 'translate-chars:%'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .expect("query");
    assert_eq!(spent, 0);
}

#[tokio::test]
async fn cached_translations_unused_past_the_retention_are_swept() {
    let spanish = spanish_rule();
    let app = spawn_with(translator(&[&spanish])).await;
    let ana = app.register("ana").await;
    for text in [LYRIC, "Good morning"] {
        translate(
            &app,
            &ana.access_token,
            json!({"text": text, "target": "es"}),
        )
        .await;
    }
    sqlx::query("UPDATE translation_cache SET last_used_at = last_used_at - $1")
        .bind(91_i64 * 86_400 * 1000)
        .execute(app.state.db.pool())
        .await
        .expect("aged");
    // Used again: kept.
    let hit: TranslatedText = translate(
        &app,
        &ana.access_token,
        json!({"text": "Good morning", "target": "es"}),
    )
    .await
    .json()
    .await
    .expect("translation");

    let report = soundstream_api::services::maintenance::sweep(&app.state)
        .await
        .expect("sweep");

    assert!(hit.cached);
    assert_eq!(report.expired_translations, 1);
    let again: TranslatedText = translate(
        &app,
        &ana.access_token,
        json!({"text": LYRIC, "target": "es"}),
    )
    .await
    .json()
    .await
    .expect("translation");
    assert!(!again.cached, "the swept one is translated afresh");
    assert_eq!(spanish.num_calls(), 3);
}

#[tokio::test]
async fn translated_lyrics_draw_on_the_same_daily_budget() {
    let spanish = spanish_rule();
    let app = spawn_with_budget(translator(&[&spanish]), 30).await;
    let admin = app.admin("boss").await;
    let ana = app.register("ana").await;
    let song = crate::songs::create_song(
        &app,
        &admin.access_token,
        "tone.mp3",
        "audio/mpeg",
        json!({"lyrics": LYRIC, "lyrics_language": "en"}),
    )
    .await;
    let spent = translate(
        &app,
        &ana.access_token,
        json!({"text": "Good morning", "target": "es"}),
    )
    .await;

    let lyrics = app
        .authed(
            Method::GET,
            &format!("/api/v1/songs/{}/lyrics?lang=es", song.id),
            &ana.access_token,
        )
        .send()
        .await
        .expect("sent");

    assert_eq!(spent.status().as_u16(), 200);
    assert!(lyrics.headers().contains_key("retry-after"));
    assert_problem(lyrics, 429).await;
    assert_eq!(spanish.num_calls(), 1);
}
