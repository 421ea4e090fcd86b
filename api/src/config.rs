//! Configuration from the environment, parsed once at start-up into typed
//! settings. Every variable has an embedded default; a bad value stops
//! start-up with one line naming the variable, the value and what is expected.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use soundstream_storage::{AwsAccess, S3Settings, StaticCredentials};
use url::Url;

/// Why the configuration was refused. Rendered as one line for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {variable}={value:?}: expected {expected}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub expected: String,
}

impl ConfigError {
    fn new(variable: &'static str, value: &str, expected: impl Into<String>) -> Self {
        Self {
            variable,
            value: value.to_owned(),
            expected: expected.into(),
        }
    }
}

/// Where configuration values come from: the process environment in
/// production, a map in tests.
pub trait VarSource {
    fn var(&self, name: &str) -> Option<String>;
}

/// The real process environment (after `.env` has been loaded into it).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl VarSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl VarSource for HashMap<&str, &str> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).map(|value| (*value).to_owned())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres(url) => url,
        }
    }

    fn parse(value: &str) -> Result<Self, ConfigError> {
        let expected = "a URL starting with sqlite: or postgres://";
        if value.starts_with("sqlite:") {
            Ok(Self::Sqlite(value.to_owned()))
        } else if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Url::parse(value).map_err(|_| ConfigError::new("DATABASE_URL", value, expected))?;
            Ok(Self::Postgres(value.to_owned()))
        } else {
            Err(ConfigError::new("DATABASE_URL", value, expected))
        }
    }
}

/// Human-safe rendering: never prints a password embedded in the URL.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(url) => f.write_str(url),
            Self::Postgres(url) => match Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        // Only fails for URLs that cannot carry a password.
                        let _ = parsed.set_password(Some("***"));
                    }
                    f.write_str(parsed.as_str())
                }
                Err(_) => f.write_str("postgres://(unparseable)"),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageSettings {
    /// Files under `<data dir>/media`, served by the API with signed URLs.
    Local { root: PathBuf },
    /// An S3 bucket (or an S3-compatible server at `endpoint`, path-style).
    S3(S3Settings),
}

impl StorageSettings {
    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Local { .. } => "local",
            Self::S3(_) => "s3",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceProvider {
    None,
    Rekognition,
    /// dlib on this machine's CPU; only in builds with the `face-local`
    /// feature, where it is the default.
    #[cfg(feature = "face-local")]
    Local,
}

impl FaceProvider {
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Rekognition => "rekognition",
            #[cfg(feature = "face-local")]
            Self::Local => "local",
        }
    }

    /// `local` where this build has it, else `none`.
    fn build_default() -> Self {
        #[cfg(feature = "face-local")]
        return Self::Local;
        #[cfg(not(feature = "face-local"))]
        return Self::None;
    }
}

/// Whether face login asks for a head turn (a photo held up cannot do it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceLiveness {
    /// `POST /auth/face-login/challenge` first, then frames of the turn.
    Challenge,
    /// One picture, compared with the enrolment.
    Off,
}

impl FaceLiveness {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Challenge => "challenge",
            Self::Off => "off",
        }
    }
}

/// Rekognition's similarity scale (0–100): 95 keeps false accepts rare.
pub const DEFAULT_REKOGNITION_THRESHOLD: f32 = 95.0;

#[derive(Debug, Clone, PartialEq)]
pub struct FaceSettings {
    pub provider: FaceProvider,
    /// Whether the operator named the provider (a named one that cannot
    /// start stops the server; the build's default only turns face login
    /// off, loudly).
    pub provider_named: bool,
    /// Rekognition's decision threshold (similarity, 0–100).
    pub threshold: f32,
    /// The local provider's decision threshold (largest descriptor
    /// distance still the same person); `None` for its calibrated default.
    pub max_distance: Option<f32>,
    /// Where the local provider's dlib weights are.
    pub models_dir: PathBuf,
    pub liveness: FaceLiveness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslateProvider {
    None,
    Aws,
    Apertium,
}

impl TranslateProvider {
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Aws => "aws",
            Self::Apertium => "apertium",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslateSettings {
    pub provider: TranslateProvider,
    pub apertium_url: Url,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSettings {
    pub filter: String,
    pub format: LogFormat,
}

/// Everything the service needs to start, already validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub environment: Environment,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: DatabaseUrl,
    pub storage: StorageSettings,
    /// AWS region and credentials shared by S3, Rekognition and Translate.
    pub aws: AwsAccess,
    pub face: FaceSettings,
    pub translate: TranslateSettings,
    /// The built web player to serve at `/`, if any.
    pub web_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser (the S3 website in production).
    pub cors_origins: Vec<String>,
    pub log: LogSettings,
    /// How long readiness reports 503 after SIGTERM before the listener
    /// closes, so the load balancer stops sending traffic first.
    pub shutdown_drain: Duration,
    /// The configured token-signing secret; `None` in embedded mode means
    /// one kept in the data dir.
    pub jwt_secret: Option<String>,
    /// The previous token-signing secret, still accepted (never used to
    /// sign) while the access tokens it signed run out after a rotation.
    pub jwt_previous_secret: Option<String>,
    /// Load balancers whose `X-Forwarded-For` entries are believed.
    pub trusted_proxies: TrustedProxies,
    pub login_throttle: ThrottlePolicy,
    pub sessions: SessionPolicy,
    /// Accounts each client address may register per hour.
    pub registrations_per_hour: u32,
    /// Whether administrators may sign in by face (off by default: a face
    /// is easier to borrow than a password).
    pub face_login_admins: bool,
    /// Lines for the log once it is set up: deprecated variables in use.
    pub warnings: Vec<String>,
    /// Translations each user may request per minute.
    pub translate_per_minute: u32,
    /// When set, `/metrics` answers only requests bearing this token.
    pub metrics_token: Option<String>,
    /// The origin browsers reach this API at (`SOUNDSTREAM_PUBLIC_URL`),
    /// for the media URLs it hands out; `None` means the bound address.
    pub public_url: Option<String>,
    /// Per-user quotas and budgets, and how long unused things are kept.
    pub usage: UsageLimits,
    /// Radio stream listeners this instance serves at once
    /// (`SOUNDSTREAM_RADIO_MAX_LISTENERS`); one more is answered 503.
    pub radio_max_listeners: usize,
    /// Background work (renditions, loudness) on this instance.
    pub jobs: JobSettings,
}

/// Radio stream listeners per instance unless configured.
pub const DEFAULT_RADIO_MAX_LISTENERS: usize = 200;

/// Which peers may say who the client is: the client address is the
/// rightmost `X-Forwarded-For` entry that is not one of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrustedProxies {
    /// The peer is the client (no load balancer).
    #[default]
    None,
    /// Peers in these networks are load balancers.
    Networks(Vec<ipnet::IpNet>),
    /// Whatever the peer is, it appended the last entry (the deprecated
    /// `SOUNDSTREAM_TRUST_FORWARDED_FOR=true`).
    DirectPeer,
}

impl TrustedProxies {
    fn trusts(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        match self {
            Self::None => false,
            Self::DirectPeer => true,
            Self::Networks(networks) => networks.iter().any(|net| net.contains(&address)),
        }
    }

