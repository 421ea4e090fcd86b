//! `/admin/upload`: drop (or pick) many audio files; each travels through
//! its own upload session straight to storage with a progress bar, a few at
//! a time, and can be cancelled or retried. Once the API has verified a
//! file, its metadata form is pre-filled from the tags it read and saving
//! it creates the song.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::{
    CompletedUpload, CreateSongRequest, CreateUploadRequest, Song, UploadKind, UploadLimits,
    UploadTicket,
};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError, Method};
use crate::components::admin_only::AdminOnly;
use crate::components::form_error::FormError;
use crate::form_fields::{non_empty, number};
use crate::format;
use crate::i18n::{Locale, set_document_title, t_string, td_string, use_i18n};
use crate::notice::use_notices;
use crate::service_config::use_service_config;
use crate::uploads::queue::{self, Stage, UploadQueue};
use crate::uploads::transfer::{self, Transfer};
use crate::uploads::{chosen_file, upload_image};

/// How many files travel at once: enough to hide latency, few enough not
/// to starve each other on a home connection.
const PARALLEL_UPLOADS: usize = 3;

/// What the page keeps about its uploads. `Copy`: every handle is arena-backed.
#[derive(Clone, Copy)]
struct Uploads {
    queue: RwSignal<UploadQueue>,
    /// The file and the media type announced for it, by queue id.
    files: StoredValue<HashMap<u32, (web_sys::File, String)>, LocalStorage>,
    transfers: StoredValue<HashMap<u32, Transfer>, LocalStorage>,
    /// What the API read from each verified file.
    completed: RwSignal<HashMap<u32, CompletedUpload>>,
}

impl Uploads {
    fn new() -> Self {
        Self {
            queue: RwSignal::new(UploadQueue::new(PARALLEL_UPLOADS)),
            files: StoredValue::new_local(HashMap::new()),
            transfers: StoredValue::new_local(HashMap::new()),
            completed: RwSignal::new(HashMap::new()),
        }
    }

    /// Queues the files, refusing at once those the server would refuse by
    /// their size or type, and starts as many as there are free slots.
    fn add(self, list: &web_sys::FileList, limits: Option<&UploadLimits>, l: Locale) {
        let fallback_types: Vec<String> = [
            "audio/mpeg",
            "audio/mp4",
            "audio/aac",
            "audio/ogg",
            "audio/opus",
            "audio/flac",
            "audio/wav",
        ]
        .map(str::to_owned)
        .to_vec();
        let accepted = limits.map_or(&fallback_types, |limits| &limits.audio_content_types);
        for index in 0..list.length() {
            let Some(file) = list.get(index) else {
                continue;
            };
            let size = file.size() as u64;
            let content_type = queue::audio_content_type(&file.name(), &file.type_(), accepted);
            let refusal = match (&content_type, limits) {
                (None, _) => Some(td_string!(l, admin.not_audio).to_owned()),
                (Some(_), Some(limits)) if size > limits.audio_max_bytes => Some(format!(
                    "{} {} ({}).",
                    td_string!(l, admin.too_large),
                    format::bytes(limits.audio_max_bytes),
                    format::bytes(size)
                )),
                _ => None,
            };
            let id = self
                .queue
                .try_update(|queue| queue.add(file.name(), size, refusal))
                .unwrap_or_default();
            if let Some(content_type) = content_type {
                self.files.update_value(|files| {
                    files.insert(id, (file, content_type));
                });
            }
        }
        self.pump();
    }

    /// Starts waiting files while slots are free.
    fn pump(self) {
        let started = self
            .queue
            .try_update(|queue| queue.start_next(js_sys::Date::now()))
            .unwrap_or_default();
        for start in started {
            leptos::task::spawn_local(async move {
                self.run(start.id, start.attempt).await;
                self.pump();
            });
        }
    }

    fn is_current(self, id: u32, attempt: u32) -> bool {
        self.queue
            .with_untracked(|queue| queue.is_current(id, attempt))
    }

    fn fail(self, id: u32, attempt: u32, reason: String) {
        self.queue.update(|queue| queue.failed(id, attempt, reason));
    }

