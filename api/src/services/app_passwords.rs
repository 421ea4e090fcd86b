//! App passwords: secrets a user makes for Subsonic apps, and proving who
//! one is with them. Account passwords never reach the Subsonic surface;
//! failures count against the same throttle as sign-ins.

use std::net::IpAddr;

use md5::{Digest, Md5};
use soundstream_types::{AppPassword, CreateAppPasswordRequest, CreatedAppPassword};

use crate::auth::AuthUser;
use crate::auth::app_secrets::AppSecretKeys;
use crate::auth::throttle::SignInAttempt;
use crate::clock::{now_millis, rfc3339};
use crate::domain::CatalogueName;
use crate::persistence::app_passwords::{self, AppPasswordRecord, NewAppPassword};
use crate::persistence::users::{self, UserRecord};
use crate::services::accounts::{check_address_throttle, check_throttle};
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

/// More than this many app passwords per user is refused.
const MAX_PER_USER: usize = 50;

/// How a Subsonic client says who it is.
#[derive(Debug, Clone, Copy)]
pub enum Credentials<'a> {
    /// `u` and `p` (already decoded from `enc:` hex).
    Password {
        username: &'a str,
        password: &'a str,
    },
    /// `u`, `t` = md5(secret + `s`) in hex, and `s`.
    Token {
        username: &'a str,
        token: &'a str,
        salt: &'a str,
    },
    /// `apiKey` alone.
    ApiKey(&'a str),
}

fn listed(record: &AppPasswordRecord) -> AppPassword {
    AppPassword {
        id: record.id.clone(),
        name: record.name.clone(),
        created_at: rfc3339(record.created_at),
        last_used_at: record.last_used_at.map(rfc3339),
    }
}

/// Makes an app password; its secret is in this answer only.
pub async fn create(
    state: &AppState,
    user: &AuthUser,
    request: &CreateAppPasswordRequest,
) -> ServiceResult<CreatedAppPassword> {
    let name = CatalogueName::parse("name", &request.name)?;
    let secret = AppSecretKeys::generate();
    let sealed = state
        .app_secrets
        .seal(&secret)
        .map_err(|error| ServiceError::ProviderFailed(error.to_string()))?;
    let mut tx = state.db.begin_write().await?;
    if app_passwords::for_user(&mut tx, &user.id).await?.len() >= MAX_PER_USER {
        return Err(ServiceError::Conflict {
            detail: format!("You have {MAX_PER_USER} app passwords; revoke one first."),
            errors: Vec::new(),
        });
    }
    let record = app_passwords::insert(
        &mut tx,
        &NewAppPassword {
            user_id: &user.id,
            name: name.as_str(),
            secret_sealed: &sealed,
            secret_hash: &AppSecretKeys::lookup_hash(&secret),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, app_password_id = %record.id, "app password created");
    Ok(CreatedAppPassword {
        id: record.id,
        name: record.name,
        secret,
        created_at: rfc3339(record.created_at),
    })
}

/// The user's app passwords, without their secrets.
pub async fn list(state: &AppState, user: &AuthUser) -> ServiceResult<Vec<AppPassword>> {
    let mut conn = state.db.acquire().await?;
    let records = app_passwords::for_user(&mut conn, &user.id).await?;
    Ok(records.iter().map(listed).collect())
}

/// Revokes one of the user's app passwords.
pub async fn revoke(state: &AppState, user: &AuthUser, id: &str) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    if !app_passwords::delete(&mut conn, &user.id, id).await? {
        return Err(ServiceError::NotFound(
            "You have no app password with this id.".into(),
        ));
    }
    tracing::info!(user_id = %user.id, app_password_id = %id, "app password revoked");
    Ok(())
}

fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

fn wrong_credentials() -> ServiceError {
    ServiceError::Unauthorized("Wrong username or app password.".into())
}

fn wrong_api_key() -> ServiceError {
    ServiceError::Unauthorized("The API key is not valid.".into())
}

/// Who the credentials prove the caller is. A wrong secret counts against
/// the sign-in throttle (an API key against the client's address alone);
/// a locked-out attempt is refused before anything is checked.
pub async fn authenticate(
    state: &AppState,
    client: Option<IpAddr>,
    credentials: Credentials<'_>,
) -> ServiceResult<AuthUser> {
    let policy = &state.settings.login_throttle;
    let (attempt, found) = match credentials {
        Credentials::ApiKey(key) => {
            check_address_throttle(state, client).await?;
            let mut conn = state.db.acquire().await?;
            let found =
                app_passwords::find_by_hash(&mut conn, &AppSecretKeys::lookup_hash(key)).await?;
            let user = match &found {
                Some(record) => users::find_by_id(&mut conn, &record.user_id).await?,
                None => None,
            };
            let Some((record, user)) = found.zip(user) else {
                if let Some(client) = client {
                    policy.record_address_failure(&mut conn, client).await?;
                }
                tracing::info!(
                    method = "api_key",
                    outcome = "failure",
                    "subsonic sign-in failed"
                );
                return Err(wrong_api_key());
            };
            (None, (record, user))
        }
        Credentials::Password { username, .. } | Credentials::Token { username, .. } => {
            let attempt = SignInAttempt::new(username, client);
            check_throttle(state, &attempt).await?;
            let mut conn = state.db.acquire().await?;
            let user = users::find_by_login(&mut conn, username)
                .await?
                .filter(|user| user.username.eq_ignore_ascii_case(username.trim()));
            let found = match user {
                Some(user) => matching(state, &mut conn, &user, credentials)
                    .await?
                    .map(|record| (record, user)),
                None => None,
            };
            let Some(found) = found else {
                policy.record_failure(&mut conn, &attempt).await?;
                tracing::info!(
                    method = "app_password",
                    outcome = "failure",
                    "subsonic sign-in failed"
                );
                return Err(wrong_credentials());
            };
            (Some(attempt), found)
        }
    };
    let (record, user) = found;
    if user.disabled {
        return Err(ServiceError::Forbidden(
            "This account is disabled; ask an administrator.".into(),
        ));
    }
    let now = now_millis();
    // Once a minute at most. The record read tells when it was last used,
    // so most calls skip the write, which SQLite would serialise.
    if record
        .last_used_at
        .is_none_or(|at| at < now - app_passwords::TOUCH_EVERY_MS)
    {
        let mut conn = state.db.acquire().await?;
        if app_passwords::touch(&mut conn, &record.id, now).await?
            && let Some(attempt) = &attempt
        {
            // Clears this address's failures for the account.
            policy
                .record_success(&mut conn, attempt, &[&user.username, &user.email])
                .await?;
        }
    }
    Ok(AuthUser {
        id: user.id,
        role: user.role,
        session_id: format!("app-password:{}", record.id),
    })
}

/// The user's app password the password or token proves, if any.
async fn matching(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    user: &UserRecord,
    credentials: Credentials<'_>,
) -> ServiceResult<Option<AppPasswordRecord>> {
    match credentials {
        Credentials::Password { password, .. } => {
            let found =
                app_passwords::find_by_hash(conn, &AppSecretKeys::lookup_hash(password)).await?;
            Ok(found.filter(|record| record.user_id == user.id))
        }
        Credentials::Token { token, salt, .. } => {
            let token = token.to_ascii_lowercase();
            let records = app_passwords::for_user(conn, &user.id).await?;
            Ok(records.into_iter().find(|record| {
                state
                    .app_secrets
                    .open(&record.secret_sealed)
                    .is_some_and(|secret| md5_hex(&format!("{secret}{salt}")) == token)
            }))
        }
        Credentials::ApiKey(_) => Ok(None),
    }
}
