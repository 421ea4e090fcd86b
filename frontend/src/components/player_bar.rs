//! The persistent player bar at the bottom of every page. Playback is not
//! built yet, so it only says that nothing is playing (no dummy controls
//! that would mislead users and assistive technology).

use leptos::prelude::*;

use crate::components::icons::NoteIcon;
use crate::strings;

#[component]
pub fn PlayerBar() -> impl IntoView {
    view! {
        <footer class="player-bar" aria-label=strings::PLAYER_LABEL>
            <div class="player-idle">
                <span class="player-art" aria-hidden="true">
                    <NoteIcon />
                </span>
                <div>
                    <p class="player-idle-title">{strings::PLAYER_IDLE}</p>
                    <p class="muted small">{strings::PLAYER_IDLE_HINT}</p>
                </div>
            </div>
        </footer>
    }
}
