//! The side panels' toggles (lyrics, queue), mute and the volume slider.

use leptos::prelude::*;

use crate::components::icons::{LyricsIcon, QueueIcon, VolumeIcon};
use crate::i18n::{t_string, use_i18n};
use crate::player::{Panel, use_player};

#[component]
pub fn PlayerExtras() -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    view! {
        <div class="player-extras">
            <button
                type="button"
                class="icon-button"
                class:active=move || player.panel.get() == Panel::Lyrics
                aria-pressed=move || (player.panel.get() == Panel::Lyrics).to_string()
                aria-label=move || t_string!(i18n, lyrics)
                title=move || t_string!(i18n, lyrics)
                on:click=move |_| player.toggle_panel(Panel::Lyrics)
            >
                <LyricsIcon />
            </button>
            <button
                type="button"
                class="icon-button"
                class:active=move || player.panel.get() == Panel::Queue
                aria-pressed=move || (player.panel.get() == Panel::Queue).to_string()
                aria-label=move || t_string!(i18n, queue)
                title=move || t_string!(i18n, queue)
                on:click=move |_| player.toggle_panel(Panel::Queue)
            >
                <QueueIcon />
            </button>
            <button
                type="button"
                class="icon-button"
                class:active=move || player.muted.get()
                aria-pressed=move || player.muted.get().to_string()
                aria-label=move || t_string!(i18n, mute)
                title=move || t_string!(i18n, mute)
                on:click=move |_| player.muted.update(|muted| *muted = !*muted)
            >
                <VolumeIcon muted=Signal::derive(move || player.muted.get() || player.volume.get() == 0.0) />
            </button>
            <input
                type="range"
                class="slider volume"
                min="0"
                max="1"
                step="0.01"
                aria-label=move || t_string!(i18n, volume)
                aria-valuetext=move || format!("{}%", (player.volume.get() * 100.0).round())
                prop:value=move || if player.muted.get() { "0".to_owned() } else { player.volume.get().to_string() }
                on:input=move |event| {
                    if let Ok(volume) = event_target_value(&event).parse::<f64>() {
                        player.set_volume(volume);
                    }
                }
            />
        </div>
    }
}
