//! Graceful shutdown. SIGTERM (from an orchestrator) turns readiness to 503
//! at once, waits the drain period so the load balancer stops routing here,
//! then stops accepting connections and lets in-flight requests finish.
//! SIGINT (Ctrl-C on a laptop) skips the drain; a second signal stops now.

use std::time::Duration;

use actix_web::dev::ServerHandle;

use crate::lifecycle::Lifecycle;

/// Stops the server when the process is asked to.
#[derive(Clone)]
pub struct ShutdownController {
    pub(crate) lifecycle: Lifecycle,
    pub(crate) server: ServerHandle,
    pub(crate) drain: Duration,
}

impl ShutdownController {
    /// Drain, then stop gracefully.
    pub async fn drain_and_stop(&self, drain: Duration) {
        self.lifecycle.start_draining();
        tracing::info!(
            drain_seconds = drain.as_secs_f64(),
            "shutting down: readiness now reports 503"
        );
        tokio::time::sleep(drain).await;
        tracing::info!("closing the listener; waiting for in-flight requests");
        self.server.stop(true).await;
    }

    /// Waits for SIGTERM or SIGINT and shuts down accordingly.
    #[cfg(unix)]
    pub async fn stop_on_signals(self) -> std::io::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let drain = tokio::select! {
            _ = terminate.recv() => self.drain,
            _ = interrupt.recv() => Duration::ZERO,
        };
        let graceful = self.drain_and_stop(drain);
        tokio::select! {
            () = graceful => {}
            _ = terminate.recv() => self.server.stop(false).await,
            _ = interrupt.recv() => self.server.stop(false).await,
        }
        Ok(())
    }
}
