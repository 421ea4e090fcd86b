//! `/profile`: display name and preferred language, avatar, password and
//! face enrolment. Part of the whole player only (`whole_player`); the
//! playback settings are on `/settings`, in the listener's bundle too.

use leptos::prelude::*;
use soundstream_types::{
    ChangePasswordRequest, ConfirmRequest, Confirmation, FaceEnrolment, UpdateMeRequest, User,
};

use crate::api::{self, ApiError, Method};
use crate::auth::{self, use_auth};
use crate::components::face_capture::{FaceCapture, data_url_bytes};
use crate::components::loaded::Loaded;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::notice::use_notices;
use crate::service_config::use_service_config;
use crate::uploads::{chosen_file, upload_image};

#[component]
pub fn ProfilePage() -> impl IntoView {
    set_document_title(|l| td_string!(l, profile_heading));
    let i18n = use_i18n();
    let me = LocalResource::new(|| api::get::<User>("/api/v1/me"));
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, profile_heading)}</h1>
            <Loaded resource=me what={|l| td_string!(l, profile_failed)} min_height="10rem" render={move |user: User| {
                auth::update_user(user.clone());
                view! {
                    <div class="card-grid">
                        <DetailsForm user=user />
                        <AvatarCard />
                        <PasswordForm />
                        <FaceCard />
                    </div>
                }
            }} />
        </div>
    }
}

