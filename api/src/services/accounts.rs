//! Accounts: creating one (registration, the first administrator made from
//! the player and `soundstream admin create` share the rules), signing in (password and face logins share the tail:
//! throttle, disabled check, session), the signed-in user's own profile and
//! password, and administrators' changes to users.

use std::net::IpAddr;

use std::time::Duration;

use soundstream_types::{
    AdminUpdateUserRequest, ChangePasswordRequest, ConfirmRequest, Confirmation, LoginRequest,
    Page, RegisterRequest, Role, TokenResponse, UpdateMeRequest, UploadKind, User,
};
use sqlx::AnyConnection;

use crate::auth::password::{self, NewPassword};
use crate::auth::throttle::{SignInAttempt, address_key};
use crate::auth::{AdminUser, AuthUser};
use crate::clock::now_millis;
use crate::domain::pagination::PageRequest;
use crate::domain::{DisplayName, Email, FieldErrors, LanguageCode, Username, field_error};
use crate::persistence::users::{self, EMAIL_INDEX, NewUser, USERNAME_INDEX, UserRecord};
use crate::persistence::{faces, sessions as session_rows, setup, uploads};
use crate::services::media_urls::MediaUrls;
use crate::services::{
    Constraint, ServiceError, ServiceResult, not_a_completed_upload, on_constraint, sessions,
    within_rate_limit,
};
use crate::state::AppState;

/// What a new account is made of, as typed.
pub struct AccountRequest<'a> {
    pub username: &'a str,
    pub email: &'a str,
    /// Defaults to the username.
    pub display_name: Option<&'a str>,
    pub password: &'a str,
    pub role: Role,
}

/// An account's fields that parsed, besides its password.
pub struct AccountFields {
    username: Username,
    email: Email,
    display_name: DisplayName,
    role: Role,
}

/// An account whose fields parsed and whose password is hashed, ready to
/// be inserted (hashing happens before any transaction opens).
pub struct PreparedAccount {
    fields: AccountFields,
    password_hash: String,
}

/// Parses every field, reporting all that are invalid.
pub fn parse_account(request: &AccountRequest<'_>) -> ServiceResult<(AccountFields, NewPassword)> {
    let mut errors = FieldErrors::default();
    let username = errors.check(Username::parse(request.username));
    let email = errors.check(Email::parse(request.email));
    let password = errors.check(NewPassword::parse("password", request.password));
    let display_name = errors.check(DisplayName::parse(
        request.display_name.unwrap_or(request.username),
    ));
    // A field that did not parse left its error behind.
    let (Some(username), Some(email), Some(password), Some(display_name)) =
        (username, email, password, display_name)
    else {
        return Err(ServiceError::invalid_fields(errors.into_vec()));
    };
    let fields = AccountFields {
        username,
        email,
        display_name,
        role: request.role,
    };
    Ok((fields, password))
}

/// Parses every field and hashes the password (for the command line,
/// which has no crowd to admit).
pub async fn prepare_account(request: &AccountRequest<'_>) -> ServiceResult<PreparedAccount> {
    let (fields, password) = parse_account(request)?;
    Ok(PreparedAccount {
        fields,
        password_hash: password::hash(password).await?,
    })
}

const USERNAME_TAKEN: &str = "This username is already taken.";
const EMAIL_TAKEN: &str = "An account with this email already exists.";

/// Inserts the account; a taken username or email is a 409 naming it.
pub async fn insert_account(
    conn: &mut AnyConnection,
    account: &PreparedAccount,
) -> ServiceResult<UserRecord> {
    users::insert(
        conn,
        &NewUser {
            username: &account.fields.username,
            email: &account.fields.email,
            display_name: &account.fields.display_name,
            password_hash: &account.password_hash,
            role: account.fields.role,
        },
    )
    .await
    .map_err(|error| {
        on_constraint(
            error,
            &[
                Constraint {
                    index: USERNAME_INDEX,
                    field: "username",
                    detail: USERNAME_TAKEN,
                },
                Constraint {
                    index: EMAIL_INDEX,
                    field: "email",
                    detail: EMAIL_TAKEN,
                },
            ],
        )
    })
}

/// Creates a listener account and signs it in.
pub async fn register(
    state: &AppState,
    urls: &MediaUrls,
    client: Option<IpAddr>,
    request: &RegisterRequest,
) -> ServiceResult<TokenResponse> {
    create_and_sign_in(state, urls, client, request, Role::Listener).await
}

const ADMIN_EXISTS: &str = "This server already has an administrator: sign in, or ask them.";

