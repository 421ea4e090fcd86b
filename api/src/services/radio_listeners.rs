//! How many radio stream listeners this instance serves: a bound on this
//! instance's work, never part of what is on air (that is read from the
//! database by every instance alike).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// This instance's stream listeners, bounded by
/// `SOUNDSTREAM_RADIO_MAX_LISTENERS` and counted in `/metrics`.
#[derive(Debug)]
pub struct RadioListeners {
    count: AtomicUsize,
    limit: usize,
}

impl RadioListeners {
    pub fn new(limit: usize) -> Self {
        Self {
            count: AtomicUsize::new(0),
            limit,
        }
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// A place for one more listener, unless the instance is full.
    pub fn admit(self: &Arc<Self>) -> Option<ListenerPermit> {
        self.count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |count| {
                (count < self.limit).then_some(count + 1)
            })
            .ok()
            .map(|_| ListenerPermit(self.clone()))
    }
}

/// One listener's place, given back when the stream ends.
pub struct ListenerPermit(Arc<RadioListeners>);

impl Drop for ListenerPermit {
    fn drop(&mut self) {
        self.0.count.fetch_sub(1, Ordering::AcqRel);
    }
}
