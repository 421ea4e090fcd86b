//! Translation through the configured provider (lyrics and free text),
//! cached in the database for every instance, rate limited per user across
//! instances, and paid for from a per-user daily budget of characters.

use std::sync::Arc;
use std::time::Duration;

use soundstream_translate::{AUTO, Languages, TranslateError, Translator};
use soundstream_types::{LanguageList, LanguageSource, TranslateRequest, TranslatedText};

use crate::auth::AuthUser;
use crate::clock::{millis, now_millis};
use crate::config::UsageLimits;
use crate::domain::{FieldErrors, LanguageCode, field_error};
use crate::persistence::translations::{self, CacheKey};
use crate::persistence::{rate_limits, users};
use crate::services::{ServiceError, ServiceResult, within_rate_limit};
use crate::state::AppState;

/// Largest text one request may translate.
pub const MAX_TEXT_BYTES: usize = 10_000;
const RATE_WINDOW: Duration = Duration::from_secs(60);
/// The translation budget's period: a UTC day.
const DAY: Duration = Duration::from_secs(24 * 60 * 60);

pub fn translator(state: &AppState) -> Result<Arc<dyn Translator>, ServiceError> {
    state.translator.clone().ok_or_else(|| {
        ServiceError::FeatureDisabled("Translation is not enabled on this server.".into())
    })
}

pub fn provider_error(error: TranslateError, languages: Option<&Languages>) -> ServiceError {
    match error {
        TranslateError::UnsupportedPair { source, target } => {
            let supported = languages
                .map(|l| {
                    l.targets(Some(source.as_str()).filter(|s| *s != AUTO))
                        .join(", ")
                })
                .filter(|list| !list.is_empty())
                .unwrap_or_else(|| "none".into());
            ServiceError::Validation {
                detail: format!(
                    "Cannot translate from {source} to {target}; from {source} this server offers: {supported}."
                ),
                errors: vec![field_error(
                    "target",
                    format!("is not offered from {source}; offered: {supported}"),
                )],
            }
        }
        TranslateError::SourceNotDetected => ServiceError::Validation {
            detail: "The source language could not be detected; say which it is.".into(),
            errors: vec![field_error("source", "is needed for this text")],
        },
        TranslateError::TooLong => ServiceError::Validation {
            detail: "The text is too long to translate.".into(),
            errors: vec![field_error("text", "is too long")],
        },
        TranslateError::Unavailable {
            reason,
            retry_after,
        } => {
            tracing::warn!(%reason, "translation provider unavailable");
            ServiceError::ProviderUnavailable {
                detail: "The translation service is busy or unreachable; try again shortly.".into(),
                retry_after,
            }
        }
        TranslateError::Provider(reason) => {
            tracing::error!(%reason, "translation provider failed");
            ServiceError::ProviderFailed("The translation service refused the request.".into())
        }
    }
}

/// The language pairs the active provider offers.
pub async fn languages(state: &AppState) -> ServiceResult<LanguageList> {
    let translator = translator(state)?;
    let languages = translator
        .languages()
        .await
        .map_err(|error| provider_error(error, None))?;
    Ok(LanguageList {
        provider: translator.provider().to_owned(),
        detects_source: languages.detects_source(),
        sources: languages
            .sources
            .into_iter()
            .map(|source| LanguageSource {
                code: source.code,
                targets: source.targets,
            })
            .collect(),
    })
}

/// Translates a text (at most 10,000 bytes) into `target`, by default the
/// user's preferred language.
pub async fn translate(
    state: &AppState,
    user: &AuthUser,
    request: TranslateRequest,
) -> ServiceResult<TranslatedText> {
    let translator = translator(state)?;
    let TranslateRequest {
        text,
        target,
        source,
    } = request;
    let mut errors = FieldErrors::default();
    if text.len() > MAX_TEXT_BYTES {
        errors.check::<()>(Err(field_error(
            "text",
            format!("must be at most {MAX_TEXT_BYTES} bytes"),
        )));
    }
    let source = source
        .as_deref()
        .filter(|s| *s != AUTO)
        .and_then(|code| errors.check(LanguageCode::parse("source", code)));
    let target = target
        .as_deref()
        .and_then(|code| errors.check(LanguageCode::parse("target", code)));
    errors.into_result().map_err(ServiceError::invalid_fields)?;

    let target = target_language(state, &user.id, target).await?;
    translate_for(
        state,
        &translator,
        &user.id,
        &text,
        source.as_ref(),
        &target,
    )
    .await
}