/// Creates the server's first administrator from the player and signs them
/// in; refused with 409 once any administrator exists. Two people racing
/// (on any instances) cannot both succeed: the claim is one database row.
pub async fn create_first_admin(
    state: &AppState,
    urls: &MediaUrls,
    client: Option<IpAddr>,
    request: &RegisterRequest,
) -> ServiceResult<TokenResponse> {
    create_and_sign_in(state, urls, client, request, Role::Admin).await
}

/// Whether no administrator exists yet (a new server).
pub async fn needs_first_admin(state: &AppState) -> ServiceResult<bool> {
    let mut conn = state.db.acquire().await?;
    Ok(!setup::any_admin(&mut conn).await?)
}

fn admin_exists() -> ServiceError {
    ServiceError::Conflict {
        detail: ADMIN_EXISTS.into(),
        errors: Vec::new(),
    }
}

/// Creates an account and signs it in: a listener, or the first
/// administrator. The cheap checks come first (fields, the client
/// address's hourly allowance, taken names, an existing administrator), so
/// only a request that can succeed costs a password hash.
async fn create_and_sign_in(
    state: &AppState,
    urls: &MediaUrls,
    client: Option<IpAddr>,
    request: &RegisterRequest,
    role: Role,
) -> ServiceResult<TokenResponse> {
    let first_admin = role == Role::Admin;
    let (fields, password) = parse_account(&AccountRequest {
        username: &request.username,
        email: &request.email,
        display_name: request.display_name.as_deref(),
        password: &request.password,
        role,
    })?;
    let mut conn = state.db.acquire().await?;
    if first_admin && setup::any_admin(&mut conn).await? {
        return Err(admin_exists());
    }
    if let Some(client) = client {
        let key = format!("register:{}", address_key(client));
        let hour = Duration::from_secs(60 * 60);
        within_rate_limit(&mut conn, &key, hour, state.settings.registrations_per_hour)
            .await
            .inspect_err(|_| {
                tracing::warn!(
                    outcome = "rate-limited",
                    "registration refused: too many from one address"
                );
            })?;
    }
    let (username_taken, email_taken) =
        users::taken(&mut conn, &fields.username, &fields.email).await?;
    drop(conn);
    if username_taken || email_taken {
        let mut errors = Vec::new();
        if username_taken {
            errors.push(field_error("username", USERNAME_TAKEN));
        }
        if email_taken {
            errors.push(field_error("email", EMAIL_TAKEN));
        }
        return Err(ServiceError::Conflict {
            detail: if username_taken {
                USERNAME_TAKEN
            } else {
                EMAIL_TAKEN
            }
            .into(),
            errors,
        });
    }
    let account = PreparedAccount {
        fields,
        password_hash: state.hashing.hash(password).await?,
    };
    let mut tx = state.db.begin_write().await?;
    if first_admin && setup::any_admin(&mut tx).await? {
        return Err(admin_exists());
    }
    let user = insert_account(&mut tx, &account).await?;
    if first_admin {
        setup::claim_first_admin(&mut tx, &user.id, now_millis())
            .await
            .map_err(|error| {
                if error.violates(&setup::FIRST_ADMIN_INDEX) {
                    admin_exists()
                } else {
                    error.into()
                }
            })?;
    }
    let tokens = sessions::start(state, urls, &mut tx, &user).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, username = ?user.username, role = role.as_str(), "account registered");
    Ok(tokens)
}

/// Refuses with 429 while the attempt is locked out.
pub async fn check_throttle(state: &AppState, attempt: &SignInAttempt) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    match state
        .settings
        .login_throttle
        .locked_for(&mut conn, attempt)
        .await?
    {
        Some(retry_after) => {
            tracing::warn!(outcome = "locked", "sign-in refused: too many failures");
            Err(ServiceError::RateLimited { retry_after })
        }
        None => Ok(()),
    }
}

/// Refuses with 429 while the client's address is locked out (checked
/// before a sign-in request's body is even read).
pub async fn check_address_throttle(state: &AppState, client: Option<IpAddr>) -> ServiceResult<()> {
    let Some(client) = client else {
        return Ok(());
    };
    let mut conn = state.db.acquire().await?;
    match state
        .settings
        .login_throttle
        .address_locked_for(&mut conn, client)
        .await?
    {
        Some(retry_after) => Err(ServiceError::RateLimited { retry_after }),
        None => Ok(()),
    }
}

/// How a sign-in attempt proved (or failed to prove) who it is.
pub struct Proof<'a> {
    /// `password` or `face`, for the log.
    pub method: &'static str,
    /// The login as typed and where from: what failures count against.
    pub attempt: &'a SignInAttempt,
    /// Whether a failure was already counted before the proof was checked.
    pub counted_in_advance: bool,
    /// The account, when the proof matched one.
    pub user: Option<UserRecord>,
    /// The refusal to give when it did not (the same for unknown accounts).
    pub refusal: ServiceError,
}

