//! `/status`: everything `GET /api/v1/config` reports about this deployment.

use leptos::prelude::*;
use soundstream_types::{ServiceConfig, UploadLimits};

use crate::components::load_error::LoadError;
use crate::format;
use crate::i18n::{Texts, use_i18n};
use crate::{runtime_config, service_config};

#[component]
pub fn StatusPage() -> impl IntoView {
    super::set_document_title(|t| t.status_heading);
    let i18n = use_i18n();
    let config = LocalResource::new(service_config::load);
    let (pending, set_pending) = signal(false);
    let refetch = Callback::new(move |()| config.refetch());

    view! {
        <div class="page" aria-busy=move || pending.get().to_string()>
            <div class="page-heading">
                <h1>{move || i18n.t().status_heading}</h1>
                <button
                    type="button"
                    class="button button-quiet"
                    disabled=move || pending.get()
                    on:click=move |_| refetch.run(())
                >
                    {move || i18n.t().status_refresh}
                </button>
            </div>
            <Transition
                fallback=move || view! { <p class="muted">{move || i18n.t().status_loading}</p> }
                set_pending
            >
                {move || Suspend::new(async move {
                    match config.await {
                        Ok(config) => view! { <ConfigDetails config /> }.into_any(),
                        Err(error) => {
                            view! {
                                <LoadError
                                    what=i18n.t().status_load_failed
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
    let t = use_i18n().t();
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
        .map_or_else(|| t.api_same_origin.to_owned(), str::to_owned);
    let UploadLimits {
        audio_max_bytes,
        image_max_bytes,
        audio_content_types,
        image_content_types,
    } = uploads;

    view! {
        <div class="card-grid">
            <DetailsCard id="status-service" title=t.status_service>
                <Fact label=t.label_version value=version />
                <Fact label=t.label_database value=database />
                <Fact label=t.label_storage value=storage />
                <Fact label=t.label_api value=api_address />
            </DetailsCard>
            <DetailsCard id="status-features" title=t.status_features>
                <Fact
                    label=t.label_face_login
                    value=t.feature_state(
                        features.face_login.enabled,
                        &features.face_login.provider,
                    )
                />
                <Fact
                    label=t.label_translation
                    value=t.feature_state(
                        features.translation.enabled,
                        &features.translation.provider,
                    )
                />
            </DetailsCard>
            <DetailsCard id="status-uploads" title=t.status_uploads>
                <Fact
                    label=t.label_audio_uploads
                    value=upload_summary(t, audio_max_bytes, &audio_content_types)
                />
                <Fact
                    label=t.label_image_uploads
                    value=upload_summary(t, image_max_bytes, &image_content_types)
                />
            </DetailsCard>
            <DetailsCard id="status-languages" title=t.status_languages>
                <Fact
                    label=t.label_interface_languages
                    value=format::list(&languages.interface, t.none)
                />
                <Fact
                    label=t.label_translation_languages
                    value=format::list(&languages.translation, t.none)
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
fn upload_summary(t: &Texts, max_bytes: u64, content_types: &[String]) -> String {
    format!(
        "{} {} · {}",
        t.label_max_size,
        format::bytes(max_bytes),
        format::list(content_types, t.none)
    )
}
