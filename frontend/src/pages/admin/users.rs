//! `/admin/users`: find users, change their role, disable or enable them.
//! The API guards the last enabled administrator; its explanation is shown
//! beside the user it concerns.

use leptos::prelude::*;
use soundstream_types::{AdminUpdateUserRequest, Page, Role, User};

use crate::api::{self, ApiError, Method};
use crate::auth::use_auth;
use crate::components::admin_only::AdminOnly;
use crate::components::form_error::FormError;
use crate::components::load_error::LoadError;
use crate::i18n::{set_document_title, t_string, td_string, use_i18n};

const PAGE_SIZE: u32 = 50;

#[component]
pub fn UsersPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.users_heading));
    view! {
        <AdminOnly>
            <Users />
        </AdminOnly>
    }
}

#[component]
fn Users() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let users = RwSignal::new(Vec::<User>::new());
    let cursor = RwSignal::new(None::<String>);
    let (loading, set_loading) = signal(false);
    let error = RwSignal::new(None::<ApiError>);
    // Answers to an older search are dropped when a newer one was sent.
    let serial = StoredValue::new(0_u64);
    let load = move |more: bool| {
        set_loading.set(true);
        error.set(None);
        serial.update_value(|serial| *serial += 1);
        let mine = serial.get_value();
        let mut path = format!(
            "/api/v1/admin/users?limit={PAGE_SIZE}&q={}",
            api::encode(query.get_untracked().trim())
        );
        if more && let Some(cursor) = cursor.get_untracked() {
            path.push_str(&format!("&cursor={}", api::encode(&cursor)));
        }
        leptos::task::spawn_local(async move {
            let result = api::get::<Page<User>>(&path).await;
            if serial.get_value() != mine {
                return;
            }
            match result {
                Ok(page) => {
                    if more {
                        users.update(|users| users.extend(page.items));
                    } else {
                        users.set(page.items);
                    }
                    cursor.set(page.next_cursor);
                }
                Err(failure) => error.set(Some(failure)),
            }
            set_loading.set(false);
        });
    };
    load(false);
    let retry = Callback::new(move |()| load(false));
    view! {
        <div class="page">
            <h1>{move || t_string!(i18n, admin.users_heading)}</h1>
            <div class="toolbar">
                <label class="field-inline">
                    <span>{move || t_string!(i18n, admin.search_users)}</span>
                    <input
                        type="search"
                        prop:value=move || query.get()
                        on:input=move |event| {
                            query.set(event_target_value(&event));
                            load(false);
                        }
                    />
                </label>
            </div>
            <div class="table-scroll">
                <table class="admin-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || t_string!(i18n, admin.username)}</th>
                            <th scope="col" class="hide-narrow">{move || t_string!(i18n, admin.email)}</th>
                            <th scope="col">{move || t_string!(i18n, admin.role)}</th>
                            <th scope="col">{move || t_string!(i18n, admin.account)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || users.get() key=|user| user.id.clone() let:user>
                            <UserRow user />
                        </For>
                    </tbody>
                </table>
            </div>
            {move || (!loading.get() && error.get().is_none() && users.with(Vec::is_empty))
                .then(|| view! { <p class="muted">{t_string!(i18n, admin.no_users)}</p> })}
            {move || error.get().map(|error| view! {
                <LoadError what=t_string!(i18n, admin.users_failed) error on_retry=retry pending=loading />
            })}
            <Show when=move || cursor.with(Option::is_some) && error.with(Option::is_none)>
                <button type="button" class="button" disabled=move || loading.get() on:click=move |_| load(true)>
                    {move || t_string!(i18n, admin.load_more)}
                </button>
            </Show>
        </div>
    }
}

#[component]
fn UserRow(user: User) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let current = RwSignal::new(user);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let is_me = move || {
        let id = current.with(|user| user.id.clone());
        auth.user
            .with(|me| me.as_ref().is_some_and(|me| me.id == id))
    };
    let change = move |request: AdminUpdateUserRequest| {
        busy.set(true);
        error.set(None);
        let path = format!(
            "/api/v1/admin/users/{}",
            api::encode(&current.with_untracked(|user| user.id.clone()))
        );
        leptos::task::spawn_local(async move {
            match api::send::<_, User>(Method::Patch, &path, &request).await {
                Ok(user) => current.set(user),
                Err(failure) => {
                    error.set(Some(failure));
                    // Put the controls back to what the server holds.
                    current.update(|_| {});
                }
            }
            busy.set(false);
        });
    };
    let username = move || current.with(|user| user.username.clone());
    let role_value = move || current.with(|user| user.role.as_str());
    view! {
        <tr>
            <th scope="row">
                <span>{username}</span>
                {move || is_me().then(|| view! { " " <span class="muted small">{t_string!(i18n, admin.you)}</span> })}
                <span class="muted small block">{move || current.with(|user| user.display_name.clone())}</span>
                {move || error.get().map(|error| view! { <FormError what=t_string!(i18n, admin.change_failed) error /> })}
            </th>
            <td class="hide-narrow">{move || current.with(|user| user.email.clone())}</td>
            <td>
                <select
                    aria-label=move || format!("{} {}", t_string!(i18n, admin.role), username())
                    prop:value=role_value
                    disabled=move || busy.get()
                    on:change=move |event| {
                        let role = if event_target_value(&event) == "admin" { Role::Admin } else { Role::Listener };
                        change(AdminUpdateUserRequest { role: Some(role), disabled: None });
                    }
                >
                    <option value="listener">{move || t_string!(i18n, admin.role_listener)}</option>
                    <option value="admin">{move || t_string!(i18n, admin.role_admin)}</option>
                </select>
            </td>
            <td>
                <span class="user-status">
                    {move || if current.with(|user| user.disabled) { t_string!(i18n, admin.disabled) } else { t_string!(i18n, admin.active) }}
                </span>
                " "
                <button
                    type="button"
                    class="button button-quiet"
                    disabled=move || busy.get()
                    on:click=move |_| {
                        let disabled = !current.with_untracked(|user| user.disabled);
                        change(AdminUpdateUserRequest { role: None, disabled: Some(disabled) });
                    }
                >
                    {move || if current.with(|user| user.disabled) { t_string!(i18n, admin.enable) } else { t_string!(i18n, admin.disable) }}
                </button>
            </td>
        </tr>
    }
}
