//! Building the application: database, migrations, providers, state,
//! middleware and the HTTP server. Tests start exactly this, on port 0.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::{Method, header};
use actix_web::middleware::{Compress, from_fn};
use actix_web::web::{self, Data};
use actix_web::{App, HttpServer};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::auth::app_secrets::AppSecretKeys;
use crate::auth::password::HashingGate;
use crate::auth::secret::{JwtSecret, SecretError};
use crate::auth::standing::Standings;
use crate::auth::stream_urls::StreamUrlSigner;
use crate::auth::tokens::TokenKeys;
use crate::config::{FaceProvider, Settings, TranslateProvider};
use crate::db::{Database, DbError};
use crate::http::body::{
    JSON_BODY_LIMIT, json_error, pace_bodies, path_error, query_error, refuse_encoded_bodies,
};
use crate::http::error::problem_error_handlers;
use crate::http::openapi;
use crate::http::panics::{catch_panics, panic_counter};
use crate::http::routes::{self, fallback::Fallback, fallback::RouteTable};
use crate::http::security::{SecurityHeaders, media_origin, security_headers};
use crate::http::web_player::WebPlayer;
use crate::lifecycle::Lifecycle;
use crate::metrics::{MetricsError, guard_metrics, job_counter, prometheus_middleware};
use crate::services::catalogue_version::CatalogueVersion;
use crate::services::kept_answers::KeptAnswers;
use crate::services::radio_listeners::RadioListeners;
use crate::services::{jobs, kept_searches, maintenance, song_pages};
use crate::shutdown::ShutdownController;
use crate::state::{AppState, Providers};
use crate::storage::MediaStorage;
use crate::telemetry::{REQUEST_ID_HEADER, error_chain, request_telemetry};

/// Request headers must arrive within this (slow-loris).
pub const HEADERS_TIMEOUT: Duration = Duration::from_secs(5);
use soundstream_face::{FaceVerifier, RekognitionSettings, RekognitionVerifier};
use soundstream_transcode::Ffmpeg;
use soundstream_translate::{
    ApertiumTranslator, AwsSettings as TranslateAwsSettings, AwsTranslator, Translator,
};

/// How long in-flight requests may take to finish once the listener closes.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot listen on {address}")]
    Bind {
        address: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("cannot open media storage")]
    Storage(#[from] soundstream_storage::StorageError),
    #[cfg(feature = "face-local")]
    #[error("cannot set up the local face provider: {0}")]
    Face(soundstream_face::FaceError),
    #[error("cannot set up the translation provider: {0}")]
    Translation(soundstream_translate::TranslateError),
    #[error("cannot serialise the OpenAPI document")]
    OpenApi {
        #[source]
        source: serde_json::Error,
    },
}

/// The offline provider, its weights loaded (a second or two, once).
#[cfg(feature = "face-local")]
fn local_face(face: &crate::config::FaceSettings) -> Result<Arc<dyn FaceVerifier>, StartupError> {
    let mut local = soundstream_face::LocalSettings::new(face.models_dir.clone());
    if let Some(max_distance) = face.max_distance {
        local.max_distance = max_distance;
    }
    let verifier = soundstream_face::LocalVerifier::load(local).map_err(StartupError::Face)?;
    Ok(Arc::new(verifier))
}

