//! The lyrics of the song playing now and, when the server translates, the
//! "Translate lyrics" button into the listener's language (or another).

use leptos::prelude::*;
use soundstream_types::Lyrics;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::load_error::LoadError;
use crate::i18n::{self, t_string, use_i18n};
use crate::player::{Panel, use_player};
use crate::service_config::use_service_config;

#[component]
pub fn LyricsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let player = use_player();
    let config = use_service_config();
    let auth = use_auth();
    let song = Memo::new(move |_| {
        player
            .queue
            .with(|queue| queue.current().map(|entry| entry.song.clone()))
    });
    // The requested translation target; `None` shows the original.
    let target = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        song.track();
        target.set(None);
    });
    let lyrics = LocalResource::new(move || {
        let song = song.get();
        let lang = target.get();
        async move {
            let Some(song) = song else { return Ok(None) };
            if !song.has_lyrics {
                return Ok(None);
            }
            let mut path = format!("/api/v1/songs/{}/lyrics", api::encode(&song.id));
            if let Some(lang) = lang {
                path.push_str(&format!("?lang={}", api::encode(&lang)));
            }
            api::get::<Lyrics>(&path).await.map(Some)
        }
    });
    let languages = move || match config.get() {
        Some(Ok(config)) if config.features.translation.enabled => config.languages.translation,
        _ => Vec::new(),
    };
    // The listener's preferred language, else the interface language.
    let default_target = move || {
        let langs = languages();
        let preferred = auth
            .user
            .with(|user| {
                user.as_ref()
                    .and_then(|user| user.preferred_language.clone())
            })
            .unwrap_or_else(|| i18n::code(i18n.get_locale()).to_owned());
        if langs.contains(&preferred) {
            preferred
        } else {
            langs.first().cloned().unwrap_or(preferred)
        }
    };
    let chosen = RwSignal::new(String::new());
    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| lyrics.refetch());

    view! {
        <aside class="side-panel" aria-labelledby="lyrics-heading">
            <div class="panel-heading">
                <h2 id="lyrics-heading">{move || t_string!(i18n, lyrics)}</h2>
                <button type="button" class="text-button" on:click=move |_| player.panel.set(Panel::Closed)>
                    {move || t_string!(i18n, close)}
                </button>
            </div>
            {move || song.get().map(|song| view! {
                <p class="muted small">{song.title} " · " {song.artist.name}</p>
            })}
            <Show when=move || !languages().is_empty() && song.with(|song| song.as_ref().is_some_and(|song| song.has_lyrics))>
                <div class="translate-row">
                    <label for="translate-target">{move || t_string!(i18n, translate_into)}</label>
                    <select
                        id="translate-target"
                        on:change=move |event| chosen.set(event_target_value(&event))
                        prop:value=move || { let value = chosen.get(); if value.is_empty() { default_target() } else { value } }
                    >
                        {move || languages().into_iter().map(|lang| view! { <option value=lang>{lang.clone()}</option> }).collect_view()}
                    </select>
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            let value = chosen.get_untracked();
                            target.set(Some(if value.is_empty() { default_target() } else { value }));
                        }
                    >
                        {move || t_string!(i18n, translate_lyrics)}
                    </button>
                    <Show when=move || target.with(Option::is_some)>
                        <button type="button" class="text-button" on:click=move |_| target.set(None)>
                            {move || t_string!(i18n, show_original)}
                        </button>
                    </Show>
                </div>
            </Show>
            <div aria-busy=move || pending.get().to_string() aria-live="polite">
                <Transition fallback=move || view! { <p class="muted">{move || t_string!(i18n, loading)}</p> } set_pending>
                    {move || Suspend::new(async move {
                        let result: Result<Option<Lyrics>, ApiError> = lyrics.await;
                        match result {
                            Ok(None) => view! { <p class="muted">{t_string!(i18n, no_lyrics)}</p> }.into_any(),
                            Ok(Some(lyrics)) => {
                                match lyrics.translation {
                                    Some(translation) => view! {
                                        <p class="muted small">{t_string!(i18n, translated_by)} " " {translation.provider.clone()} " (" {translation.source.clone()} " → " {translation.target.clone()} ")"</p>
                                        <pre class="lyrics" lang=translation.target>{translation.text.clone()}</pre>
                                    }.into_any(),
                                    None => view! { <pre class="lyrics" lang=lyrics.language.clone()>{lyrics.lyrics.clone()}</pre> }.into_any(),
                                }
                            }
                            Err(error) => {
                                let what = if target.get_untracked().is_some() { t_string!(i18n, translation_failed) } else { t_string!(i18n, lyrics_failed) };
                                view! { <LoadError what error on_retry=retry pending /> }.into_any()
                            }
                        }
                    })}
                </Transition>
            </div>
        </aside>
    }
}
