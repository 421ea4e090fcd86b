//! Where `/admin` pages and the `/radio` page come from in each bundle. The
//! admin pages (uploads, catalogue editing, users, stations) are a large
//! part of the player that listeners never open, and the radio page is one
//! few open on a first load, so the listener's bundle leaves them out (its
//! first load has a size ceiling): under those paths it loads the page
//! anew, and `boot.js` starts the other bundle (the whole player) there.
//! That bundle routes the pages itself.

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::i18n::{set_document_title, t_string, td_string, use_i18n};
use crate::pages::admin::{catalogue, jobs, overview, stations, upload, users};
use crate::pages::not_found::NotFoundPage;
use crate::pages::radio::RadioPage;

/// What the app shows for `/admin`, every path below it, and `/radio`.
#[derive(Debug, Clone, Copy)]
pub struct AdminArea(fn() -> AnyView);

impl AdminArea {
    /// The listener's bundle: the admin pages are in the other bundle.
    pub fn elsewhere() -> Self {
        Self(|| view! { <LoadAdminBundle /> }.into_any())
    }

    /// The admin bundle: the pages are part of it.
    pub fn built_in() -> Self {
        Self(|| view! { <AdminRoutes /> }.into_any())
    }

    pub fn view(self) -> AnyView {
        (self.0)()
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

/// Reached by following a link inside the listener's bundle: loading the
/// admin page's address as a new document lets `boot.js` start the admin
/// bundle there. (The router may not have written the address to the
/// history yet, so it comes from the router, not from `window.location`.)
#[component]
fn LoadAdminBundle() -> impl IntoView {
    let i18n = use_i18n();
    // A build without the admin bundle (`trunk serve` of index.html) would
    // otherwise reload forever.
    let available = admin_bundle_in_page();
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
            if let Err(error) = window().location().assign(&address) {
                leptos::logging::warn!("could not load the admin pages: {error:?}");
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

/// Whether the page that started the app names the admin bundle (the build
/// script adds it to `index.html`'s boot tag).
fn admin_bundle_in_page() -> bool {
    document()
        .query_selector("script[data-soundstream-admin-wasm]")
        .ok()
        .flatten()
        .is_some()
}
