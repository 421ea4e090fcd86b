//! An error shown under the form or beside the control that caused it:
//! what failed, the API's own explanation (its problem detail) and the
//! invalid fields.

use leptos::prelude::*;

use crate::api::ApiError;

#[component]
pub fn FormError(what: &'static str, error: ApiError) -> impl IntoView {
    let fields = error.field_errors();
    view! {
        <div class="form-error" role="alert">
            <p><strong>{what}</strong> " " {error.to_string()}</p>
            {(!fields.is_empty()).then(|| view! {
                <ul>
                    {fields.into_iter().map(|field| view! { <li>{field.field} ": " {field.message}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}