    /// The client behind `peer`, given the request's `X-Forwarded-For`
    /// entries in order: walk them from the right while the hop that added
    /// each is trusted.
    pub fn client(&self, peer: Option<IpAddr>, forwarded: &[&str]) -> Option<IpAddr> {
        let mut client = peer?;
        if matches!(self, Self::DirectPeer) {
            // The deprecated boolean: the last entry, whoever the peer is.
            return forwarded
                .last()
                .and_then(|entry| entry.parse().ok())
                .or(Some(client));
        }
        for entry in forwarded.iter().rev() {
            if !self.trusts(client) {
                break;
            }
            match entry.parse::<IpAddr>() {
                Ok(address) => client = address,
                // Garbage from a hop we trust: the hop is the best we know.
                Err(_) => break,
            }
        }
        Some(client)
    }
}

/// How long a sign-in lasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPolicy {
    /// From the sign-in, however often the session refreshes.
    pub lifetime: Duration,
    /// Without a refresh for this long the session ends.
    pub idle_timeout: Duration,
    /// A refresh token presented again within this long of its rotation
    /// (a retry after a lost answer, a second tab) gets the same new pair
    /// instead of ending the session as stolen.
    pub refresh_grace: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            lifetime: Duration::from_secs(30 * 24 * 60 * 60),
            idle_timeout: Duration::from_secs(7 * 24 * 60 * 60),
            refresh_grace: Duration::from_secs(20),
        }
    }
}

/// The shortest token-signing secret accepted (HS256 wants 256 bits).
pub const MIN_SECRET_LEN: usize = 32;
/// The shortest `/metrics` bearer token accepted.
const MIN_METRICS_TOKEN_LEN: usize = 16;

/// Brute-force protection: how many failed logins are free and how long
/// the lockouts past them last (see `auth::throttle`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures an account may have from one client address before that
    /// address is locked out of it.
    pub account_free_failures: i64,
    /// Failures an account may have from all addresses together before it
    /// is locked (except from addresses it has signed in from). Each
    /// address counts towards it at most `account_free_failures` times, so
    /// only guessers spread over several addresses reach it.
    pub spread_free_failures: i64,
    /// Failures a client address may have before lockouts start (higher:
    /// many people can share one address).
    pub address_free_failures: i64,
    /// The first lockout; each further failure doubles it.
    pub first_lockout: Duration,
    pub max_lockout: Duration,
    /// A key's failures are forgotten after this long without one.
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            account_free_failures: 5,
            spread_free_failures: 20,
            address_free_failures: 20,
            first_lockout: Duration::from_secs(2),
            max_lockout: Duration::from_secs(15 * 60),
            window: Duration::from_secs(15 * 60),
        }
    }
}

const DEFAULT_BIND: &str = "127.0.0.1:8080";
const DEFAULT_DATA_DIR: &str = "./data";
const DEFAULT_APERTIUM_URL: &str = "http://127.0.0.1:2737";
const DEFAULT_DRAIN_SECONDS: u64 = 5;
const DEFAULT_REGISTRATIONS_PER_HOUR: u32 = 30;

impl Settings {
    /// Reads `.env` (when present) into the process environment, then parses it.
    pub fn from_process_env() -> Result<Self, ConfigError> {
        // A missing .env is the normal case; a malformed one is the operator's
        // to fix, but it must not stop a laptop start with defaults.
        let _ = dotenvy::dotenv();
        Self::from_source(&ProcessEnv)
    }

