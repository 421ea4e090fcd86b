//! Whether this instance is draining: set by `shutdown` on SIGTERM, read
//! by the readiness probe, so the load balancer stops routing here first.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shared with the readiness probe.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    draining: Arc<AtomicBool>,
}

impl Lifecycle {
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}
