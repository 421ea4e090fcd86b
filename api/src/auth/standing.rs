//! What each instance remembers, for a few seconds, about the sessions it
//! has seen: whether the session is still open and what its user may do.
//! Reads trust this for up to [`STANDING_TTL`]; changes and admin routes
//! always read the database. So a logout, a disabled account or a demotion
//! stops every instance within that bound, and at once where it matters.
//! The cost: one indexed read per session per instance every
//! [`STANDING_TTL`] for reads, one per request for writes.

use std::time::Duration;

use soundstream_types::Role;

/// How stale a read request's view of its session may be.
pub const STANDING_TTL: Duration = Duration::from_secs(30);

/// A session's standing when it was last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Open until `expires_at` (Unix ms), for this user with this role.
    Open {
        user_id: String,
        role: Role,
        expires_at: i64,
    },
    /// Ended, revoked, unknown, or its user is disabled.
    Closed,
}

/// Sessions' standings by session id, each kept for [`STANDING_TTL`].
pub struct Standings(moka::sync::Cache<String, Standing>);

impl Default for Standings {
    fn default() -> Self {
        Self(
            moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(STANDING_TTL)
                .build(),
        )
    }
}

impl Standings {
    pub fn get(&self, session_id: &str) -> Option<Standing> {
        self.0.get(session_id)
    }

    pub fn remember(&self, session_id: &str, standing: Standing) {
        self.0.insert(session_id.to_owned(), standing);
    }

    /// Forgets a session this instance just changed.
    pub fn forget(&self, session_id: &str) {
        self.0.invalidate(session_id);
    }

    /// Forgets every session (a user-wide change on this instance).
    pub fn forget_all(&self) {
        self.0.invalidate_all();
    }
}
