//! The main navigation: a sidebar on wide screens, a top bar on phones
//! (the switch is pure CSS in `style.css`).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::icons::{HomeIcon, LogoIcon, StatusIcon};
use crate::strings;

#[component]
pub fn Sidebar() -> impl IntoView {
    view! {
        <div class="sidebar">
            <p class="brand">
                <LogoIcon />
                <span>{strings::APP_NAME}</span>
            </p>
            <nav aria-label=strings::NAV_LABEL>
                <ul class="nav-list">
                    <li>
                        // `exact`: otherwise "/" would be marked current on every page.
                        <A href="/" exact=true attr:class="nav-link">
                            <HomeIcon />
                            <span>{strings::NAV_HOME}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/status" attr:class="nav-link">
                            <StatusIcon />
                            <span>{strings::NAV_STATUS}</span>
                        </A>
                    </li>
                </ul>
            </nav>
        </div>
    }
}
