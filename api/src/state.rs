//! The state every request and background task shares: settings, the
//! database, media storage, token keys and the configured providers. Cheap
//! to clone. Instances stay interchangeable: what an instance keeps for
//! itself (session standings for a few seconds, the hashing queue, pages of
//! songs checked against the shared catalogue version) only bounds how fast
//! or how much, never what the answer is.

use std::sync::Arc;

use prometheus::IntCounterVec;
use soundstream_face::FaceVerifier;
use soundstream_transcode::Ffmpeg;
use soundstream_translate::Translator;

use crate::auth::app_secrets::AppSecretKeys;
use crate::auth::password::HashingGate;
use crate::auth::standing::Standings;
use crate::auth::stream_urls::StreamUrlSigner;
use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::db::Database;
use crate::lifecycle::Lifecycle;
use crate::services::catalogue_version::CatalogueVersion;
use crate::services::kept_searches::KeptSearches;
use crate::services::radio_listeners::RadioListeners;
use crate::services::song_pages::SongPages;
use crate::storage::MediaStorage;

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    /// Face verification, when a provider is configured.
    pub face: Option<Arc<dyn FaceVerifier>>,
    /// Translation, when a provider is configured.
    pub translator: Option<Arc<dyn Translator>>,
    pub db: Database,
    pub tokens: Arc<TokenKeys>,
    /// Seals and opens app passwords (Subsonic apps).
    pub app_secrets: Arc<AppSecretKeys>,
    /// Recently read session standings (see `auth::standing`).
    pub standings: Arc<Standings>,
    /// Admission to password hashing.
    pub hashing: Arc<HashingGate>,
    /// The catalogue's version, one read at a time for every request waiting.
    pub catalogue_version: Arc<CatalogueVersion>,
    /// Pages of songs answered, while the catalogue is unchanged.
    pub song_pages: Arc<SongPages>,
    /// Catalogue matches of searches answered, while the catalogue is unchanged.
    pub kept_searches: Arc<KeptSearches>,
    pub storage: MediaStorage,
    /// Signs and checks radio stream URLs for listeners-only stations.
    pub stream_urls: Arc<StreamUrlSigner>,
    /// This instance's radio stream listeners (a bound, not a schedule:
    /// what is on air is read from the database).
    pub radio: Arc<RadioListeners>,
    /// The origin browsers reach this API at (`SOUNDSTREAM_PUBLIC_URL`, or
    /// the bound address): media URLs are built on it.
    pub public_origin: Arc<str>,
    pub lifecycle: Lifecycle,
    /// ffmpeg, when it runs here: background work needs it.
    pub transcoder: Option<Ffmpeg>,
    /// Jobs done here, by kind and outcome (`soundstream_jobs_total`).
    pub job_metrics: IntCounterVec,
}

/// The external services a deployment talks to besides storage.
#[derive(Default)]
pub struct Providers {
    pub face: Option<Arc<dyn FaceVerifier>>,
    pub translator: Option<Arc<dyn Translator>>,
    /// ffmpeg for renditions and loudness.
    pub transcoder: Option<Ffmpeg>,
}
