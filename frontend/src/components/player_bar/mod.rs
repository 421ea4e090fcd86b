//! The persistent player bar: what is playing, the transport controls and
//! seek slider, the panel toggles and volume, and the keyboard shortcuts
//! that drive them from anywhere on the page.

mod extras;
mod now_playing;
mod shortcuts;
mod transport;

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::player::use_player;
use extras::PlayerExtras;
use now_playing::NowPlaying;
use transport::Transport;

#[component]
pub fn PlayerBar() -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    shortcuts::install_shortcuts();

    let song = Memo::new(move |_| {
        player
            .queue
            .with(|queue| queue.current().map(|entry| entry.song.clone()))
    });

    view! {
        <footer class="player-bar" aria-label=move || t_string!(i18n, player_label)>
            <NowPlaying song />
            <Transport song />
            <PlayerExtras />
        </footer>
    }
}
