//! `/admin/jobs`: the background work queue (renditions and loudness
//! analysis of new songs) counted by state and kind, with the latest
//! failures and why they failed.

use leptos::prelude::*;
use leptos_router::components::A;
use soundstream_types::{FailedJob, JobsOverview};

use crate::api;
use crate::components::admin_only::AdminOnly;
use crate::components::loaded::Loaded;
use crate::i18n::{I18n, set_document_title, t_string, td_string, use_i18n};

#[component]
pub fn JobsPage() -> impl IntoView {
    set_document_title(|l| td_string!(l, admin.jobs_heading));
    view! {
        <AdminOnly>
            <Jobs />
        </AdminOnly>
    }
}

#[component]
fn Jobs() -> impl IntoView {
    let i18n = use_i18n();
    let jobs = LocalResource::new(|| api::get::<JobsOverview>("/api/v1/admin/jobs"));
    view! {
        <div class="page">
            <div class="page-heading">
                <h1>{move || t_string!(i18n, admin.jobs_heading)}</h1>
                <button type="button" class="button" on:click=move |_| jobs.refetch()>
                    {move || t_string!(i18n, admin.refresh)}
                </button>
            </div>
            <Loaded resource=jobs what={|l| td_string!(l, admin.jobs_failed)} min_height="12rem" render={move |jobs: JobsOverview| {
                let totals = [
                    (Column::Queued, jobs.queued),
                    (Column::Running, jobs.running),
                    (Column::Done, jobs.done),
                    (Column::Failed, jobs.failed),
                ];
                view! {
                    <dl class="stat-grid">
                        {totals.map(|(column, count)| view! {
                            <div class="stat card">
                                <dt class="muted small">{move || column.label(i18n)}</dt>
                                <dd class="stat-value">{count}</dd>
                            </div>
                        })}
                    </dl>
                    <KindsTable jobs=jobs.clone() />
                    <Failures failures=jobs.failures />
                }
            }} />
        </div>
    }
}

#[derive(Debug, Clone, Copy)]
enum Column {
    Queued,
    Running,
    Done,
    Failed,
}

impl Column {
    fn label(self, i18n: I18n) -> &'static str {
        match self {
            Self::Queued => t_string!(i18n, admin.job_queued),
            Self::Running => t_string!(i18n, admin.job_running),
            Self::Done => t_string!(i18n, admin.job_done),
            Self::Failed => t_string!(i18n, admin.job_failed),
        }
    }
}

/// A kind of work the way an administrator knows it; unknown kinds as sent.
fn kind_label(i18n: I18n, kind: &str) -> String {
    match kind {
        "renditions" => t_string!(i18n, admin.job_kind_renditions).to_owned(),
        "analysis" => t_string!(i18n, admin.job_kind_analysis).to_owned(),
        other => other.to_owned(),
    }
}

#[component]
fn KindsTable(jobs: JobsOverview) -> impl IntoView {
    let i18n = use_i18n();
    let columns = [
        Column::Queued,
        Column::Running,
        Column::Done,
        Column::Failed,
    ];
    view! {
        <div class="table-scroll">
            <table class="admin-table">
                <thead>
                    <tr>
                        <th scope="col">{move || t_string!(i18n, admin.job_kind)}</th>
                        {columns.map(|column| view! { <th scope="col">{move || column.label(i18n)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {jobs.kinds.into_iter().map(|kind| {
                        let name = kind.kind.clone();
                        view! {
                            <tr>
                                <th scope="row">{move || kind_label(i18n, &name)}</th>
                                <td>{kind.queued}</td>
                                <td>{kind.running}</td>
                                <td>{kind.done}</td>
                                <td>{kind.failed}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Failures(failures: Vec<FailedJob>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="job-failures">
            <h2 id="job-failures" class="section-title">{move || t_string!(i18n, admin.failures_heading)}</h2>
            {if failures.is_empty() {
                view! { <p class="muted">{move || t_string!(i18n, admin.no_failures)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="admin-table">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t_string!(i18n, admin.job_song)}</th>
                                    <th scope="col">{move || t_string!(i18n, admin.job_kind)}</th>
                                    <th scope="col">{move || t_string!(i18n, admin.job_error)}</th>
                                    <th scope="col" class="hide-narrow">{move || t_string!(i18n, admin.job_attempts)}</th>
                                    <th scope="col" class="hide-narrow">{move || t_string!(i18n, admin.job_failed_at)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {failures.into_iter().map(|failure| {
                                    let kind = failure.kind.clone();
                                    // "2026-12-01T03:04:05Z" → "2026-12-01 03:04".
                                    let when = failure.failed_at.get(..16).unwrap_or(&failure.failed_at).replace('T', " ");
                                    view! {
                                        <tr>
                                            <td>{match failure.song {
                                                Some(song) => view! { <A href=format!("/admin/songs/{}", song.id)>{song.title}</A> }.into_any(),
                                                None => view! { <span class="muted">{move || t_string!(i18n, admin.song_gone)}</span> }.into_any(),
                                            }}</td>
                                            <td>{move || kind_label(i18n, &kind)}</td>
                                            <td class="job-error">{failure.error}</td>
                                            <td class="hide-narrow">{failure.attempts}</td>
                                            <td class="hide-narrow"><time datetime=failure.failed_at.clone()>{when}</time></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
