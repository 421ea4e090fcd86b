//! The transport: shuffle, previous, play/pause, next and repeat, the seek
//! slider, and why playback failed.

use leptos::prelude::*;
use soundstream_types::Song;

use crate::components::icons::{
    NextIcon, PauseIcon, PlayIcon, PreviousIcon, RepeatIcon, ShuffleIcon,
};
use crate::format;
use crate::i18n::{I18n, t_string, use_i18n};
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
                    aria-label=move || t_string!(i18n, shuffle)
                    title=move || t_string!(i18n, shuffle)
                    on:click=move |_| player.toggle_shuffle()
                >
                    <ShuffleIcon />
                </button>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=move || t_string!(i18n, previous_track)
                    title=move || t_string!(i18n, previous_track)
                    disabled=move || !has_song()
                    on:click=move |_| player.previous()
                >
                    <PreviousIcon />
                </button>
                <button
                    type="button"
                    class="play-button"
                    class:buffering=move || player.buffering.get()
                    aria-label=move || if player.playing.get() { t_string!(i18n, pause) } else { t_string!(i18n, play) }
                    disabled=move || !has_song()
                    on:click=move |_| player.toggle()
                >
                    {move || if player.playing.get() { view! { <PauseIcon /> }.into_any() } else { view! { <PlayIcon /> }.into_any() }}
                </button>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=move || t_string!(i18n, next_track)
                    title=move || t_string!(i18n, next_track)
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
                    aria-label=move || t_string!(i18n, repeat)
                    aria-describedby="repeat-state"
                    title=move || repeat_state(i18n, repeat())
                    on:click=move |_| player.cycle_repeat()
                >
                    <RepeatIcon />
                    <span id="repeat-state" class="visually-hidden">{move || repeat_state(i18n, repeat())}</span>
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
                    aria-label=move || t_string!(i18n, seek)
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
                    {t_string!(i18n, playback_failed)} " " {message} " "
                    <button type="button" class="text-button" on:click=move |_| player.toggle()>{t_string!(i18n, retry)}</button>
                </p>
            })}
        </div>
    }
}

/// "Repeat is off", "Repeating the queue" or "Repeating this song".
fn repeat_state(i18n: I18n, repeat: Repeat) -> &'static str {
    match repeat {
        Repeat::Off => t_string!(i18n, repeat_off),
        Repeat::All => t_string!(i18n, repeat_all),
        Repeat::One => t_string!(i18n, repeat_one),
    }
}
