//! Entry point of the SoundStream web player: reads the runtime
//! configuration, then mounts the app. Everything else lives in the modules.

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

use runtime_config::RuntimeConfig;

fn main() {
    console_error_panic_hook::set_once();

    // The API base URL must be known before the first request, so the app is
    // mounted only once `config.json` has been read (one small same-origin
    // fetch). wasm-bindgen's executor runs it: Leptos sets up its own only
    // when mounting.
    wasm_bindgen_futures::spawn_local(async {
        let config = RuntimeConfig::load().await.unwrap_or_else(|error| {
            leptos::logging::warn!("{error}; calling the API on this page's origin");
            RuntimeConfig::default()
        });
        runtime_config::install(config);
        leptos::mount::mount_to_body(app::App);
    });
}
