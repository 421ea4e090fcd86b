//! The main navigation: a sidebar on wide screens, a top bar on phones
//! (the switch is pure CSS in `style.css`), with the language switcher and
//! Log out.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::auth::{self, use_auth};
use crate::components::admin_nav::AdminNav;
use crate::components::icons::{
    HeartIcon, HomeIcon, ListIcon, LogoIcon, RadioIcon, SearchIcon, SettingsIcon, SongsIcon,
    StatusIcon, UserIcon,
};
use crate::components::language_select::LanguageSelect;
use crate::i18n::{t_string, use_i18n};
use crate::player::use_player;

#[component]
pub fn Sidebar() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let player = use_player();
    let navigate = use_navigate();
    let log_out = move |_| {
        player.clear();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            auth::sign_out().await;
            navigate("/", Default::default());
        });
    };
    view! {
        <div class="sidebar">
            <p class="brand">
                <LogoIcon />
                <span>{move || t_string!(i18n, app_name)}</span>
            </p>
            <nav aria-label=move || t_string!(i18n, nav_label)>
                <ul class="nav-list">
                    <li>
                        // `exact`: otherwise "/" would be marked current on every page.
                        <A href="/" exact=true attr:class="nav-link">
                            <HomeIcon />
                            <span>{move || t_string!(i18n, nav_home)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/search" attr:class="nav-link">
                            <SearchIcon />
                            <span>{move || t_string!(i18n, nav_search)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/songs" attr:class="nav-link">
                            <SongsIcon />
                            <span>{move || t_string!(i18n, nav_songs)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/favorites" attr:class="nav-link">
                            <HeartIcon filled=Signal::derive(|| false) />
                            <span>{move || t_string!(i18n, nav_favorites)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/playlists" attr:class="nav-link">
                            <ListIcon />
                            <span>{move || t_string!(i18n, nav_playlists)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/radio" attr:class="nav-link">
                            <RadioIcon />
                            <span>{move || t_string!(i18n, nav_radio)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/profile" attr:class="nav-link">
                            <UserIcon />
                            <span>{move || t_string!(i18n, nav_profile)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/settings" attr:class="nav-link">
                            <SettingsIcon />
                            <span>{move || t_string!(i18n, nav_settings)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/status" attr:class="nav-link">
                            <StatusIcon />
                            <span>{move || t_string!(i18n, nav_status)}</span>
                        </A>
                    </li>
                </ul>
            </nav>
            <AdminNav />
            <div class="sidebar-footer">
                <p class="muted small signed-in-as">
                    {move || auth.user.with(|user| user.as_ref().map(|user| user.display_name.clone()))}
                </p>
                <LanguageSelect />
                <button type="button" class="button button-quiet" on:click=log_out>
                    {move || t_string!(i18n, log_out)}
                </button>
            </div>
        </div>
    }
}
