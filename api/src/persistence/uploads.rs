//! Upload sessions and the objects they leave in storage.

use soundstream_types::UploadKind;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::DbError;
use crate::persistence::parameters;

const COLUMNS: &str =
    "id, owner_id, kind, status, object_key, content_type, size_bytes, filename, expires_at";

#[derive(Debug, Clone)]
pub struct UploadRecord {
    pub id: String,
    pub owner_id: String,
    pub kind: UploadKind,
    pub complete: bool,
    pub object_key: String,
    pub content_type: String,
    pub size: u64,
    pub filename: Option<String>,
    pub expires_at: i64,
}

impl UploadRecord {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let kind: String = row.try_get("kind")?;
        let status: String = row.try_get("status")?;
        let size: i64 = row.try_get("size_bytes")?;
        Ok(Self {
            id: row.try_get("id")?,
            owner_id: row.try_get("owner_id")?,
            kind: if kind == "audio" {
                UploadKind::Audio
            } else {
                UploadKind::Image
            },
            complete: status == "complete",
            object_key: row.try_get("object_key")?,
            content_type: row.try_get("content_type")?,
            size: u64::try_from(size).unwrap_or(0),
            filename: row.try_get("filename")?,
            expires_at: row.try_get("expires_at")?,
        })
    }
}

pub fn kind_name(kind: UploadKind) -> &'static str {
    match kind {
        UploadKind::Audio => "audio",
        UploadKind::Image => "image",
    }
}

pub struct NewUpload<'a> {
    pub id: &'a str,
    pub owner_id: &'a str,
    pub kind: UploadKind,
    pub complete: bool,
    pub object_key: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    pub filename: Option<&'a str>,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewUpload<'_>) -> Result<(), DbError> {
    insert_all(conn, std::slice::from_ref(new)).await
}

/// Inserts `uploads` (an import's batch), [`ROWS_PER_INSERT`] a statement.
pub async fn insert_all(
    conn: &mut AnyConnection,
    uploads: &[NewUpload<'_>],
) -> Result<(), DbError> {
    const COLUMNS: usize = 11;
    for chunk in uploads.chunks(ROWS_PER_INSERT) {
        let rows = (0..chunk.len())
            .map(|row| format!("({})", parameters(1 + row * COLUMNS, COLUMNS)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut statement = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO uploads (id, owner_id, kind, status, object_key, content_type, \
                                  size_bytes, filename, created_at, expires_at, completed_at) \
             VALUES {rows}"
        )));
        for new in chunk {
            statement = statement
                .bind(new.id)
                .bind(new.owner_id)
                .bind(kind_name(new.kind))
                .bind(if new.complete { "complete" } else { "pending" })
                .bind(new.object_key)
                .bind(new.content_type)
                .bind(i64::try_from(new.size).unwrap_or(i64::MAX))
                .bind(new.filename)
                .bind(new.created_at)
                .bind(new.expires_at)
                .bind(new.complete.then_some(new.created_at));
        }
        statement.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rows per multi-row INSERT: SQLite finds a numbered parameter by walking
/// the statement's list of them, so binding n parameters costs n², and 128
/// rows of 11 were a few percent of an import.
const ROWS_PER_INSERT: usize = 16;

/// A completed upload of `kind` owned by `owner_id`: what songs, covers,
/// avatars and faces may be made of. The row stays locked until the
/// caller's transaction ends, so the clean-up, which locks it before it
/// looks for users of the object (see [`lock_object`]), either sees the
/// reference this transaction is about to write or has already taken the
/// upload away (then this finds nothing). Call it inside the transaction
/// that writes the reference.
pub async fn find_completed(
    conn: &mut AnyConnection,
    id: &str,
    owner_id: &str,
    kind: UploadKind,
) -> Result<Option<UploadRecord>, DbError> {
    // A no-op UPDATE: a row lock on PostgreSQL, the write lock on SQLite,
    // with the same SQL on both.
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE uploads SET status = status \
         WHERE id = $1 AND owner_id = $2 AND kind = $3 AND status = 'complete' \
         RETURNING {COLUMNS}"
    )))
    .bind(id)
    .bind(owner_id)
    .bind(kind_name(kind))
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(UploadRecord::from_row).transpose()?)
}

