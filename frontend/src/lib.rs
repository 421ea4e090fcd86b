//! SoundStream's web player as a library with two entry points, one per
//! WebAssembly bundle: [`start_listener`] (every page but the administrator's,
//! the bundle a listener's first load fetches) and [`start_admin`] (the same
//! player plus the admin pages, loaded only when someone opens `/admin`; see
//! `boot.js`). Each reads the runtime configuration, then mounts the app.

mod admin_area;
mod api;
mod app;
mod auth;
mod components;
mod favorites;
mod form_fields;
mod format;
mod i18n;
mod notice;
mod pages;
mod player;
mod playlists;
mod runtime_config;
mod service_config;
mod storage;
mod transport;
mod uploads;

use admin_area::AdminArea;
use runtime_config::RuntimeConfig;

/// Starts the listener's player: `/admin` pages load the admin bundle.
pub fn start_listener() {
    start(AdminArea::elsewhere());
}

/// Starts the administrator's player: every page, the admin ones included.
pub fn start_admin() {
    start(AdminArea::built_in());
}

fn start(admin_area: AdminArea) {
    console_error_panic_hook::set_once();

    // The API base URL must be known before the first request, so the app is
    // mounted only once `config.json` has been read (one small same-origin
    // fetch). wasm-bindgen's executor runs it: Leptos sets up its own only
    // when mounting.
    wasm_bindgen_futures::spawn_local(async move {
        let config = RuntimeConfig::load().await.unwrap_or_else(|error| {
            leptos::logging::warn!("{error}; calling the API on this page's origin");
            RuntimeConfig::default()
        });
        runtime_config::install(config);
        leptos::mount::mount_to_body(move || leptos::view! { <app::App admin_area /> });
    });
}
