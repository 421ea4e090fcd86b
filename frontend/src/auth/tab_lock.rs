//! One refresh across the browser's tabs: the Web Locks API
//! (`navigator.locks`) runs them one after another, so a second tab finds
//! the first one's new pair in storage instead of presenting the same
//! refresh token again. Where Web Locks are missing (plain-HTTP origins
//! other than localhost), or the second tab's view of storage still lags
//! behind the first one's write (Chromium syncs localStorage between
//! renderer processes asynchronously), the API's refresh grace window makes
//! a second refresh harmless: both tabs get the same new pair.

use std::future::Future;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Runs `work` while holding the browser-wide lock `name` (or without it
/// where the browser has no Web Locks).
pub async fn exclusively<T>(name: &str, work: impl Future<Output = T>) -> T {
    let Some((acquired, release)) = request(name) else {
        return work.await;
    };
    let _ = acquired.await;
    let result = work.await;
    let _ = release.call0(&JsValue::NULL);
    result
}

/// Asks for the lock: a future that resolves once it is held, and the
/// function that releases it.
fn request(name: &str) -> Option<(JsFuture, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks"))
        .ok()
        .filter(|locks| !locks.is_undefined() && !locks.is_null())?;
    let request = Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    // The lock is held until the promise the callback returns settles.
    let mut release = None;
    let held = Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let mut signal_acquired = None;
    let acquired = Promise::new(&mut |resolve, _reject| signal_acquired = Some(resolve));
    let signal_acquired = signal_acquired?;
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        let _ = signal_acquired.call0(&JsValue::NULL);
        held.into()
    });
    request
        .call2(&locks, &JsValue::from_str(name), &callback)
        .ok()?;
    Some((JsFuture::from(acquired), release?))
}
