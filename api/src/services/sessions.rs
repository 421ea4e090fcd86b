//! Session flows: starting one after a successful sign-in, rotating its
//! refresh token, checking that an access token's session still stands,
//! confirming the password ("sudo mode"), and ending sessions.
//!
//! - A session ends at an absolute time fixed at sign-in (refreshing never
//!   moves it) and after an idle time without a refresh.
//! - Reuse of a rotated refresh token is taken as theft and revokes the
//!   whole family, except within the policy's `refresh_grace` of the
//!   rotation: a retry after a lost answer, or a second tab, gets the same
//!   new pair.
//! - Ending a session, disabling its user or demoting an admin stops its
//!   access tokens on every instance (see `auth::standing`).

use std::time::Duration;

use soundstream_types::{Confirmation, Role, TokenResponse};
use sqlx::AnyConnection;

use crate::auth::AuthUser;
use crate::auth::standing::Standing;
use crate::auth::tokens::{ACCESS_TOKEN_TTL, AccessGrant, new_refresh_token, refresh_token_hash};
use crate::clock::{millis, now_millis, rfc3339};
use crate::persistence::faces;
use crate::persistence::sessions::{self, TokenRecord};
use crate::persistence::users::{self, UserRecord};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

/// How long a password confirmation unlocks sensitive changes.
pub const CONFIRMATION_TTL: Duration = Duration::from_secs(5 * 60);
/// Ended sessions and tokens are kept this long (reuse detection, audit)
/// before the maintenance sweep deletes them.
pub const ENDED_RETENTION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Signs `user` in: a new session in its own transaction.
pub async fn sign_in(
    state: &AppState,
    urls: &MediaUrls,
    user: &UserRecord,
) -> ServiceResult<TokenResponse> {
    let mut tx = state.db.begin_write().await?;
    let tokens = start(state, urls, &mut tx, user).await?;
    tx.commit().await?;
    Ok(tokens)
}

/// Opens a new session for `user`, ending at the configured lifetime.
pub async fn start(
    state: &AppState,
    urls: &MediaUrls,
    conn: &mut AnyConnection,
    user: &UserRecord,
) -> ServiceResult<TokenResponse> {
    let now = now_millis();
    let session_id = uuid::Uuid::now_v7().to_string();
    let ends_at = now + millis(state.settings.sessions.lifetime);
    sessions::insert_session(conn, &session_id, &user.id, now, ends_at).await?;
    let (refresh_token, hash) = new_refresh_token();
    let token = next_token(state, user, &session_id, ends_at, now);
    sessions::insert_token(conn, &token, &hash).await?;
    answer(state, urls, user, &token, refresh_token).await
}

/// A refresh token record for the session, expiring after the idle time
/// but never after the session itself.
fn next_token(
    state: &AppState,
    user: &UserRecord,
    session_id: &str,
    session_ends_at: i64,
    now: i64,
) -> TokenRecord {
    TokenRecord {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user.id.clone(),
        family_id: session_id.to_owned(),
        created_at: now,
        expires_at: (now + millis(state.settings.sessions.idle_timeout)).min(session_ends_at),
    }
}

/// The token pair for a refresh token record. Everything in it derives
/// from the record, so answering the same record twice gives the same pair.
async fn answer(
    state: &AppState,
    urls: &MediaUrls,
    user: &UserRecord,
    token: &TokenRecord,
    refresh_token: String,
) -> ServiceResult<TokenResponse> {
    let access_token = state.tokens.issue_access_token(&AccessGrant {
        user_id: &user.id,
        role: user.role,
        session_id: &token.family_id,
        issued_at: u64::try_from(token.created_at / 1000).unwrap_or(0),
        token_id: &token.id,
    })?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: ACCESS_TOKEN_TTL.as_secs(),
        refresh_token,
        refresh_expires_in: u64::try_from((token.expires_at - token.created_at) / 1000)
            .unwrap_or(0),
        user: urls.user(user).await?,
    })
}

fn session_over() -> ServiceError {
    ServiceError::Unauthorized("The session has ended; sign in again.".into())
}

/// The user of an open session, if the session is open and its user enabled.
async fn open_session_user(
    conn: &mut AnyConnection,
    session_id: &str,
    now: i64,
) -> ServiceResult<Option<(UserRecord, i64)>> {
    let Some(access) = sessions::access(conn, session_id).await? else {
        return Ok(None);
    };
    if access.revoked || access.user_disabled || access.expires_at <= now {
        return Ok(None);
    }
    let user = users::find_by_id(conn, &access.user_id).await?;
    Ok(user.map(|user| (user, access.expires_at)))
}

