//! Sessions (one per sign-in) and their refresh tokens, stored hashed and
//! grouped by session ("family") so that reuse of a rotated token can
//! revoke the whole family.

use soundstream_types::Role;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::DbError;
use crate::persistence::flag;
use crate::persistence::users::role_from_column;

/// What every authenticated request needs to know about its session.
pub struct SessionAccess {
    pub user_id: String,
    pub expires_at: i64,
    pub revoked: bool,
    pub user_disabled: bool,
    pub user_role: Role,
    /// Until when the password was last confirmed in this session.
    pub confirmed_until: Option<i64>,
}

/// A live refresh token.
pub struct TokenRecord {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A refresh token that was already exchanged.
pub struct RotatedRecord {
    pub family_id: String,
    pub rotated_at: i64,
    pub successor_hash: Option<String>,
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_token(
    conn: &mut AnyConnection,
    record: &TokenRecord,
    token_hash: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&record.id)
    .bind(&record.user_id)
    .bind(&record.family_id)
    .bind(token_hash)
    .bind(record.created_at)
    .bind(record.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a live token as exchanged for `successor_hash`, in one statement,
/// so of two racing refreshes with the same token exactly one gets it.
pub async fn rotate(
    conn: &mut AnyConnection,
    token_hash: &str,
    successor_hash: &str,
    now: i64,
) -> Result<Option<(String, String)>, DbError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "UPDATE refresh_tokens SET rotated_at = $2, successor_hash = $3 \
         WHERE token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > $2 \
         RETURNING user_id, family_id",
    )
    .bind(token_hash)
    .bind(now)
    .bind(successor_hash)
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn find_rotated(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<RotatedRecord>, DbError> {
    let row: Option<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT family_id, rotated_at, successor_hash FROM refresh_tokens \
         WHERE token_hash = $1 AND rotated_at IS NOT NULL",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    Ok(
        row.map(|(family_id, rotated_at, successor_hash)| RotatedRecord {
            family_id,
            rotated_at,
            successor_hash,
        }),
    )
}

/// The token with this hash if it is neither exchanged, revoked nor expired.
pub async fn find_live_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<TokenRecord>, DbError> {
    let row: Option<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, user_id, family_id, created_at, expires_at FROM refresh_tokens \
         WHERE token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(id, user_id, family_id, created_at, expires_at)| TokenRecord {
            id,
            user_id,
            family_id,
            created_at,
            expires_at,
        },
    ))
}

pub async fn family_of(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT family_id FROM refresh_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(family,)| family))
}

/// The session with its user's current standing, in one indexed read.
pub async fn access(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Option<SessionAccess>, DbError> {
    let row = sqlx::query(
        "SELECT sessions.user_id, sessions.expires_at, sessions.revoked_at, \
                sessions.confirmed_until, users.disabled, users.role \
         FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = $1",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| session_access(&row))
        .transpose()
        .map_err(DbError::Query)
}

fn session_access(row: &AnyRow) -> Result<SessionAccess, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(SessionAccess {
        user_id: row.try_get("user_id")?,
        expires_at: row.try_get("expires_at")?,
        revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
        user_disabled: flag(row, "disabled")?,
        user_role: role_from_column(&role),
        confirmed_until: row.try_get("confirmed_until")?,
    })
}

/// Ends a session: its tokens stop refreshing and its access tokens stop
/// verifying.
pub async fn revoke_family(
    conn: &mut AnyConnection,
    family_id: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(family_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of a user but `keep` (the caller's own).
pub async fn revoke_user_sessions(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = $3 \
         WHERE user_id = $1 AND revoked_at IS NULL AND ($2 IS NULL OR id <> $2)",
    )
    .bind(user_id)
    .bind(keep)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $3 \
         WHERE user_id = $1 AND revoked_at IS NULL AND ($2 IS NULL OR family_id <> $2)",
    )
    .bind(user_id)
    .bind(keep)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a password confirmation in the session ("sudo mode").
pub async fn confirm(
    conn: &mut AnyConnection,
    session_id: &str,
    until: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE sessions SET confirmed_until = $2 WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(session_id)
    .bind(until)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes sessions and refresh tokens that ended before `before`.
pub async fn purge_ended(conn: &mut AnyConnection, before: i64) -> Result<u64, DbError> {
    let tokens = sqlx::query("DELETE FROM refresh_tokens WHERE expires_at < $1 OR revoked_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(tokens.rows_affected() + sessions.rows_affected())
}