    pub fn from_source(env: &impl VarSource) -> Result<Self, ConfigError> {
        let get = |name: &str| env.var(name).filter(|value| !value.trim().is_empty());

        let environment = match get("SOUNDSTREAM_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::new(
                    "SOUNDSTREAM_ENV",
                    other,
                    "development or production",
                ));
            }
        };

        let bind_value = get("SOUNDSTREAM_BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind_value.parse::<SocketAddr>().map_err(|_| {
            ConfigError::new(
                "SOUNDSTREAM_BIND",
                &bind_value,
                "an IP address and port such as 127.0.0.1:8080 or 0.0.0.0:80",
            )
        })?;

        let data_dir =
            PathBuf::from(get("SOUNDSTREAM_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        if data_dir.is_file() {
            return Err(ConfigError::new(
                "SOUNDSTREAM_DATA_DIR",
                &data_dir.display().to_string(),
                "a directory (this path is a file)",
            ));
        }

        let database_url = match get("DATABASE_URL") {
            Some(value) => DatabaseUrl::parse(&value)?,
            None => DatabaseUrl::Sqlite(format!(
                "sqlite://{}",
                data_dir.join("soundstream.db").display()
            )),
        };

        // Read here with everything else, so tests can pass them without
        // touching the process environment.
        let aws = AwsAccess {
            region: get("AWS_REGION"),
            credentials: match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
                (Some(access_key_id), Some(secret_access_key)) => Some(StaticCredentials {
                    access_key_id,
                    secret_access_key,
                    session_token: get("AWS_SESSION_TOKEN"),
                }),
                _ => None,
            },
        };
        let storage = parse_storage(&get, &data_dir, &aws)?;
        let face = parse_face(&get, &data_dir)?;
        let translate = parse_translate(&get)?;
        let web_dir = parse_web_dir(get("SOUNDSTREAM_WEB_DIR"))?;
        let cors_origins = match get("SOUNDSTREAM_CORS_ORIGINS") {
            Some(value) => parse_origins(&value)?,
            None => Vec::new(),
        };

        let filter = get("SOUNDSTREAM_LOG").unwrap_or_else(|| "info".to_owned());
        tracing_subscriber::EnvFilter::try_new(&filter).map_err(|_| {
            ConfigError::new(
                "SOUNDSTREAM_LOG",
                &filter,
                "a tracing filter such as info, debug or soundstream_api=debug,info",
            )
        })?;
        let format = match get("SOUNDSTREAM_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::new(
                    "SOUNDSTREAM_LOG_FORMAT",
                    other,
                    "text or json",
                ));
            }
        };

        let shutdown_drain = match get("SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS") {
            None => Duration::from_secs(DEFAULT_DRAIN_SECONDS),
            Some(value) => value
                .parse::<u64>()
                .ok()
                .filter(|seconds| *seconds <= 300)
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    ConfigError::new(
                        "SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS",
                        &value,
                        "a whole number of seconds from 0 to 300",
                    )
                })?,
        };

        let metrics_token = get("SOUNDSTREAM_METRICS_TOKEN").filter(|token| !token.is_empty());
        if let Some(token) = &metrics_token
            && (token.len() < MIN_METRICS_TOKEN_LEN || token.chars().any(char::is_whitespace))
        {
            return Err(ConfigError::new(
                "SOUNDSTREAM_METRICS_TOKEN",
                "(hidden)",
                "a token of at least 16 characters without spaces, e.g. from `openssl rand -hex 16`",
            ));
        }

        let jwt_secret = get("SOUNDSTREAM_JWT_SECRET");
        match &jwt_secret {
            Some(secret) if secret.len() < MIN_SECRET_LEN => {
                return Err(ConfigError::new(
                    "SOUNDSTREAM_JWT_SECRET",
                    "(hidden)",
                    "a secret of at least 32 characters, e.g. from `openssl rand -hex 32`",
                ));
            }
            None if environment == Environment::Production => {
                return Err(ConfigError::new(
                    "SOUNDSTREAM_JWT_SECRET",
                    "",
                    "a secret of at least 32 characters (required when SOUNDSTREAM_ENV=production, \
                     so every instance signs with the same key)",
                ));
            }
            _ => {}
        }
        let jwt_previous_secret = get("SOUNDSTREAM_JWT_PREVIOUS_SECRET").filter(|s| !s.is_empty());
        if jwt_previous_secret
            .as_ref()
            .is_some_and(|secret| secret.len() < MIN_SECRET_LEN)
        {
            return Err(ConfigError::new(
                "SOUNDSTREAM_JWT_PREVIOUS_SECRET",
                "(hidden)",
                "the secret SOUNDSTREAM_JWT_SECRET had before the rotation (32+ characters)",
            ));
        }
        let mut warnings = Vec::new();
        let trusted_proxies = match (
            get("SOUNDSTREAM_TRUSTED_PROXIES"),
            get("SOUNDSTREAM_TRUST_FORWARDED_FOR").as_deref(),
        ) {
            (Some(list), _) => parse_trusted_proxies(&list)?,
            (None, None | Some("false")) => TrustedProxies::None,
            (None, Some("true")) => {
                warnings.push(
                    "SOUNDSTREAM_TRUST_FORWARDED_FOR is deprecated: set SOUNDSTREAM_TRUSTED_PROXIES \
                     to your load balancers' networks (e.g. 10.0.0.0/16) instead"
                        .to_owned(),
                );
                TrustedProxies::DirectPeer
            }
            (None, Some(other)) => {
                return Err(ConfigError::new(
                    "SOUNDSTREAM_TRUST_FORWARDED_FOR",
                    other,
                    "true or false (deprecated: use SOUNDSTREAM_TRUSTED_PROXIES)",
                ));
            }
        };
        let sessions = SessionPolicy {
            lifetime: hours(&get, "SOUNDSTREAM_SESSION_LIFETIME_HOURS")?
                .unwrap_or(SessionPolicy::default().lifetime),
            idle_timeout: hours(&get, "SOUNDSTREAM_SESSION_IDLE_HOURS")?
                .unwrap_or(SessionPolicy::default().idle_timeout),
            ..SessionPolicy::default()
        };
        let registrations_per_hour = match get("SOUNDSTREAM_REGISTRATIONS_PER_HOUR") {
            None => DEFAULT_REGISTRATIONS_PER_HOUR,
            Some(value) => value
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    ConfigError::new(
                        "SOUNDSTREAM_REGISTRATIONS_PER_HOUR",
                        &value,
                        "a whole number of accounts per client address per hour, at least 1",
                    )
                })?,
        };
        let face_login_admins = match get("SOUNDSTREAM_FACE_LOGIN_ADMINS").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(ConfigError::new(
                    "SOUNDSTREAM_FACE_LOGIN_ADMINS",
                    other,
                    "true (administrators may sign in by face) or false",
                ));
            }
        };

        let radio_max_listeners = match get("SOUNDSTREAM_RADIO_MAX_LISTENERS") {
            None => DEFAULT_RADIO_MAX_LISTENERS,
            Some(value) => value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| {
                    ConfigError::new(
                        "SOUNDSTREAM_RADIO_MAX_LISTENERS",
                        &value,
                        "a whole number of radio stream listeners this instance serves at once, \
                         from 1 to 100000",
                    )
                })?,
        };

        let public_url = get("SOUNDSTREAM_PUBLIC_URL")
            .map(|value| parse_public_url(&value))
            .transpose()?;

        Ok(Self {
            environment,
            bind,
            data_dir,
            database_url,
            storage,
            aws,
            face,
            translate,
            web_dir,
            cors_origins,
            log: LogSettings { filter, format },
            shutdown_drain,
            jwt_secret,
            jwt_previous_secret,
            trusted_proxies,
            login_throttle: ThrottlePolicy::default(),
            sessions,
            registrations_per_hour,
            face_login_admins,
            warnings,
            translate_per_minute: 60,
            metrics_token,
            public_url,
            usage: UsageLimits::parse(&get)?,
            radio_max_listeners,
            jobs: JobSettings::parse(&get)?,
        })
    }
}