    /// One attempt: a ticket, the bytes, then verification.
    async fn run(self, id: u32, attempt: u32) {
        let Some((file, content_type)) = self.files.with_value(|files| files.get(&id).cloned())
        else {
            return;
        };
        let request = CreateUploadRequest {
            kind: UploadKind::Audio,
            content_type,
            size: file.size() as u64,
            filename: Some(file.name()),
        };
        let ticket: UploadTicket = match api::send(Method::Post, "/api/v1/uploads", &request).await
        {
            Ok(ticket) => ticket,
            Err(error) => return self.fail(id, attempt, error.to_string()),
        };
        if !self.is_current(id, attempt) {
            return;
        }
        let queue = self.queue;
        let on_progress = move |sent: u64| {
            queue.update(|queue| queue.progress(id, attempt, sent));
        };
        let (handle, outcome) = match transfer::send(&ticket, &file, on_progress) {
            Ok(started) => started,
            Err(reason) => return self.fail(id, attempt, reason),
        };
        self.transfers.update_value(|transfers| {
            transfers.insert(id, handle);
        });
        let sent = outcome.await;
        self.transfers.update_value(|transfers| {
            transfers.remove(&id);
        });
        if let Err(reason) = sent {
            return self.fail(id, attempt, reason);
        }
        self.queue
            .update(|queue| queue.sent(id, attempt, js_sys::Date::now()));
        let path = format!("/api/v1/uploads/{}/complete", api::encode(&ticket.id));
        match api::post_empty::<CompletedUpload>(&path).await {
            Ok(completed) if self.is_current(id, attempt) => {
                self.completed.update(|all| {
                    all.insert(id, completed);
                });
                self.queue.update(|queue| queue.verified(id, attempt));
            }
            Ok(_) => {}
            Err(error) => self.fail(id, attempt, error.to_string()),
        }
    }

    fn cancel(self, id: u32) {
        let was_travelling = self.queue.try_update(|queue| queue.cancel(id)) == Some(true);
        if was_travelling {
            self.transfers.with_value(|transfers| {
                if let Some(transfer) = transfers.get(&id) {
                    transfer.abort();
                }
            });
        }
        self.pump();
    }

    fn retry(self, id: u32) {
        self.queue.update(|queue| queue.retry(id));
        self.pump();
    }
}

#[component]
pub fn UploadPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.upload_heading));
    view! {
        <AdminOnly>
            <UploadArea />
        </AdminOnly>
    }
}

#[component]
fn UploadArea() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_service_config();
    let uploads = Uploads::new();
    let dragging = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let limits = move || {
        config
            .get()
            .and_then(Result::ok)
            .map(|config| config.uploads)
    };
    let take = move |list: Option<web_sys::FileList>| {
        if let Some(list) = list {
            uploads.add(&list, limits().as_ref(), i18n.get_locale_untracked());
        }
    };
    let ids = move || {
        uploads.queue.with(|queue| {
            queue
                .entries
                .iter()
                .map(|entry| entry.id)
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, admin.upload_heading)}</h1>
            <button
                type="button"
                class="drop-zone"
                class:drop-zone-active=move || dragging.get()
                aria-label=move || t_string!(i18n, admin.upload)
                aria-describedby="drop-hint"
                on:click=move |_| {
                    if let Some(input) = input.get() {
                        input.click();
                    }
                }
                on:dragenter=move |event| {
                    event.prevent_default();
                    dragging.set(true);
                }
                on:dragover=move |event| event.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |event: leptos::ev::DragEvent| {
                    event.prevent_default();
                    dragging.set(false);
                    take(event.data_transfer().and_then(|transfer| transfer.files()));
                }
            >
                <span class="drop-zone-title" aria-hidden="true">{move || t_string!(i18n, admin.upload)}</span>
                <span class="muted" id="drop-hint">
                    {move || t_string!(i18n, admin.drop_hint)} " " {move || t_string!(i18n, admin.up_to)} " "
                    {move || limits().map(|limits| format::bytes(limits.audio_max_bytes)).unwrap_or_default()}
                    "."
                </span>
            </button>
            <input
                type="file"
                class="visually-hidden"
                tabindex="-1"
                aria-hidden="true"
                multiple
                accept="audio/*,.mp3,.m4a,.aac,.ogg,.opus,.flac,.wav"
                node_ref=input
                on:change=move |event| {
                    let target = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
                    if let Some(target) = target {
                        take(target.files());
                        // The same files can be chosen again later.
                        target.set_value("");
                    }
                }
            />
            <ul class="upload-list" aria-label=move || t_string!(i18n, admin.files_label)>
                <For each=ids key=|id| *id let:id>
                    <UploadRow uploads id />
                </For>
            </ul>
        </div>
    }
}

