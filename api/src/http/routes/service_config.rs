//! `GET /api/v1/config`: the features and limits of this deployment.

use std::time::Duration;

use actix_web::get;
use actix_web::web::{Data, Json};
use soundstream_types::{FeatureStatus, Features, Languages, Problem, ServiceConfig, UploadLimits};

use soundstream_media::{AudioFormat, ImageFormat, MAX_IMAGE_PIXELS};

use crate::http::error::ApiResult;
use crate::services::accounts;
use crate::services::uploads::{AUDIO_MAX_BYTES, IMAGE_MAX_BYTES};
use crate::state::AppState;

/// Languages the web player's interface ships in.
const INTERFACE_LANGUAGES: [&str; 2] = ["en", "es"];

/// What this deployment offers, so clients can hide what is switched off.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Feature flags and limits", body = ServiceConfig),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/config")]
pub async fn get_service_config(state: Data<AppState>) -> ApiResult<Json<ServiceConfig>> {
    let settings = &state.settings;
    let needs_first_admin = accounts::needs_first_admin(&state).await?;
    let face = state.face.as_ref().map_or("none", |face| face.provider());
    let translation = state.translator.as_ref().map_or("none", |t| t.provider());
    // What the provider can translate into from any source, for the picker;
    // empty while it cannot be asked.
    let translation_targets = match &state.translator {
        Some(translator) => {
            match tokio::time::timeout(Duration::from_secs(2), translator.languages()).await {
                Ok(Ok(languages)) => {
                    let mut targets: Vec<String> = languages
                        .sources
                        .into_iter()
                        .flat_map(|source| source.targets)
                        .collect();
                    targets.sort();
                    targets.dedup();
                    targets
                }
                _ => Vec::new(),
            }
        }
        None => Vec::new(),
    };
    Ok(Json(ServiceConfig {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.db.backend().name().to_owned(),
        storage: settings.storage.backend_name().to_owned(),
        needs_first_admin,
        features: Features {
            face_login: FeatureStatus {
                enabled: face != "none",
                provider: face.to_owned(),
            },
            face_liveness: settings.face.liveness.as_str().to_owned(),
            translation: FeatureStatus {
                enabled: translation != "none",
                provider: translation.to_owned(),
            },
            renditions: match state.transcoder {
                Some(_) => FeatureStatus {
                    enabled: true,
                    provider: "ffmpeg".into(),
                },
                None => FeatureStatus::off(),
            },
        },
        uploads: UploadLimits {
            audio_max_bytes: AUDIO_MAX_BYTES,
            image_max_bytes: IMAGE_MAX_BYTES,
            // The canonical types; common aliases (audio/x-wav, …) are accepted too.
            audio_content_types: AudioFormat::ALL
                .iter()
                .map(|format| format.content_type().to_owned())
                .collect(),
            image_content_types: ImageFormat::ALL
                .iter()
                .map(|format| format.content_type().to_owned())
                .collect(),
            image_max_pixels: MAX_IMAGE_PIXELS,
            image_quota_bytes: settings.usage.image_quota_bytes,
            image_quota_count: settings.usage.image_quota_count,
        },
        languages: Languages {
            interface: INTERFACE_LANGUAGES.map(str::to_owned).to_vec(),
            translation: translation_targets,
        },
    }))
}
