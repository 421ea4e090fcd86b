//! `/`: the welcome page with the service status card.

use leptos::prelude::*;

use crate::components::service_status::ServiceStatusCard;
use crate::strings;

#[component]
pub fn HomePage() -> impl IntoView {
    super::set_document_title(strings::NAV_HOME);
    view! {
        <div class="page">
            <h1>{strings::HOME_HEADING}</h1>
            <p class="lead">{strings::HOME_INTRO}</p>
            <ServiceStatusCard />
        </div>
    }
}