#[component]
fn UploadRow(uploads: Uploads, id: u32) -> impl IntoView {
    let i18n = use_i18n();
    let entry = Memo::new(move |_| uploads.queue.with(|queue| queue.get(id).cloned()));
    let completed = Memo::new(move |_| uploads.completed.with(|all| all.get(&id).cloned()));
    let name = entry.with_untracked(|entry| entry.as_ref().map(|entry| entry.name.clone()));
    let name = name.unwrap_or_default();
    let sent = move || entry.with(|entry| entry.as_ref().map_or(0, |entry| entry.sent()));
    let size = move || entry.with(|entry| entry.as_ref().map_or(0, |entry| entry.size));
    let percent = move || queue::percent(sent(), size());
    let speed = move || {
        entry.with(|entry| match entry {
            Some(entry) => match (&entry.stage, entry.finished) {
                (Stage::Sending { sent, started_ms }, _) => {
                    queue::speed(*sent, js_sys::Date::now() - started_ms)
                }
                (_, Some((bytes, elapsed))) => queue::speed(bytes, elapsed),
                _ => String::new(),
            },
            None => String::new(),
        })
    };
    let stage = move || entry.with(|entry| entry.as_ref().map(|entry| entry.stage.clone()));
    let status = move || {
        let l = i18n.get_locale();
        match stage() {
            Some(Stage::Waiting) => td_string!(l, admin.waiting).to_owned(),
            Some(Stage::Verifying) => td_string!(l, admin.verifying).to_owned(),
            Some(Stage::Ready) => td_string!(l, admin.ready).to_owned(),
            Some(Stage::Saved { .. }) => td_string!(l, admin.saved).to_owned(),
            Some(Stage::Cancelled) => td_string!(l, admin.cancelled).to_owned(),
            Some(Stage::Sending { .. } | Stage::Failed { .. }) | None => String::new(),
        }
    };
    let failure = {
        let name = name.clone();
        move || match stage() {
            Some(Stage::Failed { reason }) => Some(view! {
                <p class="form-error" role="alert">{name.clone()} ": " {reason}</p>
            }),
            _ => None,
        }
    };
    let can_cancel = move || stage().is_some_and(|stage| stage.can_cancel());
    let can_retry = move || stage().is_some_and(|stage| stage.can_retry());
    let saved_song = move || match stage() {
        Some(Stage::Saved { song_id }) => Some(song_id),
        _ => None,
    };
    view! {
        <li class="upload-row card">
            <div class="upload-head">
                <span class="upload-name">{name.clone()}</span>
                <span class="muted small">{move || status()}</span>
            </div>
            <div
                class="progress"
                role="progressbar"
                aria-label=name
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().to_string()
            >
                <div class="progress-fill" style:width=move || format!("{}%", percent())></div>
            </div>
            <p class="upload-numbers muted small">
                <span>{move || format::bytes(sent())} " / " {move || format::bytes(size())}</span>
                " · "
                <span class="upload-percent">{move || percent()} " %"</span>
                {move || {
                    let speed = speed();
                    (!speed.is_empty()).then(|| view! { " · " <span>{speed}</span> })
                }}
            </p>
            {failure}
            <div class="button-row">
                <Show when=can_cancel>
                    <button type="button" class="button button-quiet" on:click=move |_| uploads.cancel(id)>
                        {move || t_string!(i18n, admin.cancel)}
                    </button>
                </Show>
                <Show when=can_retry>
                    <button type="button" class="button" on:click=move |_| uploads.retry(id)>
                        {move || t_string!(i18n, admin.retry)}
                    </button>
                </Show>
                {move || saved_song().map(|song_id| view! {
                    <A href=format!("/admin/songs/{song_id}") attr:class="button button-quiet">{move || t_string!(i18n, admin.edit)}</A>
                })}
            </div>
            {move || completed.get().map(|upload| {
                let on_saved = Callback::new(move |song_id: String| {
                    uploads.queue.update(|queue| queue.saved(id, song_id));
                });
                view! { <NewSongForm upload on_saved /> }
            })}
        </li>
    }
}

