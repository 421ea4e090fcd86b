//! The queue panel: the song playing now and what comes next, with play
//! next / remove / move controls and drag-and-drop reordering; above them,
//! what is streamed (rendition, bit rate) and the normalization gain.

use leptos::prelude::*;

use crate::components::icons::DragIcon;
use crate::format;
use crate::i18n::{t_string, use_i18n};
use crate::player::{Panel, use_player};

#[component]
pub fn QueuePanel() -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    let dragging = RwSignal::new(None::<usize>);
    view! {
        <aside class="side-panel" aria-labelledby="queue-heading">
            <div class="panel-heading">
                <h2 id="queue-heading">{move || t_string!(i18n, queue)}</h2>
                <button type="button" class="text-button" on:click=move |_| player.clear()>
                    {move || t_string!(i18n, clear_queue)}
                </button>
                <button type="button" class="text-button" on:click=move |_| player.panel.set(Panel::Closed)>
                    {move || t_string!(i18n, close)}
                </button>
            </div>
            <PlaybackReadout />
            {move || {
                let (entries, current) = player.queue.with(|queue| (queue.entries().to_vec(), queue.current_index()));
                if entries.is_empty() {
                    return view! { <p class="muted">{t_string!(i18n, queue_empty)}</p> }.into_any();
                }
                let count = entries.len();
                view! {
                    <ol class="queue-list" aria-label=t_string!(i18n, queue)>
                        {entries
                            .into_iter()
                            .enumerate()
                            .map(|(index, entry)| {
                                let is_current = current == Some(index);
                                view! {
                                    <li
                                        class="queue-item"
                                        class:current=is_current
                                        aria-current=is_current.then_some("true")
                                        draggable="true"
                                        on:dragstart=move |_| dragging.set(Some(index))
                                        on:dragover=move |event| event.prevent_default()
                                        on:drop=move |event| {
                                            event.prevent_default();
                                            if let Some(from) = dragging.get_untracked() {
                                                player.move_entry(from, index);
                                            }
                                            dragging.set(None);
                                        }
                                    >
                                        <span class="drag-handle" aria-hidden="true"><DragIcon /></span>
                                        <button type="button" class="queue-song" on:click=move |_| player.jump_to(index)>
                                            <span class="song-title">{entry.song.title.clone()}</span>
                                            <span class="muted small">{entry.song.artist.name.clone()} " · " {format::clock(entry.song.duration_ms as f64)}</span>
                                            {is_current.then(|| view! { <span class="visually-hidden">{t_string!(i18n, playing_now)}</span> })}
                                        </button>
                                        <div class="queue-actions">
                                            <button type="button" class="icon-button small-button" aria-label=t_string!(i18n, move_up) disabled=index == 0
                                                on:click=move |_| player.move_entry(index, index - 1)>"↑"</button>
                                            <button type="button" class="icon-button small-button" aria-label=t_string!(i18n, move_down) disabled=index + 1 == count
                                                on:click=move |_| player.move_entry(index, index + 1)>"↓"</button>
                                            <button type="button" class="icon-button small-button" aria-label=t_string!(i18n, remove_from_queue)
                                                on:click=move |_| player.remove(index)>"×"</button>
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </aside>
    }
}

/// What the playing song is streamed as and the gain normalization applies
/// (`data-gain-db` holds the gain unrounded, for tests and devtools).
#[component]
fn PlaybackReadout() -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    move || {
        let source = player.source.get()?;
        let stream = format::stream(
            &source.rendition,
            source.bit_rate_kbps,
            t_string!(i18n, quality_original),
        );
        let gain = player.gain_db.get();
        let normalized = if player.normalize.get() {
            format!("{}: {}", t_string!(i18n, normalized), format::gain_db(gain))
        } else {
            t_string!(i18n, normalize_off).to_string()
        };
        Some(view! {
            <p class="muted small playback-readout" data-gain-db=gain.to_string()>
                {t_string!(i18n, stream_label)} ": " {stream} " · " {normalized}
            </p>
        })
    }
}
