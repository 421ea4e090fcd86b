//! The home page's service status card: whether the API answers, and which
//! version and database it runs.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::load_error::LoadError;
use crate::i18n::use_i18n;

#[component]
pub fn ServiceStatusCard() -> impl IntoView {
    let i18n = use_i18n();
    let config = LocalResource::new(api::service_config);
    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| config.refetch());

    view! {
        <section class="card" aria-label=move || i18n.t().service_status aria-busy=move || pending.get().to_string()>
            <h2 class="card-title">{move || i18n.t().service_status}</h2>
            <Transition
                fallback=move || view! { <p class="muted">{move || i18n.t().service_checking}</p> }
                set_pending
            >
                {move || Suspend::new(async move {
                    match config.await {
                        Ok(config) => {
                            view! {
                                <p class="status-line">
                                    <span class="status-dot status-ok" aria-hidden="true"></span>
                                    <strong>{move || i18n.t().service_online}</strong>
                                </p>
                                <ul class="facts">
                                    <li>{format!("{} {}", i18n.t().label_version, config.version)}</li>
                                    <li>{format!("{} {}", i18n.t().label_database, config.database)}</li>
                                </ul>
                                <A href="/status" attr:class="text-link">{move || i18n.t().service_details_link}</A>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <p class="status-line">
                                    <span class="status-dot status-down" aria-hidden="true"></span>
                                    <strong>{move || i18n.t().service_offline}</strong>
                                </p>
                                <LoadError
                                    what=i18n.t().service_check_failed
                                    error
                                    on_retry=retry
                                    pending
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
