//! Sessions: refresh tokens, stored hashed, grouped in families (one per
//! login) so that reuse of a rotated token can revoke the whole family.

use sqlx::AnyConnection;

use crate::db::DbError;

pub struct RotatedToken {
    pub user_id: String,
    pub family_id: String,
}

pub async fn insert(
    conn: &mut AnyConnection,
    user_id: &str,
    family_id: &str,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(user_id)
    .bind(family_id)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a live token as used, in one statement, so of two racing
/// refreshes with the same token exactly one gets it.
pub async fn rotate(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<RotatedToken>, DbError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "UPDATE refresh_tokens SET rotated_at = $2 \
         WHERE token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > $2 \
         RETURNING user_id, family_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(user_id, family_id)| RotatedToken { user_id, family_id }))
}

/// The family of a token that was already rotated: presenting it again is
/// reuse.
pub async fn family_of_rotated(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND rotated_at IS NOT NULL",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(family,)| family))
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

pub async fn revoke_family(
    conn: &mut AnyConnection,
    family_id: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Revokes every session of a user but `keep` (the caller's own).
pub async fn revoke_user_sessions(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
    now: i64,
) -> Result<(), DbError> {
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
