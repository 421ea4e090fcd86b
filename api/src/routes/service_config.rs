//! `GET /api/v1/config`: the features and limits of this deployment.

use actix_web::get;
use actix_web::web::{Data, Json};
use soundstream_types::{FeatureStatus, Features, Languages, ServiceConfig, UploadLimits};

use crate::startup::AppState;

/// Languages the web player's interface ships in.
const INTERFACE_LANGUAGES: [&str; 2] = ["en", "es"];

/// Upload limits from the product contract (enforced by the uploads API).
pub const AUDIO_MAX_BYTES: u64 = 200 * 1024 * 1024;
pub const IMAGE_MAX_BYTES: u64 = 10 * 1024 * 1024;
pub const AUDIO_CONTENT_TYPES: [&str; 7] = [
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/opus",
    "audio/flac",
    "audio/wav",
];
pub const IMAGE_CONTENT_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// What this deployment offers, so clients can hide what is switched off.
#[utoipa::path(
    tag = "service",
    responses((status = 200, description = "Feature flags and limits", body = ServiceConfig))
)]
#[get("/config")]
pub async fn get_service_config(state: Data<AppState>) -> Json<ServiceConfig> {
    let settings = &state.settings;
    let face = settings.face.provider.name();
    let translation = settings.translate.provider.name();
    Json(ServiceConfig {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.db.backend().name().to_owned(),
        storage: settings.storage.backend_name().to_owned(),
        features: Features {
            face_login: FeatureStatus {
                enabled: face != "none",
                provider: face.to_owned(),
            },
            translation: FeatureStatus {
                enabled: translation != "none",
                provider: translation.to_owned(),
            },
        },
        uploads: UploadLimits {
            audio_max_bytes: AUDIO_MAX_BYTES,
            image_max_bytes: IMAGE_MAX_BYTES,
            audio_content_types: AUDIO_CONTENT_TYPES.map(str::to_owned).to_vec(),
            image_content_types: IMAGE_CONTENT_TYPES.map(str::to_owned).to_vec(),
        },
        languages: Languages {
            interface: INTERFACE_LANGUAGES.map(str::to_owned).to_vec(),
            // Filled from the provider once translation lands.
            translation: Vec::new(),
        },
    })
}
