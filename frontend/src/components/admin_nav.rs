//! The sidebar's "Admin" section: links to the administrator's pages,
//! shown to admins only.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::use_auth;
use crate::components::icons::{ListIcon, RadioIcon, SongsIcon, StatusIcon, UserIcon};
use crate::i18n::{t_string, use_i18n};

/// The sidebar's "Admin" section, for admins only.
#[component]
pub fn AdminNav() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    view! {
        <Show when=move || auth.is_admin()>
            <nav class="admin-nav" aria-label=move || t_string!(i18n, admin.nav_admin)>
                <p class="nav-section muted small" aria-hidden="true">{move || t_string!(i18n, admin.nav_admin)}</p>
                <ul class="nav-list">
                    <li>
                        <A href="/admin" exact=true attr:class="nav-link">
                            <StatusIcon />
                            <span>{move || t_string!(i18n, admin.nav_overview)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/upload" attr:class="nav-link">
                            <SongsIcon />
                            <span>{move || t_string!(i18n, admin.nav_upload)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/songs" attr:class="nav-link">
                            <ListIcon />
                            <span>{move || t_string!(i18n, admin.nav_catalogue)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/stations" attr:class="nav-link">
                            <RadioIcon />
                            <span>{move || t_string!(i18n, admin.nav_stations)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/users" attr:class="nav-link">
                            <UserIcon />
                            <span>{move || t_string!(i18n, admin.nav_users)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/admin/jobs" attr:class="nav-link">
                            <StatusIcon />
                            <span>{move || t_string!(i18n, admin.nav_jobs)}</span>
                        </A>
                    </li>
                </ul>
            </nav>
        </Show>
    }
}