/// `SOUNDSTREAM_JOB_WORKERS` (jobs this instance runs at once; 0: none, the
/// other instances do them), `SOUNDSTREAM_FFMPEG` and `SOUNDSTREAM_FFPROBE`
/// (the programs, from `PATH` by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSettings {
    pub workers: usize,
    pub ffmpeg: PathBuf,
    pub ffprobe: PathBuf,
}

impl Default for JobSettings {
    /// One worker: transcoding is CPU-bound, and requests come first.
    fn default() -> Self {
        Self {
            workers: 1,
            ffmpeg: "ffmpeg".into(),
            ffprobe: "ffprobe".into(),
        }
    }
}

impl JobSettings {
    const MAX_WORKERS: usize = 64;

    fn parse(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let workers = match get("SOUNDSTREAM_JOB_WORKERS") {
            None => defaults.workers,
            Some(value) => value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= Self::MAX_WORKERS)
                .ok_or_else(|| {
                    ConfigError::new(
                        "SOUNDSTREAM_JOB_WORKERS",
                        &value,
                        format!(
                            "a whole number from 0 (no background work here) to {}",
                            Self::MAX_WORKERS
                        ),
                    )
                })?,
        };
        // Blank is unset: the default.
        let program = |variable: &'static str, default: PathBuf| {
            get(variable).map_or(default, |value| PathBuf::from(value.trim()))
        };
        Ok(Self {
            workers,
            ffmpeg: program("SOUNDSTREAM_FFMPEG", defaults.ffmpeg),
            ffprobe: program("SOUNDSTREAM_FFPROBE", defaults.ffprobe),
        })
    }
}

/// What one user may cost (storage, translation) and how long unused media
/// and translations are kept: `SOUNDSTREAM_IMAGE_QUOTA_*`,
/// `SOUNDSTREAM_UNUSED_UPLOAD_GRACE_HOURS`, `SOUNDSTREAM_TRANSLATE_DAILY_CHARS`,
/// `SOUNDSTREAM_TRANSLATION_CACHE_DAYS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageLimits {
    /// Bytes of images (pending and completed uploads) a listener may keep.
    pub image_quota_bytes: u64,
    /// Number of images a listener may keep.
    pub image_quota_count: u64,
    /// How long a completed upload nothing uses is kept before the sweep
    /// deletes it (time to fill in the form that uses it).
    pub unused_upload_grace: Duration,
    /// Characters each user may send to the translation provider per UTC day.
    pub translate_daily_chars: u64,
    /// Cached translations unused for this long are deleted.
    pub translation_cache_retention: Duration,
}

impl Default for UsageLimits {
    fn default() -> Self {
        Self {
            image_quota_bytes: 100 * 1024 * 1024,
            image_quota_count: 200,
            unused_upload_grace: Duration::from_secs(24 * 60 * 60),
            translate_daily_chars: 50_000,
            translation_cache_retention: Duration::from_secs(90 * 24 * 60 * 60),
        }
    }
}

impl UsageLimits {
    fn parse(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let number =
            |variable: &'static str, default: u64, max: u64, unit: &str| match get(variable) {
                None => Ok(default),
                Some(value) => value
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        ConfigError::new(
                            variable,
                            &value,
                            format!("a whole number of {unit} from 1 to {max}"),
                        )
                    }),
            };
        let defaults = Self::default();
        const HOUR: u64 = 60 * 60;
        Ok(Self {
            image_quota_bytes: number(
                "SOUNDSTREAM_IMAGE_QUOTA_MB",
                defaults.image_quota_bytes / (1024 * 1024),
                1024 * 1024,
                "megabytes",
            )? * 1024
                * 1024,
            image_quota_count: number(
                "SOUNDSTREAM_IMAGE_QUOTA_COUNT",
                defaults.image_quota_count,
                1_000_000,
                "images",
            )?,
            unused_upload_grace: Duration::from_secs(
                number(
                    "SOUNDSTREAM_UNUSED_UPLOAD_GRACE_HOURS",
                    defaults.unused_upload_grace.as_secs() / HOUR,
                    24 * 365,
                    "hours",
                )? * HOUR,
            ),
            translate_daily_chars: number(
                "SOUNDSTREAM_TRANSLATE_DAILY_CHARS",
                defaults.translate_daily_chars,
                1_000_000_000,
                "characters",
            )?,
            translation_cache_retention: Duration::from_secs(
                number(
                    "SOUNDSTREAM_TRANSLATION_CACHE_DAYS",
                    defaults.translation_cache_retention.as_secs() / (24 * HOUR),
                    3650,
                    "days",
                )? * 24
                    * HOUR,
            ),
        })
    }
}

