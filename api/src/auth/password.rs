//! Passwords: the policy for new ones and argon2id hashing with OWASP's
//! parameters, run on the blocking pool so request workers never stall.
//! Hashing is the scarcest thing the service does (19 MiB and tens of
//! milliseconds each), so it goes through a [`HashingGate`]: about one at
//! a time per core, a short queue, then a fast "busy" instead of a pile-up.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use soundstream_types::FieldError;

use super::AuthError;
use crate::domain::field_error;

/// OWASP's first recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

static COMMON_PASSWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .map(str::to_lowercase)
        .collect()
});

/// Verified against when the account does not exist, so an unknown
/// username costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<Result<String, String>> =
    LazyLock::new(|| hash_blocking("not a real password, only a timing twin"));

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .expect("the OWASP argon2 parameters are within argon2's limits");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A password that meets the policy for new passwords. Not `Display`, so it
/// cannot end up in a log line by accident.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// 8–128 characters, not among the 10,000 most common passwords.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let length = input.chars().count();
        if !(8..=128).contains(&length) {
            return Err(field_error(field, "must be 8 to 128 characters long"));
        }
        if COMMON_PASSWORDS.contains(&input.to_lowercase()) {
            return Err(field_error(
                field,
                "is one of the most common passwords; choose one that is harder to guess",
            ));
        }
        Ok(Self(input.to_owned()))
    }
}

/// Bounded admission to hashing: `permits` hashes run at once, at most
/// `queue` more wait (each for at most `max_wait`); anything beyond is
/// refused at once with [`AuthError::Busy`].
pub struct HashingGate {
    permits: tokio::sync::Semaphore,
    waiting: AtomicUsize,
    queue: usize,
    max_wait: Duration,
}

/// Holds a place in the queue; leaving (however) frees it.
struct QueuePlace<'a>(&'a AtomicUsize);

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashingGate {
    pub fn new(permits: usize, queue: usize, max_wait: Duration) -> Self {
        Self {
            permits: tokio::sync::Semaphore::new(permits.max(1)),
            waiting: AtomicUsize::new(0),
            queue,
            max_wait,
        }
    }

    /// One permit per core and a queue of four per core, waiting at most a
    /// second: a hash takes about 50 ms, so a full queue drains in 200 ms.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores, cores * 4, Duration::from_secs(1))
    }

    /// How long a refused caller should wait before trying again.
    pub const RETRY_AFTER: Duration = Duration::from_secs(1);

    async fn admit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AuthError> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(AuthError::Busy);
        }
        let _place = QueuePlace(&self.waiting);
        match tokio::time::timeout(self.max_wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AuthError::Busy),
        }
    }

    /// The PHC string of a new password's argon2id hash.
    pub async fn hash(&self, password: NewPassword) -> Result<String, AuthError> {
        let _permit = self.admit().await?;
        hash(password).await
    }

    /// Whether `password` matches `stored` (see [`verify`]).
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, AuthError> {
        let _permit = self.admit().await?;
        verify(password, stored).await
    }
}

fn hash_blocking(password: &str) -> Result<String, String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| error.to_string())
}

/// The PHC string of a new password's argon2id hash, without admission
/// (the command line has no crowd to hold back).
pub async fn hash(password: NewPassword) -> Result<String, AuthError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password.0))
        .await?
        .map_err(AuthError::Hashing)
}

/// Whether `password` matches `stored`; with no stored hash (unknown
/// account) the same work is done against a dummy and the answer is no.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AuthError> {
    tokio::task::spawn_blocking(move || {
        let (hash, real) = match stored {
            Some(hash) => (hash, true),
            None => (DUMMY_HASH.clone().map_err(AuthError::Hashing)?, false),
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| AuthError::Hashing(e.to_string()))?;
        let matches = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_count_characters() {
        assert!(NewPassword::parse("password", "short").is_err());
        assert!(NewPassword::parse("password", "ñandú-río").is_ok());
        assert!(NewPassword::parse("password", &"x7".repeat(64)).is_ok());
        assert!(NewPassword::parse("password", &format!("{}z", "x7".repeat(64))).is_err());
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(COMMON_PASSWORDS.len(), 10_000);
        for common in ["password", "PassWord1", "qwertyuiop", "iloveyou"] {
            assert!(NewPassword::parse("password", common).is_err(), "{common}");
        }
    }

    #[tokio::test]
    async fn the_gate_refuses_at_once_beyond_its_queue_and_admits_again_after() {
        let gate = std::sync::Arc::new(HashingGate::new(1, 1, Duration::from_secs(5)));
        let running = gate.admit().await.expect("the permit");
        let queued = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.admit().await.map(drop) })
        };
        while gate.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }

        let started = std::time::Instant::now();
        let refused = gate.admit().await;

        assert!(matches!(refused, Err(AuthError::Busy)));
        assert!(
            started.elapsed() < Duration::from_millis(100),
            "refused at once"
        );
        drop(running);
        queued
            .await
            .expect("joined")
            .expect("the queued caller gets in");
        assert_eq!(gate.waiting.load(Ordering::SeqCst), 0);
        assert!(gate.admit().await.is_ok());
    }

    #[tokio::test]
    async fn a_queued_caller_gives_up_after_the_longest_wait() {
        let gate = HashingGate::new(1, 4, Duration::from_millis(50));
        let _running = gate.admit().await.expect("the permit");
        assert!(matches!(gate.admit().await, Err(AuthError::Busy)));
        assert_eq!(gate.waiting.load(Ordering::SeqCst), 0, "the place is freed");
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash(NewPassword::parse("password", "correct horse battery").expect("valid"))
            .await
            .expect("hashes");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify("correct horse battery".into(), Some(hash.clone()))
                .await
                .expect("ok")
        );
        assert!(
            !verify("wrong horse battery".into(), Some(hash))
                .await
                .expect("ok")
        );
        assert!(!verify("anything".into(), None).await.expect("ok"));
    }
}
