//! Upload sessions and the objects they leave in storage.

use soundstream_types::UploadKind;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::DbError;

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
    sqlx::query(
        "INSERT INTO uploads (id, owner_id, kind, status, object_key, content_type, size_bytes, \
                              filename, created_at, expires_at, completed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
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
    .bind(new.complete.then_some(new.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The upload, if `owner_id` owns it: others' uploads do not exist for them.
/// A completed upload of `kind` owned by `owner_id`: what songs, covers,
/// avatars and faces may be made of.
pub async fn find_completed(
    conn: &mut AnyConnection,
    id: &str,
    owner_id: &str,
    kind: UploadKind,
) -> Result<Option<UploadRecord>, DbError> {
    Ok(find_owned(conn, id, owner_id)
        .await?
        .filter(|upload| upload.complete && upload.kind == kind))
}

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

pub async fn mark_complete(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE uploads SET status = 'complete', completed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets an upload whose object was refused (and deleted).
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM uploads WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes up to `limit` uploads never completed since `cutoff` and returns
/// their object keys. Each row goes to exactly one caller, however many
/// instances sweep at once.
pub async fn claim_abandoned(
    conn: &mut AnyConnection,
    cutoff: i64,
    limit: i64,
) -> Result<Vec<String>, DbError> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM uploads WHERE id IN \
           (SELECT id FROM uploads WHERE status = 'pending' AND created_at < $1 \
            ORDER BY created_at LIMIT $2) \
         RETURNING object_key",
    )
    .bind(cutoff)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// Forgets the upload of an object that is going away.
pub async fn delete_by_object(conn: &mut AnyConnection, object_key: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM uploads WHERE object_key = $1")
        .bind(object_key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether anything still shows or plays this object: a song, an album or
/// playlist cover, or an avatar.
pub async fn object_in_use(conn: &mut AnyConnection, object_key: &str) -> Result<bool, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT 'song' FROM songs WHERE audio_object_key = $1 OR cover_object_key = $1 \
         UNION ALL SELECT 'album' FROM albums WHERE cover_object_key = $1 \
         UNION ALL SELECT 'playlist' FROM playlists WHERE cover_object_key = $1 \
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
pub async fn release_objects(
    conn: &mut AnyConnection,
    object_keys: &[String],
    now: i64,
) -> Result<(), DbError> {
    for key in object_keys {
        if !object_in_use(&mut *conn, key).await? {
            delete_by_object(&mut *conn, key).await?;
            super::garbage::enqueue(&mut *conn, key, now).await?;
        }
    }
    Ok(())
}
