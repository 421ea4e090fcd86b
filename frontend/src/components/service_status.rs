//! The home page's service status card: whether the API answers, and which
//! version and database it runs.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::load_error::LoadError;
use crate::strings;

#[component]
pub fn ServiceStatusCard() -> impl IntoView {
    let config = LocalResource::new(api::service_config);
    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| config.refetch());

    view! {
        <section class="card" aria-label=strings::SERVICE_STATUS aria-busy=move || pending.get().to_string()>
            <h2 class="card-title">{strings::SERVICE_STATUS}</h2>
            <Transition
                fallback=|| view! { <p class="muted">{strings::SERVICE_CHECKING}</p> }
                set_pending
            >
                {move || Suspend::new(async move {
                    match config.await {
                        Ok(config) => {
                            view! {
                                <p class="status-line">
                                    <span class="status-dot status-ok" aria-hidden="true"></span>
                                    <strong>{strings::SERVICE_ONLINE}</strong>
                                </p>
                                <ul class="facts">
                                    <li>{strings::version(&config.version)}</li>
                                    <li>{strings::database(&config.database)}</li>
                                </ul>
                                <A href="/status" attr:class="text-link">{strings::SERVICE_DETAILS_LINK}</A>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <p class="status-line">
                                    <span class="status-dot status-down" aria-hidden="true"></span>
                                    <strong>{strings::SERVICE_OFFLINE}</strong>
                                </p>
                                <LoadError
                                    what=strings::SERVICE_CHECK_FAILED
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
