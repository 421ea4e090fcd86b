//! Annotation: `star`/`unstar` (songs are the listener's favourites;
//! albums and artists have stars of their own), `setRating`,
//! `getStarred2`, `scrobble` (a submission is a play in the history, a
//! "now playing" report is what `getNowPlaying` shows) and
//! `getNowPlaying`.

use serde_json::{Value, json};

use super::browsing::{AlbumShape, Marker, album_values, artist_values, children};
use super::call::Call;
use super::objects;
use super::wire::{Payload, SubsonicError};
use crate::clock::now_millis;
use crate::domain::{ClientName, Rating};
use crate::services::annotations::{self, Starred};
use crate::services::browsing::{self, AlbumList};
use crate::services::listening;

/// Stars or unstars the songs (`id`), albums (`albumId`) and artists
/// (`artistId`) named, each repeatable.
pub async fn star(call: &Call<'_>, on: bool) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let (songs, albums, artists) = (
        params.all("id"),
        params.all("albumId"),
        params.all("artistId"),
    );
    if songs.is_empty() && albums.is_empty() && artists.is_empty() {
        return Err(SubsonicError::missing("id"));
    }
    for id in songs {
        if on {
            listening::add_favorite(call.state, call.user, id).await?;
        } else {
            listening::remove_favorite(call.state, call.user, id).await?;
        }
    }
    let others = albums
        .into_iter()
        .map(|id| (Starred::Album, id))
        .chain(artists.into_iter().map(|id| (Starred::Artist, id)));
    for (kind, id) in others {
        if on {
            annotations::star(call.state, call.user, kind, id).await?;
        } else {
            annotations::unstar(call.state, call.user, kind, id).await?;
        }
    }
    Ok(Vec::new())
}

/// Rates a song, album or artist from 1 to 5; 0 removes the rating.
pub async fn set_rating(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let id = params.required("id")?;
    let stars = params
        .optional_int("rating")?
        .ok_or_else(|| SubsonicError::missing("rating"))?;
    let rating = Rating::parse("rating", stars).map_err(|error| {
        SubsonicError::generic(format!("Parameter 'rating' {}.", error.message))
    })?;
    annotations::rate(call.state, call.user, id, rating).await?;
    Ok(Vec::new())
}

/// The caller's starred artists, albums and songs, as `starred2` (ID3) or
/// `starred` (folders).
pub async fn starred(
    call: &Call<'_>,
    element: &'static str,
    shape: AlbumShape,
) -> Result<Payload, SubsonicError> {
    let songs = browsing::all_favorites(call.state, &call.urls, call.user).await?;
    let albums = browsing::album_list(
        call.state,
        call.user,
        AlbumList::Starred,
        0,
        browsing::MAX_PAGE,
    )
    .await?;
    let artists = annotations::starred_artists(call.state, call.user).await?;
    Ok(vec![(
        element,
        json!({
            "artist": artist_values(call, &artists).await?,
            "album": album_values(call, &albums, shape).await?,
            "song": children(call, &songs).await?,
        }),
    )])
}

/// The client's name (`c`, required by the specification; apps that leave
/// it out are shown as "Subsonic app").
fn client(call: &Call<'_>) -> Result<ClientName, SubsonicError> {
    ClientName::parse("c", call.params.get("c").unwrap_or("Subsonic app"))
        .map_err(|error| SubsonicError::generic(format!("Parameter 'c' {}.", error.message)))
}

/// Records plays (`submission=true`, the default), or notes what the
/// caller started playing (`submission=false`).
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
        let client = client(call)?;
        // Several ids report a queue; the last is the one playing.
        for id in ids {
            listening::report_now_playing(call.state, call.user, id, &client).await?;
        }
    }
    Ok(Vec::new())
}

/// Players are not registered: a player is a listener's client, numbered
/// by a hash of both (FNV-1a), the same on every instance and request.
fn player_id(username: &str, client: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in username.bytes().chain([0]).chain(client.bytes()) {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    // Apps read it as a signed 32-bit integer.
    hash >> 1
}

/// What listeners started playing in the last hour.
pub async fn now_playing(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let playing = listening::now_playing(call.state, &call.urls).await?;
    let ids: Vec<&str> = playing.iter().map(|entry| entry.song.id.as_str()).collect();
    let marker = Marker::songs(call, &ids).await?;
    let now = now_millis();
    let entries: Vec<Value> = playing
        .iter()
        .map(|entry| {
            let mut value = marker.mark(&entry.song.id, objects::child(&entry.song));
            value["username"] = Value::from(entry.username.clone());
            value["minutesAgo"] = Value::from((now - entry.started_at).max(0) / 60_000);
            value["playerId"] = Value::from(player_id(&entry.username, &entry.client));
            value["playerName"] = Value::from(entry.client.clone());
            value
        })
        .collect();
    Ok(vec![("nowPlaying", json!({"entry": entries}))])
}