#[component]
fn DetailsForm(user: User) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let config = use_service_config();
    let display_name = RwSignal::new(user.display_name.clone());
    let language = RwSignal::new(user.preferred_language.clone().unwrap_or_default());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let languages = move || {
        let mut langs: Vec<String> = match config.get() {
            Some(Ok(config)) => config
                .languages
                .translation
                .into_iter()
                .chain(config.languages.interface)
                .collect(),
            _ => vec!["en".to_owned(), "es".to_owned()],
        };
        langs.sort();
        langs.dedup();
        langs
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let lang = language.get_untracked();
        let request = UpdateMeRequest {
            display_name: Some(display_name.get_untracked()),
            preferred_language: Some((!lang.is_empty()).then_some(lang)),
            avatar_upload_id: None,
        };
        leptos::task::spawn_local(async move {
            match api::send::<_, User>(Method::Patch, "/api/v1/me", &request).await {
                Ok(user) => {
                    auth::update_user(user);
                    notices.info(t_string!(i18n, saved));
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="profile-details">
            <h2 class="card-title" id="profile-details">{move || t_string!(i18n, profile_heading)}</h2>
            <p class="muted small">{user.username.clone()} " · " {user.email}</p>
            <form class="form" on:submit=submit>
                <label class="field">
                    <span>{move || t_string!(i18n, display_name)}</span>
                    <input type="text" required maxlength="64" bind:value=display_name />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, preferred_language)}</span>
                    <select prop:value=move || language.get() on:change=move |event| language.set(event_target_value(&event))>
                        // Each option says whether it is the one: the list
                        // changes when the server's languages arrive, and a
                        // select's own value would not survive that.
                        <option value="" selected=move || language.with(String::is_empty)>{move || t_string!(i18n, not_set)}</option>
                        {move || languages().into_iter().map(|lang| {
                            let (chosen, label) = (lang.clone(), lang.clone());
                            view! { <option value=lang selected=move || language.with(|current| *current == chosen)>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {move || error.get().map(|error| view! { <p class="form-error" role="alert">{t_string!(i18n, save_failed)} " " {error.to_string()}</p> })}
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{move || t_string!(i18n, save)}</button>
            </form>
        </section>
    }
}

#[component]
fn AvatarCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let notices = use_notices();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let file = StoredValue::new_local(None::<web_sys::File>);
    let set_avatar = move |upload: Option<String>| {
        leptos::task::spawn_local(async move {
            let request = UpdateMeRequest {
                avatar_upload_id: Some(upload),
                ..Default::default()
            };
            match api::send::<_, User>(Method::Patch, "/api/v1/me", &request).await {
                Ok(user) => {
                    auth::update_user(user);
                    notices.info(t_string!(i18n, saved));
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let upload = move |_| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match upload_image(&chosen).await {
                Ok(id) => set_avatar(Some(id)),
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    let avatar = move || {
        auth.user
            .with(|user| user.as_ref().and_then(|user| user.avatar_url.clone()))
    };
    view! {
        <section class="card" aria-labelledby="profile-avatar">
            <h2 class="card-title" id="profile-avatar">{move || t_string!(i18n, avatar)}</h2>
            <div class="avatar-frame">
                {move || avatar().map(|url| view! { <img class="avatar" src=api::media_url(&url) alt=t_string!(i18n, avatar) width="96" height="96" /> })}
            </div>
            <label class="field">
                <span>{move || t_string!(i18n, avatar)}</span>
                <input type="file" accept="image/jpeg,image/png,image/webp" on:change=move |event| file.set_value(chosen_file(&event)) />
            </label>
            <div class="button-row">
                <button type="button" class="button" disabled=move || busy.get() on:click=upload>
                    {move || if busy.get() { t_string!(i18n, uploading) } else { t_string!(i18n, upload) }}
                </button>
                <Show when=move || avatar().is_some()>
                    <button type="button" class="button button-quiet" disabled=move || busy.get()
                        on:click=move |_| { busy.set(true); set_avatar(None); }>{move || t_string!(i18n, remove)}</button>
                </Show>
            </div>
            {move || error.get().map(|error| view! { <p class="form-error" role="alert">{t_string!(i18n, save_failed)} " " {error.to_string()}</p> })}
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::send_empty(Method::Put, "/api/v1/me/password", Some(&request)).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    notices.info(t_string!(i18n, password_changed));
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="profile-password">
            <h2 class="card-title" id="profile-password">{move || t_string!(i18n, change_password)}</h2>
            <form class="form" on:submit=submit>
                <label class="field">
                    <span>{move || t_string!(i18n, current_password)}</span>
                    <input type="password" autocomplete="current-password" required bind:value=current />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, new_password)}</span>
                    <input type="password" autocomplete="new-password" required minlength="8" bind:value=new />
                </label>
                {move || error.get().map(|error| {
                    let fields = error.field_errors();
                    view! {
                        <div class="form-error" role="alert">
                            <p>{t_string!(i18n, save_failed)} " " {error.to_string()}</p>
                            <ul>{fields.into_iter().map(|field| view! { <li>{field.message}</li> }).collect_view()}</ul>
                        </div>
                    }
                })}
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{move || t_string!(i18n, change_password)}</button>
            </form>
        </section>
    }
}

#[component]
fn FaceCard() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_service_config();
    let enabled =
        move || matches!(config.get(), Some(Ok(config)) if config.features.face_login.enabled);
    view! {
        <section class="card" aria-labelledby="profile-face">
            <h2 class="card-title" id="profile-face">{move || t_string!(i18n, face_enrolment)}</h2>
            <Show when=enabled fallback=move || view! { <p class="muted">{move || t_string!(i18n, face_disabled)}</p> }>
                <FaceEnrolmentForm />
            </Show>
        </section>
    }
}

/// Confirms the password for this session ("sudo mode"), as changing face
/// login requires; it also resumes an enrolment paused by a password
/// change or signing out everywhere.
async fn confirm_password(password: String) -> Result<Confirmation, ApiError> {
    api::send(
        Method::Post,
        "/api/v1/auth/confirm",
        &ConfirmRequest { password },
    )
    .await
}

#[component]
fn FaceEnrolmentForm() -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let status = LocalResource::new(|| api::get::<FaceEnrolment>("/api/v1/me/face"));
    let image = RwSignal::new(None::<String>);
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let resume = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match confirm_password(password.get_untracked()).await {
                Ok(_) => status.refetch(),
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let enrol = move |_| {
        let Some(data_url) = image.get_untracked() else {
            notices.error(t_string!(i18n, face_photo_needed), "");
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = async {
                confirm_password(password.get_untracked()).await?;
                let (content_type, bytes) =
                    data_url_bytes(&data_url).ok_or_else(|| ApiError::Decode {
                        message: "the picture could not be read".into(),
                    })?;
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&array))
                    .map_err(|_| ApiError::Decode {
                    message: "blob".into(),
                })?;
                api::send_blob::<FaceEnrolment>(
                    Method::Put,
                    "/api/v1/me/face",
                    &blob,
                    &content_type,
                )
                .await
            }
            .await;
            match result {
                Ok(_) => {
                    image.set(None);
                    password.set(String::new());
                    notices.info(t_string!(i18n, saved));
                    status.refetch();
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let remove = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = async {
                confirm_password(password.get_untracked()).await?;
                api::send_empty::<()>(Method::Delete, "/api/v1/me/face", None).await
            }
            .await;
            match result {
                Ok(()) => {
                    password.set(String::new());
                    status.refetch();
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    view! {
        <Loaded resource=status what={|l| td_string!(l, profile_failed)} render={move |status: FaceEnrolment| {
            if status.enrolled {
                let paused = status.needs_confirmation;
                view! {
                    <p>{t_string!(i18n, face_enrolled_since)} " " {status.enrolled_at.unwrap_or_default()}</p>
                    <Show when=move || paused>
                        <p class="muted">{t_string!(i18n, face_paused)}</p>
                        <button type="button" class="button button-quiet" disabled=move || busy.get() on:click=resume>{t_string!(i18n, face_resume)}</button>
                    </Show>
                    <button type="button" class="button button-quiet" disabled=move || busy.get() on:click=remove>{t_string!(i18n, remove_face)}</button>
                }.into_any()
            } else {
                view! { <p class="muted">{t_string!(i18n, face_not_enrolled)}</p> }.into_any()
            }
        }} />
        <FaceCapture image />
        <label class="field">
            <span>{move || t_string!(i18n, face_confirm_password)}</span>
            <input type="password" autocomplete="current-password" bind:value=password />
        </label>
        {move || error.get().map(|error| {
            // The API's quality messages (no face, blurry, too dark…) are in the detail and field errors.
            let fields = error.field_errors();
            view! {
                <div class="form-error" role="alert">
                    <p>{t_string!(i18n, save_failed)} " " {error.to_string()}</p>
                    <ul>{fields.into_iter().map(|field| view! { <li>{field.message}</li> }).collect_view()}</ul>
                </div>
            }
        })}
        <button type="button" class="button button-primary" disabled=move || busy.get() on:click=enrol>{move || t_string!(i18n, enrol_face)}</button>
    }
}
