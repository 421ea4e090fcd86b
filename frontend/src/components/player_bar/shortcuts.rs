//! The keyboard shortcuts that drive the player from anywhere on the page.

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::player::plays::stepped_volume;
use crate::player::use_player;

/// Whether a key press belongs to a control that uses the key itself.
fn typing_target(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    let input_type = element.get_attribute("type").unwrap_or_default();
    matches!(tag.as_str(), "textarea" | "select")
        || (tag == "input" && input_type != "range" && input_type != "checkbox")
        || element.has_attribute("contenteditable")
}

/// Space, ←/→ (seek; with Shift previous/next), ↑/↓ (volume), M, S, R and /.
pub fn install_shortcuts() {
    let player = use_player();
    let navigate = use_navigate();
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_target(&event) {
            return;
        }
        let on_control = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .map(|element| element.tag_name().to_ascii_lowercase())
            .is_some_and(|tag| tag == "button" || tag == "a" || tag == "input");
        let has_song = player
            .queue
            .with_untracked(|queue| queue.current().is_some());
        let handled = match event.key().as_str() {
            // Space on a focused button presses that button.
            " " if !on_control && has_song => {
                player.toggle();
                true
            }
            "ArrowRight" if !on_control && event.shift_key() => {
                player.next();
                true
            }
            "ArrowLeft" if !on_control && event.shift_key() => {
                player.previous();
                true
            }
            "ArrowRight" if !on_control => {
                player.seek_by(5_000.0);
                true
            }
            "ArrowLeft" if !on_control => {
                player.seek_by(-5_000.0);
                true
            }
            "ArrowUp" if !on_control => {
                player.set_volume(stepped_volume(player.volume.get_untracked(), 0.1));
                true
            }
            "ArrowDown" if !on_control => {
                player.set_volume(stepped_volume(player.volume.get_untracked(), -0.1));
                true
            }
            "m" | "M" => {
                player.muted.update(|muted| *muted = !*muted);
                true
            }
            "s" | "S" => {
                player.toggle_shuffle();
                true
            }
            "r" | "R" => {
                player.cycle_repeat();
                true
            }
            "/" => {
                // Already searching: keep the query, only move focus.
                if window().location().pathname().ok().as_deref() != Some("/search") {
                    navigate("/search", Default::default());
                }
                // The search box takes focus once the page is shown.
                set_timeout(
                    || {
                        if let Some(input) = document()
                            .get_element_by_id("search-input")
                            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = input.focus();
                        }
                    },
                    std::time::Duration::from_millis(50),
                );
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}
