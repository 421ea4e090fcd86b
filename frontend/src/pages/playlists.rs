//! `/playlists`: create a playlist, the listener's own and everyone's
//! public ones.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use soundstream_types::{CreatePlaylistRequest, Playlist};

use crate::api::ApiError;
use crate::auth::use_auth;
use crate::components::loaded::Loaded;
use crate::components::playlist_cards::PlaylistCards;
use crate::components::playlist_fields::PlaylistFields;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::playlists;

#[component]
pub fn PlaylistsPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, playlists_heading));
    let i18n = use_i18n();
    let auth = use_auth();
    let mine = LocalResource::new(playlists::mine);
    let visible = LocalResource::new(playlists::visible);
    let me = move || {
        auth.user
            .with(|user| user.as_ref().map(|user| user.id.clone()))
    };
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, playlists_heading)}</h1>
            <CreatePlaylistForm />
            <section class="home-section" aria-labelledby="playlists-mine">
                <h2 id="playlists-mine">{move || t_string!(i18n, your_playlists)}</h2>
                <Loaded resource=mine what={|l| td_string!(l, playlists_failed)} min_height="4rem" render={move |list: Vec<Playlist>| {
                    if list.is_empty() {
                        view! { <p class="muted">{t_string!(i18n, no_playlists)}</p> }.into_any()
                    } else {
                        view! { <PlaylistCards playlists=list /> }.into_any()
                    }
                }} />
            </section>
            <section class="home-section" aria-labelledby="playlists-public">
                <h2 id="playlists-public">{move || t_string!(i18n, public_playlists)}</h2>
                <Loaded resource=visible what={|l| td_string!(l, playlists_failed)} min_height="4rem" render={move |list: Vec<Playlist>| {
                    let me = me();
                    let others: Vec<Playlist> = list
                        .into_iter()
                        .filter(|playlist| Some(&playlist.owner.id) != me.as_ref())
                        .collect();
                    if others.is_empty() {
                        view! { <p class="muted">{t_string!(i18n, no_public_playlists)}</p> }.into_any()
                    } else {
                        view! { <PlaylistCards playlists=others /> }.into_any()
                    }
                }} />
            </section>
        </div>
    }
}

/// Name, description and whether others may see it; opens the new playlist.
#[component]
fn CreatePlaylistForm() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let public = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let description = description.get_untracked().trim().to_owned();
        let request = CreatePlaylistRequest {
            name: name.get_untracked().trim().to_owned(),
            description: (!description.is_empty()).then_some(description),
            is_public: public.get_untracked(),
            cover_upload_id: None,
        };
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match playlists::create(&request).await {
                Ok(playlist) => {
                    navigate(&format!("/playlists/{}", playlist.id), Default::default())
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                    busy.try_set(false);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="playlist-new">
            <h2 class="card-title" id="playlist-new">{move || t_string!(i18n, new_playlist)}</h2>
            <form class="form" on:submit=submit>
                <PlaylistFields name description public />
                {move || error.get().map(|error| view! { <p class="form-error" role="alert">{t_string!(i18n, create_failed)} " " {error.to_string()}</p> })}
                <div class="button-row">
                    <button type="submit" class="button button-primary" disabled=move || busy.get()>{move || t_string!(i18n, create)}</button>
                </div>
            </form>
        </section>
    }
}