impl Settings {
    /// The origin media URLs are built on: `SOUNDSTREAM_PUBLIC_URL`, else
    /// `http://` and the address actually bound (a wildcard address
    /// becomes loopback, which browsers on this machine can reach).
    pub fn public_origin(&self, bound: SocketAddr) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let mut address = bound;
        if address.ip().is_unspecified() {
            address.set_ip(match address.ip() {
                std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{address}")
    }

    /// Whether browsers reach the site over HTTPS (an `https://` public
    /// URL), so answers may carry Strict-Transport-Security.
    pub fn served_over_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

/// `SOUNDSTREAM_PUBLIC_URL`: a bare http(s) origin, normalised
/// (`https://Music.Example.com:443/` → `https://music.example.com`).
fn parse_public_url(value: &str) -> Result<String, ConfigError> {
    let expected = "the http(s) origin browsers use to reach this API, such as \
                    https://music.example.com or http://127.0.0.1:8080 (no path, query or credentials)";
    let url = Url::parse(value)
        .map_err(|_| ConfigError::new("SOUNDSTREAM_PUBLIC_URL", value, expected))?;
    let is_bare_origin = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none();
    if is_bare_origin {
        Ok(url.origin().ascii_serialization())
    } else {
        Err(ConfigError::new("SOUNDSTREAM_PUBLIC_URL", value, expected))
    }
}

fn parse_storage(
    get: &impl Fn(&str) -> Option<String>,
    data_dir: &Path,
    aws: &AwsAccess,
) -> Result<StorageSettings, ConfigError> {
    match get("SOUNDSTREAM_STORAGE").as_deref() {
        None | Some("local") => Ok(StorageSettings::Local {
            root: data_dir.join("media"),
        }),
        Some("s3") => {
            let bucket = get("SOUNDSTREAM_S3_BUCKET").ok_or_else(|| {
                ConfigError::new(
                    "SOUNDSTREAM_S3_BUCKET",
                    "",
                    "a bucket name when SOUNDSTREAM_STORAGE=s3",
                )
            })?;
            if !is_valid_bucket_name(&bucket) {
                return Err(ConfigError::new(
                    "SOUNDSTREAM_S3_BUCKET",
                    &bucket,
                    "an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens",
                ));
            }
            let endpoint = match get("AWS_ENDPOINT_URL") {
                None => None,
                Some(value) => Some(
                    Url::parse(&value)
                        .ok()
                        .filter(|url| matches!(url.scheme(), "http" | "https"))
                        .ok_or_else(|| {
                            ConfigError::new(
                                "AWS_ENDPOINT_URL",
                                &value,
                                "an http:// or https:// URL of an S3-compatible server",
                            )
                        })?,
                ),
            };
            Ok(StorageSettings::S3(S3Settings {
                bucket,
                endpoint: endpoint.map(|url| url.as_str().trim_end_matches('/').to_owned()),
                access: aws.clone(),
            }))
        }
        Some(other) => Err(ConfigError::new(
            "SOUNDSTREAM_STORAGE",
            other,
            "local or s3",
        )),
    }
}

/// A whole number of hours, 1 to ten years, when the variable is set.
fn hours(
    get: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
) -> Result<Option<Duration>, ConfigError> {
    get(variable)
        .map(|value| {
            value
                .parse::<u64>()
                .ok()
                .filter(|hours| (1..=24 * 3650).contains(hours))
                .map(|hours| Duration::from_secs(hours * 60 * 60))
                .ok_or_else(|| {
                    ConfigError::new(variable, &value, "a whole number of hours, at least 1")
                })
        })
        .transpose()
}

/// Comma-separated networks (`10.0.0.0/8`) or single addresses.
fn parse_trusted_proxies(list: &str) -> Result<TrustedProxies, ConfigError> {
    let expected =
        "comma-separated networks or addresses of your load balancers, e.g. 10.0.0.0/16,fd00::/8";
    let networks = list
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError::new("SOUNDSTREAM_TRUSTED_PROXIES", entry, expected))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if networks.is_empty() {
        TrustedProxies::None
    } else {
        TrustedProxies::Networks(networks)
    })
}

fn is_valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

fn parse_face(
    get: &impl Fn(&str) -> Option<String>,
    data_dir: &Path,
) -> Result<FaceSettings, ConfigError> {
    let named = get("SOUNDSTREAM_FACE_PROVIDER");
    let provider = match named.as_deref() {
        None => FaceProvider::build_default(),
        Some("none") => FaceProvider::None,
        Some("rekognition") => FaceProvider::Rekognition,
        #[cfg(feature = "face-local")]
        Some("local") => FaceProvider::Local,
        // Refused rather than silently reported as enabled.
        #[cfg(not(feature = "face-local"))]
        Some(value @ "local") => {
            return Err(ConfigError::new(
                "SOUNDSTREAM_FACE_PROVIDER",
                value,
                "none or rekognition (this build has no local provider: build with \
                 --features face-local, as scripts/run does)",
            ));
        }
        Some(other) => {
            return Err(ConfigError::new(
                "SOUNDSTREAM_FACE_PROVIDER",
                other,
                "none, rekognition or local",
            ));
        }
    };
    let threshold = match get("SOUNDSTREAM_FACE_THRESHOLD") {
        None => DEFAULT_REKOGNITION_THRESHOLD,
        Some(value) => value
            .parse::<f32>()
            .ok()
            .filter(|t| t.is_finite() && (0.0..=100.0).contains(t))
            .ok_or_else(|| {
                ConfigError::new(
                    "SOUNDSTREAM_FACE_THRESHOLD",
                    &value,
                    "a number from 0 to 100 (Rekognition similarity)",
                )
            })?,
    };
    let max_distance = match get("SOUNDSTREAM_FACE_MAX_DISTANCE") {
        None => None,
        Some(value) => Some(
            value
                .parse::<f32>()
                .ok()
                .filter(|d| d.is_finite() && *d > 0.0 && *d < 2.0)
                .ok_or_else(|| {
                    ConfigError::new(
                        "SOUNDSTREAM_FACE_MAX_DISTANCE",
                        &value,
                        "a number between 0 and 2 (the local provider's descriptor distance)",
                    )
                })?,
        ),
    };
    let models_dir = get("SOUNDSTREAM_FACE_MODELS_DIR")
        .map_or_else(|| data_dir.join("face-models"), PathBuf::from);
    let liveness = match get("SOUNDSTREAM_FACE_LIVENESS").as_deref() {
        None | Some("challenge") => FaceLiveness::Challenge,
        Some("off") => FaceLiveness::Off,
        Some(other) => {
            return Err(ConfigError::new(
                "SOUNDSTREAM_FACE_LIVENESS",
                other,
                "challenge (ask for a head turn) or off",
            ));
        }
    };
    Ok(FaceSettings {
        provider,
        provider_named: named.is_some(),
        threshold,
        max_distance,
        models_dir,
        liveness,
    })
}

fn parse_translate(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<TranslateSettings, ConfigError> {
    let provider = match get("SOUNDSTREAM_TRANSLATE_PROVIDER").as_deref() {
        None | Some("none") => TranslateProvider::None,
        Some("aws") => TranslateProvider::Aws,
        Some("apertium") => TranslateProvider::Apertium,
        Some(other) => {
            return Err(ConfigError::new(
                "SOUNDSTREAM_TRANSLATE_PROVIDER",
                other,
                "none, aws or apertium",
            ));
        }
    };
    let apertium_value =
        get("SOUNDSTREAM_APERTIUM_URL").unwrap_or_else(|| DEFAULT_APERTIUM_URL.to_owned());
    let apertium_url = Url::parse(&apertium_value)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or_else(|| {
            ConfigError::new(
                "SOUNDSTREAM_APERTIUM_URL",
                &apertium_value,
                "an http:// or https:// URL of an Apertium APy server",
            )
        })?;
    Ok(TranslateSettings {
        provider,
        apertium_url,
    })
}

fn parse_web_dir(value: Option<String>) -> Result<Option<PathBuf>, ConfigError> {
    match value {
        Some(value) => {
            let dir = PathBuf::from(&value);
            if dir.join("index.html").is_file() {
                Ok(Some(dir))
            } else {
                Err(ConfigError::new(
                    "SOUNDSTREAM_WEB_DIR",
                    &value,
                    "a directory containing the built web player (index.html)",
                ))
            }
        }
        // Embedded default: serve ./dist when a build is there.
        None => {
            let dist = PathBuf::from("dist");
            Ok(dist.join("index.html").is_file().then_some(dist))
        }
    }
}

fn parse_origins(value: &str) -> Result<Vec<String>, ConfigError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let expected = "a comma-separated list of origins such as https://music.example.com";
            let url = Url::parse(origin)
                .map_err(|_| ConfigError::new("SOUNDSTREAM_CORS_ORIGINS", origin, expected))?;
            let is_bare_origin = matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some()
                && url.path() == "/"
                && url.query().is_none()
                && !origin.ends_with('/');
            if is_bare_origin {
                Ok(url.origin().ascii_serialization())
            } else {
                Err(ConfigError::new(
                    "SOUNDSTREAM_CORS_ORIGINS",
                    origin,
                    expected,
                ))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(vars: &[(&'static str, &'static str)]) -> Result<Settings, ConfigError> {
        let env: HashMap<&str, &str> = vars.iter().copied().collect();
        Settings::from_source(&env)
    }

    #[test]
    fn embedded_defaults_need_no_variables() {
        let settings = parse(&[]).expect("defaults are valid");
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.data_dir, PathBuf::from("./data"));
        assert_eq!(
            settings.database_url,
            DatabaseUrl::Sqlite("sqlite://./data/soundstream.db".into())
        );
        assert_eq!(settings.storage.backend_name(), "local");
        assert_eq!(settings.face.provider, FaceProvider::build_default());
        assert_eq!(settings.translate.provider, TranslateProvider::None);
        assert_eq!(settings.log.format, LogFormat::Text);
        assert_eq!(settings.environment, Environment::Development);
    }

    #[test]
    fn the_public_origin_is_configured_or_the_bound_address() {
        let bound: SocketAddr = "0.0.0.0:9000".parse().expect("address");
        let default = parse(&[]).expect("valid");
        assert_eq!(default.public_origin(bound), "http://127.0.0.1:9000");
        assert!(!default.served_over_https());
        let bound_v6: SocketAddr = "[::]:9000".parse().expect("address");
        assert_eq!(default.public_origin(bound_v6), "http://[::1]:9000");
        let configured =
            parse(&[("SOUNDSTREAM_PUBLIC_URL", "https://Music.Example.com:443/")]).expect("valid");
        assert_eq!(configured.public_origin(bound), "https://music.example.com");
        assert!(configured.served_over_https());
    }

    #[test]
    fn database_url_follows_the_data_dir() {
        let settings = parse(&[("SOUNDSTREAM_DATA_DIR", "/srv/music")]).expect("valid");
        assert_eq!(
            settings.database_url,
            DatabaseUrl::Sqlite("sqlite:///srv/music/soundstream.db".into())
        );
    }

    #[test]
    fn postgres_url_selects_postgres() {
        let settings =
            parse(&[("DATABASE_URL", "postgres://app:pw@db:5432/music")]).expect("valid");
        assert!(matches!(settings.database_url, DatabaseUrl::Postgres(_)));
    }

    #[test]
    fn database_url_display_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://app:secret@db/music").expect("valid");
        assert_eq!(url.to_string(), "postgres://app:***@db/music");
    }

