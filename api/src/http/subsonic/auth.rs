//! Who a Subsonic request comes from: `u` with `p` (plain or `enc:` hex)
//! or with `t` and `s`, or `apiKey` alone (the `apiKeyAuthentication`
//! extension). Only app passwords are accepted (`services::app_passwords`).

use std::net::IpAddr;

use super::params::Params;
use super::wire::SubsonicError;
use crate::auth::AuthUser;
use crate::services::ServiceError;
use crate::services::app_passwords::{self, Credentials};
use crate::state::AppState;

/// Whether the request carries any credentials at all.
pub fn has_credentials(params: &Params) -> bool {
    ["u", "p", "t", "s", "apiKey"]
        .iter()
        .any(|name| params.get(name).is_some())
}

/// The caller the credentials prove, or the Subsonic error saying why not.
pub async fn authenticate(
    state: &AppState,
    client: Option<IpAddr>,
    params: &Params,
) -> Result<AuthUser, SubsonicError> {
    let username = params.get("u");
    let password = params.get("p");
    let token = params.get("t");
    let salt = params.get("s");
    if let Some(key) = params.get("apiKey") {
        if username.is_some() || password.is_some() || token.is_some() {
            return Err(SubsonicError::new(
                43,
                "Send either an API key or a username with a password or token, not both.",
            ));
        }
        return app_passwords::authenticate(state, client, Credentials::ApiKey(key))
            .await
            .map_err(|error| match error {
                ServiceError::Unauthorized(message) => SubsonicError::new(44, message),
                other => other.into(),
            });
    }
    let username = username.ok_or_else(|| SubsonicError::missing("u"))?;
    let decoded;
    let credentials = match (password, token) {
        (Some(_), Some(_)) => {
            return Err(SubsonicError::new(
                43,
                "Send either a password or a token, not both.",
            ));
        }
        (Some(password), None) => {
            let password = match password.strip_prefix("enc:") {
                Some(hex) => {
                    decoded = hex::decode(hex)
                        .ok()
                        .and_then(|bytes| String::from_utf8(bytes).ok())
                        .ok_or_else(|| SubsonicError::new(40, "Wrong username or app password."))?;
                    decoded.as_str()
                }
                None => password,
            };
            Credentials::Password { username, password }
        }
        (None, Some(token)) => Credentials::Token {
            username,
            token,
            salt: salt.ok_or_else(|| SubsonicError::missing("s"))?,
        },
        (None, None) => return Err(SubsonicError::missing("p")),
    };
    Ok(app_passwords::authenticate(state, client, credentials).await?)
}
