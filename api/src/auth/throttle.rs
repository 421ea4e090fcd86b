//! Brute-force protection shared by every instance: failed sign-ins are
//! counted in the database; past a free allowance each failure locks the
//! key for twice as long as the last, and a locked key gets 429 with
//! `Retry-After`. Unknown accounts are counted exactly like real ones, so
//! the answers reveal nothing.
//!
//! Three keys, so that the lockout cannot be turned against the owner:
//! - an account *from one address* (a guesser at one place is locked out
//!   of that account there, and nowhere else);
//! - an address, whatever the account (one place guessing many accounts);
//! - an account from everywhere (a guesser spreading attempts over many
//!   addresses). Each address adds at most its own allowance to it, and it
//!   does not apply at addresses the account has signed in from before.

use std::net::IpAddr;
use std::time::Duration;

use sqlx::AnyConnection;

use crate::clock::{millis, now_millis};
use crate::config::ThrottlePolicy;
use crate::db::DbError;

/// Known sign-in addresses are forgotten after this long unused.
pub const KNOWN_ADDRESS_RETENTION: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// What is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThrottleKey {
    /// One account (by the login as typed, so unknown names count too)
    /// from one address.
    Pair { login: String, address: String },
    /// One client address.
    Address(String),
    /// One account from every address.
    Account(String),
}

impl ThrottleKey {
    fn storage_key(&self) -> String {
        match self {
            Self::Pair { login, address } => format!("pair:{address}|{login}"),
            Self::Address(address) => format!("address:{address}"),
            Self::Account(login) => format!("account:{login}"),
        }
    }
}

/// IPv6 clients are counted per /64, the block one subscriber gets, so
/// rotating addresses within it does not reset the count.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

fn normalised_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// One attempt to prove who one is (password, face or a password
/// confirmation): the login as typed and, when known, where it comes from.
#[derive(Debug, Clone)]
pub struct SignInAttempt {
    login: String,
    address: Option<String>,
}

impl SignInAttempt {
    pub fn new(login: &str, client: Option<IpAddr>) -> Self {
        Self {
            login: normalised_login(login),
            address: client.map(address_key),
        }
    }

    fn pair(&self) -> Option<ThrottleKey> {
        self.address.as_ref().map(|address| ThrottleKey::Pair {
            login: self.login.clone(),
            address: address.clone(),
        })
    }

    fn account(&self) -> ThrottleKey {
        ThrottleKey::Account(self.login.clone())
    }

    fn address(&self) -> Option<ThrottleKey> {
        self.address.clone().map(ThrottleKey::Address)
    }
}

