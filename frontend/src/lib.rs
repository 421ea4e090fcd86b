//! SoundStream's web player as a library with two entry points, one per
//! WebAssembly bundle: [`start_listener`] (a signed-in listener's pages, the
//! bundle their first load fetches) and [`start_admin`] (the whole player:
//! those pages plus the admin, radio and profile pages and the signed-out
//! screens, loaded only where one of them opens or nobody is signed in; see
//! `boot.js` and `whole_player`). Each reads the runtime configuration, then
//! mounts the app.

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
mod whole_player;

use runtime_config::RuntimeConfig;
use whole_player::WholePlayerPages;

/// Starts the listener's player: the whole player's own pages load the
/// other bundle.
pub fn start_listener() {
    start(WholePlayerPages::elsewhere());
}

/// Starts the whole player: every page, the admin ones included.
pub fn start_admin() {
    start(WholePlayerPages::built_in());
}

fn start(pages: WholePlayerPages) {
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
        leptos::mount::mount_to_body(move || leptos::view! { <app::App pages /> });
    });
}
