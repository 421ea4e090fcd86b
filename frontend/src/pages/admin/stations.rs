//! `/admin/stations`: make, edit and delete radio stations. A new source
//! takes effect at a song boundary (the API decides which); the page only
//! says so.

use leptos::prelude::*;
use soundstream_types::{
    CreateStationRequest, Page, Playlist, Station, StationSource, UpdateStationRequest,
};

use crate::api::{self, ApiError, Method};
use crate::components::admin_only::AdminOnly;
use crate::components::form_error::FormError;
use crate::components::loaded::Loaded;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

#[component]
pub fn StationsPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.stations_heading));
    view! {
        <AdminOnly>
            <Stations />
        </AdminOnly>
    }
}

async fn stations() -> Result<Vec<Station>, ApiError> {
    api::get::<Page<Station>>("/api/v1/stations?limit=100")
        .await
        .map(|page| page.items)
}

async fn playlists() -> Result<Vec<Playlist>, ApiError> {
    api::get::<Page<Playlist>>("/api/v1/playlists?limit=100")
        .await
        .map(|page| page.items)
}

/// The form's fields; `editing` names the station being edited.
#[derive(Debug, Clone, Copy)]
struct Form {
    editing: RwSignal<Option<String>>,
    name: RwSignal<String>,
    description: RwSignal<String>,
    kind: RwSignal<String>,
    playlist: RwSignal<String>,
    genre: RwSignal<String>,
    public: RwSignal<bool>,
}

impl Form {
    fn new() -> Self {
        Self {
            editing: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            kind: RwSignal::new("library".into()),
            playlist: RwSignal::new(String::new()),
            genre: RwSignal::new(String::new()),
            public: RwSignal::new(true),
        }
    }

    fn load(self, station: &Station) {
        self.editing.set(Some(station.id.clone()));
        self.name.set(station.name.clone());
        self.description
            .set(station.description.clone().unwrap_or_default());
        self.public.set(station.is_public);
        let (kind, playlist, genre) = match &station.source {
            StationSource::Playlist { playlist_id } => ("playlist", playlist_id.clone(), ""),
            StationSource::PlaylistShuffled { playlist_id } => {
                ("playlist_shuffled", playlist_id.clone(), "")
            }
            StationSource::Library => ("library", String::new(), ""),
            StationSource::Genre { genre } => ("genre", String::new(), genre.as_str()),
        };
        self.kind.set(kind.into());
        self.playlist.set(playlist);
        self.genre.set(genre.into());
    }

    fn clear(self) {
        let fresh = Self::new();
        self.editing.set(None);
        self.name.set(fresh.name.get_untracked());
        self.description.set(String::new());
        self.kind.set("library".into());
        self.playlist.set(String::new());
        self.genre.set(String::new());
        self.public.set(true);
    }

    fn source(self) -> StationSource {
        let playlist_id = self.playlist.get_untracked();
        match self.kind.get_untracked().as_str() {
            "playlist" => StationSource::Playlist { playlist_id },
            "playlist_shuffled" => StationSource::PlaylistShuffled { playlist_id },
            "genre" => StationSource::Genre {
                genre: self.genre.get_untracked().trim().to_owned(),
            },
            _ => StationSource::Library,
        }
    }
}

