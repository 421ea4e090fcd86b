//! Signing in: password or face (with the liveness challenge, a head turn
//! seen through the webcam; without it, a webcam capture or a picture
//! file), registration, and a new server's first administrator.

use leptos::html::{Canvas, Video};
use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::{
    FaceChallenge, FaceChallengeRequest, FaceLoginRequest, LoginRequest, RegisterRequest,
    TurnDirection,
};

use crate::api::ApiError;
use crate::auth;
use crate::components::face_capture::{Camera, FaceCapture, grab_frame, show_camera};
use crate::components::form_error::FormError;
use crate::components::icons::LogoIcon;
use crate::components::language_select::LanguageSelect;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::service_config::use_service_config;
use crate::transport;

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
    let turn_asked = move || matches!(config.get(), Some(Ok(config)) if config.features.face_liveness == "challenge");
    let needs_first_admin =
        move || matches!(config.get(), Some(Ok(config)) if config.needs_first_admin);
    let tab = RwSignal::new(Tab::Password);
    view! {
        <Show when=move || !needs_first_admin() fallback=|| view! { <FirstAdminSetup /> }>
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
                    Tab::Face if face_enabled() && turn_asked() => view! { <FaceTurnLoginForm /> }.into_any(),
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
        </Show>
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
            image: Some(picture),
            challenge_id: None,
            frames: None,
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

/// Where a face login with a liveness challenge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TurnStep {
    Ready,
    LookStraight,
    Turn(TurnDirection),
    Checking,
}

/// How long the frontal frame waits after the instruction shows, and the
/// frames taken while the head turns: enough to see a turn of a second or
/// two, few enough to stay small.
const LOOK_STRAIGHT_MS: i32 = 700;
const TURN_FRAMES: usize = 10;
const TURN_FRAME_EVERY_MS: i32 = 250;

/// Face login with a liveness challenge: the live camera preview, then
/// "look straight at the camera" and "turn your head to your left/right"
/// while the player takes a frontal frame and frames of the turn.
#[component]
fn FaceTurnLoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let camera_not_ready = RwSignal::new(false);
    let step = RwSignal::new(TurnStep::Ready);
    let video = NodeRef::<Video>::new();
    let canvas = NodeRef::<Canvas>::new();
    let camera = Camera::off();
    // The preview runs from the start: the turn needs it anyway.
    camera.start();
    show_camera(video, camera);
    let camera_failed = move || camera.stream.with(|stream| matches!(stream, Some(Err(_))));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(video), Some(canvas)) = (video.get_untracked(), canvas.get_untracked()) else {
            return;
        };
        busy.set(true);
        error.set(None);
        camera_not_ready.set(false);
        let username = username.get_untracked();
        leptos::task::spawn_local(async move {
            match log_in_turning(&username, &video, &canvas, step).await {
                Ok(()) => {}
                Err(TurnFailure::CameraNotReady) => camera_not_ready.set(true),
                Err(TurnFailure::Api(failure)) => error.set(Some(failure)),
            }
            step.set(TurnStep::Ready);
            busy.set(false);
        });
    };
    let instruction = move || match step.get() {
        TurnStep::Ready => t_string!(i18n, face_turn_hint),
        TurnStep::LookStraight => t_string!(i18n, face_look_straight),
        TurnStep::Turn(TurnDirection::Left) => t_string!(i18n, face_turn_left),
        TurnStep::Turn(TurnDirection::Right) => t_string!(i18n, face_turn_right),
        TurnStep::Checking => t_string!(i18n, signing_in),
    };
    view! {
        <form class="form" on:submit=submit>
            <label class="field">
                <span>{move || t_string!(i18n, username)}</span>
                <input type="text" name="username" autocomplete="username" required bind:value=username />
            </label>
            <div class="face-capture face-turn">
                <div class="camera-frame">
                    <video node_ref=video class="face-preview" autoplay=true playsinline=true muted=true
                        aria-label=move || t_string!(i18n, camera_preview)></video>
                    <canvas node_ref=canvas class="hidden"></canvas>
                </div>
                <p class="face-instruction" role="status" aria-live="polite"
                    class:active=move || step.get() != TurnStep::Ready>{instruction}</p>
            </div>
            <Show when=camera_failed>
                <p class="form-error" role="alert">{move || t_string!(i18n, face_camera_needed)}</p>
            </Show>
            <Show when=move || camera_not_ready.get()>
                <p class="form-error" role="alert">{move || t_string!(i18n, face_camera_not_ready)}</p>
            </Show>
            {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, login_failed) error /> })}
            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, signing_in) } else { t_string!(i18n, log_in_with_face) }}
            </button>
        </form>
    }
}

