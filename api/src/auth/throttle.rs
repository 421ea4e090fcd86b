//! Brute-force protection shared by every instance: failed logins are
//! counted in the database per account and per client address; past a free
//! allowance each failure locks the key for twice as long as the last, and
//! a locked key gets 429 with `Retry-After`. Unknown accounts are counted
//! exactly like real ones, so the answers reveal nothing.

use std::net::IpAddr;
use std::time::Duration;

use sqlx::AnyConnection;

use crate::clock::{millis, now_millis};
use crate::config::ThrottlePolicy;
use crate::db::DbError;

/// What is counted: an account (by the login as typed, so unknown names
/// count too) or a client address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThrottleKey {
    Account(String),
    Address(String),
}

impl ThrottleKey {
    pub fn account(login: &str) -> Self {
        Self::Account(login.trim().to_lowercase())
    }

    /// IPv6 clients are counted per /64, the block one subscriber gets, so
    /// rotating addresses within it does not reset the count.
    pub fn address(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::Address(v4.to_string()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::Address(v4.to_string()),
                None => {
                    let s = v6.segments();
                    Self::Address(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
                }
            },
        }
    }

    fn storage_key(&self) -> String {
        match self {
            Self::Account(login) => format!("account:{login}"),
            Self::Address(address) => format!("address:{address}"),
        }
    }
}

impl ThrottlePolicy {
    fn free_failures(&self, key: &ThrottleKey) -> i64 {
        match key {
            ThrottleKey::Account(_) => self.account_free_failures,
            ThrottleKey::Address(_) => self.address_free_failures,
        }
    }

    /// How long `failures` failures lock a key for (zero within the allowance).
    pub fn lockout(&self, key: &ThrottleKey, failures: i64) -> Duration {
        let beyond = failures - self.free_failures(key);
        if beyond < 0 {
            return Duration::ZERO;
        }
        let factor = 2_u32.saturating_pow(u32::try_from(beyond).unwrap_or(u32::MAX));
        self.first_lockout
            .saturating_mul(factor)
            .min(self.max_lockout)
    }

    /// How long until every key is free again, if any is locked now.
    pub async fn locked_for(
        &self,
        conn: &mut AnyConnection,
        keys: &[ThrottleKey],
    ) -> Result<Option<Duration>, DbError> {
        let now = now_millis();
        let mut longest = 0_i64;
        for key in keys {
            let locked_until: Option<(i64,)> =
                sqlx::query_as("SELECT locked_until FROM login_throttle WHERE throttle_key = $1")
                    .bind(key.storage_key())
                    .fetch_optional(&mut *conn)
                    .await?;
            if let Some((until,)) = locked_until {
                longest = longest.max(until - now);
            }
        }
        Ok((longest > 0).then(|| Duration::from_millis(u64::try_from(longest).unwrap_or(0))))
    }

    /// Counts a failure against every key, atomically across instances,
    /// and locks the keys that are past their allowance.
    pub async fn record_failure(
        &self,
        conn: &mut AnyConnection,
        keys: &[ThrottleKey],
    ) -> Result<(), DbError> {
        let now = now_millis();
        let window_start = now - millis(self.window);
        for key in keys {
            let (failures,): (i64,) = sqlx::query_as(
                "INSERT INTO login_throttle (throttle_key, failures, last_failure_at, locked_until) \
                 VALUES ($1, 1, $2, 0) \
                 ON CONFLICT (throttle_key) DO UPDATE SET \
                   failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 \
                                   ELSE login_throttle.failures + 1 END, \
                   last_failure_at = $2 \
                 RETURNING failures",
            )
            .bind(key.storage_key())
            .bind(now)
            .bind(window_start)
            .fetch_one(&mut *conn)
            .await?;
            let lockout = self.lockout(key, failures);
            if !lockout.is_zero() {
                sqlx::query(
                    "UPDATE login_throttle SET locked_until = \
                       CASE WHEN locked_until > $2 THEN locked_until ELSE $2 END \
                     WHERE throttle_key = $1",
                )
                .bind(key.storage_key())
                .bind(now + millis(lockout))
                .execute(&mut *conn)
                .await?;
            }
        }
        // Forget keys idle for a day; indexed, so this stays cheap.
        sqlx::query("DELETE FROM login_throttle WHERE last_failure_at < $1 AND locked_until < $2")
            .bind(now - millis(Duration::from_secs(24 * 60 * 60)))
            .bind(now)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// A successful login clears its account's count (not the address's:
    /// one good password must not launder an address's failures).
    pub async fn clear_account(
        &self,
        conn: &mut AnyConnection,
        login: &str,
    ) -> Result<(), DbError> {
        sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
            .bind(ThrottleKey::account(login).storage_key())
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// What a login attempt for `login` counts against: the account and, when
/// known, the client's address.
pub fn login_keys(login: &str, client: Option<IpAddr>) -> Vec<ThrottleKey> {
    let mut keys = vec![ThrottleKey::account(login)];
    if let Some(address) = client {
        keys.push(ThrottleKey::address(address));
    }
    keys
}
#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    #[test]
    fn lockouts_double_past_the_allowance_up_to_the_cap() {
        let policy = ThrottlePolicy::default();
        let account = ThrottleKey::account("Ana");
        assert_eq!(policy.lockout(&account, 4), Duration::ZERO);
        assert_eq!(policy.lockout(&account, 5), Duration::from_secs(2));
        assert_eq!(policy.lockout(&account, 6), Duration::from_secs(4));
        assert_eq!(policy.lockout(&account, 7), Duration::from_secs(8));
        assert_eq!(policy.lockout(&account, 60), Duration::from_secs(15 * 60));
        let address = ThrottleKey::address(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(policy.lockout(&address, 19), Duration::ZERO);
        assert_eq!(policy.lockout(&address, 20), Duration::from_secs(2));
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_block() {
        let a: Ipv6Addr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: Ipv6Addr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        assert_eq!(
            ThrottleKey::address(IpAddr::V6(a)),
            ThrottleKey::address(IpAddr::V6(b))
        );
        let mapped: Ipv6Addr = "::ffff:10.0.0.1".parse().expect("ip");
        assert_eq!(
            ThrottleKey::address(IpAddr::V6(mapped)),
            ThrottleKey::Address("10.0.0.1".into())
        );
    }
}
