//! The database: one pool over SQLite (embedded default) or PostgreSQL
//! (scale-out), chosen by `DATABASE_URL`, and the embedded migrations.
//!
//! Queries go through sqlx's `Any` driver with `$N` placeholders, which both
//! engines accept, so repositories hold one SQL text unless a feature (full
//! text search) needs a dialect of its own. Ids are UUIDv7 text and times
//! are Unix milliseconds: types both engines store and `Any` decodes alike.

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use tokio::sync::watch;

use crate::config::DatabaseUrl;

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long a request waits for a pooled connection before giving up with a
/// 503, rather than hanging.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// A pooled connection idle longer than this is pinged before it is used
/// (the database may have restarted meanwhile); one used more recently is
/// not, see `Database::connect`.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

/// How often the reachability watch pings PostgreSQL while it answers, and
/// while it does not (recovery is noticed within this).
const WATCH_INTERVAL_UP: Duration = Duration::from_secs(1);
const WATCH_INTERVAL_DOWN: Duration = Duration::from_millis(250);
/// A ping or reconnection slower than this counts as unreachable.
const WATCH_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database at {url}")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot create the database directory {}", path.display())]
    Directory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot take the migration lock {}", path.display())]
    MigrationLock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("applying migrations failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database query failed")]
    Query(#[from] sqlx::Error),
    /// The reachability watch finds PostgreSQL down: refused at once
    /// rather than after the pool's acquire timeout.
    #[error("the database is unreachable")]
    Unreachable,
    /// Stored data broke a rule the code relies on (a bug, not input).
    #[error("database invariant broken: {0}")]
    Invariant(String),
}

impl DbError {
    /// Whether the database could not be reached (as opposed to a query
    /// that is wrong): clients may retry these.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Query(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            )
            | Self::Connect { .. }
            | Self::Unreachable => true,
            Self::Query(sqlx::Error::Database(error)) => {
                error.code().is_some_and(|code| transient_code(&code))
            }
            _ => false,
        }
    }

    /// Whether the database's disk is full (SQLite `SQLITE_FULL`,
    /// PostgreSQL `disk_full`): nothing a retry soon will fix.
    pub fn is_disk_full(&self) -> bool {
        let Self::Query(sqlx::Error::Database(error)) = self else {
            return false;
        };
        error
            .code()
            .is_some_and(|code| code == "13" || code == "53100")
    }

    /// Whether this error is a violation of `index`.
    pub fn violates(&self, index: &UniqueIndex) -> bool {
        let Self::Query(sqlx::Error::Database(db_error)) = self else {
            return false;
        };
        if !db_error.is_unique_violation() {
            return false;
        }
        // PostgreSQL names the constraint; SQLite names an expression index
        // in its message, and a column index by its columns.
        let message = db_error.message();
        db_error.constraint() == Some(index.name)
            || message.contains(&format!("'{}'", index.name))
            || message.ends_with(index.columns)
    }
}

/// Error codes that say "not now" rather than "wrong": PostgreSQL's
/// connection exceptions (class 08) and shutdowns (57P01–57P03, e.g. a
/// server stopping under an open connection), and SQLite's busy and locked
/// codes (5, 6 and their extended forms) when a writer waited out the busy
/// timeout.
fn transient_code(code: &str) -> bool {
    if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") {
        return true;
    }
    // SQLite's extended codes keep the primary code in their low byte.
    code.parse::<u32>()
        .is_ok_and(|extended| matches!(extended & 0xff, 5 | 6))
}

/// A unique index, as both engines report a violation of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniqueIndex {
    pub name: &'static str,
    /// `table.column, table.column`, as SQLite lists them.
    pub columns: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Connection counts for the pool gauges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

#[derive(Debug, Clone)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
    /// The SQLite file, for the cross-process migration lock.
    sqlite_file: Option<PathBuf>,
    /// Whether the server is known to be down (PostgreSQL only: SQLite is
    /// a file, and its failures are the query's own).
    reachability: Arc<Reachability>,
}

/// PostgreSQL's reachability, watched apart from the pool: while the server
/// is down every request waiting for a connection is answered 503 at once
/// (instead of each waiting out the acquire timeout), and a pool saturated
/// by load is never mistaken for an outage.
#[derive(Debug)]
struct Reachability {
    down: watch::Sender<bool>,
}

impl Reachability {
    fn new() -> Self {
        Self {
            down: watch::Sender::new(false),
        }
    }

    fn is_down(&self) -> bool {
        *self.down.borrow()
    }

    fn set_down(&self, down: bool) {
        let changed = self.down.send_if_modified(|current| {
            let changed = *current != down;
            *current = down;
            changed
        });
        if changed && down {
            tracing::warn!("the database is unreachable; requests that need it answer 503");
        } else if changed {
            tracing::info!("the database answers again");
        }
    }

