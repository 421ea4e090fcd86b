//! `soundstream admin create`: the way the first administrator comes to be.

use soundstream_types::Role;

use crate::db::Database;
use crate::services::ServiceError;
use crate::services::accounts::{AccountRequest, insert_account, prepare_account};
use crate::telemetry::error_chain;

#[derive(Debug, thiserror::Error)]
pub enum AdminCommandError {
    #[error("{0}")]
    Invalid(String),
    #[error("the {0} is already taken")]
    Taken(String),
    #[error("{0}")]
    Failed(String),
}

impl From<ServiceError> for AdminCommandError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Validation { errors, .. } => Self::Invalid(
                errors
                    .iter()
                    .map(|e| format!("{} {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ServiceError::Conflict { errors, .. } => Self::Taken(
                errors
                    .first()
                    .map_or_else(|| "account".to_owned(), |e| e.field.clone()),
            ),
            other => Self::Failed(error_chain(&other)),
        }
    }
}

pub struct NewAdmin<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: Option<&'a str>,
    pub password: &'a str,
}

/// Creates an administrator with the same rules as registration (the same
/// account service). Returns the new user's id.
pub async fn create_admin(db: &Database, new: NewAdmin<'_>) -> Result<String, AdminCommandError> {
    let account = prepare_account(&AccountRequest {
        username: new.username,
        email: new.email,
        display_name: new.display_name,
        password: new.password,
        role: Role::Admin,
    })
    .await?;
    let mut conn = db
        .acquire()
        .await
        .map_err(|error| AdminCommandError::Failed(error_chain(&error)))?;
    Ok(insert_account(&mut conn, &account).await?.id)
}