enum TurnFailure {
    CameraNotReady,
    Api(ApiError),
}

/// Asks for a challenge, takes the frontal frame and the frames of the
/// turn it asks for, and signs in with them.
async fn log_in_turning(
    username: &str,
    video: &web_sys::HtmlVideoElement,
    canvas: &web_sys::HtmlCanvasElement,
    step: RwSignal<TurnStep>,
) -> Result<(), TurnFailure> {
    let challenge: FaceChallenge = transport::post_public(
        "/api/v1/auth/face-login/challenge",
        &FaceChallengeRequest {
            username: username.to_owned(),
        },
    )
    .await
    .map_err(TurnFailure::Api)?;
    step.set(TurnStep::LookStraight);
    sleep_ms(LOOK_STRAIGHT_MS).await;
    let mut frames = vec![grab_frame(video, canvas).ok_or(TurnFailure::CameraNotReady)?];
    step.set(TurnStep::Turn(challenge.direction));
    for _ in 0..TURN_FRAMES {
        sleep_ms(TURN_FRAME_EVERY_MS).await;
        frames.extend(grab_frame(video, canvas));
    }
    step.set(TurnStep::Checking);
    let request = FaceLoginRequest {
        username: username.to_owned(),
        image: None,
        challenge_id: Some(challenge.challenge_id),
        frames: Some(frames),
    };
    auth::sign_in_with("/api/v1/auth/face-login", &request)
        .await
        .map_err(TurnFailure::Api)
}

/// Resolves after `ms` milliseconds.
async fn sleep_ms(ms: i32) {
    let done = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
}

/// A new server's first screen: create the first administrator (offered
/// only while none exists; the API makes sure only one person wins), then
/// where music comes from.
#[component]
fn FirstAdminSetup() -> impl IntoView {
    let i18n = use_i18n();
    set_document_title(|l| td_string!(l, setup_heading));
    let config = use_service_config();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let fields = AccountFields::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let request = fields.request();
        leptos::task::spawn_local(async move {
            match auth::sign_in_with("/api/v1/setup/first-admin", &request).await {
                // The configuration no longer needs a first administrator.
                Ok(()) => config.refetch(),
                Err(failure) => {
                    // Somebody else was first: the sign-in screen is next.
                    if failure.status() == Some(409) {
                        config.refetch();
                    }
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <div class="auth-card">
            <p class="brand"><LogoIcon /> <span>{move || t_string!(i18n, app_name)}</span></p>
            <h1>{move || t_string!(i18n, setup_heading)}</h1>
            <p>{move || t_string!(i18n, setup_intro)}</p>
            <form class="form" on:submit=submit>
                <AccountFieldInputs fields />
                {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, setup_failed) error /> })}
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || t_string!(i18n, create_admin)}
                </button>
            </form>
            <p class="muted">{move || t_string!(i18n, setup_next)}</p>
            <LanguageSelect />
        </div>
    }
}

/// What a new account is made of, as typed.
#[derive(Debug, Clone, Copy)]
struct AccountFields {
    username: RwSignal<String>,
    email: RwSignal<String>,
    display_name: RwSignal<String>,
    password: RwSignal<String>,
}

impl AccountFields {
    fn new() -> Self {
        Self {
            username: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            display_name: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
        }
    }

    fn request(&self) -> RegisterRequest {
        let name = self.display_name.get_untracked();
        RegisterRequest {
            username: self.username.get_untracked(),
            email: self.email.get_untracked(),
            password: self.password.get_untracked(),
            display_name: (!name.trim().is_empty()).then_some(name),
        }
    }
}

#[component]
fn AccountFieldInputs(fields: AccountFields) -> impl IntoView {
    let i18n = use_i18n();
    let AccountFields {
        username,
        email,
        display_name,
        password,
    } = fields;
    view! {
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
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    set_document_title(|l| td_string!(l, register));
    let fields = AccountFields::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        sign_in_with("/api/v1/auth/register", fields.request(), error, busy);
    };
    view! {
        <div class="auth-card">
            <p class="brand"><LogoIcon /> <span>{move || t_string!(i18n, app_name)}</span></p>
            <h1>{move || t_string!(i18n, register_heading)}</h1>
            <form class="form" on:submit=submit>
                <AccountFieldInputs fields />
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
