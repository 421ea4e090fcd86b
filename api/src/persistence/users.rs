//! Users and their credentials.

use soundstream_types::{Role, User};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{flag, for_update, like_pattern};
use crate::clock::{now_millis, rfc3339};
use crate::db::{DbError, UniqueIndex};
use crate::domain::{DisplayName, Email, LanguageCode, Username};

pub const USERNAME_INDEX: UniqueIndex = UniqueIndex {
    name: "users_username_key",
    columns: "index 'users_username_key'",
};
pub const EMAIL_INDEX: UniqueIndex = UniqueIndex {
    name: "users_email_key",
    columns: "index 'users_email_key'",
};

/// User columns with the avatar's object, for `FROM users LEFT JOIN uploads avatar`.
const COLUMNS: &str = "users.id, users.username, users.email, users.display_name, \
                       users.password_hash, users.role, users.disabled, users.preferred_language, \
                       users.created_at, avatar.object_key AS avatar_key, \
                       avatar.content_type AS avatar_content_type";
const FROM: &str = "users LEFT JOIN uploads avatar ON avatar.id = users.avatar_upload_id";

/// A stored image shown for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Avatar {
    pub object_key: String,
    pub content_type: String,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub preferred_language: Option<String>,
    pub avatar: Option<Avatar>,
    pub created_at: i64,
}

/// A `users.role` value (the column's CHECK allows only these two).
pub(crate) fn role_from_column(role: &str) -> Role {
    if role == "admin" {
        Role::Admin
    } else {
        Role::Listener
    }
}

impl UserRecord {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let role: String = row.try_get("role")?;
        Ok(Self {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            password_hash: row.try_get("password_hash")?,
            role: role_from_column(&role),
            disabled: flag(row, "disabled")?,
            preferred_language: row.try_get("preferred_language")?,
            avatar: match (
                row.try_get::<Option<String>, _>("avatar_key")?,
                row.try_get::<Option<String>, _>("avatar_content_type")?,
            ) {
                (Some(object_key), Some(content_type)) => Some(Avatar {
                    object_key,
                    content_type,
                }),
                _ => None,
            },
            created_at: row.try_get("created_at")?,
        })
    }

    /// The user as the API shows it; `avatar_url` is the avatar's playback URL.
    pub fn to_dto(&self, avatar_url: Option<String>) -> User {
        User {
            id: self.id.clone(),
            username: self.username.clone(),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            disabled: self.disabled,
            preferred_language: self.preferred_language.clone(),
            avatar_url,
            created_at: rfc3339(self.created_at),
        }
    }
}

pub struct NewUser<'a> {
    pub username: &'a Username,
    pub email: &'a Email,
    pub display_name: &'a DisplayName,
    pub password_hash: &'a str,
    pub role: Role,
}

/// Inserts a user; a taken username or email surfaces as the unique
/// violation of [`USERNAME_INDEX`] or [`EMAIL_INDEX`].
pub async fn insert(conn: &mut AnyConnection, new: &NewUser<'_>) -> Result<UserRecord, DbError> {
    let now = now_millis();
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO users (id, username, email, display_name, password_hash, role, disabled, \
                            created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(new.username.as_str())
    .bind(new.email.as_str())
    .bind(new.display_name.as_str())
    .bind(new.password_hash)
    .bind(new.role.as_str())
    .bind(false)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(UserRecord {
        id,
        username: new.username.as_str().to_owned(),
        email: new.email.as_str().to_owned(),
        display_name: new.display_name.as_str().to_owned(),
        password_hash: new.password_hash.to_owned(),
        role: new.role,
        disabled: false,
        preferred_language: None,
        avatar: None,
        created_at: now,
    })
}

/// Whether the username and the email are already in use (case-insensitive).
pub async fn taken(
    conn: &mut AnyConnection,
    username: &Username,
    email: &Email,
) -> Result<(bool, bool), DbError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT lower(username), lower(email) FROM users \
         WHERE lower(username) = $1 OR lower(email) = $2",
    )
    .bind(username.as_str().to_lowercase())
    .bind(email.as_str().to_lowercase())
    .fetch_all(conn)
    .await?;
    let username_taken = rows
        .iter()
        .any(|(taken, _)| *taken == username.as_str().to_lowercase());
    let email_taken = rows
        .iter()
        .any(|(_, taken)| *taken == email.as_str().to_lowercase());
    Ok((username_taken, email_taken))
}

