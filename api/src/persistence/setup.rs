//! A new server's setup: whether an administrator exists, and the claim of
//! the first one made from the player.

use sqlx::AnyConnection;

use crate::db::{DbError, UniqueIndex};

/// The single row of `first_admin`: a second claim violates it.
pub const FIRST_ADMIN_INDEX: UniqueIndex = UniqueIndex {
    name: "first_admin_pkey",
    columns: "first_admin.singleton",
};

/// Whether any administrator exists, enabled or not.
pub async fn any_admin(conn: &mut AnyConnection) -> Result<bool, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE role = 'admin' LIMIT 1")
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}

/// Records `user_id` as the first administrator; fails on
/// [`FIRST_ADMIN_INDEX`] when another claim came first.
pub async fn claim_first_admin(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query("INSERT INTO first_admin (singleton, user_id, created_at) VALUES (1, $1, $2)")
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
