//! The application shell: router, page routes and the persistent layout
//! (sidebar, main area, player bar) that stays mounted across navigation.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::player_bar::PlayerBar;
use crate::components::sidebar::Sidebar;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::status::StatusPage;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <div class="shell">
                <Sidebar />
                <main id="main" class="content">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage />
                        <Route path=path!("/status") view=StatusPage />
                    </Routes>
                </main>
                <PlayerBar />
            </div>
        </Router>
    }
}
