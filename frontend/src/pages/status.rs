//! `/status`: everything `GET /api/v1/config` reports about this deployment.

use leptos::prelude::*;
use soundstream_types::{ServiceConfig, UploadLimits};

use crate::components::load_error::LoadError;
use crate::format;
use crate::i18n::{Locale, set_document_title, t_string, td_string, use_i18n};
use crate::{runtime_config, service_config};

#[component]
pub fn StatusPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, status_heading));
    let i18n = use_i18n();
    let config = LocalResource::new(service_config::load);
    let (pending, set_pending) = signal(false);
    let refetch = Callback::new(move |()| config.refetch());

    view! {
        <div class="page" aria-busy=move || pending.get().to_string()>
            <div class="page-heading">
                <h1>{move || t_string!(i18n, status_heading)}</h1>
                <button
                    type="button"
                    class="button button-quiet"
                    disabled=move || pending.get()
                    on:click=move |_| refetch.run(())
                >
                    {move || t_string!(i18n, status_refresh)}
                </button>
            </div>
            <Transition
                fallback=move || view! { <p class="muted">{move || t_string!(i18n, status_loading)}</p> }
                set_pending
            >
                {move || Suspend::new(async move {
                    match config.await {
                        Ok(config) => view! { <ConfigDetails config /> }.into_any(),
                        Err(error) => {
                            view! {
                                <LoadError
                                    what=t_string!(i18n, status_load_failed)
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
    let l = use_i18n().get_locale();
    let ServiceConfig {
        version,
        database,
        storage,
        needs_first_admin: _,
        features,
        uploads,
        languages,
    } = config;
    let face_enabled = features.face_login.enabled;
    let liveness = if features.face_liveness == "challenge" {
        td_string!(l, liveness_challenge).to_owned()
    } else {
        td_string!(l, liveness_off).to_owned()
    };
    let api_address = runtime_config::current()
        .api_base_url()
        .map_or_else(|| td_string!(l, api_same_origin).to_owned(), str::to_owned);
    let UploadLimits {
        audio_max_bytes,
        image_max_bytes,
        audio_content_types,
        image_content_types,
        image_max_pixels,
        image_quota_bytes,
        image_quota_count,
    } = uploads;
    let megapixels = (image_max_pixels / 1_000_000).to_string();
    let quota_size = format::bytes(image_quota_bytes);
    let quota_count = image_quota_count.to_string();

    view! {
        <div class="card-grid">
            <DetailsCard id="status-service" title=td_string!(l, status_service)>
                <Fact label=td_string!(l, label_version) value=version />
                <Fact label=td_string!(l, label_database) value=database />
                <Fact label=td_string!(l, label_storage) value=storage />
                <Fact label=td_string!(l, label_api) value=api_address />
            </DetailsCard>
            <DetailsCard id="status-features" title=td_string!(l, status_features)>
                <Fact
                    label=td_string!(l, label_face_login)
                    value=feature_state(l,
                        features.face_login.enabled,
                        &features.face_login.provider,
                    )
                />
                {face_enabled.then(|| view! {
                    <Fact label=td_string!(l, label_face_liveness) value=liveness />
                })}
                <Fact
                    label=td_string!(l, label_translation)
                    value=feature_state(l,
                        features.translation.enabled,
                        &features.translation.provider,
                    )
                />
            </DetailsCard>
            <DetailsCard id="status-uploads" title=td_string!(l, status_uploads)>
                <Fact
                    label=td_string!(l, label_audio_uploads)
                    value=upload_summary(l, audio_max_bytes, &audio_content_types)
                />
                <Fact
                    label=td_string!(l, label_image_uploads)
                    value=format!(
                        "{} · {}",
                        upload_summary(l, image_max_bytes, &image_content_types),
                        td_string!(l, image_pixels_limit, megapixels),
                    )
                />
                <Fact
                    label=td_string!(l, label_image_quota)
                    value=td_string!(l, image_quota_summary, quota_size, quota_count)
                />
            </DetailsCard>
            <DetailsCard id="status-languages" title=td_string!(l, status_languages)>
                <Fact
                    label=td_string!(l, label_interface_languages)
                    value=format::list(&languages.interface, td_string!(l, none))
                />
                <Fact
                    label=td_string!(l, label_translation_languages)
                    value=format::list(&languages.translation, td_string!(l, none))
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
fn upload_summary(l: Locale, max_bytes: u64, content_types: &[String]) -> String {
    format!(
        "{} {} · {}",
        td_string!(l, label_max_size),
        format::bytes(max_bytes),
        format::list(content_types, td_string!(l, none))
    )
}

/// "Enabled (rekognition)" or "Disabled".
fn feature_state(l: Locale, enabled: bool, provider: &str) -> String {
    if enabled {
        td_string!(l, feature_enabled_by, provider)
    } else {
        td_string!(l, feature_disabled).to_owned()
    }
}
