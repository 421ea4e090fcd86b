//! `/settings`: how this device plays (stream quality, volume
//! normalization, crossfade), kept in this browser: a phone and a desktop
//! want different qualities. In the listener's bundle, so changing them
//! never reloads the page and stops the music (the account's profile is in
//! the whole player).

use leptos::prelude::*;
use soundstream_types::PlaybackQuality;

use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::player::use_player;

#[component]
pub fn SettingsPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, settings_heading));
    let i18n = use_i18n();
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, settings_heading)}</h1>
            <div class="card-grid">
                <PlaybackCard />
            </div>
        </div>
    }
}

/// Stream quality, volume normalization and crossfade.
#[component]
fn PlaybackCard() -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    view! {
        <section class="card" aria-labelledby="playback-heading">
            <h2 class="card-title" id="playback-heading">{move || t_string!(i18n, playback_heading)}</h2>
            <div class="form">
                <label class="field">
                    <span>{move || t_string!(i18n, quality)}</span>
                    <select
                        prop:value=move || player.quality.get().map_or("auto", PlaybackQuality::as_str)
                        on:change=move |event| player.set_quality(PlaybackQuality::parse(&event_target_value(&event)))
                    >
                        <option value="auto">{move || t_string!(i18n, quality_auto)}</option>
                        <option value="low">{move || t_string!(i18n, quality_low)}</option>
                        <option value="normal">{move || t_string!(i18n, quality_normal)}</option>
                        <option value="high">{move || t_string!(i18n, quality_high)}</option>
                        <option value="original">{move || t_string!(i18n, quality_original)}</option>
                    </select>
                </label>
                <p class="muted small">{move || t_string!(i18n, quality_hint)}</p>
                <label class="field-inline">
                    <input
                        type="checkbox"
                        prop:checked=move || player.normalize.get()
                        on:change=move |event| player.set_normalize(event_target_checked(&event))
                    />
                    <span>{move || t_string!(i18n, normalize_volume)}</span>
                </label>
                <p class="muted small">{move || t_string!(i18n, normalize_hint)}</p>
                <label class="field">
                    <span>
                        {move || t_string!(i18n, crossfade)} ": "
                        {move || match player.crossfade_s.get() {
                            0 => t_string!(i18n, crossfade_off).to_owned(),
                            seconds => format!("{seconds} s"),
                        }}
                    </span>
                    <input
                        type="range"
                        class="slider"
                        min="0"
                        max="12"
                        step="1"
                        prop:value=move || player.crossfade_s.get().to_string()
                        on:change=move |event| {
                            if let Ok(seconds) = event_target_value(&event).parse::<u32>() {
                                player.set_crossfade(seconds);
                            }
                        }
                    />
                </label>
                <p class="muted small">{move || t_string!(i18n, playback_on_this_device)}</p>
            </div>
        </section>
    }
}