    #[test]
    fn bad_values_name_the_variable_the_value_and_what_is_expected() {
        let cases: &[(&'static str, &'static str, &str)] = &[
            ("SOUNDSTREAM_BIND", "localhost", "IP address and port"),
            ("DATABASE_URL", "mysql://x", "sqlite: or postgres://"),
            ("SOUNDSTREAM_STORAGE", "ftp", "local or s3"),
            ("SOUNDSTREAM_LOG_FORMAT", "xml", "text or json"),
            ("SOUNDSTREAM_LOG", "info,[[", "tracing filter"),
            (
                "SOUNDSTREAM_FACE_PROVIDER",
                "opencv",
                "none, rekognition or local",
            ),
            ("SOUNDSTREAM_FACE_THRESHOLD", "high", "0 to 100"),
            (
                "SOUNDSTREAM_TRANSLATE_PROVIDER",
                "deepl",
                "none, aws or apertium",
            ),
            ("SOUNDSTREAM_APERTIUM_URL", "ftp://x", "Apertium"),
            (
                "SOUNDSTREAM_CORS_ORIGINS",
                "https://a.example/app",
                "origins",
            ),
            ("SOUNDSTREAM_WEB_DIR", "/nonexistent/dist", "index.html"),
            ("SOUNDSTREAM_ENV", "staging", "development or production"),
            ("SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS", "-1", "seconds"),
            ("SOUNDSTREAM_TRUST_FORWARDED_FOR", "yes", "true"),
            (
                "SOUNDSTREAM_PUBLIC_URL",
                "music.example.com",
                "http(s) origin",
            ),
            (
                "SOUNDSTREAM_PUBLIC_URL",
                "https://music.example.com/app",
                "no path",
            ),
            (
                "SOUNDSTREAM_PUBLIC_URL",
                "ftp://music.example.com",
                "http(s)",
            ),
        ];
        for (variable, value, expected) in cases {
            let error = parse(&[(variable, value)]).expect_err(variable);
            assert_eq!(error.variable, *variable);
            assert_eq!(error.value, *value);
            let line = error.to_string();
            assert!(line.contains(variable) && line.contains(value), "{line}");
            assert!(line.contains(expected), "{line}");
            assert!(!line.contains('\n'), "one line: {line}");
        }
    }

