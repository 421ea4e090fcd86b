//! An error shown under the form or beside the control that caused it:
//! what failed, the API's own explanation (its problem detail) and the
//! invalid fields.

use leptos::prelude::*;

use crate::api::ApiError;

#[component]
pub fn FormError(what: &'static str, error: ApiError) -> impl IntoView {
    let message = error.to_string();
    let fields = match error {
        ApiError::Problem(problem) => problem.errors,
        _ => Vec::new(),
    };
    view! {
        <div class="form-error" role="alert">
            <p><strong>{what}</strong> " " {message}</p>
            {(!fields.is_empty()).then(|| view! {
                <ul>
                    {fields.into_iter().map(|field| view! { <li>{field.field} ": " {field.message}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}
