//! `/status`: everything `GET /api/v1/config` reports about this deployment.

use leptos::prelude::*;
use soundstream_types::{ServiceConfig, UploadLimits};

use crate::api;
use crate::components::load_error::LoadError;
use crate::format;
use crate::runtime_config;
use crate::strings;

#[component]
pub fn StatusPage() -> impl IntoView {
    super::set_document_title(strings::STATUS_HEADING);
    let config = LocalResource::new(api::service_config);
    let (pending, set_pending) = signal(false);
    let refetch = Callback::new(move |()| config.refetch());

    view! {
        <div class="page" aria-busy=move || pending.get().to_string()>
            <div class="page-heading">
                <h1>{strings::STATUS_HEADING}</h1>
                <button
                    type="button"
                    class="button button-quiet"
                    disabled=move || pending.get()
                    on:click=move |_| refetch.run(())
                >
                    {strings::STATUS_REFRESH}
                </button>
            </div>
            <Transition
                fallback=|| view! { <p class="muted">{strings::STATUS_LOADING}</p> }
                set_pending
            >
                {move || Suspend::new(async move {
                    match config.await {
                        Ok(config) => view! { <ConfigDetails config /> }.into_any(),
                        Err(error) => {
                            view! {
                                <LoadError
                                    what=strings::STATUS_LOAD_FAILED
                                    error
                                    on_retry=refetch
                                    pending
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn ConfigDetails(config: ServiceConfig) -> impl IntoView {
    let ServiceConfig {
        version,
        database,
        storage,
        features,
        uploads,
        languages,
    } = config;
    let api_address = runtime_config::current()
        .api_base_url()
        .map_or_else(|| strings::API_SAME_ORIGIN.to_owned(), str::to_owned);
    let UploadLimits {
        audio_max_bytes,
        image_max_bytes,
        audio_content_types,
        image_content_types,
    } = uploads;

    view! {
        <div class="card-grid">
            <DetailsCard id="status-service" title=strings::STATUS_SERVICE>
                <Fact label=strings::LABEL_VERSION value=version />
                <Fact label=strings::LABEL_DATABASE value=database />
                <Fact label=strings::LABEL_STORAGE value=storage />
                <Fact label=strings::LABEL_API value=api_address />
            </DetailsCard>
            <DetailsCard id="status-features" title=strings::STATUS_FEATURES>
                <Fact
                    label=strings::LABEL_FACE_LOGIN
                    value=strings::feature_state(
                        features.face_login.enabled,
                        &features.face_login.provider,
                    )
                />
                <Fact
                    label=strings::LABEL_TRANSLATION
                    value=strings::feature_state(
                        features.translation.enabled,
                        &features.translation.provider,
                    )
                />
            </DetailsCard>
            <DetailsCard id="status-uploads" title=strings::STATUS_UPLOADS>
                <Fact
                    label=strings::LABEL_AUDIO_UPLOADS
                    value=upload_summary(audio_max_bytes, &audio_content_types)
                />
                <Fact
                    label=strings::LABEL_IMAGE_UPLOADS
                    value=upload_summary(image_max_bytes, &image_content_types)
                />
            </DetailsCard>
            <DetailsCard id="status-languages" title=strings::STATUS_LANGUAGES>
                <Fact
                    label=strings::LABEL_INTERFACE_LANGUAGES
                    value=format::list(&languages.interface)
                />
                <Fact
                    label=strings::LABEL_TRANSLATION_LANGUAGES
                    value=format::list(&languages.translation)
                />
            </DetailsCard>
        </div>
    }
}

/// A titled region (found by assistive technology under its title) holding
/// a list of facts.
#[component]
fn DetailsCard(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby=id>
            <h2 class="card-title" id=id>
                {title}
            </h2>
            <dl class="fact-list">{children()}</dl>
        </section>
    }
}

#[component]
fn Fact(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// "up to 50 MB · audio/mpeg, audio/flac".
fn upload_summary(max_bytes: u64, content_types: &[String]) -> String {
    format!(
        "{} {} · {}",
        strings::LABEL_MAX_SIZE,
        format::bytes(max_bytes),
        format::list(content_types)
    )
}
