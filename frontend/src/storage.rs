//! `localStorage`, for what must survive a reload (session, queue, language,
//! volume). Storage can be missing or full (private modes); failures only
//! mean the value is not remembered, so they are logged and ignored.

use serde::Serialize;
use serde::de::DeserializeOwned;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get_string(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub fn set_string(key: &str, value: &str) {
    if let Some(storage) = local_storage()
        && storage.set_item(key, value).is_err()
    {
        leptos::logging::warn!("could not remember {key} in localStorage");
    }
}

pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// A stored JSON value; a value that no longer parses (an older format) is
/// treated as absent.
pub fn get_json<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&get_string(key)?).ok()
}

pub fn set_json<T: Serialize>(key: &str, value: &T) {
    match serde_json::to_string(value) {
        Ok(text) => set_string(key, &text),
        Err(error) => leptos::logging::warn!("could not serialise {key}: {error}"),
    }
}