    /// Resolves when the server is found down.
    async fn went_down(&self) {
        let mut down = self.down.subscribe();
        // The sender lives as long as `self`: an error cannot happen here.
        let _ = down.wait_for(|down| *down).await;
    }
}

/// Pings PostgreSQL on a connection of its own until the database handle
/// is dropped, marking it down when neither the ping nor a reconnection
/// succeeds in time, and up again as soon as one does.
async fn watch_reachability(url: String, reachability: Weak<Reachability>) {
    let mut conn: Option<AnyConnection> = None;
    loop {
        let Some(watched) = reachability.upgrade() else {
            return;
        };
        let pinged = match conn.as_mut() {
            Some(open) => matches!(
                tokio::time::timeout(WATCH_TIMEOUT, open.ping()).await,
                Ok(Ok(()))
            ),
            None => false,
        };
        let answers = pinged || {
            conn = match tokio::time::timeout(WATCH_TIMEOUT, AnyConnection::connect(&url)).await {
                Ok(Ok(open)) => Some(open),
                _ => None,
            };
            conn.is_some()
        };
        watched.set_down(!answers);
        drop(watched);
        tokio::time::sleep(if answers {
            WATCH_INTERVAL_UP
        } else {
            WATCH_INTERVAL_DOWN
        })
        .await;
    }
}

impl Database {
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, DbError> {
        install_default_drivers();
        let (backend, connect_url, sqlite_file) = match url {
            DatabaseUrl::Postgres(url) => (Backend::Postgres, url.clone(), None),
            DatabaseUrl::Sqlite(url) => {
                let (url, file) = sqlite_url_creating_file(url)?;
                (Backend::Sqlite, url, file)
            }
        };
        let options = match backend {
            Backend::Postgres => AnyPoolOptions::new().max_connections(10),
            // One writer at a time in SQLite anyway; WAL lets readers proceed.
            // Each connection caches 1 MiB of pages rather than SQLite's 2:
            // eight of them full were most of the growth under load at 100k
            // songs, and a page not kept is a read from the OS's page cache.
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(if sqlite_file.is_some() { 8 } else { 1 })
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA cache_size = -1024;",
                        )
                        .await?;
                        Ok(())
                    })
                }),
        };
        let pool = options
            // A connection still in a transaction is stuck: SQLite rolls a
            // failed COMMIT back itself (a full disk), so the rollback sqlx
            // then sends fails and its count stays at one, and every later
            // BEGIN on it would fail. Such a connection is closed, not reused.
            //
            // sqlx pings every connection on its way back to the pool, and by
            // default again on its way out: with the query, three round trips
            // to the database (or SQLite's worker thread) per use. One
            // released less than `PING_WHEN_IDLE_FOR` ago answered then; only
            // one idle longer is pinged, and closed if it does not answer.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if conn.is_in_transaction() {
                        return Ok(false);
                    }
                    Ok(meta.idle_for < PING_WHEN_IDLE_FOR || conn.ping().await.is_ok())
                })
            })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(&connect_url)
            .await
            .map_err(|source| DbError::Connect {
                url: url.to_string(),
                source,
            })?;
        let reachability = Arc::new(Reachability::new());
        if let DatabaseUrl::Postgres(url) = url {
            tokio::spawn(watch_reachability(
                url.clone(),
                Arc::downgrade(&reachability),
            ));
        }
        Ok(Self {
            pool,
            backend,
            sqlite_file,
            reachability,
        })
    }

    /// Runs `operation` unless the database is known to be down, and gives
    /// up on it as soon as the database is found down.
    pub async fn unless_down<T, E: Into<DbError>>(
        &self,
        operation: impl Future<Output = Result<T, E>>,
    ) -> Result<T, DbError> {
        if self.reachability.is_down() {
            return Err(DbError::Unreachable);
        }
        tokio::select! {
            result = operation => result.map_err(Into::into),
            () = self.reachability.went_down() => Err(DbError::Unreachable),
        }
    }

    /// A connection of its own, outside the pool, for work that must never
    /// wait behind requests for a pooled one; `None` for an in-memory
    /// SQLite database, which exists only in the pool's one connection.
    pub async fn connect_apart(&self) -> Result<Option<AnyConnection>, DbError> {
        if self.backend == Backend::Sqlite && self.sqlite_file.is_none() {
            return Ok(None);
        }
        let options = self.pool.connect_options();
        self.unless_down(AnyConnection::connect_with(&options))
            .await
            .map(Some)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations. Safe when several instances start at
    /// once: PostgreSQL serialises them with an advisory lock (taken by
    /// sqlx before it even creates its table); for SQLite, whose migrator
    /// has no lock, a file lock beside the database does the same.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await?,
            Backend::Sqlite => {
                let _guard = match &self.sqlite_file {
                    Some(file) => Some(lock_file(file.with_extension("db.migrate-lock")).await?),
                    None => None,
                };
                SQLITE_MIGRATOR.run(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// A transaction that will write. SQLite takes the write lock up front
    /// (`BEGIN IMMEDIATE`): upgrading a read lock later can fail at once with
    /// "database is locked" when another writer got there first.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
        match self.backend {
            Backend::Sqlite => {
                self.unless_down(self.pool.begin_with("BEGIN IMMEDIATE"))
                    .await
            }
            Backend::Postgres => self.unless_down(self.pool.begin()).await,
        }
    }

    pub async fn acquire(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, DbError> {
        self.unless_down(self.pool.acquire()).await
    }

    /// A round trip to the database, for readiness.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.unless_down(sqlx::query("SELECT 1").execute(&self.pool))
            .await
            .map(drop)
    }

    pub fn pool_stats(&self) -> PoolStats {
        let open = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        PoolStats {
            open,
            idle,
            max: self.pool.options().get_max_connections(),
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes sure the SQLite file's directory exists and the file may be
/// created (`mode=rwc`); returns the URL to connect with and the file path
/// (none for in-memory databases).
fn sqlite_url_creating_file(url: &str) -> Result<(String, Option<PathBuf>), DbError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.contains("mode=memory") {
        return Ok((url.to_owned(), None));
    }
    let file = PathBuf::from(path);
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| DbError::Directory {
            path: parent.to_owned(),
            source,
        })?;
    }
    let url = if query.contains("mode=") {
        url.to_owned()
    } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    };
    Ok((url, Some(file)))
}

