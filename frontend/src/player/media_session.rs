//! The Media Session: what plays (title, artist, album, artwork) on the
//! lock screen and in notifications, and the hardware media keys that
//! drive the player.

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use soundstream_types::Song;
use wasm_bindgen::prelude::*;

use super::Player;
use crate::api;

impl Player {
    /// Lock-screen, notification and hardware media keys.
    pub(super) fn install_media_session(self) {
        let Some(session) = media_session() else {
            return;
        };
        let Ok(set_handler) = Reflect::get(&session, &"setActionHandler".into())
            .and_then(|value| value.dyn_into::<Function>())
        else {
            return;
        };
        let player = self;
        let handlers: [(&str, ActionHandler); 6] = [
            ("play", Box::new(move |_| player.toggle())),
            ("pause", Box::new(move |_| player.toggle())),
            ("previoustrack", Box::new(move |_| player.previous())),
            ("nexttrack", Box::new(move |_| player.next())),
            (
                "seekto",
                Box::new(move |details: JsValue| {
                    if let Some(seconds) = Reflect::get(&details, &"seekTime".into())
                        .ok()
                        .and_then(|value| value.as_f64())
                    {
                        player.seek(seconds * 1000.0);
                    }
                }),
            ),
            ("stop", Box::new(move |_| player.toggle())),
        ];
        for (action, handler) in handlers {
            let closure = Closure::<dyn FnMut(JsValue)>::wrap(handler);
            // Browsers throw for actions they do not support; the rest still work.
            let _ = set_handler.call2(&session, &action.into(), closure.as_ref());
            closure.forget();
        }
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

pub(super) fn set_playback_state(state: &str) {
    if let Some(session) = media_session() {
        let _ = Reflect::set(&session, &"playbackState".into(), &state.into());
    }
}

/// Title, artist, album and artwork on the lock screen.
pub(super) fn update_media_metadata(song: &Song) {
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
