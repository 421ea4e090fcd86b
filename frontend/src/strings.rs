//! English interface text, kept together so translating the player later
//! means replacing this module rather than hunting through components.

pub const APP_NAME: &str = "SoundStream";

// Navigation.
pub const NAV_LABEL: &str = "Main";
pub const NAV_HOME: &str = "Home";
pub const NAV_STATUS: &str = "Server status";

// Player bar.
pub const PLAYER_LABEL: &str = "Player";
pub const PLAYER_IDLE: &str = "Nothing is playing";
pub const PLAYER_IDLE_HINT: &str = "Songs you play will show up here.";

// Home page.
pub const HOME_HEADING: &str = "Welcome to SoundStream";
pub const HOME_INTRO: &str = "Your self-hosted music, streamed to any browser. \
     The library, playlists and player controls are on their way; \
     for now you can check that this server is up and what it offers.";

// Service status card (home page).
pub const SERVICE_STATUS: &str = "Service status";
pub const SERVICE_CHECKING: &str = "Checking the API…";
pub const SERVICE_ONLINE: &str = "API online";
pub const SERVICE_OFFLINE: &str = "API unavailable";
pub const SERVICE_CHECK_FAILED: &str = "Could not check the service status.";
pub const SERVICE_DETAILS_LINK: &str = "See server details";

// Server status page.
pub const STATUS_HEADING: &str = "Server status";
pub const STATUS_LOADING: &str = "Loading the server configuration…";
pub const STATUS_LOAD_FAILED: &str = "Could not load the server configuration.";
pub const STATUS_REFRESH: &str = "Refresh";
pub const STATUS_SERVICE: &str = "Service";
pub const STATUS_FEATURES: &str = "Feature flags";
pub const STATUS_UPLOADS: &str = "Upload limits";
pub const STATUS_LANGUAGES: &str = "Languages";
pub const LABEL_VERSION: &str = "Version";
pub const LABEL_DATABASE: &str = "Database";
pub const LABEL_STORAGE: &str = "Storage";
pub const LABEL_API: &str = "API address";
pub const API_SAME_ORIGIN: &str = "Same origin as the player";
pub const LABEL_FACE_LOGIN: &str = "Face login";
pub const LABEL_TRANSLATION: &str = "Lyrics translation";
pub const FEATURE_ENABLED: &str = "Enabled";
pub const FEATURE_DISABLED: &str = "Disabled";
pub const LABEL_AUDIO_UPLOADS: &str = "Audio files";
pub const LABEL_IMAGE_UPLOADS: &str = "Images";
pub const LABEL_MAX_SIZE: &str = "up to";
pub const LABEL_INTERFACE_LANGUAGES: &str = "Interface";
pub const LABEL_TRANSLATION_LANGUAGES: &str = "Translation targets";
pub const NONE: &str = "None";

// Errors.
pub const RETRY: &str = "Retry";
pub const REQUEST_ID: &str = "Request id";

// Not found page.
pub const NOT_FOUND_HEADING: &str = "Page not found";
pub const NOT_FOUND_BODY: &str = "There is nothing at";
pub const NOT_FOUND_HOME_LINK: &str = "Go to Home";

/// The browser tab title of a page.
pub fn document_title(page: &str) -> String {
    format!("{page} · {APP_NAME}")
}

/// "Version 1.2.3".
pub fn version(version: &str) -> String {
    format!("{LABEL_VERSION} {version}")
}

/// "Database sqlite".
pub fn database(database: &str) -> String {
    format!("{LABEL_DATABASE} {database}")
}

/// "Enabled (rekognition)" or "Disabled".
pub fn feature_state(enabled: bool, provider: &str) -> String {
    if enabled {
        format!("{FEATURE_ENABLED} ({provider})")
    } else {
        FEATURE_DISABLED.to_owned()
    }
}