/// The end of every sign-in: a failed proof is counted against the keys;
/// a disabled account is refused; success clears the account's failures
/// and opens a session.
pub async fn finish_sign_in(
    state: &AppState,
    urls: &MediaUrls,
    proof: Proof<'_>,
) -> ServiceResult<TokenResponse> {
    let policy = &state.settings.login_throttle;
    let mut conn = state.db.acquire().await?;
    let Some(user) = proof.user else {
        if !proof.counted_in_advance {
            policy.record_failure(&mut conn, proof.attempt).await?;
        }
        tracing::info!(method = proof.method, outcome = "failure", "sign-in failed");
        return Err(proof.refusal);
    };
    if user.disabled {
        tracing::info!(user_id = %user.id, method = proof.method, outcome = "disabled", "sign-in refused");
        return Err(ServiceError::Forbidden(
            "This account is disabled; ask an administrator.".into(),
        ));
    }
    if proof.counted_in_advance {
        policy.forgive(&mut conn, proof.attempt).await?;
    }
    policy
        .record_success(&mut conn, proof.attempt, &[&user.username, &user.email])
        .await?;
    drop(conn);
    let tokens = sessions::sign_in(state, urls, &user).await?;
    tracing::info!(user_id = %user.id, method = proof.method, outcome = "success", "signed in");
    Ok(tokens)
}

/// Signs in with a username or email and a password. Unknown accounts and
/// wrong passwords get the same answer in similar time.
pub async fn log_in(
    state: &AppState,
    urls: &MediaUrls,
    client: Option<IpAddr>,
    request: LoginRequest,
) -> ServiceResult<TokenResponse> {
    let LoginRequest { login, password } = request;
    let attempt = SignInAttempt::new(&login, client);
    check_throttle(state, &attempt).await?;
    let mut conn = state.db.acquire().await?;
    let user = users::find_by_login(&mut conn, &login).await?;
    drop(conn);
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    let proved = state.hashing.verify(password, stored_hash).await?;
    finish_sign_in(
        state,
        urls,
        Proof {
            method: "password",
            attempt: &attempt,
            counted_in_advance: false,
            user: user.filter(|_| proved),
            refusal: ServiceError::Unauthorized("The login or password is incorrect.".into()),
        },
    )
    .await
}

fn account_gone() -> ServiceError {
    ServiceError::Unauthorized("This account no longer exists.".into())
}

/// The signed-in user.
pub async fn me(state: &AppState, urls: &MediaUrls, user: &AuthUser) -> ServiceResult<User> {
    let mut conn = state.db.acquire().await?;
    let record = users::find_by_id(&mut conn, &user.id)
        .await?
        .ok_or_else(account_gone)?;
    urls.user(&record).await
}

/// Changes the display name, preferred language or avatar (a completed
/// image upload of the user's); `null` clears the language or the avatar.
pub async fn update_me(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    request: UpdateMeRequest,
) -> ServiceResult<User> {
    let mut errors = FieldErrors::default();
    let display_name = request
        .display_name
        .as_deref()
        .and_then(|name| errors.check(DisplayName::parse(name)));
    let language = match request.preferred_language {
        None => None,
        Some(None) => Some(None),
        Some(Some(code)) => errors
            .check(LanguageCode::parse("preferred_language", &code))
            .map(Some),
    };
    // One transaction from the avatar's lookup (which locks it) to its use.
    let mut conn = state.db.begin_write().await?;
    if let Some(Some(upload_id)) = &request.avatar_upload_id {
        let upload = uploads::find_completed(&mut conn, upload_id, &user.id, UploadKind::Image)
            .await?
            .ok_or_else(|| not_a_completed_upload("avatar_upload_id", UploadKind::Image));
        errors.check(upload);
    }
    errors.into_result().map_err(ServiceError::invalid_fields)?;

    let found = users::update_profile(
        &mut conn,
        &user.id,
        display_name.as_ref(),
        language.as_ref().map(Option::as_ref),
        request.avatar_upload_id.as_ref().map(Option::as_deref),
    )
    .await?;
    let record = users::find_by_id(&mut conn, &user.id)
        .await?
        .filter(|_| found)
        .ok_or_else(account_gone)?;
    conn.commit().await?;
    urls.user(&record).await
}

