//! Prometheus metrics at `/metrics`: request counts and latency histograms
//! by route pattern, method and status (actix-web-prom), plus gauges of the
//! database pool read at scrape time. An optional bearer token guards them.

use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry};

use sha2::{Digest, Sha256};

use crate::db::Database;
use crate::http::error::ApiError;
use crate::services::radio_listeners::RadioListeners;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
#[error("cannot set up metrics: {0}")]
pub struct MetricsError(String);

impl MetricsError {
    pub fn new(message: String) -> Self {
        Self(message)
    }
}

/// Keeps `/metrics` to scrapers bearing the configured token (deployments
/// that expose the API directly); without one configured, it stays open.
/// The tokens are compared by their SHA-256, so the time taken says nothing
/// about how much of a guess was right.
pub async fn guard_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Every request passes here: only a scrape looks the token up.
    let expected = (req.path() == "/metrics")
        .then(|| req.app_data::<Data<AppState>>())
        .flatten()
        .and_then(|state| state.settings.metrics_token.clone());
    if let Some(expected) = expected {
        let presented = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        if Sha256::digest(presented.as_bytes()) != Sha256::digest(expected.as_bytes()) {
            let refusal = ApiError::Unauthorized(
                "The metrics need the scraper's token: Authorization: Bearer <token>.".into(),
            );
            return Ok(req.into_response(refusal.error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// `soundstream_jobs_total{kind, outcome}`: background jobs this instance
/// settled (`done`, `retrying`, `failed`, `lost`).
pub fn job_counter() -> Result<IntCounterVec, MetricsError> {
    let counter = IntCounterVec::new(
        Opts::new(
            "soundstream_jobs_total",
            "Background jobs settled by this instance",
        ),
        &["kind", "outcome"],
    )
    .map_err(|e| MetricsError(e.to_string()))?;
    // Every series from zero, so it is scraped (and `increase` counts the
    // first job) before anything happened.
    for kind in ["analysis", "renditions"] {
        for outcome in ["done", "retrying", "failed", "lost"] {
            counter.with_label_values(&[kind, outcome]);
        }
    }
    Ok(counter)
}

/// Builds the middleware that records and serves the metrics.
pub fn prometheus_middleware(
    db: &Database,
    jobs: &IntCounterVec,
    panics: &IntCounter,
    radio: std::sync::Arc<RadioListeners>,
) -> Result<PrometheusMetrics, MetricsError> {
    let registry = Registry::new();
    registry
        .register(Box::new(PoolCollector::new(db.clone())?))
        .map_err(|e| MetricsError(e.to_string()))?;
    registry
        .register(Box::new(jobs.clone()))
        .map_err(|e| MetricsError(e.to_string()))?;
    registry
        .register(Box::new(panics.clone()))
        .map_err(|e| MetricsError(e.to_string()))?;
    registry
        .register(Box::new(RadioCollector::new(radio)?))
        .map_err(|e| MetricsError(e.to_string()))?;
    PrometheusMetricsBuilder::new("soundstream")
        .endpoint("/metrics")
        .registry(registry)
        // Unknown paths share one label so scanners cannot blow up cardinality.
        .mask_unmatched_patterns("unmatched")
        .build()
        .map_err(|e| MetricsError(e.to_string()))
}

/// Reads the pool's counts whenever Prometheus scrapes.
struct PoolCollector {
    db: Database,
    connections: IntGaugeVec,
    max_connections: IntGauge,
}

impl PoolCollector {
    fn new(db: Database) -> Result<Self, MetricsError> {
        let connections = IntGaugeVec::new(
            Opts::new(
                "soundstream_db_pool_connections",
                "Database pool connections by state",
            ),
            &["state"],
        )
        .map_err(|e| MetricsError(e.to_string()))?;
        let max_connections = IntGauge::new(
            "soundstream_db_pool_max_connections",
            "Largest number of connections the database pool may open",
        )
        .map_err(|e| MetricsError(e.to_string()))?;
        Ok(Self {
            db,
            connections,
            max_connections,
        })
    }
}

impl Collector for PoolCollector {
    fn desc(&self) -> Vec<&Desc> {
        let mut descs = self.connections.desc();
        descs.extend(self.max_connections.desc());
        descs
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let stats = self.db.pool_stats();
        let idle = i64::from(stats.idle);
        self.connections.with_label_values(&["idle"]).set(idle);
        self.connections
            .with_label_values(&["in_use"])
            .set(i64::from(stats.open) - idle);
        self.max_connections.set(i64::from(stats.max));
        let mut families = self.connections.collect();
        families.extend(self.max_connections.collect());
        families
    }
}

/// Reads this instance's radio stream listeners whenever Prometheus scrapes.
struct RadioCollector {
    radio: std::sync::Arc<RadioListeners>,
    listeners: IntGauge,
    max_listeners: IntGauge,
}

impl RadioCollector {
    fn new(radio: std::sync::Arc<RadioListeners>) -> Result<Self, MetricsError> {
        let listeners = IntGauge::new(
            "soundstream_radio_listeners",
            "Radio stream listeners this instance is serving",
        )
        .map_err(|e| MetricsError(e.to_string()))?;
        let max_listeners = IntGauge::new(
            "soundstream_radio_max_listeners",
            "Radio stream listeners this instance serves at most",
        )
        .map_err(|e| MetricsError(e.to_string()))?;
        Ok(Self {
            radio,
            listeners,
            max_listeners,
        })
    }
}

impl Collector for RadioCollector {
    fn desc(&self) -> Vec<&Desc> {
        let mut descs = self.listeners.desc();
        descs.extend(self.max_listeners.desc());
        descs
    }

    fn collect(&self) -> Vec<MetricFamily> {
        self.listeners
            .set(i64::try_from(self.radio.count()).unwrap_or(i64::MAX));
        self.max_listeners
            .set(i64::try_from(self.radio.limit()).unwrap_or(i64::MAX));
        let mut families = self.listeners.collect();
        families.extend(self.max_listeners.collect());
        families
    }
}