/// Exchanges a refresh token for a new pair.
pub async fn refresh(
    state: &AppState,
    urls: &MediaUrls,
    presented: &str,
) -> ServiceResult<TokenResponse> {
    let hash = refresh_token_hash(presented);
    let (successor, successor_hash) = state.tokens.successor_refresh_token(presented);
    let now = now_millis();
    let mut tx = state.db.begin_write().await?;
    if let Some((_, family)) = sessions::rotate(&mut tx, &hash, &successor_hash, now).await? {
        let Some((user, ends_at)) = open_session_user(&mut tx, &family, now).await? else {
            sessions::revoke_family(&mut tx, &family, now).await?;
            tx.commit().await?;
            return Err(session_over());
        };
        let token = next_token(state, &user, &family, ends_at, now);
        sessions::insert_token(&mut tx, &token, &successor_hash).await?;
        tx.commit().await?;
        return answer(state, urls, &user, &token, successor).await;
    }
    let Some(rotated) = sessions::find_rotated(&mut tx, &hash).await? else {
        return Err(session_over());
    };
    // Presented again moments after its rotation: the same successor, if
    // nobody has used that one yet, is the answer the caller missed.
    if now - rotated.rotated_at <= millis(state.settings.sessions.refresh_grace)
        && rotated.successor_hash.as_deref() == Some(successor_hash.as_str())
        && let Some(token) = sessions::find_live_token(&mut tx, &successor_hash, now).await?
        && let Some((user, _)) = open_session_user(&mut tx, &rotated.family_id, now).await?
    {
        tx.commit().await?;
        tracing::info!(family = %rotated.family_id, "refresh retried within the grace window");
        return answer(state, urls, &user, &token, successor).await;
    }
    sessions::revoke_family(&mut tx, &rotated.family_id, now).await?;
    tx.commit().await?;
    state.standings.forget(&rotated.family_id);
    tracing::warn!(family = %rotated.family_id, "refresh token reused: session family revoked");
    Err(ServiceError::Unauthorized(
        "This refresh token was already used; for safety the session has been ended. \
         Sign in again."
            .into(),
    ))
}

/// Ends the session a refresh token belongs to. Unknown tokens are fine:
/// logging out twice is not an error.
pub async fn end(state: &AppState, refresh_token: &str) -> ServiceResult<()> {
    let hash = refresh_token_hash(refresh_token);
    let mut tx = state.db.begin_write().await?;
    let family = sessions::family_of(&mut tx, &hash).await?;
    if let Some(family) = &family {
        sessions::revoke_family(&mut tx, family, now_millis()).await?;
    }
    tx.commit().await?;
    if let Some(family) = &family {
        state.standings.forget(family);
    }
    Ok(())
}

/// Ends every session of the caller's account, this one included. The face
/// enrolment is kept but needs a password confirmation before face login
/// accepts it again.
pub async fn end_everywhere(state: &AppState, user: &AuthUser) -> ServiceResult<()> {
    let now = now_millis();
    let mut tx = state.db.begin_write().await?;
    sessions::revoke_user_sessions(&mut tx, &user.id, None, now).await?;
    faces::set_suspended(&mut tx, &user.id, Some(now)).await?;
    tx.commit().await?;
    state.standings.forget_all();
    tracing::info!(user_id = %user.id, "signed out everywhere");
    Ok(())
}

/// Whether the caller's session still stands: not ended, not revoked, its
/// user enabled and (for an admin token) still an admin. `fresh` reads the
/// database; otherwise a standing read in the last few seconds will do.
pub async fn check_access(state: &AppState, user: &AuthUser, fresh: bool) -> ServiceResult<()> {
    let cached = if fresh {
        None
    } else {
        state.standings.get(&user.session_id)
    };
    let standing = match cached {
        Some(standing) => standing,
        None => {
            let mut conn = state.db.acquire().await?;
            let access = sessions::access(&mut conn, &user.session_id).await?;
            drop(conn);
            let standing = match access {
                Some(access) if !access.revoked && !access.user_disabled => Standing::Open {
                    user_id: access.user_id,
                    role: access.user_role,
                    expires_at: access.expires_at,
                },
                _ => Standing::Closed,
            };
            state.standings.remember(&user.session_id, standing.clone());
            standing
        }
    };
    match standing {
        Standing::Open {
            user_id,
            role,
            expires_at,
        } if user_id == user.id && expires_at > now_millis() => {
            if user.role == Role::Admin && role != Role::Admin {
                return Err(ServiceError::Unauthorized(
                    "Your role has changed; refresh your session.".into(),
                ));
            }
            Ok(())
        }
        _ => Err(session_over()),
    }
}

/// Confirms the caller's password in this session for a few minutes,
/// unlocking face enrolment changes, and makes a suspended face enrolment
/// usable again. The caller has checked the password.
pub async fn confirm(state: &AppState, user: &AuthUser) -> ServiceResult<Confirmation> {
    let until = now_millis() + millis(CONFIRMATION_TTL);
    let mut tx = state.db.begin_write().await?;
    if !sessions::confirm(&mut tx, &user.session_id, until).await? {
        return Err(session_over());
    }
    faces::set_suspended(&mut tx, &user.id, None).await?;
    tx.commit().await?;
    Ok(Confirmation {
        confirmed_until: rfc3339(until),
    })
}

/// Refuses unless the caller confirmed their password in this session
/// within the last few minutes.
pub async fn require_confirmed(state: &AppState, user: &AuthUser) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    let access = sessions::access(&mut conn, &user.session_id).await?;
    match access.and_then(|access| access.confirmed_until) {
        Some(until) if until > now_millis() => Ok(()),
        _ => Err(ServiceError::Forbidden(
            "Confirm your password first (POST /api/v1/auth/confirm): changing face login \
             needs a password confirmation from the last five minutes."
                .into(),
        )),
    }
}

/// Deletes sessions and refresh tokens that ended a while ago.
pub async fn purge_ended(state: &AppState) -> ServiceResult<u64> {
    let mut conn = state.db.acquire().await?;
    let before = now_millis() - millis(ENDED_RETENTION);
    Ok(sessions::purge_ended(&mut conn, before).await?)
}
