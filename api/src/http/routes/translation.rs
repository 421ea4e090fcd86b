//! `GET /api/v1/languages` and `POST /api/v1/translate`: text translation
//! through the configured provider, cached in the database for every
//! instance and rate limited per user across instances.

use actix_web::web::{Data, Json};
use actix_web::{get, post};
use soundstream_types::{LanguageList, Problem, TranslateRequest, TranslatedText};

use crate::auth::AuthUser;
use crate::http::error::ApiResult;
use crate::services::translation;
use crate::state::AppState;

/// The language pairs the active provider offers.
#[utoipa::path(
    tag = "translation",
    responses(
        (status = 200, description = "Sources and their targets", body = LanguageList),
        (status = 503, description = "Translation disabled, or the provider unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/languages")]
pub async fn list_languages(state: Data<AppState>) -> ApiResult<Json<LanguageList>> {
    Ok(Json(translation::languages(&state).await?))
}

/// Translates a text (at most 10,000 bytes) into `target`, by default your
/// preferred language. Line breaks and stanzas are kept. Results are cached
/// for every instance; each user may translate 60 texts a minute, and send
/// the provider a daily budget of characters (cached answers are free).
#[utoipa::path(
    tag = "translation",
    security(("bearer" = [])),
    request_body = TranslateRequest,
    responses(
        (status = 200, description = "The translation", body = TranslatedText),
        (status = 422, description = "Invalid languages, unsupported pair (listing what is offered) or text too long", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many translations, or your daily character budget is spent (Retry-After: until the next UTC day)", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The provider refused", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Translation disabled, or the provider unavailable; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/translate")]
pub async fn translate(
    state: Data<AppState>,
    user: AuthUser,
    body: Json<TranslateRequest>,
) -> ApiResult<Json<TranslatedText>> {
    Ok(Json(
        translation::translate(&state, &user, body.into_inner()).await?,
    ))
}