/// Checks the caller's current password, throttled like a sign-in (so a
/// stolen access token is no way to guess it); a wrong one is a 422 on
/// `field`.
async fn check_own_password(
    state: &AppState,
    user: &AuthUser,
    client: Option<IpAddr>,
    password: String,
    field: &str,
) -> ServiceResult<UserRecord> {
    let mut conn = state.db.acquire().await?;
    let record = users::find_by_id(&mut conn, &user.id)
        .await?
        .ok_or_else(account_gone)?;
    drop(conn);
    let attempt = SignInAttempt::new(&record.username, client);
    check_throttle(state, &attempt).await?;
    let policy = &state.settings.login_throttle;
    if !state
        .hashing
        .verify(password, Some(record.password_hash.clone()))
        .await?
    {
        let mut conn = state.db.acquire().await?;
        policy.record_failure(&mut conn, &attempt).await?;
        return Err(ServiceError::Validation {
            detail: "The password is wrong.".into(),
            errors: vec![field_error(field, "is wrong")],
        });
    }
    let mut conn = state.db.acquire().await?;
    policy
        .record_success(&mut conn, &attempt, &[&record.username, &record.email])
        .await?;
    Ok(record)
}

/// Changes the password. The current one is required; every other session
/// of the account is ended, and face login needs a password confirmation
/// before it works again.
pub async fn change_password(
    state: &AppState,
    user: &AuthUser,
    client: Option<IpAddr>,
    request: ChangePasswordRequest,
) -> ServiceResult<()> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = request;
    let new_password = NewPassword::parse("new_password", &new_password)?;
    check_own_password(state, user, client, current_password, "current_password").await?;

    let hash = state.hashing.hash(new_password).await?;
    let now = now_millis();
    let mut tx = state.db.begin_write().await?;
    users::update_password_hash(&mut tx, &user.id, &hash).await?;
    session_rows::revoke_user_sessions(&mut tx, &user.id, Some(&user.session_id), now).await?;
    faces::set_suspended(&mut tx, &user.id, Some(now)).await?;
    tx.commit().await?;
    state.standings.forget_all();
    tracing::info!(user_id = %user.id, "password changed; other sessions ended");
    Ok(())
}

/// Confirms the caller's password ("sudo mode"): for a few minutes this
/// session may change face login, and a face enrolment suspended by a
/// password change or signing out everywhere works again.
pub async fn confirm_password(
    state: &AppState,
    user: &AuthUser,
    client: Option<IpAddr>,
    request: ConfirmRequest,
) -> ServiceResult<Confirmation> {
    check_own_password(state, user, client, request.password, "password").await?;
    let confirmation = sessions::confirm(state, user).await?;
    tracing::info!(user_id = %user.id, "password confirmed");
    Ok(confirmation)
}

/// Users ordered by username, optionally filtered by part of a username,
/// email or display name.
pub async fn list_users(
    state: &AppState,
    urls: &MediaUrls,
    search: Option<&str>,
    page: &PageRequest,
) -> ServiceResult<Page<User>> {
    let search = search.map(str::trim).filter(|q| !q.is_empty());
    let mut conn = state.db.acquire().await?;
    let rows = users::list(&mut conn, search, page.after.as_deref(), page.fetch_limit()).await?;
    drop(conn);
    let (rows, next_cursor) = page.page(rows, |user| user.username.clone());
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(urls.user(row).await?);
    }
    Ok(Page { items, next_cursor })
}

/// Changes a user's role or disabled flag. The last enabled admin can be
/// neither demoted nor disabled (race-safe: the check locks the rows);
/// disabling ends the user's sessions.
pub async fn update_user(
    state: &AppState,
    urls: &MediaUrls,
    admin: &AdminUser,
    id: &str,
    request: AdminUpdateUserRequest,
) -> ServiceResult<User> {
    let AdminUpdateUserRequest { role, disabled } = request;
    let no_user = || ServiceError::NotFound("No user has this id.".into());
    let mut tx = state.db.begin_write().await?;
    let target = users::find_by_id(&mut tx, id).await?.ok_or_else(no_user)?;
    let loses_admin = target.role == Role::Admin
        && !target.disabled
        && (role == Some(Role::Listener) || disabled == Some(true));
    if loses_admin && users::other_active_admins(&mut tx, &target.id).await? == 0 {
        return Err(ServiceError::Conflict {
            detail: "This is the last enabled administrator: promote someone else first.".into(),
            errors: Vec::new(),
        });
    }
    users::update_role_and_status(&mut tx, &target.id, role, disabled).await?;
    let updated = users::find_by_id(&mut tx, &target.id)
        .await?
        .ok_or_else(no_user)?;
    if disabled == Some(true) {
        session_rows::revoke_user_sessions(&mut tx, &target.id, None, now_millis()).await?;
    }
    tx.commit().await?;
    // This instance at once; the others within the standing's few seconds
    // for reads and at once for changes (they read the database then).
    state.standings.forget_all();
    tracing::info!(
        admin_id = %admin.0.id,
        user_id = %updated.id,
        role = updated.role.as_str(),
        disabled = updated.disabled,
        "user updated by an administrator"
    );
    urls.user(&updated).await
}
