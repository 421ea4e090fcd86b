//! The one way pages show data from the API: a placeholder while it loads,
//! the data once it is there (a retry keeps the old view, so nothing jumps),
//! and on failure what failed, why and a Retry button.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::load_error::LoadError;
use crate::i18n::{Locale, t_string, use_i18n};

#[component]
pub fn Loaded<T, V, F>(
    resource: LocalResource<Result<T, ApiError>>,
    /// What failed, in the interface language.
    what: fn(Locale) -> &'static str,
    render: F,
    /// Reserves this much height while loading, in CSS units.
    #[prop(optional)]
    min_height: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| resource.refetch());
    view! {
        <div class="loaded" style:min-height=min_height.unwrap_or("auto") aria-busy=move || pending.get().to_string()>
            <Transition
                fallback=move || view! { <p class="muted loading">{move || t_string!(i18n, loading)}</p> }
                set_pending
            >
                {
                    let render = render.clone();
                    move || {
                        let render = render.clone();
                        Suspend::new(async move {
                            match resource.await {
                                Ok(value) => render(value).into_any(),
                                Err(error) => {
                                    view! {
                                        <LoadError
                                            what=what(i18n.get_locale())
                                            error
                                            on_retry=retry
                                            pending
                                        />
                                    }
                                        .into_any()
                                }
                            }
                        })
                    }
                }
            </Transition>
        </div>
    }
}