/// An exclusive advisory lock on `path`, held until the file is dropped.
async fn lock_file(path: PathBuf) -> Result<std::fs::File, DbError> {
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .and_then(|file| file.lock().map(|()| file));
        file.map_err(|source| DbError::MigrationLock { path, source })
    })
    .await
    .map_err(|join| DbError::MigrationLock {
        path: PathBuf::from("(migration lock task)"),
        source: std::io::Error::other(join),
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_gain_create_mode_and_keep_their_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("nested/soundstream.db");
        let url = format!("sqlite://{}", db.display());
        let (connect, file) = sqlite_url_creating_file(&url).expect("valid");
        assert_eq!(connect, format!("{url}?mode=rwc"));
        assert_eq!(file.as_deref(), Some(db.as_path()));
        assert!(db.parent().is_some_and(std::path::Path::is_dir));
    }

    #[test]
    fn outages_and_busy_writers_are_transient_and_mistakes_are_not() {
        // PostgreSQL: connection failure, admin shutdown, cannot connect now.
        for code in ["08006", "08001", "57P01", "57P03"] {
            assert!(transient_code(code), "{code}");
        }
        // SQLite: busy, locked, busy snapshot (517), busy timeout (773).
        for code in ["5", "6", "517", "773"] {
            assert!(transient_code(code), "{code}");
        }
        // Unique violation (both engines), syntax error, SQLITE_FULL.
        for code in ["23505", "2067", "42601", "13", "1"] {
            assert!(!transient_code(code), "{code}");
        }
    }

    #[tokio::test]
    async fn a_database_found_down_refuses_at_once_and_cuts_waits_short() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = DatabaseUrl::Sqlite(format!("sqlite://{}/t.db", dir.path().display()));
        let db = Database::connect(&url).await.expect("connects");
        // The one connection of a saturated pool is held: acquiring waits.
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(db.pool().connect_options().as_ref().clone())
            .await
            .expect("pool");
        let _busy = pool.acquire().await.expect("takes the only connection");
        let saturated = Database { pool, ..db.clone() };

        let waiting = tokio::spawn({
            let saturated = saturated.clone();
            async move { saturated.acquire().await.map(drop) }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        saturated.reachability.set_down(true);
        let cut_short = tokio::time::timeout(Duration::from_secs(2), waiting)
            .await
            .expect("the wait ends when the database is found down")
            .expect("task");

        assert!(matches!(cut_short, Err(DbError::Unreachable)));
        assert!(matches!(saturated.ping().await, Err(DbError::Unreachable)));
        assert!(DbError::Unreachable.is_unavailable());
        saturated.reachability.set_down(false);
        assert!(db.ping().await.is_ok());
    }

    #[test]
    fn in_memory_sqlite_has_no_file() {
        let (connect, file) = sqlite_url_creating_file("sqlite::memory:").expect("valid");
        assert_eq!(connect, "sqlite::memory:");
        assert!(file.is_none());
    }

    #[tokio::test]
    async fn migrations_apply_once_and_enable_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = DatabaseUrl::Sqlite(format!("sqlite://{}/t.db", dir.path().display()));
        let db = Database::connect(&url).await.expect("connects");
        db.migrate().await.expect("migrates");
        db.migrate().await.expect("second run is a no-op");

        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(db.pool())
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(db.pool())
            .await
            .expect("pragma");
        assert_eq!(fk, 1);
    }
}
