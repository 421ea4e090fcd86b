//! The pages only the whole player holds, as each bundle shows them. The
//! admin pages (uploads, catalogue editing, users, stations), the radio
//! page, the account's profile page (face enrolment, avatar upload) and the
//! signed-out screens (sign-in, registration, face login) are a large part
//! of the player that a signed-in listener's first load does not need, so
//! the listener's bundle leaves them out (its first load has a size
//! ceiling): there it loads the page anew, and `boot.js` starts the other
//! bundle (the whole player), which shows the pages itself.

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::pages::admin::{catalogue, jobs, overview, stations, upload, users};
use crate::pages::login::{LoginPage, RegisterPage};
use crate::pages::not_found::NotFoundPage;
use crate::pages::profile::ProfilePage;
use crate::pages::radio::RadioPage;
use crate::pages::status::StatusPage;

/// Set in `sessionStorage` before the listener's bundle loads a page
/// anew for the whole player; `boot.js` then starts the whole player
/// whatever the path, and the whole player removes it.
const WANTED: &str = "soundstream.whole-player";

/// What a bundle shows for the whole player's own pages. Function
/// pointers, so the listener's bundle never links the pages it leaves out.
#[derive(Debug, Clone, Copy)]
pub struct WholePlayerPages {
    admin: fn() -> AnyView,
    profile: fn() -> AnyView,
    signed_out: fn() -> AnyView,
}

impl WholePlayerPages {
    /// The listener's bundle: the pages are in the other bundle.
    pub fn elsewhere() -> Self {
        let load = || view! { <LoadWholePlayer /> }.into_any();
        Self {
            admin: load,
            profile: load,
            signed_out: load,
        }
    }

    /// The whole player: the pages are part of it.
    pub fn built_in() -> Self {
        if let Some(storage) = session_storage() {
            let _ = storage.remove_item(WANTED);
        }
        Self {
            admin: || view! { <AdminRoutes /> }.into_any(),
            profile: || view! { <ProfilePage /> }.into_any(),
            signed_out: || view! { <SignedOutRoutes /> }.into_any(),
        }
    }

    /// `/admin`, every path below it, and `/radio`.
    pub fn admin(self) -> AnyView {
        (self.admin)()
    }

    /// `/profile`.
    pub fn profile(self) -> AnyView {
        (self.profile)()
    }

    /// Every path while nobody is signed in.
    pub fn signed_out(self) -> AnyView {
        (self.signed_out)()
    }
}

/// The admin pages, matched against the whole path like the app's own routes.
#[component]
fn AdminRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFoundPage>
            <Route path=path!("/admin") view=overview::OverviewPage />
            <Route path=path!("/admin/upload") view=upload::UploadPage />
            <Route path=path!("/admin/songs") view=catalogue::CataloguePage />
            <Route path=path!("/admin/songs/:id") view=catalogue::EditSongPage />
            <Route path=path!("/admin/users") view=users::UsersPage />
            <Route path=path!("/admin/jobs") view=jobs::JobsPage />
            <Route path=path!("/admin/stations") view=stations::StationsPage />
            <Route path=path!("/radio") view=RadioPage />
        </Routes>
    }
}

/// The signed-out screens: sign-in (with face login) wherever nothing else
/// matches, so a deep link signs in first and then opens.
#[component]
fn SignedOutRoutes() -> impl IntoView {
    view! {
        <Routes fallback=LoginPage>
            <Route path=path!("/register") view=RegisterPage />
            <Route path=path!("/status") view=StatusPage />
        </Routes>
    }
}

/// Reached inside the listener's bundle by following a link to one of the
/// whole player's pages, or by signing out: loading the address as a new
/// document lets `boot.js` start the whole player there. (The router may
/// not have written the address to the history yet, so it comes from the
/// router, not from `window.location`.)
#[component]
fn LoadWholePlayer() -> impl IntoView {
    let i18n = use_i18n();
    // A build without the whole player (`trunk serve` of index.html) would
    // otherwise reload forever.
    let available = whole_player_in_page();
    if available {
        let location = use_location();
        let mut address = location.pathname.get_untracked();
        let search = location.search.get_untracked();
        if !search.is_empty() {
            address = format!("{address}?{search}");
        }
        let hash = location.hash.get_untracked();
        if !hash.is_empty() {
            address = format!("{address}#{}", hash.trim_start_matches('#'));
        }
        Effect::new(move || {
            if let Some(storage) = session_storage() {
                let _ = storage.set_item(WANTED, "1");
            }
            if let Err(error) = window().location().assign(&address) {
                leptos::logging::warn!("could not load the whole player: {error:?}");
            }
        });
    } else {
        set_document_title(|l| td_string!(l, not_found_heading));
    }
    view! {
        <div class="page">
            {if available {
                view! { <p class="muted" role="status">{move || t_string!(i18n, loading)}</p> }.into_any()
            } else {
                view! { <p>{move || t_string!(i18n, admin.not_in_this_build)}</p> }.into_any()
            }}
        </div>
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Whether the page that started the app names the whole player's bundle
/// (the build script adds it to `index.html`'s boot tag).
fn whole_player_in_page() -> bool {
    document()
        .query_selector("script[data-soundstream-admin-wasm]")
        .ok()
        .flatten()
        .is_some()
}