pub async fn find_by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<UserRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE users.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(UserRecord::from_row).transpose()?)
}

/// The user whose username or email is `login`, ignoring case.
/// The first administrator still enabled, by creation.
pub async fn oldest_admin(conn: &mut AnyConnection) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM users WHERE role = 'admin' AND disabled = $1 ORDER BY created_at, id LIMIT 1",
    )
    .bind(false)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn find_by_login(
    conn: &mut AnyConnection,
    login: &str,
) -> Result<Option<UserRecord>, DbError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE lower(users.username) = $1 OR lower(users.email) = $1"
    )))
    .bind(login.trim().to_lowercase())
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(UserRecord::from_row).transpose()?)
}

/// Changes what is `Some`; `Some(None)` clears. Whether the user exists.
pub async fn update_profile(
    conn: &mut AnyConnection,
    id: &str,
    display_name: Option<&DisplayName>,
    preferred_language: Option<Option<&LanguageCode>>,
    avatar_upload_id: Option<Option<&str>>,
) -> Result<bool, DbError> {
    let result = sqlx::query(
        "UPDATE users SET \
           display_name = COALESCE($2, display_name), \
           preferred_language = CASE WHEN $3 THEN $4 ELSE preferred_language END, \
           avatar_upload_id = CASE WHEN $5 THEN $6 ELSE avatar_upload_id END, \
           updated_at = $7 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(display_name.map(DisplayName::as_str))
    .bind(preferred_language.is_some())
    .bind(preferred_language.flatten().map(LanguageCode::as_str))
    .bind(avatar_upload_id.is_some())
    .bind(avatar_upload_id.flatten())
    .bind(now_millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn update_password_hash(
    conn: &mut AnyConnection,
    id: &str,
    password_hash: &str,
) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(password_hash)
        .bind(now_millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// Users ordered by username, optionally those matching `search` in
/// username, email or display name, after the `after` username.
pub async fn list(
    conn: &mut AnyConnection,
    search: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<UserRecord>, DbError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} \
         WHERE ($1 IS NULL OR lower(users.username) LIKE $1 ESCAPE '\\' \
                OR lower(users.email) LIKE $1 ESCAPE '\\' \
                OR lower(users.display_name) LIKE $1 ESCAPE '\\') \
           AND ($2 IS NULL OR users.username > $2) \
         ORDER BY users.username LIMIT $3"
    )))
    .bind(search.map(like_pattern))
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(UserRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// Locks the enabled admins (PostgreSQL) and counts those other than
/// `except`, so two admins demoting each other at once cannot both succeed.
pub async fn other_active_admins(conn: &mut AnyConnection, except: &str) -> Result<i64, DbError> {
    let lock = for_update(conn);
    let ids: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM users WHERE role = 'admin' AND disabled = $1{lock}"
    )))
    .bind(false)
    .fetch_all(&mut *conn)
    .await?;
    Ok(i64::try_from(ids.iter().filter(|(id,)| id != except).count()).unwrap_or(i64::MAX))
}

pub async fn update_role_and_status(
    conn: &mut AnyConnection,
    id: &str,
    role: Option<Role>,
    disabled: Option<bool>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE users SET role = COALESCE($2, role), \
           disabled = CASE WHEN $3 THEN $4 ELSE disabled END, updated_at = $5 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(role.map(Role::as_str))
    .bind(disabled.is_some())
    .bind(disabled.unwrap_or(false))
    .bind(now_millis())
    .execute(conn)
    .await?;
    Ok(())
}
