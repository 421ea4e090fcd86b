//! `soundstream admin create`: the way the first administrator comes to be.

use soundstream_types::Role;

use crate::auth::password::{self, NewPassword};
use crate::db::Database;
use crate::domain::{DisplayName, Email, FieldErrors, Username};
use crate::error::error_chain;
use crate::persistence::users::{self, EMAIL_INDEX, NewUser, USERNAME_INDEX};
use crate::persistence::violated_unique_index;

#[derive(Debug, thiserror::Error)]
pub enum AdminCommandError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0} is already taken")]
    Taken(&'static str),
    #[error("{0}")]
    Failed(String),
}

pub struct NewAdmin<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: Option<&'a str>,
    pub password: &'a str,
}

/// Creates an administrator with the same rules as registration. Returns
/// the new user's id.
pub async fn create_admin(db: &Database, new: NewAdmin<'_>) -> Result<String, AdminCommandError> {
    let mut errors = FieldErrors::default();
    let username = errors.check(Username::parse(new.username));
    let email = errors.check(Email::parse(new.email));
    let password = errors.check(NewPassword::parse("password", new.password));
    let display_name = errors.check(DisplayName::parse(new.display_name.unwrap_or(new.username)));
    let (Some(username), Some(email), Some(password), Some(display_name)) =
        (username, email, password, display_name)
    else {
        let problems: Vec<String> = errors
            .into_vec()
            .into_iter()
            .map(|e| format!("{} {}", e.field, e.message))
            .collect();
        return Err(AdminCommandError::Invalid(problems.join("; ")));
    };
    let failed = |error: &dyn std::error::Error| AdminCommandError::Failed(error_chain(error));
    let password_hash = password::hash(password).await.map_err(|e| failed(&e))?;
    let mut conn = db.acquire().await.map_err(|e| failed(&e))?;
    let created = users::insert(
        &mut conn,
        &NewUser {
            username: &username,
            email: &email,
            display_name: &display_name,
            password_hash: &password_hash,
            role: Role::Admin,
        },
    )
    .await;
    match created {
        Ok(user) => Ok(user.id),
        Err(error) => Err(
            match violated_unique_index(&error, &[USERNAME_INDEX, EMAIL_INDEX]) {
                Some(USERNAME_INDEX) => AdminCommandError::Taken("the username"),
                Some(_) => AdminCommandError::Taken("the email"),
                None => failed(&error),
            },
        ),
    }
}