/// `target`, or else the user's preferred language.
pub async fn target_language(
    state: &AppState,
    user_id: &str,
    target: Option<LanguageCode>,
) -> Result<LanguageCode, ServiceError> {
    if let Some(target) = target {
        return Ok(target);
    }
    let mut conn = state.db.acquire().await?;
    users::find_by_id(&mut conn, user_id)
        .await?
        .and_then(|record| record.preferred_language)
        .and_then(|code| LanguageCode::parse("target", &code).ok())
        .ok_or_else(|| ServiceError::Validation {
            detail: "Say which language to translate into, or set a preferred language.".into(),
            errors: vec![field_error(
                "target",
                "is needed: you have no preferred language",
            )],
        })
}

/// Characters taken from a user's daily budget, to give back if the
/// provider is not paid for them after all.
struct Charge {
    key: String,
    day_start: i64,
    characters: i64,
}

impl Charge {
    async fn refund(&self, conn: &mut sqlx::AnyConnection) -> Result<(), ServiceError> {
        rate_limits::refund(conn, &self.key, self.day_start, self.characters).await?;
        Ok(())
    }
}

/// Takes the text's characters from the user's budget for the current UTC
/// day (`SOUNDSTREAM_TRANSLATE_DAILY_CHARS`), or refuses with 429 and a
/// `Retry-After` until the next UTC day. Taken before the provider is
/// called, so concurrent requests cannot overspend together.
async fn spend_budget(
    conn: &mut sqlx::AnyConnection,
    limits: &UsageLimits,
    user_id: &str,
    text: &str,
    now: i64,
) -> Result<Charge, ServiceError> {
    let day = millis(DAY);
    let charge = Charge {
        key: format!("translate-chars:{user_id}"),
        day_start: now - now.rem_euclid(day),
        characters: i64::try_from(text.chars().count()).unwrap_or(i64::MAX),
    };
    let spent = rate_limits::add(conn, &charge.key, charge.day_start, charge.characters).await?;
    let budget = i64::try_from(limits.translate_daily_chars).unwrap_or(i64::MAX);
    if spent > budget {
        charge.refund(conn).await?;
        let left = (budget - (spent - charge.characters)).max(0);
        return Err(ServiceError::BudgetExhausted {
            detail: format!(
                "This text has {} characters; your translation budget has {left} of {budget} \
                 left today. It renews at midnight UTC.",
                charge.characters
            ),
            retry_after: Duration::from_millis(
                u64::try_from(charge.day_start + day - now).unwrap_or(1000),
            ),
        });
    }
    Ok(charge)
}

/// Translates for a user: counts against their rate limit, answers from
/// the shared cache when it can, and otherwise takes the text's characters
/// from their daily budget, asks the provider once and fills the cache.
pub async fn translate_for(
    state: &AppState,
    translator: &Arc<dyn Translator>,
    user_id: &str,
    text: &str,
    source: Option<&LanguageCode>,
    target: &LanguageCode,
) -> Result<TranslatedText, ServiceError> {
    let mut conn = state.db.acquire().await?;
    let now = now_millis();
    within_rate_limit(
        &mut conn,
        &format!("translate:{user_id}"),
        RATE_WINDOW,
        state.settings.translate_per_minute,
    )
    .await?;
    let key = CacheKey {
        text,
        source: source.map_or(AUTO, LanguageCode::as_str),
        target: target.as_str(),
        provider: translator.provider(),
    };
    if let Some((translated, detected)) = translations::find(&mut conn, &key).await? {
        translations::touch(&mut conn, &key, now).await?;
        return Ok(TranslatedText {
            text: translated,
            source: detected.unwrap_or_else(|| key.source.to_owned()),
            target: target.to_string(),
            provider: translator.provider().to_owned(),
            cached: true,
        });
    }
    let charge = spend_budget(&mut conn, &state.settings.usage, user_id, text, now).await?;
    drop(conn);

    let translated = translator
        .translate(text, source.map(LanguageCode::as_str), target.as_str())
        .await;
    let translation = match translated {
        Ok(translation) => translation,
        Err(error) => {
            // What the provider refused or failed is not charged.
            let mut conn = state.db.acquire().await?;
            charge.refund(&mut conn).await?;
            return Err(match error {
                TranslateError::UnsupportedPair { .. } => {
                    let languages = translator.languages().await.ok();
                    provider_error(error, languages.as_ref())
                }
                error => provider_error(error, None),
            });
        }
    };
    let mut conn = state.db.acquire().await?;
    translations::store(
        &mut conn,
        &key,
        &translation.text,
        &translation.source,
        now_millis(),
    )
    .await?;
    Ok(TranslatedText {
        text: translation.text,
        source: translation.source,
        target: target.to_string(),
        provider: translator.provider().to_owned(),
        cached: false,
    })
}