impl ThrottlePolicy {
    fn free_failures(&self, key: &ThrottleKey) -> i64 {
        match key {
            ThrottleKey::Pair { .. } => self.account_free_failures,
            ThrottleKey::Address(_) => self.address_free_failures,
            ThrottleKey::Account(_) => self.spread_free_failures,
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

    /// How long until the attempt may be made, if it is locked out now.
    pub async fn locked_for(
        &self,
        conn: &mut AnyConnection,
        attempt: &SignInAttempt,
    ) -> Result<Option<Duration>, DbError> {
        let mut keys: Vec<ThrottleKey> = attempt
            .pair()
            .into_iter()
            .chain(attempt.address())
            .collect();
        if !is_known_address(conn, attempt).await? {
            keys.push(attempt.account());
        }
        longest_lockout(conn, &keys).await
    }

    /// How long the client's address is locked out, if it is: checked
    /// before anything else about a request is read.
    pub async fn address_locked_for(
        &self,
        conn: &mut AnyConnection,
        client: IpAddr,
    ) -> Result<Option<Duration>, DbError> {
        longest_lockout(conn, &[ThrottleKey::Address(address_key(client))]).await
    }

    /// Counts a failure against the attempt's keys, atomically across
    /// instances, and locks the keys that are past their allowance.
    /// Whether this failure is beyond the allowance of the attempt's
    /// address (so an attempt counted in advance knows it came too late).
    pub async fn record_failure(
        &self,
        conn: &mut AnyConnection,
        attempt: &SignInAttempt,
    ) -> Result<bool, DbError> {
        let now = now_millis();
        let mut beyond = false;
        let pair_failures = match attempt.pair() {
            Some(pair) => {
                let failures = self.count(conn, &pair, now).await?;
                beyond |= failures > self.free_failures(&pair);
                Some(failures)
            }
            None => None,
        };
        if let Some(address) = attempt.address() {
            beyond |= self.count(conn, &address, now).await? > self.free_failures(&address);
        }
        // One address adds at most its own allowance to the account-wide
        // count: a single guesser can never lock the owner out elsewhere.
        if pair_failures.is_none_or(|failures| failures <= self.account_free_failures) {
            self.count(conn, &attempt.account(), now).await?;
        }
        // Forget keys idle for a day; indexed, so this stays cheap.
        sqlx::query("DELETE FROM login_throttle WHERE last_failure_at < $1 AND locked_until < $2")
            .bind(now - millis(Duration::from_secs(24 * 60 * 60)))
            .bind(now)
            .execute(&mut *conn)
            .await?;
        Ok(beyond)
    }

    /// Counts a failure against the client's address alone: an API key
    /// names no account to count it against.
    pub async fn record_address_failure(
        &self,
        conn: &mut AnyConnection,
        client: IpAddr,
    ) -> Result<(), DbError> {
        self.count(
            conn,
            &ThrottleKey::Address(address_key(client)),
            now_millis(),
        )
        .await?;
        Ok(())
    }

    async fn count(
        &self,
        conn: &mut AnyConnection,
        key: &ThrottleKey,
        now: i64,
    ) -> Result<i64, DbError> {
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
        .bind(now - millis(self.window))
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
        Ok(failures)
    }

    /// Takes back a failure counted in advance (face login counts one
    /// before the provider answers, so parallel attempts cannot slip past
    /// the allowance) once the attempt succeeded.
    pub async fn forgive(
        &self,
        conn: &mut AnyConnection,
        attempt: &SignInAttempt,
    ) -> Result<(), DbError> {
        for key in attempt.address().into_iter().chain([attempt.account()]) {
            sqlx::query(
                "UPDATE login_throttle SET failures = failures - 1 \
                 WHERE throttle_key = $1 AND failures > 0",
            )
            .bind(key.storage_key())
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    /// A successful sign-in clears the account's count at this address
    /// (not the address's: one good password must not launder an address's
    /// failures) and remembers the address as the account's, under every
    /// name it can be signed in with.
    pub async fn record_success(
        &self,
        conn: &mut AnyConnection,
        attempt: &SignInAttempt,
        names: &[&str],
    ) -> Result<(), DbError> {
        let Some(address) = &attempt.address else {
            sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
                .bind(attempt.account().storage_key())
                .execute(conn)
                .await?;
            return Ok(());
        };
        if let Some(pair) = attempt.pair() {
            sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
                .bind(pair.storage_key())
                .execute(&mut *conn)
                .await?;
        }
        let now = now_millis();
        for name in names {
            sqlx::query(
                "INSERT INTO known_sign_in_addresses (login, address, last_seen_at) \
                 VALUES ($1, $2, $3) \
                 ON CONFLICT (login, address) DO UPDATE SET last_seen_at = $3",
            )
            .bind(normalised_login(name))
            .bind(address)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

async fn longest_lockout(
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

async fn is_known_address(
    conn: &mut AnyConnection,
    attempt: &SignInAttempt,
) -> Result<bool, DbError> {
    let Some(address) = &attempt.address else {
        return Ok(false);
    };
    let known: Option<(i64,)> = sqlx::query_as(
        "SELECT last_seen_at FROM known_sign_in_addresses WHERE login = $1 AND address = $2",
    )
    .bind(&attempt.login)
    .bind(address)
    .fetch_optional(conn)
    .await?;
    Ok(known.is_some())
}

/// Forgets known sign-in addresses unused for a long time.
pub async fn purge_known_addresses(conn: &mut AnyConnection, now: i64) -> Result<u64, DbError> {
    let done = sqlx::query("DELETE FROM known_sign_in_addresses WHERE last_seen_at < $1")
        .bind(now - millis(KNOWN_ADDRESS_RETENTION))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    #[test]
    fn lockouts_double_past_the_allowance_up_to_the_cap() {
        let policy = ThrottlePolicy::default();
        let pair = ThrottleKey::Pair {
            login: "ana".into(),
            address: address_key(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        };
        assert_eq!(policy.lockout(&pair, 4), Duration::ZERO);
        assert_eq!(policy.lockout(&pair, 5), Duration::from_secs(2));
        assert_eq!(policy.lockout(&pair, 6), Duration::from_secs(4));
        assert_eq!(policy.lockout(&pair, 7), Duration::from_secs(8));
        assert_eq!(policy.lockout(&pair, 60), Duration::from_secs(15 * 60));
        let account = ThrottleKey::Account("ana".into());
        assert_eq!(policy.lockout(&account, 19), Duration::ZERO);
        assert_eq!(policy.lockout(&account, 20), Duration::from_secs(2));
        let address = ThrottleKey::Address(address_key(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(policy.lockout(&address, 19), Duration::ZERO);
        assert_eq!(policy.lockout(&address, 20), Duration::from_secs(2));
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_block() {
        let a: Ipv6Addr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: Ipv6Addr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        assert_eq!(address_key(IpAddr::V6(a)), address_key(IpAddr::V6(b)));
        let mapped: Ipv6Addr = "::ffff:10.0.0.1".parse().expect("ip");
        assert_eq!(address_key(IpAddr::V6(mapped)), "10.0.0.1");
    }
}
