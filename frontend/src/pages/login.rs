//! Signing in: password or face (webcam capture with a preview, or a
//! picture file), and registration.

use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::{FaceLoginRequest, LoginRequest, RegisterRequest};

use crate::api::ApiError;
use crate::auth;
use crate::components::face_capture::FaceCapture;
use crate::components::form_error::FormError;
use crate::components::icons::LogoIcon;
use crate::components::language_select::LanguageSelect;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::service_config::use_service_config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Password,
    Face,
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    set_document_title(|l| td_string!(l, log_in));
    let config = use_service_config();
    let face_enabled =
        move || matches!(config.get(), Some(Ok(config)) if config.features.face_login.enabled);
    let tab = RwSignal::new(Tab::Password);
    view! {
        <div class="auth-card">
            <p class="brand"><LogoIcon /> <span>{move || t_string!(i18n, app_name)}</span></p>
            <h1>{move || t_string!(i18n, log_in_heading)}</h1>
            <Show when=face_enabled>
                <div class="tabs" role="tablist">
                    <button type="button" role="tab" id="tab-password" aria-controls="panel-login"
                        aria-selected=move || (tab.get() == Tab::Password).to_string()
                        on:click=move |_| tab.set(Tab::Password)>{move || t_string!(i18n, password_tab)}</button>
                    <button type="button" role="tab" id="tab-face" aria-controls="panel-login"
                        aria-selected=move || (tab.get() == Tab::Face).to_string()
                        on:click=move |_| tab.set(Tab::Face)>{move || t_string!(i18n, face_tab)}</button>
                </div>
            </Show>
            <div id="panel-login">
                {move || match tab.get() {
                    Tab::Face if face_enabled() => view! { <FaceLoginForm /> }.into_any(),
                    _ => view! { <PasswordLoginForm /> }.into_any(),
                }}
            </div>
            <p class="muted">
                {move || t_string!(i18n, no_account)} " "
                <A href="/register" attr:class="text-link">{move || t_string!(i18n, register)}</A>
            </p>
            <LanguageSelect />
        </div>
    }
}

/// Signs in with what `path` answers for `request`, or shows why not.
fn sign_in_with<R: serde::Serialize + 'static>(
    path: &'static str,
    request: R,
    error: RwSignal<Option<ApiError>>,
    busy: RwSignal<bool>,
) {
    leptos::task::spawn_local(async move {
        if let Err(failure) = auth::sign_in_with(path, &request).await {
            error.set(Some(failure));
            busy.set(false);
        }
    });
}

#[component]
fn PasswordLoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let request = LoginRequest {
            login: login.get_untracked(),
            password: password.get_untracked(),
        };
        sign_in_with("/api/v1/auth/login", request, error, busy);
    };
    view! {
        <form class="form" on:submit=submit>
            <label class="field">
                <span>{move || t_string!(i18n, username_or_email)}</span>
                <input type="text" name="username" autocomplete="username" required
                    bind:value=login />
            </label>
            <label class="field">
                <span>{move || t_string!(i18n, password)}</span>
                <input type="password" name="password" autocomplete="current-password" required
                    bind:value=password />
            </label>
            {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, login_failed) error /> })}
            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, signing_in) } else { t_string!(i18n, log_in) }}
            </button>
        </form>
    }
}

#[component]
fn FaceLoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let image = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let missing = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(picture) = image.get_untracked() else {
            missing.set(true);
            return;
        };
        missing.set(false);
        busy.set(true);
        error.set(None);
        let request = FaceLoginRequest {
            username: username.get_untracked(),
            image: picture,
        };
        sign_in_with("/api/v1/auth/face-login", request, error, busy);
    };
    view! {
        <form class="form" on:submit=submit>
            <label class="field">
                <span>{move || t_string!(i18n, username)}</span>
                <input type="text" name="username" autocomplete="username" required bind:value=username />
            </label>
            <FaceCapture image />
            <Show when=move || missing.get()>
                <p class="form-error" role="alert">{move || t_string!(i18n, face_photo_needed)}</p>
            </Show>
            {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, login_failed) error /> })}
            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, signing_in) } else { t_string!(i18n, log_in_with_face) }}
            </button>
        </form>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    set_document_title(|l| td_string!(l, register));
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let name = display_name.get_untracked();
        let request = RegisterRequest {
            username: username.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            display_name: (!name.trim().is_empty()).then_some(name),
        };
        sign_in_with("/api/v1/auth/register", request, error, busy);
    };
    view! {
        <div class="auth-card">
            <p class="brand"><LogoIcon /> <span>{move || t_string!(i18n, app_name)}</span></p>
            <h1>{move || t_string!(i18n, register_heading)}</h1>
            <form class="form" on:submit=submit>
                <label class="field">
                    <span>{move || t_string!(i18n, username)}</span>
                    <input type="text" name="username" autocomplete="username" required minlength="3" maxlength="32" bind:value=username />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, email)}</span>
                    <input type="email" name="email" autocomplete="email" required bind:value=email />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, display_name)}</span>
                    <input type="text" name="display_name" autocomplete="name" bind:value=display_name />
                </label>
                <label class="field">
                    <span>{move || t_string!(i18n, password)}</span>
                    <input type="password" name="password" autocomplete="new-password" required minlength="8" bind:value=password />
                </label>
                {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, register_failed) error /> })}
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || t_string!(i18n, register)}
                </button>
            </form>
            <p class="muted">
                {move || t_string!(i18n, have_account)} " "
                <A href="/" attr:class="text-link">{move || t_string!(i18n, log_in)}</A>
            </p>
            <LanguageSelect />
        </div>
    }
}