/// The upload, if `owner_id` owns it: others' uploads do not exist for them.
pub async fn find_owned(
    conn: &mut AnyConnection,
    id: &str,
    owner_id: &str,
) -> Result<Option<UploadRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM uploads WHERE id = $1 AND owner_id = $2"
    )))
    .bind(id)
    .bind(owner_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(UploadRecord::from_row).transpose()?)
}

/// Completes a pending upload with its verified copy at `verified_key`.
/// False when it is not pending anymore (completed or swept meanwhile).
pub async fn mark_complete(
    conn: &mut AnyConnection,
    id: &str,
    verified_key: &str,
    now: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE uploads SET status = 'complete', object_key = $2, completed_at = $3 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(verified_key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets a pending upload whose object was refused (and deleted); a
/// completed one is never touched.
pub async fn delete_pending(conn: &mut AnyConnection, id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM uploads WHERE id = $1 AND status = 'pending'")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether bytes may still be sent to `object_key`: only while its upload
/// is pending. Completion moves the upload to another key, so its upload
/// URL stops working at once.
pub async fn awaits_bytes(conn: &mut AnyConnection, object_key: &str) -> Result<bool, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM uploads WHERE object_key = $1 AND status = 'pending'")
            .bind(object_key)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}

/// Locks the upload rows of an object until the transaction ends, waiting
/// for any transaction that is referencing it through [`find_completed`].
/// Checks for users of the object made after this see its reference.
pub async fn lock_object(conn: &mut AnyConnection, object_key: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE uploads SET status = status WHERE object_key = $1")
        .bind(object_key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes up to `limit` uploads never completed since `cutoff`, or whose
/// writer's hold lapsed before `now`, and returns their object keys. Each
/// row goes to exactly one caller, however many instances sweep at once.
pub async fn claim_abandoned(
    conn: &mut AnyConnection,
    cutoff: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<String>, DbError> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM uploads WHERE id IN \
           (SELECT id FROM uploads WHERE status = 'pending' \
              AND (created_at < $1 OR held_until < $2) \
            ORDER BY created_at LIMIT $3) \
         RETURNING object_key",
    )
    .bind(cutoff)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// Holds the pending uploads `ids` for their writer until `until`.
pub async fn hold(conn: &mut AnyConnection, ids: &[String], until: i64) -> Result<(), DbError> {
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    update_pending(conn, "held_until = $1", until, &ids).await?;
    Ok(())
}

/// Completes the pending uploads `ids` whose objects were written where
/// they were reserved (an import's); returns how many were still pending.
pub async fn complete_pending(
    conn: &mut AnyConnection,
    ids: &[&str],
    now: i64,
) -> Result<u64, DbError> {
    update_pending(conn, "status = 'complete', completed_at = $1", now, ids).await
}

/// `UPDATE uploads SET {set}` (whose `$1` is `value`) for those of `ids`
/// still pending, in one statement; returns how many.
async fn update_pending(
    conn: &mut AnyConnection,
    set: &str,
    value: i64,
    ids: &[&str],
) -> Result<u64, DbError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut statement = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE uploads SET {set} WHERE status = 'pending' AND id IN ({})",
        parameters(2, ids.len())
    )))
    .bind(value);
    for id in ids {
        statement = statement.bind(*id);
    }
    Ok(statement.execute(conn).await?.rows_affected())
}

/// Forgets the upload of an object that is going away.
/// Whether there was one to forget.
pub async fn delete_by_object(conn: &mut AnyConnection, object_key: &str) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM uploads WHERE object_key = $1")
        .bind(object_key)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether anything still shows or plays this object: a song, an album or
