//! Annotation: `star`/`unstar` (songs: the listener's favourites),
//! `getStarred2` and `scrobble` (a submission is a play in the history).

use serde_json::json;

use super::browsing::children;
use super::call::Call;
use super::wire::{Payload, SubsonicError};
use crate::services::{browsing, catalogue, listening};

/// Stars or unstars songs (`id`, repeatable). Albums and artists cannot be
/// starred yet: naming one is refused.
pub async fn star(call: &Call<'_>, on: bool) -> Result<Payload, SubsonicError> {
    let params = call.params;
    if !params.all("albumId").is_empty() || !params.all("artistId").is_empty() {
        return Err(SubsonicError::generic(
            "Only songs can be starred on this server.",
        ));
    }
    let ids = params.all("id");
    if ids.is_empty() {
        return Err(SubsonicError::missing("id"));
    }
    for id in ids {
        if on {
            listening::add_favorite(call.state, call.user, id).await?;
        } else {
            listening::remove_favorite(call.state, call.user, id).await?;
        }
    }
    Ok(Vec::new())
}

/// The caller's starred songs.
pub async fn starred2(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let songs = browsing::all_favorites(call.state, &call.urls, call.user).await?;
    Ok(vec![(
        "starred2",
        json!({"artist": [], "album": [], "song": children(call, &songs).await?}),
    )])
}

/// Records plays (`submission=true`, the default); "now playing"
/// notifications (`submission=false`) are accepted and not kept.
pub async fn scrobble(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let ids = params.all("id");
    if ids.is_empty() {
        return Err(SubsonicError::missing("id"));
    }
    if params.flag("submission", true)? {
        for id in ids {
            listening::record_play(call.state, call.user, id).await?;
        }
    } else {
        for id in ids {
            if !browsing::song_exists(call.state, id).await? {
                return Err(catalogue::no_song().into());
            }
        }
    }
    Ok(Vec::new())
}
