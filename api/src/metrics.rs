//! Prometheus metrics at `/metrics`: request counts and latency histograms
//! by route pattern, method and status (actix-web-prom), plus gauges of the
//! database pool read at scrape time.

use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{IntGauge, IntGaugeVec, Opts, Registry};

use crate::db::Database;

#[derive(Debug, thiserror::Error)]
#[error("cannot set up metrics: {0}")]
pub struct MetricsError(String);

/// Builds the middleware that records and serves the metrics.
pub fn prometheus_middleware(db: &Database) -> Result<PrometheusMetrics, MetricsError> {
    let registry = Registry::new();
    registry
        .register(Box::new(PoolCollector::new(db.clone())?))
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