#[component]
fn Stations() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(stations);
    let playlist_choices = LocalResource::new(playlists);
    let form = Form::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let description = form.description.get_untracked().trim().to_owned();
        let editing = form.editing.get_untracked();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result: Result<Station, ApiError> = match editing {
                Some(id) => {
                    let request = UpdateStationRequest {
                        name: Some(form.name.get_untracked().trim().to_owned()),
                        description: Some((!description.is_empty()).then_some(description)),
                        source: Some(form.source()),
                        is_public: Some(form.public.get_untracked()),
                        cover_upload_id: None,
                    };
                    api::send(
                        Method::Patch,
                        &format!("/api/v1/stations/{}", api::encode(&id)),
                        &request,
                    )
                    .await
                }
                None => {
                    let request = CreateStationRequest {
                        name: form.name.get_untracked().trim().to_owned(),
                        description: (!description.is_empty()).then_some(description),
                        source: form.source(),
                        is_public: form.public.get_untracked(),
                        cover_upload_id: None,
                    };
                    api::send(Method::Post, "/api/v1/stations", &request).await
                }
            };
            busy.set(false);
            match result {
                Ok(_) => {
                    form.clear();
                    list.refetch();
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let delete = move |id: String| {
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/stations/{}", api::encode(&id));
            match api::send_empty::<()>(Method::Delete, &path, None).await {
                Ok(()) => list.refetch(),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let needs_playlist = move || form.kind.with(|kind| kind.starts_with("playlist"));
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, admin.stations_heading)}</h1>
            <form class="form station-form" on:submit=submit>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.station_name)}</span>
                    <input type="text" required prop:value=move || form.name.get()
                        on:input=move |event| form.name.set(event_target_value(&event)) />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.station_description)}</span>
                    <textarea prop:value=move || form.description.get()
                        on:input=move |event| form.description.set(event_target_value(&event))></textarea>
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, admin.station_source)}</span>
                    <select prop:value=move || form.kind.get()
                        on:change=move |event| form.kind.set(event_target_value(&event))>
                        <option value="library">{move || t_string!(i18n, admin.source_library)}</option>
                        <option value="playlist">{move || t_string!(i18n, admin.source_playlist)}</option>
                        <option value="playlist_shuffled">{move || t_string!(i18n, admin.source_playlist_shuffled)}</option>
                        <option value="genre">{move || t_string!(i18n, admin.source_genre)}</option>
                    </select>
                </label>
                <Show when=needs_playlist>
                    <label class="field">
                        <span>{move || t_string!(i18n, admin.station_playlist)}</span>
                        <select prop:value=move || form.playlist.get()
                            on:change=move |event| form.playlist.set(event_target_value(&event))>
                            <option value="">"—"</option>
                            {move || playlist_choices.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|playlist| view! {
                                <option value=playlist.id>{playlist.name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || form.kind.with(|kind| kind == "genre")>
                    <label class="field">
                        <span>{move || t_string!(i18n, admin.station_genre)}</span>
                        <input type="text" prop:value=move || form.genre.get()
                            on:input=move |event| form.genre.set(event_target_value(&event)) />
                    </label>
                </Show>
                <label class="field-inline">
                    <input type="checkbox" prop:checked=move || form.public.get()
                        on:change=move |event| form.public.set(event_target_checked(&event)) />
                    <span>{move || t_string!(i18n, admin.station_public)}</span>
                </label>
                <p class="muted small">{move || t_string!(i18n, admin.station_boundary_note)}</p>
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || busy.get()>
                        {move || if form.editing.with(Option::is_some) {
                            t_string!(i18n, admin.station_save)
                        } else {
                            t_string!(i18n, admin.station_create)
                        }}
                    </button>
                    <Show when=move || form.editing.with(Option::is_some)>
                        <button type="button" class="button" on:click=move |_| form.clear()>
                            {move || t_string!(i18n, admin.station_cancel)}
                        </button>
                    </Show>
                </div>
                {move || error.get().map(|error| view! {
                    <FormError what=t_string!(i18n, admin.station_failed) error />
                })}
            </form>
            <Loaded resource=list what={|l| td_string!(l, admin.stations_failed)} min_height="4rem" render={move |list: Vec<Station>| {
                view! {
                    <ul class="station-list">
                        {list.into_iter().map(|station| {
                            let id = station.id.clone();
                            let edit_label = format!("{} {}", t_string!(i18n, admin.station_edit), station.name);
                            let delete_label = format!("{} {}", t_string!(i18n, admin.station_delete), station.name);
                            let name = station.name.clone();
                            view! {
                                <li class="station-row">
                                    <span>{name}</span>
                                    <button type="button" class="text-button" aria-label=edit_label
                                        on:click=move |_| form.load(&station)>
                                        {move || t_string!(i18n, admin.station_edit)}
                                    </button>
                                    <button type="button" class="text-button" aria-label=delete_label
                                        on:click=move |_| delete(id.clone())>
                                        {move || t_string!(i18n, admin.station_delete)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            }} />
        </div>
    }
}
