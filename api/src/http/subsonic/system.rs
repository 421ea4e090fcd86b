//! System and user methods: `ping`, `getLicense`,
//! `getOpenSubsonicExtensions`, `tokenInfo`, `getUser`, `getScanStatus`,
//! `startScan`.

use serde_json::json;
use soundstream_types::Role;

use super::call::Call;
use super::wire::{Payload, SubsonicError};
use crate::services::accounts;
use crate::services::catalogue;

/// `ping` (no element) and `getLicense` (always valid: free software).
pub fn public(method: &str) -> Payload {
    if method == "getLicense" {
        vec![("license", json!({"valid": true}))]
    } else {
        Vec::new()
    }
}

/// The OpenSubsonic extensions this server supports.
pub fn extensions() -> Payload {
    vec![(
        "openSubsonicExtensions",
        json!([
            {"name": "apiKeyAuthentication", "versions": [1]},
            {"name": "formPost", "versions": [1]},
            {"name": "songLyrics", "versions": [1]},
        ]),
    )]
}

/// The caller (the only user one may ask about without being an admin).
pub async fn get_user(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let me = accounts::me(call.state, &call.urls, call.user).await?;
    if let Some(asked) = call.params.get("username")
        && !asked.eq_ignore_ascii_case(&me.username)
    {
        return Err(SubsonicError::not_authorized(
            "You may only ask about your own account.",
        ));
    }
    let admin = me.role == Role::Admin;
    Ok(vec![(
        "user",
        json!({
            "username": me.username,
            "email": me.email,
            "scrobblingEnabled": true,
            "adminRole": admin,
            "settingsRole": false,
            "downloadRole": true,
            "uploadRole": admin,
            "playlistRole": true,
            "coverArtRole": admin,
            "commentRole": false,
            "podcastRole": false,
            "streamRole": true,
            "jukeboxRole": false,
            "shareRole": false,
            "videoConversionRole": false,
            "folder": [1],
        }),
    )])
}

/// Whose credentials these are (the `apiKeyAuthentication` extension's
/// `tokenInfo`; any app password answers it).
pub async fn token_info(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let me = accounts::me(call.state, &call.urls, call.user).await?;
    Ok(vec![("tokenInfo", json!({"username": me.username}))])
}

/// Songs are added through uploads and imports, never by scanning folders:
/// no scan ever runs (`startScan` starts none); the count is the library's.
pub async fn scan_status(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let count = catalogue::song_count(call.state).await?;
    Ok(vec![(
        "scanStatus",
        json!({"scanning": false, "count": count}),
    )])
}
