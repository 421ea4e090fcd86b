//! The signed-in session: kept in `localStorage` so it survives a reload,
//! refreshed silently before the access token expires, and never refreshed
//! twice at once — concurrent callers in a tab share one request, and tabs
//! take turns (a browser-wide lock), the later ones adopting the pair the
//! first one stored.

mod tab_lock;
pub mod tokens;

use std::cell::RefCell;

use futures_util::FutureExt;
use futures_util::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::IgnoredAny;
use soundstream_types::{RefreshRequest, Role, TokenResponse, User};

use crate::storage;
use crate::transport::{self, ApiError};
use tokens::Session;

const STORAGE_KEY: &str = "soundstream.session";

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Session, ApiError>>>;

#[derive(Default)]
struct State {
    session: Option<Session>,
    /// The refresh in flight, awaited by every caller that needs a token.
    refreshing: Option<RefreshFuture>,
    timer: Option<TimeoutHandle>,
    /// The signed-in user, for the interface.
    user: Option<RwSignal<Option<User>>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The signed-in user, reactive; `None` when signed out.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    pub user: RwSignal<Option<User>>,
}

impl Auth {
    /// Whether the signed-in user is an administrator (reactive).
    pub fn is_admin(&self) -> bool {
        self.user
            .with(|user| user.as_ref().is_some_and(|user| user.role == Role::Admin))
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Restores a stored session (the refresh happens when it is due) and
/// returns the handle the app provides as context.
pub fn restore() -> Auth {
    let user = RwSignal::new(None);
    STATE.with_borrow_mut(|state| state.user = Some(user));
    match storage::get_json::<Session>(STORAGE_KEY) {
        Some(session) if session.can_refresh(now_ms()) => adopt(session),
        // A session that can no longer refresh is forgotten, so `boot.js`
        // (which starts the whole player, with sign-in, when none is
        // stored) and this page agree that nobody is signed in.
        Some(_) => storage::remove(STORAGE_KEY),
        None => {}
    }
    Auth { user }
}

/// Makes `session` current: stored, shown, refresh scheduled.
fn adopt(session: Session) {
    storage::set_json(STORAGE_KEY, &session);
    let delay = session.refresh_delay_ms(now_ms());
    let user = session.user.clone();
    let signal = STATE.with_borrow_mut(|state| {
        state.session = Some(session);
        if let Some(timer) = state.timer.take() {
            timer.clear();
        }
        state.user
    });
    schedule_refresh(delay);
    if let Some(signal) = signal
        && signal.get_untracked().as_ref() != Some(&user)
    {
        signal.set(Some(user));
    }
}

fn schedule_refresh(delay_ms: f64) {
    let timer = set_timeout_with_handle(
        || {
            leptos::task::spawn_local(async {
                if let Err(error) = refresh().await {
                    leptos::logging::warn!("silent refresh failed: {error}");
                }
            });
        },
        std::time::Duration::from_millis(delay_ms as u64),
    );
    if let Ok(timer) = timer {
        STATE.with_borrow_mut(|state| state.timer = Some(timer));
    }
}

/// Signs in with what `path` (login, face login or registration) answers
/// for `request`.
pub async fn sign_in_with<R: Serialize>(path: &str, request: &R) -> Result<(), ApiError> {
    let response: TokenResponse = transport::post_public(path, request).await?;
    adopt(Session::from_response(response, now_ms()));
    Ok(())
}

/// Replaces the user after a profile change.
pub fn update_user(user: User) {
    let session = STATE.with_borrow_mut(|state| {
        let session = state.session.as_mut()?;
        session.user = user.clone();
        Some(session.clone())
    });
    if let Some(session) = session {
        storage::set_json(STORAGE_KEY, &session);
    }
    // Only a change notifies: a page that loads `/me` and reports the user
    // here would otherwise refetch itself for ever (resources track the
    // signals their requests read).
    if let Some(signal) = STATE.with_borrow(|state| state.user)
        && signal.with_untracked(|current| current.as_ref() != Some(&user))
    {
        signal.set(Some(user));
    }
}

/// Forgets the session locally.
fn clear() {
    storage::remove(STORAGE_KEY);
    let signal = STATE.with_borrow_mut(|state| {
        state.session = None;
        state.refreshing = None;
        if let Some(timer) = state.timer.take() {
            timer.clear();
        }
        state.user
    });
    if let Some(signal) = signal {
        signal.set(None);
    }
}

/// Logs out: the API ends the token family, the player forgets it.
pub async fn sign_out() {
    let refresh_token = STATE.with_borrow(|state| {
        state
            .session
            .as_ref()
            .map(|session| session.refresh_token.clone())
    });
    clear();
    if let Some(refresh_token) = refresh_token {
        let request = RefreshRequest { refresh_token };
        // Best effort: the session is gone locally whatever the API says.
        if let Err(error) =
            transport::post_public::<_, IgnoredAny>("/api/v1/auth/logout", &request).await
            && !matches!(error, ApiError::Decode { .. })
        {
            leptos::logging::warn!("logout: {error}");
        }
    }
}

/// An access token to send now: the current one while it is fresh, else
/// the one a refresh brings. `None` when signed out.
pub async fn access_token() -> Result<Option<String>, ApiError> {
    let session = STATE.with_borrow(|state| state.session.clone());
    match session {
        None => Ok(None),
        Some(session) if session.access_is_usable(now_ms()) => Ok(Some(session.access_token)),
        Some(_) => refresh().await.map(|session| Some(session.access_token)),
    }
}

/// Refreshes now (the API answered 401) and returns the new access token.
pub async fn refresh_now() -> Result<String, ApiError> {
    refresh().await.map(|session| session.access_token)
}

/// One refresh at a time: joins the refresh in flight, or starts one.
async fn refresh() -> Result<Session, ApiError> {
    let flight = STATE.with_borrow_mut(|state| {
        if let Some(flight) = &state.refreshing {
            return Some(flight.clone());
        }
        let session = state.session.clone()?;
        let flight = exchange_refresh_token(session).boxed_local().shared();
        state.refreshing = Some(flight.clone());
        Some(flight)
    });
    let Some(flight) = flight else {
        return Err(ApiError::Status {
            status: 401,
            status_text: "Not signed in".to_owned(),
        });
    };
    let result = flight.await;
    STATE.with_borrow_mut(|state| state.refreshing = None);
    result
}

async fn exchange_refresh_token(session: Session) -> Result<Session, ApiError> {
    tab_lock::exclusively("soundstream.refresh", exchange_in_turn(session)).await
}

async fn exchange_in_turn(session: Session) -> Result<Session, ApiError> {
    // Another tab of this browser may have refreshed already: its newer pair
    // is in storage, and presenting our used token would end the session.
    if let Some(stored) = storage::get_json::<Session>(STORAGE_KEY)
        && stored.refresh_token != session.refresh_token
        && stored.access_is_usable(now_ms())
    {
        adopt(stored.clone());
        return Ok(stored);
    }
    let request = RefreshRequest {
        refresh_token: session.refresh_token,
    };
    match transport::post_public::<_, TokenResponse>("/api/v1/auth/refresh", &request).await {
        Ok(response) => {
            let fresh = Session::from_response(response, now_ms());
            adopt(fresh.clone());
            Ok(fresh)
        }
        Err(error) => {
            // 401: the refresh token is spent or revoked; sign in again.
            if error.status() == Some(401) {
                clear();
            } else {
                // A network fault: try again in a little while.
                schedule_refresh(15_000.0);
            }
            Err(error)
        }
    }
}
