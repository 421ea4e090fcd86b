//! The transport: shuffle, previous, play/pause, next and repeat, the seek
//! slider, and why playback failed.

use leptos::prelude::*;
use soundstream_types::Song;

use crate::components::icons::{
    NextIcon, PauseIcon, PlayIcon, PreviousIcon, RepeatIcon, ShuffleIcon,
};
use crate::format;
use crate::i18n::use_i18n;
use crate::player::queue::Repeat;
use crate::player::use_player;

#[component]
pub fn Transport(song: Memo<Option<Song>>) -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
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
    }
}
