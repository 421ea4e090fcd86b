//! Bookmarks and the saved play queue: `getBookmarks`, `createBookmark`,
//! `deleteBookmark`, `savePlayQueue`, `getPlayQueue`. Each is the caller's
//! own: nothing here names another user.

use serde_json::{Value, json};

use super::browsing::Marker;
use super::call::Call;
use super::objects;
use super::wire::{Payload, SubsonicError};
use crate::clock::rfc3339;
use crate::domain::{BookmarkComment, ClientName, PlaybackPosition};
use crate::services::{accounts, bookmarks, play_queue};

fn refused(parameter: &str, error: &soundstream_types::FieldError) -> SubsonicError {
    SubsonicError::generic(format!("Parameter '{parameter}' {}.", error.message))
}

fn position(call: &Call<'_>) -> Result<PlaybackPosition, SubsonicError> {
    let ms = call.params.int("position", 0)?;
    PlaybackPosition::parse("position", ms).map_err(|error| refused("position", &error))
}

async fn username(call: &Call<'_>) -> Result<String, SubsonicError> {
    Ok(accounts::me(call.state, &call.urls, call.user)
        .await?
        .username)
}

/// The queue of a listener who never saved one: empty since their account
/// was made, saved by no client (the specification requires the element).
async fn never_saved(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let me = accounts::me(call.state, &call.urls, call.user).await?;
    Ok(vec![(
        "playQueue",
        json!({"username": me.username, "changed": me.created_at, "changedBy": "", "entry": []}),
    )])
}

/// The caller's bookmarks, most recently changed first.
pub async fn list(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let found = bookmarks::list(call.state, &call.urls, call.user).await?;
    let username = username(call).await?;
    let ids: Vec<&str> = found
        .iter()
        .map(|bookmark| bookmark.song.id.as_str())
        .collect();
    let marker = Marker::songs(call, &ids).await?;
    let listed: Vec<Value> = found
        .iter()
        .map(|bookmark| {
            let mut value = json!({
                "position": bookmark.position_ms,
                "username": username,
                "created": rfc3339(bookmark.created_at),
                "changed": rfc3339(bookmark.updated_at),
                "entry": marker.mark(&bookmark.song.id, objects::child(&bookmark.song)),
            });
            if let Some(comment) = &bookmark.comment {
                value["comment"] = Value::from(comment.clone());
            }
            value
        })
        .collect();
    Ok(vec![("bookmarks", json!({"bookmark": listed}))])
}

/// Creates or moves the caller's bookmark in a song.
pub async fn create(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let id = params.required("id")?;
    if params.optional_int("position")?.is_none() {
        return Err(SubsonicError::missing("position"));
    }
    let position = position(call)?;
    let comment = params
        .get("comment")
        .map(|text| BookmarkComment::parse("comment", text).map_err(|e| refused("comment", &e)))
        .transpose()?;
    bookmarks::save(call.state, call.user, id, position, comment.as_ref()).await?;
    Ok(Vec::new())
}

/// Deletes the caller's bookmark in a song.
pub async fn delete(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    bookmarks::delete(call.state, call.user, id).await?;
    Ok(Vec::new())
}

/// Saves the caller's queue (`id` repeated, in order; none clears it),
/// the song playing (`current`) and where (`position`, ms).
pub async fn save_queue(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let ids: Vec<String> = params.all("id").into_iter().map(str::to_owned).collect();
    let client = ClientName::parse("c", params.get("c").unwrap_or("Subsonic app"))
        .map_err(|error| refused("c", &error))?;
    play_queue::save(
        call.state,
        call.user,
        &ids,
        params.get("current"),
        position(call)?,
        &client,
    )
    .await?;
    Ok(Vec::new())
}

/// The caller's saved queue; an empty one when they saved none.
pub async fn get_queue(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let Some(queue) = play_queue::find(call.state, &call.urls, call.user).await? else {
        return never_saved(call).await;
    };
    let ids: Vec<&str> = queue.songs.iter().map(|song| song.id.as_str()).collect();
    let marker = Marker::songs(call, &ids).await?;
    let entries: Vec<Value> = queue
        .songs
        .iter()
        .map(|song| marker.mark(&song.id, objects::child(song)))
        .collect();
    let mut value = json!({
        "position": queue.position_ms,
        "username": username(call).await?,
        "changed": rfc3339(queue.changed_at),
        "changedBy": queue.changed_by,
        "entry": entries,
    });
    if let Some(current) = queue.current_song_id {
        value["current"] = Value::from(current);
    }
    Ok(vec![("playQueue", value)])
}