    #[test]
    fn s3_storage_requires_a_valid_bucket() {
        let missing = parse(&[("SOUNDSTREAM_STORAGE", "s3")]).expect_err("bucket required");
        assert_eq!(missing.variable, "SOUNDSTREAM_S3_BUCKET");
        let bad = parse(&[
            ("SOUNDSTREAM_STORAGE", "s3"),
            ("SOUNDSTREAM_S3_BUCKET", "Bad_Bucket"),
        ])
        .expect_err("bucket name checked");
        assert_eq!(bad.variable, "SOUNDSTREAM_S3_BUCKET");
        let good = parse(&[
            ("SOUNDSTREAM_STORAGE", "s3"),
            ("SOUNDSTREAM_S3_BUCKET", "soundstream-media"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
        ])
        .expect("valid");
        assert_eq!(good.storage.backend_name(), "s3");
    }

    #[test]
    fn cors_origins_are_normalised() {
        let settings = parse(&[(
            "SOUNDSTREAM_CORS_ORIGINS",
            "https://music.example.com, http://localhost:8081",
        )])
        .expect("valid");
        assert_eq!(
            settings.cors_origins,
            vec!["https://music.example.com", "http://localhost:8081"]
        );
    }

    #[test]
    fn production_requires_a_long_enough_jwt_secret() {
        let missing = parse(&[("SOUNDSTREAM_ENV", "production")]).expect_err("required");
        assert_eq!(missing.variable, "SOUNDSTREAM_JWT_SECRET");
        let short = parse(&[("SOUNDSTREAM_JWT_SECRET", "short")]).expect_err("too short");
        assert_eq!(short.variable, "SOUNDSTREAM_JWT_SECRET");
        assert!(
            !short.to_string().contains("short\""),
            "the secret is not echoed"
        );
        let good = parse(&[
            ("SOUNDSTREAM_ENV", "production"),
            ("SOUNDSTREAM_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ])
        .expect("valid");
        assert!(good.jwt_secret.is_some());
    }

    #[test]
    fn a_metrics_token_must_be_long_and_is_never_echoed() {
        assert_eq!(parse(&[]).expect("valid").metrics_token, None);
        let short = parse(&[("SOUNDSTREAM_METRICS_TOKEN", "abc")]).expect_err("too short");
        assert_eq!(short.variable, "SOUNDSTREAM_METRICS_TOKEN");
        assert!(
            !short.to_string().contains("abc"),
            "the token is not echoed"
        );
        let good = parse(&[("SOUNDSTREAM_METRICS_TOKEN", "0123456789abcdef")]).expect("valid");
        assert_eq!(good.metrics_token.as_deref(), Some("0123456789abcdef"));
    }

    #[test]
    fn the_client_is_the_rightmost_forwarded_entry_not_a_trusted_proxy() {
        let settings =
            parse(&[("SOUNDSTREAM_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7")]).expect("valid");
        let proxies = &settings.trusted_proxies;
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let lb = Some(ip("10.0.0.2"));
        // The client forged the first entry; the balancers appended the rest.
        assert_eq!(
            proxies.client(lb, &["6.6.6.6", "203.0.113.9", "192.168.1.7"]),
            Some(ip("203.0.113.9"))
        );
        // An untrusted peer is the client, whatever it claims.
        assert_eq!(
            proxies.client(Some(ip("203.0.113.50")), &["1.2.3.4"]),
            Some(ip("203.0.113.50"))
        );
        // Only trusted hops: the leftmost one is as far as we can see.
        assert_eq!(proxies.client(lb, &["10.1.1.1"]), Some(ip("10.1.1.1")));
        assert_eq!(proxies.client(lb, &["not-an-ip"]), lb);
        assert_eq!(TrustedProxies::None.client(lb, &["1.2.3.4"]), lb);
        let bad = parse(&[("SOUNDSTREAM_TRUSTED_PROXIES", "10.0.0.0/99")]).expect_err("bad");
        assert_eq!(bad.variable, "SOUNDSTREAM_TRUSTED_PROXIES");
    }

    #[test]
    fn the_deprecated_boolean_still_works_and_says_so() {
        let settings = parse(&[("SOUNDSTREAM_TRUST_FORWARDED_FOR", "true")]).expect("valid");
        assert_eq!(settings.trusted_proxies, TrustedProxies::DirectPeer);
        assert!(settings.warnings[0].contains("SOUNDSTREAM_TRUSTED_PROXIES"));
        let peer = Some("127.0.0.1".parse().expect("ip"));
        assert_eq!(
            settings
                .trusted_proxies
                .client(peer, &["1.1.1.1", "2.2.2.2"]),
            Some("2.2.2.2".parse().expect("ip"))
        );
    }

    #[test]
    fn session_lifetimes_are_hours_and_default_to_30_and_7_days() {
        let default = parse(&[]).expect("valid");
        assert_eq!(default.sessions, SessionPolicy::default());
        assert_eq!(default.sessions.lifetime, Duration::from_secs(30 * 86_400));
        let set = parse(&[
            ("SOUNDSTREAM_SESSION_LIFETIME_HOURS", "24"),
            ("SOUNDSTREAM_SESSION_IDLE_HOURS", "2"),
        ])
        .expect("valid");
        assert_eq!(set.sessions.idle_timeout, Duration::from_secs(7200));
        let bad = parse(&[("SOUNDSTREAM_SESSION_IDLE_HOURS", "0")]).expect_err("bad");
        assert_eq!(bad.variable, "SOUNDSTREAM_SESSION_IDLE_HOURS");
    }

    #[test]
    fn radio_listeners_default_and_refuse_what_is_not_a_positive_number() {
        assert_eq!(
            parse(&[]).expect("valid").radio_max_listeners,
            DEFAULT_RADIO_MAX_LISTENERS
        );
        let set = parse(&[("SOUNDSTREAM_RADIO_MAX_LISTENERS", "3")]).expect("valid");
        assert_eq!(set.radio_max_listeners, 3);
        for bad in ["0", "-1", "many", "100001"] {
            let error = parse(&[("SOUNDSTREAM_RADIO_MAX_LISTENERS", bad)]).expect_err(bad);
            assert_eq!(error.variable, "SOUNDSTREAM_RADIO_MAX_LISTENERS");
            assert!(error.to_string().contains("from 1 to 100000"), "{error}");
        }
    }

    #[test]
    fn job_settings_have_defaults_and_refuse_bad_worker_counts() {
        assert_eq!(parse(&[]).expect("valid").jobs, JobSettings::default());
        let set = parse(&[
            ("SOUNDSTREAM_JOB_WORKERS", "0"),
            ("SOUNDSTREAM_FFMPEG", "/opt/ffmpeg/bin/ffmpeg"),
        ])
        .expect("valid")
        .jobs;
        assert_eq!(set.workers, 0);
        assert_eq!(set.ffmpeg, PathBuf::from("/opt/ffmpeg/bin/ffmpeg"));
        assert_eq!(set.ffprobe, PathBuf::from("ffprobe"));
        for bad in ["-1", "many", "65"] {
            let error = parse(&[("SOUNDSTREAM_JOB_WORKERS", bad)]).expect_err(bad);
            assert_eq!(error.variable, "SOUNDSTREAM_JOB_WORKERS");
        }
    }

    #[test]
    fn usage_limits_have_defaults_and_refuse_what_is_not_a_positive_number() {
        assert_eq!(parse(&[]).expect("valid").usage, UsageLimits::default());
        let set = parse(&[
            ("SOUNDSTREAM_IMAGE_QUOTA_MB", "5"),
            ("SOUNDSTREAM_IMAGE_QUOTA_COUNT", "3"),
            ("SOUNDSTREAM_UNUSED_UPLOAD_GRACE_HOURS", "2"),
            ("SOUNDSTREAM_TRANSLATE_DAILY_CHARS", "1000"),
            ("SOUNDSTREAM_TRANSLATION_CACHE_DAYS", "7"),
        ])
        .expect("valid")
        .usage;
        assert_eq!(set.image_quota_bytes, 5 * 1024 * 1024);
        assert_eq!(set.image_quota_count, 3);
        assert_eq!(set.unused_upload_grace, Duration::from_secs(2 * 3600));
        assert_eq!(set.translate_daily_chars, 1000);
        assert_eq!(
            set.translation_cache_retention,
            Duration::from_secs(7 * 86_400)
        );
        for variable in [
            "SOUNDSTREAM_IMAGE_QUOTA_MB",
            "SOUNDSTREAM_IMAGE_QUOTA_COUNT",
            "SOUNDSTREAM_UNUSED_UPLOAD_GRACE_HOURS",
            "SOUNDSTREAM_TRANSLATE_DAILY_CHARS",
            "SOUNDSTREAM_TRANSLATION_CACHE_DAYS",
        ] {
            for bad in ["0", "-3", "lots", "99999999999"] {
                let error = parse(&[(variable, bad)]).expect_err(variable);
                assert_eq!((error.variable, error.value.as_str()), (variable, bad));
                assert!(error.to_string().contains("a whole number of"), "{error}");
            }
        }
    }

    #[test]
    fn the_local_face_provider_is_the_default_exactly_when_it_is_built() {
        let settings = parse(&[]).expect("valid");
        let asked = parse(&[("SOUNDSTREAM_FACE_PROVIDER", "local")]);
        #[cfg(feature = "face-local")]
        {
            assert_eq!(settings.face.provider, FaceProvider::Local);
            assert_eq!(asked.expect("valid").face.provider, FaceProvider::Local);
        }
        #[cfg(not(feature = "face-local"))]
        {
            assert_eq!(settings.face.provider, FaceProvider::None);
            let error = asked.expect_err("refused, not faked");
            assert!(error.expected.contains("build with --features face-local"));
        }
        assert_eq!(
            settings.face.models_dir,
            PathBuf::from("./data").join("face-models")
        );
    }

    #[test]
    fn face_liveness_is_a_challenge_unless_switched_off() {
        assert_eq!(
            parse(&[]).expect("valid").face.liveness,
            FaceLiveness::Challenge
        );
        let off = parse(&[("SOUNDSTREAM_FACE_LIVENESS", "off")]).expect("valid");
        assert_eq!(off.face.liveness, FaceLiveness::Off);
        let error = parse(&[("SOUNDSTREAM_FACE_LIVENESS", "maybe")]).expect_err("refused");
        assert_eq!(error.variable, "SOUNDSTREAM_FACE_LIVENESS");
    }

    #[test]
    fn the_local_face_threshold_is_a_distance_below_two() {
        let tuned = parse(&[("SOUNDSTREAM_FACE_MAX_DISTANCE", "0.45")]).expect("valid");
        assert_eq!(tuned.face.max_distance, Some(0.45));
        assert!(parse(&[("SOUNDSTREAM_FACE_MAX_DISTANCE", "2.5")]).is_err());
        assert!(parse(&[("SOUNDSTREAM_FACE_MAX_DISTANCE", "NaN")]).is_err());
    }

    #[test]
    fn rekognition_face_login_defaults_to_a_95_similarity_threshold() {
        let default = parse(&[("SOUNDSTREAM_FACE_PROVIDER", "rekognition")]).expect("valid");
        let tuned = parse(&[
            ("SOUNDSTREAM_FACE_PROVIDER", "rekognition"),
            ("SOUNDSTREAM_FACE_THRESHOLD", "98.5"),
        ])
        .expect("valid");
        assert_eq!(default.face.provider, FaceProvider::Rekognition);
        assert!((default.face.threshold - 95.0).abs() < f32::EPSILON);
        assert!((tuned.face.threshold - 98.5).abs() < f32::EPSILON);
    }
}
