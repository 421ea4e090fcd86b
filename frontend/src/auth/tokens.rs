//! The token pair as the player keeps it, and when to refresh it. Plain
//! data and arithmetic on milliseconds, so the schedule is tested on the host.

use serde::{Deserialize, Serialize};
use soundstream_types::{TokenResponse, User};

/// Refresh at most this long before the access token expires…
const MAX_MARGIN_MS: f64 = 60_000.0;
/// …and at least this share of its lifetime before, for short-lived tokens.
const MARGIN_SHARE: f64 = 0.2;

/// A signed-in session, persisted in `localStorage` so it survives a reload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// Unix epoch milliseconds.
    pub issued_at_ms: f64,
    pub access_expires_at_ms: f64,
    pub refresh_expires_at_ms: f64,
    pub user: User,
}

impl Session {
    pub fn from_response(response: TokenResponse, now_ms: f64) -> Self {
        Self {
            access_expires_at_ms: now_ms + response.expires_in as f64 * 1000.0,
            refresh_expires_at_ms: now_ms + response.refresh_expires_in as f64 * 1000.0,
            issued_at_ms: now_ms,
            access_token: response.access_token,
            refresh_token: response.refresh_token,
            user: response.user,
        }
    }

    fn margin_ms(&self) -> f64 {
        let lifetime = (self.access_expires_at_ms - self.issued_at_ms).max(0.0);
        (lifetime * MARGIN_SHARE).min(MAX_MARGIN_MS)
    }

    /// When to refresh silently: shortly before the access token expires.
    pub fn refresh_due_at_ms(&self) -> f64 {
        self.access_expires_at_ms - self.margin_ms()
    }

    /// Milliseconds from `now_ms` until the refresh is due (0 when overdue).
    pub fn refresh_delay_ms(&self, now_ms: f64) -> f64 {
        (self.refresh_due_at_ms() - now_ms).max(0.0)
    }

    /// Whether the access token can still be sent as it is.
    pub fn access_is_usable(&self, now_ms: f64) -> bool {
        now_ms < self.refresh_due_at_ms()
    }

    /// Whether the refresh token may still be exchanged; past this the
    /// listener has to log in again.
    pub fn can_refresh(&self, now_ms: f64) -> bool {
        now_ms < self.refresh_expires_at_ms
    }
}

#[cfg(test)]
mod tests {
    use soundstream_types::Role;

    use super::*;

    fn response(expires_in: u64) -> TokenResponse {
        TokenResponse {
            access_token: "a".into(),
            token_type: "Bearer".into(),
            expires_in,
            refresh_token: "r".into(),
            refresh_expires_in: 30 * 24 * 3600,
            user: User {
                id: "u".into(),
                username: "ana".into(),
                email: "ana@example.com".into(),
                display_name: "Ana".into(),
                role: Role::Listener,
                disabled: false,
                preferred_language: None,
                avatar_url: None,
                created_at: "2026-01-01T00:00:00Z".into(),
            },
        }
    }

    #[test]
    fn a_fifteen_minute_token_is_refreshed_a_minute_early() {
        let session = Session::from_response(response(900), 1_000.0);
        assert_eq!(session.refresh_delay_ms(1_000.0), 840_000.0);
    }

    #[test]
    fn a_short_token_is_refreshed_at_four_fifths_of_its_life() {
        let session = Session::from_response(response(10), 0.0);
        assert_eq!(session.refresh_delay_ms(0.0), 8_000.0);
        assert!(session.access_is_usable(7_999.0));
        assert!(!session.access_is_usable(8_000.0));
    }

    #[test]
    fn an_overdue_refresh_is_due_now() {
        let session = Session::from_response(response(900), 0.0);
        assert_eq!(session.refresh_delay_ms(2_000_000.0), 0.0);
    }

    #[test]
    fn the_refresh_token_expires_on_its_own_clock() {
        let session = Session::from_response(response(900), 0.0);
        assert!(session.can_refresh(29.0 * 24.0 * 3600.0 * 1000.0));
        assert!(!session.can_refresh(30.0 * 24.0 * 3600.0 * 1000.0));
    }

    #[test]
    fn a_session_survives_serialisation() {
        let session = Session::from_response(response(900), 5.0);
        let json = serde_json::to_string(&session).expect("serialises");
        assert_eq!(
            serde_json::from_str::<Session>(&json).expect("parses"),
            session
        );
    }
}
