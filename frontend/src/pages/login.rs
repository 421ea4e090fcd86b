//! Signing in: password or face (webcam capture with a preview, or a
//! picture file), and registration.

use leptos::html::{Canvas, Video};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_use::{UseUserMediaOptions, UseUserMediaReturn, use_user_media_with_options};
use soundstream_types::{FaceLoginRequest, LoginRequest, RegisterRequest, TokenResponse};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::app::use_service_config;
use crate::auth;
use crate::components::icons::LogoIcon;
use crate::components::language_select::LanguageSelect;
use crate::i18n::use_i18n;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Password,
    Face,
}

/// An error under a form: what failed, why, and the invalid fields.
#[component]
fn FormError(what: &'static str, error: ApiError) -> impl IntoView {
    let fields = error.field_errors();
    view! {
        <div class="form-error" role="alert">
            <p><strong>{what}</strong> " " {error.to_string()}</p>
            {(!fields.is_empty()).then(|| view! {
                <ul>
                    {fields.into_iter().map(|field| view! { <li>{field.field} ": " {field.message}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    super::set_document_title(|t| t.log_in);
    let config = use_service_config();
    let face_enabled =
        move || matches!(config.get(), Some(Ok(config)) if config.features.face_login.enabled);
    let tab = RwSignal::new(Tab::Password);
    view! {
        <div class="auth-card">
            <p class="brand"><LogoIcon /> <span>{move || i18n.t().app_name}</span></p>
            <h1>{move || i18n.t().log_in_heading}</h1>
            <Show when=face_enabled>
                <div class="tabs" role="tablist">
                    <button type="button" role="tab" id="tab-password" aria-controls="panel-login"
                        aria-selected=move || (tab.get() == Tab::Password).to_string()
                        on:click=move |_| tab.set(Tab::Password)>{move || i18n.t().password_tab}</button>
                    <button type="button" role="tab" id="tab-face" aria-controls="panel-login"
                        aria-selected=move || (tab.get() == Tab::Face).to_string()
                        on:click=move |_| tab.set(Tab::Face)>{move || i18n.t().face_tab}</button>
                </div>
            </Show>
            <div id="panel-login">
                {move || match tab.get() {
                    Tab::Face if face_enabled() => view! { <FaceLoginForm /> }.into_any(),
                    _ => view! { <PasswordLoginForm /> }.into_any(),
                }}
            </div>
            <p class="muted">
                {move || i18n.t().no_account} " "
                <A href="/register" attr:class="text-link">{move || i18n.t().register}</A>
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
        match api::post_public::<_, TokenResponse>(path, &request).await {
            Ok(tokens) => auth::sign_in(tokens),
            Err(failure) => {
                error.set(Some(failure));
                busy.set(false);
            }
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
                <span>{move || i18n.t().username_or_email}</span>
                <input type="text" name="username" autocomplete="username" required
                    bind:value=login />
            </label>
            <label class="field">
                <span>{move || i18n.t().password}</span>
                <input type="password" name="password" autocomplete="current-password" required
                    bind:value=password />
            </label>
            {move || error.get().map(|error| view! { <FormError what=i18n.t().login_failed error /> })}
            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t().signing_in } else { i18n.t().log_in }}
            </button>
        </form>
    }
}

/// A picture for face login or enrolment: from the webcam (with a live
/// preview) or, where there is no camera, from a file.
#[component]
pub fn FaceCapture(
    /// Set to the picture as a `data:` URL once taken or chosen.
    image: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let video = NodeRef::<Video>::new();
    let canvas = NodeRef::<Canvas>::new();
    let UseUserMediaReturn {
        stream,
        start,
        stop,
        enabled,
        ..
    } = use_user_media_with_options(UseUserMediaOptions::default().video(true).audio(false));
    Effect::new(move |_| {
        if let Some(video) = video.get() {
            match stream.get() {
                Some(Ok(stream)) => {
                    video.set_src_object(Some(&stream));
                    let _ = video.play();
                }
                _ => video.set_src_object(None),
            }
        }
    });
    let camera_failed = move || matches!(stream.get(), Some(Err(_)));
    let stop_after_take = stop.clone();
    let take = move |_: leptos::ev::MouseEvent| {
        let (Some(video), Some(canvas)) = (video.get_untracked(), canvas.get_untracked()) else {
            return;
        };
        let (width, height) = (video.video_width(), video.video_height());
        if width == 0 || height == 0 {
            return;
        }
        canvas.set_width(width);
        canvas.set_height(height);
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        if let Some(context) = context
            && context
                .draw_image_with_html_video_element(&video, 0.0, 0.0)
                .is_ok()
            && let Ok(url) = canvas.to_data_url_with_type("image/jpeg")
        {
            image.set(Some(url));
            stop_after_take();
        }
    };
    let choose = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(url) = read_data_url(&file).await {
                image.set(Some(url));
            }
        });
    };
    let stop_on_cleanup = stop.clone();
    on_cleanup(stop_on_cleanup);
    view! {
        <div class="face-capture">
            <div class="camera-frame">
                <Show when=move || image.with(Option::is_none) fallback=move || view! {
                    <img class="face-preview" src=move || image.get().unwrap_or_default() alt=move || i18n.t().camera_preview />
                }>
                    <video node_ref=video class="face-preview" autoplay=true playsinline=true muted=true
                        aria-label=move || i18n.t().camera_preview
                        class:hidden=move || !enabled.get()></video>
                </Show>
                <canvas node_ref=canvas class="hidden"></canvas>
            </div>
            <div class="button-row">
                {move || {
                    let (start, stop) = (start.clone(), stop.clone());
                    if image.with(Option::is_some) {
                        view! { <button type="button" class="button" on:click=move |_| { image.set(None); start(); }>{i18n.t().retake_photo}</button> }.into_any()
                    } else if enabled.get() {
                        view! {
                            <button type="button" class="button" on:click=take.clone()>{i18n.t().take_photo}</button>
                            <button type="button" class="button button-quiet" on:click=move |_| stop()>{i18n.t().stop_camera}</button>
                        }.into_any()
                    } else {
                        view! { <button type="button" class="button" on:click=move |_| start()>{i18n.t().start_camera}</button> }.into_any()
                    }
                }}
            </div>
            <Show when=camera_failed>
                <p class="muted small" role="status">{move || i18n.t().camera_unavailable}</p>
            </Show>
            <label class="field">
                <span>{move || i18n.t().choose_picture}</span>
                <input type="file" accept="image/jpeg,image/png" on:change=choose />
            </label>
        </div>
    }
}

/// A file as a `data:` URL (what the face endpoints accept in JSON).
pub async fn read_data_url(file: &web_sys::File) -> Result<String, ()> {
    let reader = web_sys::FileReader::new().map_err(|_| ())?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
    });
    reader.read_as_data_url(file).map_err(|_| ())?;
    wasm_bindgen_futures::JsFuture::from(done)
        .await
        .map_err(|_| ())?;
    reader
        .result()
        .ok()
        .and_then(|value| value.as_string())
        .ok_or(())
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
                <span>{move || i18n.t().username}</span>
                <input type="text" name="username" autocomplete="username" required bind:value=username />
            </label>
            <FaceCapture image />
            <Show when=move || missing.get()>
                <p class="form-error" role="alert">{move || i18n.t().face_photo_needed}</p>
            </Show>
            {move || error.get().map(|error| view! { <FormError what=i18n.t().login_failed error /> })}
            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t().signing_in } else { i18n.t().log_in_with_face }}
            </button>
        </form>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    super::set_document_title(|t| t.register);
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
            <p class="brand"><LogoIcon /> <span>{move || i18n.t().app_name}</span></p>
            <h1>{move || i18n.t().register_heading}</h1>
            <form class="form" on:submit=submit>
                <label class="field">
                    <span>{move || i18n.t().username}</span>
                    <input type="text" name="username" autocomplete="username" required minlength="3" maxlength="32" bind:value=username />
                </label>
                <label class="field">
                    <span>{move || i18n.t().email}</span>
                    <input type="email" name="email" autocomplete="email" required bind:value=email />
                </label>
                <label class="field">
                    <span>{move || i18n.t().display_name}</span>
                    <input type="text" name="display_name" autocomplete="name" bind:value=display_name />
                </label>
                <label class="field">
                    <span>{move || i18n.t().password}</span>
                    <input type="password" name="password" autocomplete="new-password" required minlength="8" bind:value=password />
                </label>
                {move || error.get().map(|error| view! { <FormError what=i18n.t().register_failed error /> })}
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || i18n.t().register}
                </button>
            </form>
            <p class="muted">
                {move || i18n.t().have_account} " "
                <A href="/" attr:class="text-link">{move || i18n.t().log_in}</A>
            </p>
            <LanguageSelect />
        </div>
    }
}
