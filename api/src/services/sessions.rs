//! Session flows: starting one after a successful login, rotating its
//! refresh token, and ending it. Reuse of a rotated refresh token is taken
//! as theft and revokes the whole family.

use soundstream_types::TokenResponse;
use sqlx::AnyConnection;

use crate::auth::tokens::{
    ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, new_refresh_token, refresh_token_hash,
};
use crate::clock::{millis, now_millis};
use crate::persistence::sessions;
use crate::persistence::users::{self, UserRecord};
use crate::services::ServiceError;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// Signs `user` in: a new session in its own transaction.
pub async fn sign_in(
    state: &AppState,
    urls: &MediaUrls,
    user: &UserRecord,
) -> Result<TokenResponse, ServiceError> {
    let mut tx = state.db.begin_write().await?;
    let tokens = start(state, urls, &mut tx, user).await?;
    tx.commit().await?;
    Ok(tokens)
}

/// Opens a new session (refresh-token family) for `user`.
pub async fn start(
    state: &AppState,
    urls: &MediaUrls,
    conn: &mut AnyConnection,
    user: &UserRecord,
) -> Result<TokenResponse, ServiceError> {
    let family_id = uuid::Uuid::now_v7().to_string();
    issue(state, urls, conn, user, &family_id).await
}

async fn issue(
    state: &AppState,
    urls: &MediaUrls,
    conn: &mut AnyConnection,
    user: &UserRecord,
    family_id: &str,
) -> Result<TokenResponse, ServiceError> {
    let now = now_millis();
    let (refresh_token, hash) = new_refresh_token();
    sessions::insert(
        conn,
        &user.id,
        family_id,
        &hash,
        now,
        now + millis(REFRESH_TOKEN_TTL),
    )
    .await?;
    let access_token = state
        .tokens
        .issue_access_token(&user.id, user.role, family_id)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: ACCESS_TOKEN_TTL.as_secs(),
        refresh_token,
        refresh_expires_in: REFRESH_TOKEN_TTL.as_secs(),
        user: urls.user(user).await?,
    })
}

fn session_over() -> ServiceError {
    ServiceError::Unauthorized("The session has ended; sign in again.".into())
}

/// Exchanges a refresh token for a new pair.
pub async fn refresh(
    state: &AppState,
    urls: &MediaUrls,
    refresh_token: &str,
) -> Result<TokenResponse, ServiceError> {
    let hash = refresh_token_hash(refresh_token);
    let now = now_millis();
    let mut tx = state.db.begin_write().await?;
    let Some(rotated) = sessions::rotate(&mut tx, &hash, now).await? else {
        if let Some(family) = sessions::family_of_rotated(&mut tx, &hash).await? {
            sessions::revoke_family(&mut tx, &family, now).await?;
            tx.commit().await?;
            tracing::warn!(family, "refresh token reused: session family revoked");
            return Err(ServiceError::Unauthorized(
                "This refresh token was already used; for safety the session has been ended. \
                 Sign in again."
                    .into(),
            ));
        }
        return Err(session_over());
    };
    let user = match users::find_by_id(&mut tx, &rotated.user_id).await? {
        Some(user) if !user.disabled => user,
        _ => {
            sessions::revoke_family(&mut tx, &rotated.family_id, now).await?;
            tx.commit().await?;
            return Err(session_over());
        }
    };
    let tokens = issue(state, urls, &mut tx, &user, &rotated.family_id).await?;
    tx.commit().await?;
    Ok(tokens)
}

/// Ends the session a refresh token belongs to. Unknown tokens are fine:
/// logging out twice is not an error.
pub async fn end(state: &AppState, refresh_token: &str) -> Result<(), ServiceError> {
    let hash = refresh_token_hash(refresh_token);
    let mut tx = state.db.begin_write().await?;
    if let Some(family) = sessions::family_of(&mut tx, &hash).await? {
        sessions::revoke_family(&mut tx, &family, now_millis()).await?;
    }
    tx.commit().await?;
    Ok(())
}