/// The metadata of a verified upload, pre-filled from its tags.
#[component]
fn NewSongForm(upload: CompletedUpload, on_saved: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let tags = upload.audio.clone();
    let stem = upload
        .filename
        .as_deref()
        .map(|name| {
            name.rsplit_once('.')
                .map_or(name, |(stem, _)| stem)
                .to_owned()
        })
        .unwrap_or_default();
    let tag = |pick: fn(&soundstream_types::AudioTags) -> Option<String>| {
        tags.as_ref().and_then(pick).unwrap_or_default()
    };
    let title = RwSignal::new(
        tags.as_ref()
            .and_then(|tags| tags.title.clone())
            .unwrap_or(stem),
    );
    let artist = RwSignal::new(tag(|tags| {
        tags.artist.clone().or(tags.album_artist.clone())
    }));
    let album = RwSignal::new(tag(|tags| tags.album.clone()));
    let track = RwSignal::new(tag(|tags| tags.track_number.map(|n| n.to_string())));
    let disc = RwSignal::new(tag(|tags| tags.disc_number.map(|n| n.to_string())));
    let year = RwSignal::new(tag(|tags| tags.year.map(|n| n.to_string())));
    let lyrics = RwSignal::new(String::new());
    let lyrics_language = RwSignal::new(String::new());
    let cover = StoredValue::new_local(None::<web_sys::File>);
    let embedded_cover = tags.as_ref().and_then(|tags| tags.cover.clone());
    let duration = tags.as_ref().map_or(0, |tags| tags.duration_ms);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let upload_id = upload.id;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let upload_id = upload_id.clone();
        leptos::task::spawn_local(async move {
            let result = async {
                let cover_upload_id = match cover.get_value() {
                    Some(file) => Some(upload_image(&file).await?),
                    None => None,
                };
                let lyrics = non_empty(&lyrics.get_untracked());
                let request = CreateSongRequest {
                    upload_id,
                    title: non_empty(&title.get_untracked()),
                    artist: non_empty(&artist.get_untracked()),
                    album: non_empty(&album.get_untracked()),
                    track_number: number(&track.get_untracked()),
                    disc_number: number(&disc.get_untracked()),
                    year: number(&year.get_untracked()),
                    // The form has no genre field yet: the tagged genre is kept.
                    genre: None,
                    cover_upload_id,
                    lyrics_language: lyrics
                        .as_ref()
                        .and_then(|_| non_empty(&lyrics_language.get_untracked())),
                    lyrics,
                };
                api::send::<_, Song>(Method::Post, "/api/v1/songs", &request).await
            }
            .await;
            match result {
                Ok(song) => {
                    saved.set(true);
                    notices.info(format!(
                        "{} {}",
                        t_string!(i18n, admin.song_saved),
                        song.title
                    ));
                    on_saved.run(song.id);
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let locked = move || busy.get() || saved.get();
    view! {
        <form class="form song-form" on:submit=submit>
            <div class="song-form-grid">
                <label class="field">
                    <span>{move || t_string!(i18n, title)}</span>
                    <input type="text" required maxlength="200" bind:value=title prop:disabled=locked />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, artist)}</span>
                    <input type="text" maxlength="200" bind:value=artist prop:disabled=locked />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, album)}</span>
                    <input type="text" maxlength="200" bind:value=album prop:disabled=locked />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.track_number)}</span>
                    <input type="number" min="1" max="999" bind:value=track prop:disabled=locked />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.disc_number)}</span>
                    <input type="number" min="1" max="99" bind:value=disc prop:disabled=locked />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.year)}</span>
                    <input type="number" min="1000" max="9999" bind:value=year prop:disabled=locked />
                </label>
            </div>
            <p class="muted small">{move || t_string!(i18n, admin.duration)} ": " {format::clock(duration as f64)}</p>
            <div class="cover-row">
                {embedded_cover.map(|cover| view! {
                    <figure class="cover-preview">
                        <img src=api::media_url(&cover.url) alt=move || t_string!(i18n, admin.cover_from_file) width="96" height="96" />
                        <figcaption class="muted small">{move || t_string!(i18n, admin.cover_from_file)}</figcaption>
                    </figure>
                })}
                <label class="field">
                    <span>{move || t_string!(i18n, admin.new_cover)}</span>
                    <input type="file" accept="image/jpeg,image/png,image/webp" prop:disabled=locked
                        on:change=move |event| cover.set_value(chosen_file(&event)) />
                </label>
            </div>
            <label class="field">
                <span>{move || t_string!(i18n, admin.lyrics)}</span>
                <textarea rows="3" bind:value=lyrics prop:disabled=locked></textarea>
            </label>
            <label class="field">
                <span>{move || t_string!(i18n, admin.lyrics_language)}</span>
                <input type="text" maxlength="35" placeholder="en" pattern="[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*"
                    bind:value=lyrics_language prop:disabled=locked />
            </label>
            {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, admin.save_failed) error /> })}
            <Show when=move || !saved.get()>
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || if busy.get() { t_string!(i18n, admin.saving) } else { t_string!(i18n, admin.save_song) }}
                </button>
            </Show>
        </form>
    }
}
