//! Repositories: plain async functions over a connection or transaction
//! (the caller owns the transaction), one file per aggregate. SQL is shared
//! by SQLite and PostgreSQL through sqlx's `Any` driver.

pub mod annotations;
pub mod app_passwords;
pub mod bookmarks;
pub mod browsing;
pub mod faces;
pub mod filing;
pub mod garbage;
pub mod jobs;
pub mod library;
pub mod listening;
pub mod play_queues;
pub mod playlists;
pub mod rate_limits;
pub mod renditions;
pub mod search;
pub mod search_index;
pub mod sessions;
pub mod setup;
pub mod songs;
pub mod stations;
pub mod thumbnails;
pub mod translations;
pub mod uploads;
pub mod users;

use sqlx::Row;
use sqlx::any::AnyRow;

/// A boolean column: PostgreSQL's BOOLEAN and SQLite's 0/1 INTEGER arrive
/// as different `Any` types.
pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    match row.try_get::<bool, _>(column) {
        Ok(value) => Ok(value),
        Err(_) => row.try_get::<i64, _>(column).map(|value| value != 0),
    }
}

/// `$first, $first+1, …`: `count` parameters for an `IN (…)` list.
pub(crate) fn parameters(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|at| format!("${at}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which of a user's marks (favourites, stars, ratings) a read returns.
#[derive(Debug, Clone, Copy)]
pub enum Among<'a> {
    Everything,
    These(&'a [&'a str]),
}

impl<'a> Among<'a> {
    /// Beyond this many items one read of everything costs less than a
    /// list of parameters (an artists index lists the whole library).
    const MOST_BY_ID: usize = 500;

    /// The marks of these items: read by id, or all of them for many.
    pub fn items(ids: &'a [&'a str]) -> Self {
        if ids.len() > Self::MOST_BY_ID {
            Self::Everything
        } else {
            Self::These(ids)
        }
    }

    /// ` AND column IN (…)` with its parameters numbered from `first`, or
    /// nothing for everything.
    pub(crate) fn condition(self, column: &str, first: usize) -> String {
        match self {
            Self::Everything => String::new(),
            Self::These([]) => " AND 1 = 0".to_owned(),
            Self::These(ids) => format!(" AND {column} IN ({})", parameters(first, ids.len())),
        }
    }

    /// Binds the parameters of `condition`, last.
    pub(crate) fn bind<'q, O>(
        self,
        query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>
    where
        'a: 'q,
    {
        match self {
            Self::Everything => query,
            Self::These(ids) => ids.iter().fold(query, |query, id| query.bind(*id)),
        }
    }
}

/// Whether `conn` speaks to PostgreSQL (else SQLite).
pub(crate) fn is_postgres(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}

/// `FOR UPDATE` where the engine has row locks; SQLite's write transaction
/// already holds the whole database.
pub(crate) fn for_update(conn: &sqlx::AnyConnection) -> &'static str {
    if is_postgres(conn) { " FOR UPDATE" } else { "" }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_pattern(fragment: &str) -> String {
    let mut pattern = String::from("%");
    for c in fragment.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
