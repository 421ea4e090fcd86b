//! The Media Session: what plays (title, artist, album, artwork) on the
//! lock screen and in notifications, and the hardware media keys that
//! drive the player.

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use soundstream_types::Song;
use wasm_bindgen::prelude::*;

use crate::api;

/// What the media keys (or the lock screen) ask the player to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    /// Play or pause (the browser sends play, pause and stop).
    Toggle,
    Previous,
    Next,
    SeekTo {
        position_ms: f64,
    },
}

/// Hands the lock screen's, notification's and hardware media keys' actions
/// to `perform`.
pub fn install(perform: impl Fn(Action) + Copy + 'static) {
    let Some(session) = media_session() else {
        return;
    };
    let Ok(set_handler) = Reflect::get(&session, &"setActionHandler".into())
        .and_then(|value| value.dyn_into::<Function>())
    else {
        return;
    };
    let handlers: [(&str, ActionHandler); 6] = [
        ("play", Box::new(move |_| perform(Action::Toggle))),
        ("pause", Box::new(move |_| perform(Action::Toggle))),
        (
            "previoustrack",
            Box::new(move |_| perform(Action::Previous)),
        ),
        ("nexttrack", Box::new(move |_| perform(Action::Next))),
        (
            "seekto",
            Box::new(move |details: JsValue| {
                if let Some(seconds) = Reflect::get(&details, &"seekTime".into())
                    .ok()
                    .and_then(|value| value.as_f64())
                {
                    perform(Action::SeekTo {
                        position_ms: seconds * 1000.0,
                    });
                }
            }),
        ),
        ("stop", Box::new(move |_| perform(Action::Toggle))),
    ];
    for (action, handler) in handlers {
        let closure = Closure::<dyn FnMut(JsValue)>::wrap(handler);
        // Browsers throw for actions they do not support; the rest still work.
        let _ = set_handler.call2(&session, &action.into(), closure.as_ref());
        closure.forget();
    }
}

/// A Media Session action handler (its argument: the action's details).
type ActionHandler = Box<dyn FnMut(JsValue)>;

/// `navigator.mediaSession`, where the browser has it. Reached through
/// `Reflect`: web-sys only offers it behind its unstable-APIs flag.
fn media_session() -> Option<JsValue> {
    let session = Reflect::get(&window().navigator(), &"mediaSession".into()).ok()?;
    (!session.is_undefined() && !session.is_null()).then_some(session)
}

pub fn set_playback_state(state: &str) {
    if let Some(session) = media_session() {
        let _ = Reflect::set(&session, &"playbackState".into(), &state.into());
    }
}

/// Title, artist, album and artwork on the lock screen.
pub fn update_media_metadata(song: &Song) {
    let Some(session) = media_session() else {
        return;
    };
    let Ok(constructor) = Reflect::get(&window(), &"MediaMetadata".into())
        .and_then(|value| value.dyn_into::<Function>())
    else {
        return;
    };
    let init = Object::new();
    let _ = Reflect::set(&init, &"title".into(), &song.title.as_str().into());
    let _ = Reflect::set(&init, &"artist".into(), &song.artist.name.as_str().into());
    if let Some(album) = &song.album {
        let _ = Reflect::set(&init, &"album".into(), &album.title.as_str().into());
    }
    let artwork = Array::new();
    if let Some(cover) = &song.cover_url {
        let image = Object::new();
        let _ = Reflect::set(&image, &"src".into(), &api::media_url(cover).into());
        artwork.push(&image);
    }
    let _ = Reflect::set(&init, &"artwork".into(), &artwork);
    if let Ok(metadata) = Reflect::construct(&constructor, &Array::of1(&init)) {
        let _ = Reflect::set(&session, &"metadata".into(), &metadata);
    }
}
