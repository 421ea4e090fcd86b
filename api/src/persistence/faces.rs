//! Face enrolments: one per user, the image kept privately in media storage.

use sqlx::AnyConnection;

use crate::db::DbError;

#[derive(Debug, Clone)]
pub struct FaceRecord {
    pub provider: String,
    pub image_object_key: String,
    pub template: Option<Vec<u8>>,
    pub created_at: i64,
    /// Set by a password change or signing out everywhere: face login
    /// refuses the enrolment until the password is confirmed again.
    pub suspended_at: Option<i64>,
}

pub async fn find(conn: &mut AnyConnection, user_id: &str) -> Result<Option<FaceRecord>, DbError> {
    type Row = (String, String, Option<Vec<u8>>, i64, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT provider, image_object_key, template, created_at, suspended_at \
         FROM face_enrolments WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(provider, image_object_key, template, created_at, suspended_at)| FaceRecord {
            provider,
            image_object_key,
            template,
            created_at,
            suspended_at,
        },
    ))
}

/// Removes the enrolment, returning its image's object key.
pub async fn delete(conn: &mut AnyConnection, user_id: &str) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("DELETE FROM face_enrolments WHERE user_id = $1 RETURNING image_object_key")
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(key,)| key))
}

pub async fn insert(
    conn: &mut AnyConnection,
    user_id: &str,
    record: &FaceRecord,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO face_enrolments (user_id, provider, image_object_key, template, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(&record.provider)
    .bind(&record.image_object_key)
    .bind(record.template.as_deref())
    .bind(record.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Suspends the user's enrolment (kept, refused for login) or, with `None`,
/// resumes it.
pub async fn set_suspended(
    conn: &mut AnyConnection,
    user_id: &str,
    suspended_at: Option<i64>,
) -> Result<(), DbError> {
    sqlx::query("UPDATE face_enrolments SET suspended_at = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(suspended_at)
        .execute(conn)
        .await?;
    Ok(())
}
