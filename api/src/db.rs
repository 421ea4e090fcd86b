//! The database: one pool over SQLite (embedded default) or PostgreSQL
//! (scale-out), chosen by `DATABASE_URL`, and the embedded migrations.
//!
//! Queries go through sqlx's `Any` driver with `$N` placeholders, which both
//! engines accept, so repositories hold one SQL text unless a feature (full
//! text search) needs a dialect of its own. Ids are UUIDv7 text and times
//! are Unix milliseconds: types both engines store and `Any` decodes alike.

use std::path::PathBuf;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::config::DatabaseUrl;

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long a request waits for a pooled connection before giving up with a
/// 503, rather than hanging.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

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
    /// Stored data broke a rule the code relies on (a bug, not input).
    #[error("database invariant broken: {0}")]
    Invariant(String),
}

impl DbError {
    /// Whether the database could not be reached (as opposed to a query
    /// that is wrong): clients may retry these.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Query(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_))
                | Self::Connect { .. }
        )
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
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(if sqlite_file.is_some() { 8 } else { 1 })
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
                            .await?;
                        Ok(())
                    })
                }),
        };
        let pool = options
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(&connect_url)
            .await
            .map_err(|source| DbError::Connect {
                url: url.to_string(),
                source,
            })?;
        Ok(Self {
            pool,
            backend,
            sqlite_file,
        })
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
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn acquire(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, DbError> {
        Ok(self.pool.acquire().await?)
    }

    /// A round trip to the database, for readiness.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
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
