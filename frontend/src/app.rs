//! The application shell: shared state (language, session, player,
//! favourites, service configuration), the router, and the two layouts —
//! the sign-in screens, and once signed in the sidebar, page and player bar.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::auth::{self, Auth};
use crate::components::lyrics_panel::LyricsPanel;
use crate::components::player_bar::PlayerBar;
use crate::components::queue_panel::QueuePanel;
use crate::components::sidebar::Sidebar;
use crate::favorites::Favorites;
use crate::i18n::{self, t_string};
use crate::notice::{Notices, use_notices};
use crate::pages::album::AlbumPage;
use crate::pages::artist::ArtistPage;
use crate::pages::favorites::FavoritesPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::playlist::PlaylistPage;
use crate::pages::playlists::PlaylistsPage;
use crate::pages::search::SearchPage;
use crate::pages::settings::SettingsPage;
use crate::pages::songs::SongsPage;
use crate::pages::status::StatusPage;
use crate::player::{Panel, Player, use_player};
use crate::service_config;
use crate::whole_player::WholePlayerPages;

/// The app; `pages` is how its bundle shows the whole player's own pages.
#[component]
pub fn App(pages: WholePlayerPages) -> impl IntoView {
    let i18n = i18n::provide();
    Effect::new(move |_| {
        document()
            .document_element()
            .map(|root| root.set_attribute("lang", i18n::code(i18n.get_locale())));
    });
    provide_context(Notices::new());
    let auth: Auth = auth::restore();
    provide_context(auth);
    service_config::provide();
    // One player for the page's lifetime: its audio elements and listeners
    // outlive the signed-in layout, so its state must too.
    let player = Player::start();
    provide_context(player);
    player.send_changes(Signal::derive(move || auth.user.with(Option::is_some)));
    let favorites = Favorites::new();
    provide_context(favorites);
    // Favourites follow the signed-in user.
    Effect::new(move |previous: Option<Option<String>>| {
        let id = auth
            .user
            .with(|user| user.as_ref().map(|user| user.id.clone()));
        if previous.as_ref() != Some(&id) {
            match id {
                Some(_) => leptos::task::spawn_local(async move {
                    // A queue saved on another device since this browser's.
                    player.adopt_server_queue(player.saved_at_ms()).await;
                    if let Err(error) = favorites.load().await {
                        leptos::logging::warn!("could not load favourites: {error}");
                    }
                }),
                None => favorites.clear(),
            }
        }
        id
    });

    // Only signing in or out swaps the layout: a profile change (a new
    // display name, an avatar) must not rebuild the page being used.
    let signed_in = Memo::new(move |_| auth.user.with(Option::is_some));
    view! {
        <Router>
            <a class="skip-link" href="#main">{move || t_string!(i18n, skip_to_content)}</a>
            {move || {
                if signed_in.get() {
                    view! { <SignedIn pages /> }.into_any()
                } else {
                    view! { <SignedOut pages /> }.into_any()
                }
            }}
            <NoticeArea />
        </Router>
    }
}

#[component]
fn SignedOut(pages: WholePlayerPages) -> impl IntoView {
    view! { <main id="main" class="auth-layout">{pages.signed_out()}</main> }
}

#[component]
fn SignedIn(pages: WholePlayerPages) -> impl IntoView {
    let player = use_player();
    view! {
        <div class="shell" class:panel-open=move || player.panel.get() != Panel::Closed>
            <Sidebar />
            <main id="main" class="content" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    // Where signing in or registering happened: the home page now.
                    <Route path=path!("/login") view=HomePage />
                    <Route path=path!("/register") view=HomePage />
                    <Route path=path!("/songs") view=SongsPage />
                    <Route path=path!("/artists/:id") view=ArtistPage />
                    <Route path=path!("/albums/:id") view=AlbumPage />
                    <Route path=path!("/search") view=SearchPage />
                    <Route path=path!("/favorites") view=FavoritesPage />
                    <Route path=path!("/playlists") view=PlaylistsPage />
                    <Route path=path!("/playlists/:id") view=PlaylistPage />
                    <Route path=path!("/radio") view=move || pages.admin() />
                    <Route path=path!("/profile") view=move || pages.profile() />
                    <Route path=path!("/settings") view=SettingsPage />
                    <Route path=path!("/status") view=StatusPage />
                    <Route path=path!("/admin") view=move || pages.admin() />
                    <Route path=path!("/admin/*rest") view=move || pages.admin() />
                </Routes>
            </main>
            {move || match player.panel.get() {
                Panel::Queue => view! { <QueuePanel /> }.into_any(),
                Panel::Lyrics => view! { <LyricsPanel /> }.into_any(),
                Panel::Closed => ().into_any(),
            }}
            <PlayerBar />
        </div>
    }
}

/// Announces notices: errors as alerts, the rest politely.
#[component]
fn NoticeArea() -> impl IntoView {
    let notices = use_notices();
    let i18n = i18n::use_i18n();
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            {move || notices.current().map(|notice| view! {
                <div class="notice" class:notice-error=notice.is_error role=notice.is_error.then_some("alert")>
                    <span>{notice.text}</span>
                    <button type="button" class="text-button" on:click=move |_| notices.dismiss()>{t_string!(i18n, close)}</button>
                </div>
            })}
        </div>
    }
}
