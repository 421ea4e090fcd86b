//! The interface in English and Spanish: every text the player shows, a
//! language chosen from the browser (or by the listener, remembered), and
//! the reactive handle components read it through.

use leptos::prelude::*;

use crate::storage;

/// Where the listener's explicit choice is remembered.
const STORAGE_KEY: &str = "soundstream.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
        }
    }

    /// The language's own name, as shown in the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Es => "Español",
        }
    }

    /// The interface language for a BCP 47 tag (`es-MX` → Spanish).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The first supported language among the browser's preferences, else English.
    pub fn negotiate<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Self {
        preferences
            .into_iter()
            .find_map(Self::from_tag)
            .unwrap_or(Self::En)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::En => &EN,
            Self::Es => &ES,
        }
    }
}

/// The interface language, provided as context by the app.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The remembered choice, else the browser's languages.
    pub fn detect() -> Self {
        let remembered = storage::get_string(STORAGE_KEY).and_then(|tag| Lang::from_tag(&tag));
        let lang = remembered.unwrap_or_else(|| {
            let languages: Vec<String> = window()
                .navigator()
                .languages()
                .iter()
                .filter_map(|value| value.as_string())
                .collect();
            Lang::negotiate(languages.iter().map(String::as_str))
        });
        Self {
            lang: RwSignal::new(lang),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The texts in the current language (reactive).
    pub fn t(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    pub fn set(&self, lang: Lang) {
        storage::set_string(STORAGE_KEY, lang.code());
        self.lang.set(lang);
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Every text of the interface.
#[derive(Debug)]
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    // Navigation.
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_songs: &'static str,
    pub nav_search: &'static str,
    pub nav_favorites: &'static str,
    pub nav_profile: &'static str,
    pub nav_status: &'static str,
    pub language: &'static str,
    // Auth.
    pub log_in: &'static str,
    pub log_in_heading: &'static str,
    pub log_in_with_face: &'static str,
    pub register: &'static str,
    pub register_heading: &'static str,
    pub log_out: &'static str,
    pub username: &'static str,
    pub username_or_email: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub display_name: &'static str,
    pub password_tab: &'static str,
    pub face_tab: &'static str,
    pub no_account: &'static str,
    pub have_account: &'static str,
    pub signing_in: &'static str,
    pub login_failed: &'static str,
    pub register_failed: &'static str,
    pub start_camera: &'static str,
    pub stop_camera: &'static str,
    pub take_photo: &'static str,
    pub retake_photo: &'static str,
    pub choose_picture: &'static str,
    pub camera_unavailable: &'static str,
    pub camera_preview: &'static str,
    pub face_photo_needed: &'static str,
    // Player.
    pub player_label: &'static str,
    pub player_idle: &'static str,
    pub player_idle_hint: &'static str,
    pub now_playing: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub previous_track: &'static str,
    pub next_track: &'static str,
    pub shuffle: &'static str,
    pub repeat: &'static str,
    pub repeat_off: &'static str,
    pub repeat_all: &'static str,
    pub repeat_one: &'static str,
    pub mute: &'static str,
    pub seek: &'static str,
    pub volume: &'static str,
    pub queue: &'static str,
    pub queue_empty: &'static str,
    pub playing_now: &'static str,
    pub play_next: &'static str,
    pub add_to_queue: &'static str,
    pub remove_from_queue: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub clear_queue: &'static str,
    pub playback_failed: &'static str,
    pub lyrics: &'static str,
    pub no_lyrics: &'static str,
    pub translate_lyrics: &'static str,
    pub translate_into: &'static str,
    pub show_original: &'static str,
    pub lyrics_failed: &'static str,
    pub translation_failed: &'static str,
    pub translated_by: &'static str,
    pub close: &'static str,
    // Songs and library.
    pub add_to_favorites: &'static str,
    pub remove_from_favorites: &'static str,
    pub more_actions: &'static str,
    pub title: &'static str,
    pub artist: &'static str,
    pub album: &'static str,
    pub duration: &'static str,
    pub added: &'static str,
    pub sort_by: &'static str,
    pub ascending: &'static str,
    pub descending: &'static str,
    pub filter: &'static str,
    pub loading: &'static str,
    pub load_more: &'static str,
    pub songs_heading: &'static str,
    pub songs_failed: &'static str,
    pub no_songs: &'static str,
    pub songs: &'static str,
    pub song: &'static str,
    pub play_all: &'static str,
    pub albums: &'static str,
    pub top_songs: &'static str,
    pub artist_failed: &'static str,
    pub album_failed: &'static str,
    pub favorites_heading: &'static str,
    pub favorites_failed: &'static str,
    pub no_favorites: &'static str,
    pub favorite_failed: &'static str,
    // Home.
    pub greeting: &'static str,
    pub recently_added: &'static str,
    pub recently_played: &'static str,
    pub nothing_played: &'static str,
    pub home_failed: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub save_failed: &'static str,
    // Profile.
    pub profile_heading: &'static str,
    pub profile_failed: &'static str,
    pub avatar: &'static str,
    pub upload: &'static str,
    pub uploading: &'static str,
    pub remove: &'static str,
    pub preferred_language: &'static str,
    pub not_set: &'static str,
    pub change_password: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub password_changed: &'static str,
    pub face_enrolment: &'static str,
    pub face_enrolled_since: &'static str,
    pub face_not_enrolled: &'static str,
    pub enrol_face: &'static str,
    pub remove_face: &'static str,
    pub face_disabled: &'static str,
    // Server status page.
    pub status_heading: &'static str,
    pub status_loading: &'static str,
    pub status_load_failed: &'static str,
    pub status_refresh: &'static str,
    pub status_service: &'static str,
    pub status_features: &'static str,
    pub status_uploads: &'static str,
    pub status_languages: &'static str,
    pub label_version: &'static str,
    pub label_database: &'static str,
    pub label_storage: &'static str,
    pub label_api: &'static str,
    pub api_same_origin: &'static str,
    pub label_face_login: &'static str,
    pub label_translation: &'static str,
    pub feature_enabled: &'static str,
    pub feature_disabled: &'static str,
    pub label_audio_uploads: &'static str,
    pub label_image_uploads: &'static str,
    pub label_max_size: &'static str,
    pub label_interface_languages: &'static str,
    pub label_translation_languages: &'static str,
    pub none: &'static str,
    // Search and playlists.
    pub nav_playlists: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_hint: &'static str,
    pub search_no_results: &'static str,
    pub search_failed: &'static str,
    pub search_needs_letters: &'static str,
    pub artists: &'static str,
    pub playlists_heading: &'static str,
    pub your_playlists: &'static str,
    pub public_playlists: &'static str,
    pub no_playlists: &'static str,
    pub no_public_playlists: &'static str,
    pub playlists_failed: &'static str,
    pub playlist: &'static str,
    pub playlist_failed: &'static str,
    pub playlist_empty: &'static str,
    pub new_playlist: &'static str,
    pub create: &'static str,
    pub create_failed: &'static str,
    pub playlist_name: &'static str,
    pub playlist_description: &'static str,
    pub playlist_public: &'static str,
    pub public_badge: &'static str,
    pub private_badge: &'static str,
    pub by_owner: &'static str,
    pub cover: &'static str,
    pub remove_cover: &'static str,
    pub edit_details: &'static str,
    pub cancel: &'static str,
    pub delete_playlist: &'static str,
    pub confirm_delete_playlist: &'static str,
    pub delete: &'static str,
    pub playlist_deleted: &'static str,
    pub delete_failed: &'static str,
    pub add_to_playlist: &'static str,
    pub added_to_playlist: &'static str,
    pub add_failed: &'static str,
    pub remove_from_playlist: &'static str,
    pub playlist_change_failed: &'static str,
    pub playlist_changed_elsewhere: &'static str,
    // Errors.
    pub retry: &'static str,
    pub request_id: &'static str,
    pub not_found_heading: &'static str,
    pub not_found_body: &'static str,
    pub not_found_home_link: &'static str,
}

impl Texts {
    /// The browser tab title of a page.
    pub fn document_title(&self, page: &str) -> String {
        format!("{page} · {}", self.app_name)
    }

    /// "Enabled (rekognition)" or "Disabled".
    pub fn feature_state(&self, enabled: bool, provider: &str) -> String {
        if enabled {
            format!("{} ({provider})", self.feature_enabled)
        } else {
            self.feature_disabled.to_owned()
        }
    }

    /// "1 song", "3 songs".
    pub fn song_count(&self, count: usize) -> String {
        let noun = if count == 1 { self.song } else { self.songs };
        format!("{count} {noun}")
    }

    pub fn repeat_state(&self, repeat: crate::player::queue::Repeat) -> &'static str {
        use crate::player::queue::Repeat;
        match repeat {
            Repeat::Off => self.repeat_off,
            Repeat::All => self.repeat_all,
            Repeat::One => self.repeat_one,
        }
    }
}

pub static EN: Texts = Texts {
    app_name: "SoundStream",
    skip_to_content: "Skip to content",
    nav_label: "Main",
    nav_home: "Home",
    nav_songs: "Songs",
    nav_search: "Search",
    nav_favorites: "Favorites",
    nav_profile: "Profile",
    nav_status: "Server status",
    language: "Language",
    log_in: "Log in",
    log_in_heading: "Log in to SoundStream",
    log_in_with_face: "Log in with face",
    register: "Register",
    register_heading: "Create your account",
    log_out: "Log out",
    username: "Username",
    username_or_email: "Username or email",
    email: "Email",
    password: "Password",
    display_name: "Display name",
    password_tab: "Password",
    face_tab: "Face",
    no_account: "No account yet?",
    have_account: "Already have an account?",
    signing_in: "Signing in…",
    login_failed: "Could not log in.",
    register_failed: "Could not register.",
    start_camera: "Start camera",
    stop_camera: "Stop camera",
    take_photo: "Take photo",
    retake_photo: "Retake",
    choose_picture: "Or choose a picture",
    camera_unavailable: "The camera is not available; choose a picture instead.",
    camera_preview: "Camera preview",
    face_photo_needed: "Take a photo or choose a picture first.",
    player_label: "Player",
    player_idle: "Nothing is playing",
    player_idle_hint: "Songs you play will show up here.",
    now_playing: "Now playing",
    play: "Play",
    pause: "Pause",
    previous_track: "Previous track",
    next_track: "Next track",
    shuffle: "Shuffle",
    repeat: "Repeat",
    repeat_off: "Repeat is off",
    repeat_all: "Repeating the queue",
    repeat_one: "Repeating this song",
    mute: "Mute",
    seek: "Seek",
    volume: "Volume",
    queue: "Queue",
    queue_empty: "The queue is empty.",
    playing_now: "Playing now",
    play_next: "Play next",
    add_to_queue: "Add to queue",
    remove_from_queue: "Remove from queue",
    move_up: "Move up",
    move_down: "Move down",
    clear_queue: "Clear queue",
    playback_failed: "Could not play this song.",
    lyrics: "Lyrics",
    no_lyrics: "This song has no lyrics.",
    translate_lyrics: "Translate lyrics",
    translate_into: "Translate into",
    show_original: "Show original",
    lyrics_failed: "Could not load the lyrics.",
    translation_failed: "Could not translate the lyrics.",
    translated_by: "Translated by",
    close: "Close",
    add_to_favorites: "Add to favorites",
    remove_from_favorites: "Remove from favorites",
    more_actions: "More actions",
    title: "Title",
    artist: "Artist",
    album: "Album",
    duration: "Duration",
    added: "Date added",
    sort_by: "Sort by",
    ascending: "Ascending",
    descending: "Descending",
    filter: "Filter",
    loading: "Loading…",
    load_more: "Load more",
    songs_heading: "Songs",
    songs_failed: "Could not load the songs.",
    no_songs: "There are no songs yet.",
    songs: "songs",
    song: "song",
    play_all: "Play all",
    albums: "Albums",
    top_songs: "Popular",
    artist_failed: "Could not load the artist.",
    album_failed: "Could not load the album.",
    favorites_heading: "Favorites",
    favorites_failed: "Could not load your favorites.",
    no_favorites: "Songs you mark as favorites show up here.",
    favorite_failed: "Could not change the favorite.",
    greeting: "Good to see you",
    recently_added: "Recently added",
    recently_played: "Recently played",
    nothing_played: "Nothing played yet.",
    home_failed: "Could not load this section.",
    save: "Save",
    saved: "Saved.",
    save_failed: "Could not save.",
    profile_heading: "Profile",
    profile_failed: "Could not load your profile.",
    avatar: "Avatar",
    upload: "Upload",
    uploading: "Uploading…",
    remove: "Remove",
    preferred_language: "Preferred language (lyrics translation)",
    not_set: "Not set",
    change_password: "Change password",
    current_password: "Current password",
    new_password: "New password",
    password_changed: "Password changed. Other sessions were logged out.",
    face_enrolment: "Face login",
    face_enrolled_since: "Your face is enrolled since",
    face_not_enrolled: "No face enrolled.",
    enrol_face: "Enrol face",
    remove_face: "Remove face",
    face_disabled: "Face login is not enabled on this server.",
    status_heading: "Server status",
    status_loading: "Loading the server configuration…",
    status_load_failed: "Could not load the server configuration.",
    status_refresh: "Refresh",
    status_service: "Service",
    status_features: "Feature flags",
    status_uploads: "Upload limits",
    status_languages: "Languages",
    label_version: "Version",
    label_database: "Database",
    label_storage: "Storage",
    label_api: "API address",
    api_same_origin: "Same origin as the player",
    label_face_login: "Face login",
    label_translation: "Lyrics translation",
    feature_enabled: "Enabled",
    feature_disabled: "Disabled",
    label_audio_uploads: "Audio files",
    label_image_uploads: "Images",
    label_max_size: "up to",
    label_interface_languages: "Interface",
    label_translation_languages: "Translation targets",
    none: "None",
    nav_playlists: "Playlists",
    search_label: "Search",
    search_placeholder: "Songs, artists, albums or playlists",
    search_hint: "Find songs, artists, albums and playlists as you type.",
    search_no_results: "Nothing matches",
    search_failed: "Could not search.",
    search_needs_letters: "Type at least one letter or digit.",
    artists: "Artists",
    playlists_heading: "Playlists",
    your_playlists: "Your playlists",
    public_playlists: "Public playlists",
    no_playlists: "No playlists yet.",
    no_public_playlists: "Nobody has shared a playlist yet.",
    playlists_failed: "Could not load the playlists.",
    playlist: "Playlist",
    playlist_failed: "Could not load the playlist.",
    playlist_empty: "This playlist is empty: add songs from the menu of any song.",
    new_playlist: "New playlist",
    create: "Create",
    create_failed: "Could not create the playlist.",
    playlist_name: "Name",
    playlist_description: "Description",
    playlist_public: "Public (anyone signed in can see it)",
    public_badge: "Public",
    private_badge: "Private",
    by_owner: "By",
    cover: "Cover",
    remove_cover: "Remove cover",
    edit_details: "Edit details",
    cancel: "Cancel",
    delete_playlist: "Delete playlist",
    confirm_delete_playlist: "Delete this playlist? This cannot be undone.",
    delete: "Delete",
    playlist_deleted: "Playlist deleted.",
    delete_failed: "Could not delete the playlist.",
    add_to_playlist: "Add to playlist",
    added_to_playlist: "Added to",
    add_failed: "Could not add the song to the playlist.",
    remove_from_playlist: "Remove from playlist",
    playlist_change_failed: "Could not change the playlist.",
    playlist_changed_elsewhere: "This playlist changed elsewhere, so it was reloaded. Please try again.",
    retry: "Retry",
    request_id: "Request id",
    not_found_heading: "Page not found",
    not_found_body: "There is nothing at",
    not_found_home_link: "Go to Home",
};

pub static ES: Texts = Texts {
    app_name: "SoundStream",
    skip_to_content: "Saltar al contenido",
    nav_label: "Principal",
    nav_home: "Inicio",
    nav_songs: "Canciones",
    nav_search: "Buscar",
    nav_favorites: "Favoritos",
    nav_profile: "Perfil",
    nav_status: "Estado del servidor",
    language: "Idioma",
    log_in: "Iniciar sesión",
    log_in_heading: "Inicia sesión en SoundStream",
    log_in_with_face: "Iniciar sesión con la cara",
    register: "Registrarse",
    register_heading: "Crea tu cuenta",
    log_out: "Cerrar sesión",
    username: "Usuario",
    username_or_email: "Usuario o correo",
    email: "Correo electrónico",
    password: "Contraseña",
    display_name: "Nombre visible",
    password_tab: "Contraseña",
    face_tab: "Cara",
    no_account: "¿Aún no tienes cuenta?",
    have_account: "¿Ya tienes cuenta?",
    signing_in: "Iniciando sesión…",
    login_failed: "No se pudo iniciar sesión.",
    register_failed: "No se pudo crear la cuenta.",
    start_camera: "Encender cámara",
    stop_camera: "Apagar cámara",
    take_photo: "Hacer foto",
    retake_photo: "Repetir",
    choose_picture: "O elige una imagen",
    camera_unavailable: "La cámara no está disponible; elige una imagen.",
    camera_preview: "Vista de la cámara",
    face_photo_needed: "Primero haz una foto o elige una imagen.",
    player_label: "Reproductor",
    player_idle: "No suena nada",
    player_idle_hint: "Las canciones que reproduzcas aparecerán aquí.",
    now_playing: "Sonando ahora",
    play: "Reproducir",
    pause: "Pausar",
    previous_track: "Canción anterior",
    next_track: "Canción siguiente",
    shuffle: "Aleatorio",
    repeat: "Repetir",
    repeat_off: "Repetición desactivada",
    repeat_all: "Repitiendo la cola",
    repeat_one: "Repitiendo esta canción",
    mute: "Silenciar",
    seek: "Posición",
    volume: "Volumen",
    queue: "Cola",
    queue_empty: "La cola está vacía.",
    playing_now: "Sonando",
    play_next: "Reproducir a continuación",
    add_to_queue: "Añadir a la cola",
    remove_from_queue: "Quitar de la cola",
    move_up: "Subir",
    move_down: "Bajar",
    clear_queue: "Vaciar cola",
    playback_failed: "No se pudo reproducir esta canción.",
    lyrics: "Letra",
    no_lyrics: "Esta canción no tiene letra.",
    translate_lyrics: "Traducir letra",
    translate_into: "Traducir al",
    show_original: "Ver original",
    lyrics_failed: "No se pudo cargar la letra.",
    translation_failed: "No se pudo traducir la letra.",
    translated_by: "Traducido por",
    close: "Cerrar",
    add_to_favorites: "Añadir a favoritos",
    remove_from_favorites: "Quitar de favoritos",
    more_actions: "Más acciones",
    title: "Título",
    artist: "Artista",
    album: "Álbum",
    duration: "Duración",
    added: "Añadida",
    sort_by: "Ordenar por",
    ascending: "Ascendente",
    descending: "Descendente",
    filter: "Filtrar",
    loading: "Cargando…",
    load_more: "Cargar más",
    songs_heading: "Canciones",
    songs_failed: "No se pudieron cargar las canciones.",
    no_songs: "Todavía no hay canciones.",
    songs: "canciones",
    song: "canción",
    play_all: "Reproducir todo",
    albums: "Álbumes",
    top_songs: "Populares",
    artist_failed: "No se pudo cargar el artista.",
    album_failed: "No se pudo cargar el álbum.",
    favorites_heading: "Favoritos",
    favorites_failed: "No se pudieron cargar tus favoritos.",
    no_favorites: "Las canciones que marques como favoritas aparecerán aquí.",
    favorite_failed: "No se pudo cambiar el favorito.",
    greeting: "Qué bueno verte",
    recently_added: "Añadidas recientemente",
    recently_played: "Escuchadas recientemente",
    nothing_played: "Aún no has escuchado nada.",
    home_failed: "No se pudo cargar esta sección.",
    save: "Guardar",
    saved: "Guardado.",
    save_failed: "No se pudo guardar.",
    profile_heading: "Perfil",
    profile_failed: "No se pudo cargar tu perfil.",
    avatar: "Avatar",
    upload: "Subir",
    uploading: "Subiendo…",
    remove: "Quitar",
    preferred_language: "Idioma preferido (traducción de letras)",
    not_set: "Sin definir",
    change_password: "Cambiar contraseña",
    current_password: "Contraseña actual",
    new_password: "Contraseña nueva",
    password_changed: "Contraseña cambiada. Se cerraron las demás sesiones.",
    face_enrolment: "Inicio de sesión con la cara",
    face_enrolled_since: "Tu cara está registrada desde",
    face_not_enrolled: "No hay ninguna cara registrada.",
    enrol_face: "Registrar cara",
    remove_face: "Quitar cara",
    face_disabled: "El inicio de sesión con la cara no está activado en este servidor.",
    status_heading: "Estado del servidor",
    status_loading: "Cargando la configuración del servidor…",
    status_load_failed: "No se pudo cargar la configuración del servidor.",
    status_refresh: "Actualizar",
    status_service: "Servicio",
    status_features: "Funciones",
    status_uploads: "Límites de subida",
    status_languages: "Idiomas",
    label_version: "Versión",
    label_database: "Base de datos",
    label_storage: "Almacenamiento",
    label_api: "Dirección de la API",
    api_same_origin: "El mismo origen que el reproductor",
    label_face_login: "Inicio con la cara",
    label_translation: "Traducción de letras",
    feature_enabled: "Activada",
    feature_disabled: "Desactivada",
    label_audio_uploads: "Archivos de audio",
    label_image_uploads: "Imágenes",
    label_max_size: "hasta",
    label_interface_languages: "Interfaz",
    label_translation_languages: "Idiomas de traducción",
    none: "Ninguno",
    nav_playlists: "Listas",
    search_label: "Buscar",
    search_placeholder: "Canciones, artistas, álbumes o listas",
    search_hint: "Encuentra canciones, artistas, álbumes y listas mientras escribes.",
    search_no_results: "Nada coincide con",
    search_failed: "No se pudo buscar.",
    search_needs_letters: "Escribe al menos una letra o un número.",
    artists: "Artistas",
    playlists_heading: "Listas de reproducción",
    your_playlists: "Tus listas",
    public_playlists: "Listas públicas",
    no_playlists: "Aún no hay listas.",
    no_public_playlists: "Nadie ha compartido una lista todavía.",
    playlists_failed: "No se pudieron cargar las listas.",
    playlist: "Lista",
    playlist_failed: "No se pudo cargar la lista.",
    playlist_empty: "Esta lista está vacía: añade canciones desde el menú de cualquier canción.",
    new_playlist: "Nueva lista",
    create: "Crear",
    create_failed: "No se pudo crear la lista.",
    playlist_name: "Nombre",
    playlist_description: "Descripción",
    playlist_public: "Pública (la ve cualquiera con sesión iniciada)",
    public_badge: "Pública",
    private_badge: "Privada",
    by_owner: "De",
    cover: "Portada",
    remove_cover: "Quitar portada",
    edit_details: "Editar detalles",
    cancel: "Cancelar",
    delete_playlist: "Eliminar lista",
    confirm_delete_playlist: "¿Eliminar esta lista? No se puede deshacer.",
    delete: "Eliminar",
    playlist_deleted: "Lista eliminada.",
    delete_failed: "No se pudo eliminar la lista.",
    add_to_playlist: "Añadir a una lista",
    added_to_playlist: "Añadida a",
    add_failed: "No se pudo añadir la canción a la lista.",
    remove_from_playlist: "Quitar de la lista",
    playlist_change_failed: "No se pudo cambiar la lista.",
    playlist_changed_elsewhere: "Esta lista cambió en otro lugar y se ha recargado. Vuelve a intentarlo.",
    retry: "Reintentar",
    request_id: "Id de la petición",
    not_found_heading: "Página no encontrada",
    not_found_body: "No hay nada en",
    not_found_home_link: "Ir al inicio",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_tags_select_their_language() {
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr-FR"), None);
    }

    #[test]
    fn the_first_supported_browser_language_wins() {
        assert_eq!(Lang::negotiate(["fr", "es-ES", "en"]), Lang::Es);
        assert_eq!(Lang::negotiate(["de", "fr"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }

    #[test]
    fn one_song_is_singular_and_any_other_count_plural() {
        assert_eq!(EN.song_count(1), "1 song");
        assert_eq!(EN.song_count(0), "0 songs");
        assert_eq!(ES.song_count(1), "1 canción");
        assert_eq!(ES.song_count(2), "2 canciones");
    }

    #[test]
    fn spanish_differs_from_english_where_it_should() {
        assert_ne!(ES.play, EN.play);
        assert_ne!(ES.log_in, EN.log_in);
        assert_eq!(ES.app_name, EN.app_name);
    }
}