impl Providers {
    pub async fn from_settings(settings: &Settings) -> Result<Self, StartupError> {
        let face: Option<Arc<dyn FaceVerifier>> = match settings.face.provider {
            FaceProvider::None => None,
            FaceProvider::Rekognition => Some(Arc::new(
                RekognitionVerifier::connect(&RekognitionSettings {
                    access: settings.aws.clone(),
                    similarity_threshold: settings.face.threshold,
                })
                .await,
            )),
            #[cfg(feature = "face-local")]
            FaceProvider::Local => match local_face(&settings.face) {
                Ok(verifier) => Some(verifier),
                Err(error) if !settings.face.provider_named => {
                    tracing::warn!(
                        error = %error,
                        "face login is off: the local provider (this build's default) \
                         cannot start; scripts/run fetches its weights"
                    );
                    None
                }
                Err(error) => return Err(error),
            },
        };
        let translator: Option<Arc<dyn Translator>> = match settings.translate.provider {
            TranslateProvider::None => None,
            TranslateProvider::Aws => Some(Arc::new(
                AwsTranslator::connect(&TranslateAwsSettings {
                    access: settings.aws.clone(),
                    ..TranslateAwsSettings::default()
                })
                .await,
            )),
            TranslateProvider::Apertium => Some(Arc::new(
                ApertiumTranslator::new(settings.translate.apertium_url.as_str())
                    .map_err(StartupError::Translation)?,
            )),
        };
        let ffmpeg = Ffmpeg::new(&settings.jobs.ffmpeg, &settings.jobs.ffprobe);
        let transcoder = match ffmpeg.version().await {
            Ok(version) => {
                tracing::debug!(%version, "ffmpeg found");
                Some(ffmpeg)
            }
            Err(error) => {
                tracing::warn!(
                    error = %error_chain(&error),
                    "renditions and loudness are off: ffmpeg does not run here \
                     (install it, or set SOUNDSTREAM_FFMPEG and SOUNDSTREAM_FFPROBE); \
                     new songs' work waits in the queue for an instance that has it"
                );
                None
            }
        };
        Ok(Self {
            face,
            translator,
            transcoder,
        })
    }
}

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Connects to the database and the configured providers, applies
    /// migrations and binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let providers = Providers::from_settings(&settings).await?;
        Self::build_with(settings, providers).await
    }

    /// As [`Application::build`], with the providers given (tests pass
    /// clients whose HTTP is stubbed by the AWS SDK's test utilities).
    pub async fn build_with(
        settings: Settings,
        providers: Providers,
    ) -> Result<Self, StartupError> {
        let db = Database::connect(&settings.database_url).await?;
        db.migrate().await?;

        let listener = TcpListener::bind(settings.bind).map_err(|source| StartupError::Bind {
            address: settings.bind.to_string(),
            source,
        })?;
        let bound = listener.local_addr().map_err(|source| StartupError::Bind {
            address: settings.bind.to_string(),
            source,
        })?;
        let port = bound.port();
        // Media URLs and the player's policy come from configuration, never
        // from a request's Host header (which a client can forge).
        let public_origin = settings.public_origin(bound);

        let secret = JwtSecret::for_settings(&settings)?;
        let previous_secret = JwtSecret::previous_for_settings(&settings)?;
        let storage = MediaStorage::connect(&settings.storage, &secret.media_url_key()).await?;
        let job_metrics = job_counter()?;
        let panics = panic_counter().map_err(|e| MetricsError::new(e.to_string()))?;
        let radio = Arc::new(RadioListeners::new(settings.radio_max_listeners));
        let metrics = prometheus_middleware(&db, &job_metrics, &panics, radio.clone())?;
        let security = Data::new(SecurityHeaders::new(
            &public_origin,
            media_origin(&*storage.store).await.as_deref(),
            settings.served_over_https(),
        ));
        // Built once, not per worker: each worker kept a copy of the
        // document (several MB as structs) and rebuilt it to serve it.
        let document = openapi::document();
        let document_json = Data::new(
            openapi::DocumentJson::of(&document)
                .map_err(|source| StartupError::OpenApi { source })?,
        );
        let fallback = Data::new(Fallback {
            routes: RouteTable::from_openapi(&document),
            web_player: settings
                .web_dir
                .clone()
                .map(|dir| WebPlayer::new(dir, &security.player_policy)),
        });
        let state = AppState {
            face: providers.face,
            translator: providers.translator,
            tokens: Arc::new(TokenKeys::new(&secret, previous_secret.as_ref())),
            app_secrets: Arc::new(AppSecretKeys::new(&secret, previous_secret.as_ref())),
            standings: Arc::new(Standings::default()),
            catalogue_version: Arc::new(CatalogueVersion::default()),
            song_pages: Arc::new(KeptAnswers::new(song_pages::CAPACITY)),
            kept_searches: Arc::new(KeptAnswers::new(kept_searches::CAPACITY)),
            hashing: Arc::new(HashingGate::for_this_machine()),
            storage,
            stream_urls: Arc::new(StreamUrlSigner::new(&secret)),
            radio,
            public_origin: public_origin.into(),
            settings: Arc::new(settings),
            db,
            lifecycle: Lifecycle::default(),
            transcoder: providers.transcoder,
            job_metrics,
        };

        let app_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .into_utoipa_app()
                .app_data(Data::new(app_state.clone()))
                .app_data(document_json.clone())
                .app_data(fallback.clone())
                .app_data(security.clone())
                .app_data(panics.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(JSON_BODY_LIMIT)
                        .error_handler(json_error),
                )
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .configure(routes::configure)
                .map(|app| {
                    app.route("/openapi.json", web::get().to(openapi::serve_json))
                        .service(
                            SwaggerUi::new("/docs/{_:.*}").config(Config::from("/openapi.json")),
                        )
                        .service(web::redirect("/docs", "/docs/"))
                        .configure(crate::http::subsonic::configure)
                })
                .default_service(web::to(routes::fallback::fallback))
                .into_app()
                // Innermost first: a panic becomes a 500, and errors become
                // problem documents, before CORS headers, metrics,
                // compression and the access log see them.
                .wrap(from_fn(catch_panics))
                .wrap(problem_error_handlers())
                .wrap(from_fn(pace_bodies))
                .wrap(from_fn(refuse_encoded_bodies))
                .wrap(cors(&app_state.settings.cors_origins))
                .wrap(metrics.clone())
                .wrap(from_fn(guard_metrics))
                .wrap(Compress::default())
                .wrap(from_fn(security_headers))
                .wrap(from_fn(request_telemetry))
        })
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            address: state.settings.bind.to_string(),
            source,
        })?
        // Slow-loris: headers must arrive within this (bodies are paced by
        // `pace_bodies`), and idle keep-alive connections are closed.
        .client_request_timeout(HEADERS_TIMEOUT)
        .client_disconnect_timeout(Duration::from_secs(2))
        .keep_alive(Duration::from_secs(30))
        // Signals are ours: readiness must turn 503 before the listener closes.
        .disable_signals()
        .shutdown_timeout(SHUTDOWN_TIMEOUT.as_secs())
        .run();

        Ok(Self {
            port,
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state, for running maintenance or inspecting the
    /// instance from tests and commands.
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    pub fn shutdown_controller(&self) -> ShutdownController {
        ShutdownController {
            lifecycle: self.state.lifecycle.clone(),
            server: self.server.handle(),
            drain: self.state.settings.shutdown_drain,
        }
    }

    /// Serves until stopped (cleaning media storage periodically), then
    /// closes the database pool.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let cleanup = maintenance::spawn_periodic(self.state.clone());
        let (stop_workers, stop) = tokio::sync::watch::channel(false);
        let workers = jobs::spawn_workers(&self.state, &stop);
        let result = self.server.await;
        cleanup.abort();
        // Workers hand back what they hold, so another instance takes it at
        // once instead of when the lease runs out.
        let _ = stop_workers.send(true);
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            futures_util::future::join_all(workers),
        )
        .await;
        self.state.db.close().await;
        result
    }
}

/// Browsers on the configured origins (the S3 website) may call the API.
/// Other origins get no CORS headers, so their browsers refuse the answer;
/// same-origin requests are unaffected.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            REQUEST_ID_HEADER,
        ])
        .expose_headers([REQUEST_ID_HEADER, header::RETRY_AFTER, header::LOCATION])
        .block_on_origin_mismatch(false)
        .max_age(3600)
}
