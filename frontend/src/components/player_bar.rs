//! The persistent player bar: what is playing, the transport controls, the
//! seek and volume sliders, the queue and lyrics toggles, and the keyboard
//! shortcuts that drive them from anywhere on the page.

use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::api;
use crate::components::icons::{
    LyricsIcon, NextIcon, NoteIcon, PauseIcon, PlayIcon, PreviousIcon, QueueIcon, RepeatIcon,
    ShuffleIcon, VolumeIcon,
};
use crate::components::playlist_picker::AddToPlaylistButton;
use crate::favorites::FavoriteButton;
use crate::format;
use crate::i18n::use_i18n;
use crate::player::plays::stepped_volume;
use crate::player::queue::Repeat;
use crate::player::{Panel, use_player};

#[component]
pub fn PlayerBar() -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    install_shortcuts();

    let song = Memo::new(move |_| {
        player
            .queue
            .with(|queue| queue.current().map(|entry| entry.song.clone()))
    });
    let has_song = move || song.with(Option::is_some);
    let shuffle = move || player.queue.with(|queue| queue.shuffle());
    let repeat = move || player.queue.with(|queue| queue.repeat());
    let duration = move || {
        let duration = player.duration_ms.get();
        if duration.is_finite() && duration > 0.0 {
            duration
        } else {
            0.0
        }
    };

    view! {
        <footer class="player-bar" aria-label=move || i18n.t().player_label>
            <section class="now-playing" aria-label=move || i18n.t().now_playing>
                {move || match song.get() {
                    Some(song) => {
                        let cover = song.cover_url.as_deref().map(api::media_url);
                        view! {
                            <span class="player-art" aria-hidden="true">
                                {match cover {
                                    Some(src) => view! { <img src=src alt="" width="48" height="48" /> }.into_any(),
                                    None => view! { <NoteIcon /> }.into_any(),
                                }}
                            </span>
                            <div class="now-playing-text">
                                <p class="now-playing-title">{song.title.clone()}</p>
                                <A href=format!("/artists/{}", song.artist.id) attr:class="now-playing-artist muted small">
                                    {song.artist.name.clone()}
                                </A>
                            </div>
                            <FavoriteButton song_id=song.id.clone() />
                            <AddToPlaylistButton song_id=song.id />
                        }
                            .into_any()
                    }
                    None => view! {
                        <span class="player-art" aria-hidden="true"><NoteIcon /></span>
                        <div class="now-playing-text">
                            <p class="now-playing-title">{move || i18n.t().player_idle}</p>
                            <p class="muted small">{move || i18n.t().player_idle_hint}</p>
                        </div>
                    }
                        .into_any(),
                }}
            </section>
            <div class="transport">
                <div class="transport-buttons">
                    <button
                        type="button"
                        class="icon-button"
                        class:active=shuffle
                        aria-pressed=move || shuffle().to_string()
                        aria-label=move || i18n.t().shuffle
                        title=move || i18n.t().shuffle
                        on:click=move |_| player.toggle_shuffle()
                    >
                        <ShuffleIcon />
                    </button>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=move || i18n.t().previous_track
                        title=move || i18n.t().previous_track
                        disabled=move || !has_song()
                        on:click=move |_| player.previous()
                    >
                        <PreviousIcon />
                    </button>
                    <button
                        type="button"
                        class="play-button"
                        class:buffering=move || player.buffering.get()
                        aria-label=move || if player.playing.get() { i18n.t().pause } else { i18n.t().play }
                        disabled=move || !has_song()
                        on:click=move |_| player.toggle()
                    >
                        {move || if player.playing.get() { view! { <PauseIcon /> }.into_any() } else { view! { <PlayIcon /> }.into_any() }}
                    </button>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=move || i18n.t().next_track
                        title=move || i18n.t().next_track
                        disabled=move || !has_song()
                        on:click=move |_| player.next()
                    >
                        <NextIcon />
                    </button>
                    <button
                        type="button"
                        class="icon-button repeat"
                        class:active=move || repeat() != Repeat::Off
                        class:repeat-one=move || repeat() == Repeat::One
                        aria-pressed=move || (repeat() != Repeat::Off).to_string()
                        aria-label=move || i18n.t().repeat
                        aria-describedby="repeat-state"
                        title=move || i18n.t().repeat_state(repeat())
                        on:click=move |_| player.cycle_repeat()
                    >
                        <RepeatIcon />
                        <span id="repeat-state" class="visually-hidden">{move || i18n.t().repeat_state(repeat())}</span>
                    </button>
                </div>
                <div class="seek-row">
                    <span class="time elapsed">{move || format::clock(player.position_ms.get())}</span>
                    <input
                        type="range"
                        class="slider seek"
                        min="0"
                        max=move || (duration() / 1000.0).to_string()
                        step="any"
                        aria-label=move || i18n.t().seek
                        aria-valuetext=move || format!("{} / {}", format::clock(player.position_ms.get()), format::clock(duration()))
                        disabled=move || !has_song()
                        prop:value=move || (player.position_ms.get() / 1000.0).to_string()
                        on:input=move |event| {
                            if let Ok(seconds) = event_target_value(&event).parse::<f64>() {
                                player.seek(seconds * 1000.0);
                            }
                        }
                    />
                    <span class="time total">{move || format::clock(duration())}</span>
                </div>
                {move || player.error.get().map(|message| view! {
                    <p class="player-error" role="alert">
                        {i18n.t().playback_failed} " " {message} " "
                        <button type="button" class="text-button" on:click=move |_| player.toggle()>{i18n.t().retry}</button>
                    </p>
                })}
            </div>
            <div class="player-extras">
                <button
                    type="button"
                    class="icon-button"
                    class:active=move || player.panel.get() == Panel::Lyrics
                    aria-pressed=move || (player.panel.get() == Panel::Lyrics).to_string()
                    aria-label=move || i18n.t().lyrics
                    title=move || i18n.t().lyrics
                    on:click=move |_| player.toggle_panel(Panel::Lyrics)
                >
                    <LyricsIcon />
                </button>
                <button
                    type="button"
                    class="icon-button"
                    class:active=move || player.panel.get() == Panel::Queue
                    aria-pressed=move || (player.panel.get() == Panel::Queue).to_string()
                    aria-label=move || i18n.t().queue
                    title=move || i18n.t().queue
                    on:click=move |_| player.toggle_panel(Panel::Queue)
                >
                    <QueueIcon />
                </button>
                <button
                    type="button"
                    class="icon-button"
                    class:active=move || player.muted.get()
                    aria-pressed=move || player.muted.get().to_string()
                    aria-label=move || i18n.t().mute
                    title=move || i18n.t().mute
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
                    aria-label=move || i18n.t().volume
                    aria-valuetext=move || format!("{}%", (player.volume.get() * 100.0).round())
                    prop:value=move || if player.muted.get() { "0".to_owned() } else { player.volume.get().to_string() }
                    on:input=move |event| {
                        if let Ok(volume) = event_target_value(&event).parse::<f64>() {
                            player.set_volume(volume);
                        }
                    }
                />
            </div>
        </footer>
    }
}

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
fn install_shortcuts() {
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
