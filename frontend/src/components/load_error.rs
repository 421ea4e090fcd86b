//! What a page shows when an API request fails: what failed, why (the
//! problem's `detail` when the API sent one) and a way to try again.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{t_string, use_i18n};

#[component]
pub fn LoadError(
    /// What the user was waiting for, such as "Could not load the server configuration."
    what: &'static str,
    error: ApiError,
    /// Starts the request again.
    on_retry: Callback<()>,
    /// True while the retried request is in flight. A plain `ReadSignal`
    /// owned by the caller: a `Signal` converted here would belong to the
    /// suspended view and be disposed while that view still shows.
    pending: ReadSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = error.to_string();
    // The request id lets an operator find the matching API log lines.
    let request_id = match error {
        ApiError::Problem(problem) => problem.request_id,
        _ => None,
    };
    view! {
        <div class="load-error" role="alert">
            <p class="load-error-what">{what}</p>
            <p class="load-error-why">{message}</p>
            {request_id
                .map(|id| {
                    view! {
                        <p class="muted small">
                            {move || t_string!(i18n, request_id)} ": " <code>{id}</code>
                        </p>
                    }
                })}
            <button
                type="button"
                class="button"
                disabled=move || pending.get()
                on:click=move |_| on_retry.run(())
            >
                {move || t_string!(i18n, retry)}
            </button>
        </div>
    }
}