/// playlist cover, or an avatar.
pub async fn object_in_use(conn: &mut AnyConnection, object_key: &str) -> Result<bool, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT 'song' FROM songs WHERE audio_object_key = $1 OR cover_object_key = $1 \
         UNION ALL SELECT 'album' FROM albums WHERE cover_object_key = $1 \
         UNION ALL SELECT 'playlist' FROM playlists WHERE cover_object_key = $1 \
         UNION ALL SELECT 'station' FROM stations WHERE cover_object_key = $1 \
         UNION ALL SELECT 'avatar' FROM users JOIN uploads avatar ON avatar.id = users.avatar_upload_id \
                   WHERE avatar.object_key = $1 \
         LIMIT 1",
    )
    .bind(object_key)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Lets go of objects an entity no longer uses: each that nothing else
/// uses loses its upload row and is queued for deletion from storage.
/// Call it inside a transaction (see [`release_if_unused`]).
pub async fn release_objects(
    conn: &mut AnyConnection,
    object_keys: &[String],
    now: i64,
) -> Result<(), DbError> {
    for key in object_keys {
        release_if_unused(&mut *conn, key, now).await?;
    }
    Ok(())
}

/// Deletes the upload of `object_key` and queues the object for deletion,
/// unless something uses it; true when an upload was deleted (false too
/// when another instance released it first). The lock taken first waits
/// for any transaction referencing the upload through [`find_completed`],
/// and the check after it (a statement of its own, so on PostgreSQL a new
/// snapshot) sees what that transaction committed: an object is never
/// deleted under a reference being written. Call it inside a transaction.
pub async fn release_if_unused(
    conn: &mut AnyConnection,
    object_key: &str,
    now: i64,
) -> Result<bool, DbError> {
    lock_object(&mut *conn, object_key).await?;
    if object_in_use(&mut *conn, object_key).await? {
        return Ok(false);
    }
    let released = delete_by_object(&mut *conn, object_key).await?;
    super::garbage::enqueue(&mut *conn, object_key, now).await?;
    Ok(released)
}

/// Up to `limit` object keys of uploads completed before `cutoff` that
/// nothing uses (never used, or replaced since), oldest first. A hint for
/// the clean-up, which checks each again under [`release_if_unused`].
pub async fn unused_completed(
    conn: &mut AnyConnection,
    cutoff: i64,
    limit: i64,
) -> Result<Vec<String>, DbError> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "SELECT u.object_key FROM uploads u \
         WHERE u.status = 'complete' AND u.completed_at < $1 \
           AND NOT EXISTS (SELECT 1 FROM songs \
                           WHERE audio_object_key = u.object_key OR cover_object_key = u.object_key) \
           AND NOT EXISTS (SELECT 1 FROM albums WHERE cover_object_key = u.object_key) \
           AND NOT EXISTS (SELECT 1 FROM playlists WHERE cover_object_key = u.object_key) \
           AND NOT EXISTS (SELECT 1 FROM stations WHERE cover_object_key = u.object_key) \
           AND NOT EXISTS (SELECT 1 FROM users WHERE avatar_upload_id = u.id) \
         ORDER BY u.completed_at LIMIT $2",
    )
    .bind(cutoff)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// How many images `owner_id` keeps (pending and completed) and their bytes.
pub async fn image_usage(conn: &mut AnyConnection, owner_id: &str) -> Result<(u64, u64), DbError> {
    let (count, bytes): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM uploads \
         WHERE owner_id = $1 AND kind = 'image'",
    )
    .bind(owner_id)
    .fetch_one(conn)
    .await?;
    Ok((
        u64::try_from(count).unwrap_or(0),
        u64::try_from(bytes).unwrap_or(0),
    ))
}

/// Serialises the uploads of one owner until the transaction ends, so two
/// concurrent requests cannot both fit under a quota only one fits under.
pub async fn lock_owner(conn: &mut AnyConnection, owner_id: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(owner_id)
        .execute(conn)
        .await?;
    Ok(())
}
