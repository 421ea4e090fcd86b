//! `app_passwords`: a user's sealed secrets for Subsonic apps.

use sqlx::{AnyConnection, Row};

use crate::clock::now_millis;
use crate::db::DbError;

/// A stored app password (its secret still sealed).
#[derive(Debug, Clone)]
pub struct AppPasswordRecord {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub secret_sealed: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, name, secret_sealed, created_at, last_used_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<AppPasswordRecord, sqlx::Error> {
    Ok(AppPasswordRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        secret_sealed: row.try_get("secret_sealed")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

pub struct NewAppPassword<'a> {
    pub user_id: &'a str,
    pub name: &'a str,
    pub secret_sealed: &'a str,
    pub secret_hash: &'a str,
}

pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewAppPassword<'_>,
) -> Result<AppPasswordRecord, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_millis();
    sqlx::query(
        "INSERT INTO app_passwords (id, user_id, name, secret_sealed, secret_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(new.user_id)
    .bind(new.name)
    .bind(new.secret_sealed)
    .bind(new.secret_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(AppPasswordRecord {
        id,
        user_id: new.user_id.to_owned(),
        name: new.name.to_owned(),
        secret_sealed: new.secret_sealed.to_owned(),
        created_at: now,
        last_used_at: None,
    })
}

/// The user's app passwords, oldest first.
pub async fn for_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<AppPasswordRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM app_passwords WHERE user_id = $1 ORDER BY created_at, id"
    )))
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The app password whose secret has this SHA-256.
pub async fn find_by_hash(
    conn: &mut AnyConnection,
    secret_hash: &str,
) -> Result<Option<AppPasswordRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM app_passwords WHERE secret_hash = $1"
    )))
    .bind(secret_hash)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Deletes one of the user's app passwords; whether there was one.
pub async fn delete(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM app_passwords WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// How often a use is recorded at most (apps call for every song; the
/// list shows days, not seconds).
pub const TOUCH_EVERY_MS: i64 = 60_000;

/// Records a use, at most once every `TOUCH_EVERY_MS` per app password.
/// Whether it was recorded.
pub async fn touch(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE app_passwords SET last_used_at = $2 \
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(id)
    .bind(now)
    .bind(now - TOUCH_EVERY_MS)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
