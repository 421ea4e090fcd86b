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

/// A liveness challenge as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRecord {
    pub id: String,
    pub username: String,
    /// `left` or `right`.
    pub direction: String,
    pub expires_at: i64,
}

pub async fn insert_challenge(
    conn: &mut AnyConnection,
    challenge: &ChallengeRecord,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO face_challenges (id, username, direction, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&challenge.id)
    .bind(&challenge.username)
    .bind(&challenge.direction)
    .bind(challenge.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the challenge out: whoever deletes it first is the only one to
/// use it, on any instance.
pub async fn take_challenge(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<ChallengeRecord>, DbError> {
    let row: Option<(String, String, String, i64)> = sqlx::query_as(
        "DELETE FROM face_challenges WHERE id = $1 RETURNING id, username, direction, expires_at",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(
        row.map(|(id, username, direction, expires_at)| ChallengeRecord {
            id,
            username,
            direction,
            expires_at,
        }),
    )
}

/// Forgets challenges nobody answered in time.
pub async fn delete_expired_challenges(conn: &mut AnyConnection, now: i64) -> Result<u64, DbError> {
    let result = sqlx::query("DELETE FROM face_challenges WHERE expires_at < $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}
