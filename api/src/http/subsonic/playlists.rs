//! Playlists: `getPlaylists`, `getPlaylist`, `createPlaylist`,
//! `updatePlaylist`, `deletePlaylist`. Visibility and ownership are the
//! playlists service's: a private playlist of someone else's is not found,
//! and only the owner changes one.

use serde_json::{Value, json};
use soundstream_types::{
    AddPlaylistSongsRequest, CreatePlaylistRequest, PlaylistEntry, UpdatePlaylistRequest,
};

use super::browsing::children;
use super::call::Call;
use super::objects;
use super::wire::{Payload, SubsonicError};
use crate::services::browsing::every_page;
use crate::services::playlists;

/// Playlists or entries answered at most (read a page at a time).
const MAX_ENTRIES: usize = 10_000;

/// The caller's playlists and everyone's public ones (`username` is
/// ignored: a listener sees exactly what the JSON API shows them).
pub async fn list(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let found = every_page(MAX_ENTRIES, |page| async move {
        playlists::list_playlists(call.state, &call.urls, call.user, false, &page).await
    })
    .await?;
    let listed: Vec<Value> = found
        .iter()
        .map(|playlist| objects::playlist(playlist, &call.user.id))
        .collect();
    Ok(vec![("playlists", json!({"playlist": listed}))])
}

async fn entries(call: &Call<'_>, id: &str) -> Result<Vec<PlaylistEntry>, SubsonicError> {
    Ok(every_page(MAX_ENTRIES, |page| async move {
        playlists::list_entries(call.state, &call.urls, call.user, id, &page).await
    })
    .await?)
}

async fn with_songs(call: &Call<'_>, id: &str) -> Result<Payload, SubsonicError> {
    let playlist = playlists::get_playlist(call.state, &call.urls, call.user, id).await?;
    let songs: Vec<_> = entries(call, id)
        .await?
        .into_iter()
        .map(|entry| entry.song)
        .collect();
    let mut value = objects::playlist(&playlist, &call.user.id);
    value["entry"] = Value::from(children(call, &songs).await?);
    Ok(vec![("playlist", value)])
}

/// A playlist with its songs.
pub async fn get(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    with_songs(call, id).await
}

async fn add(call: &Call<'_>, id: &str, song_ids: &[&str]) -> Result<(), SubsonicError> {
    if song_ids.is_empty() {
        return Ok(());
    }
    playlists::add_songs(
        call.state,
        &call.urls,
        call.user,
        id,
        &AddPlaylistSongsRequest {
            song_ids: song_ids.iter().map(|id| (*id).to_owned()).collect(),
            position: None,
        },
    )
    .await?;
    Ok(())
}

/// Creates a private playlist with the songs given, or, with
/// `playlistId`, replaces the songs of a playlist of the caller's (and
/// renames it when `name` is given).
pub async fn create(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let song_ids = call.params.all("songId");
    if let Some(id) = call.params.get("playlistId") {
        if let Some(name) = call.params.get("name") {
            playlists::update_playlist(
                call.state,
                &call.urls,
                call.user,
                id,
                &UpdatePlaylistRequest {
                    name: Some(name.to_owned()),
                    description: None,
                    is_public: None,
                    cover_upload_id: None,
                },
            )
            .await?;
        }
        let song_ids: Vec<String> = song_ids.into_iter().map(str::to_owned).collect();
        playlists::replace_songs(call.state, call.user, id, &song_ids).await?;
        return with_songs(call, id).await;
    }
    let name = call.params.required("name")?;
    let playlist = playlists::create_playlist(
        call.state,
        &call.urls,
        call.user,
        &CreatePlaylistRequest {
            name: name.to_owned(),
            description: None,
            is_public: false,
            cover_upload_id: None,
        },
    )
    .await?;
    add(call, &playlist.id, &song_ids).await?;
    with_songs(call, &playlist.id).await
}

/// Renames, describes, publishes, adds songs at the end and removes songs
/// by their index (all indexes refer to the playlist before the call).
pub async fn update(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let id = params.required("playlistId")?;
    let name = params.get("name");
    let comment = params.get("comment");
    let public = params
        .get("public")
        .map(|_| params.flag("public", false))
        .transpose()?;
    if name.is_some() || comment.is_some() || public.is_some() {
        playlists::update_playlist(
            call.state,
            &call.urls,
            call.user,
            id,
            &UpdatePlaylistRequest {
                name: name.map(str::to_owned),
                description: comment.map(|comment| Some(comment.to_owned())),
                is_public: public,
                cover_upload_id: None,
            },
        )
        .await?;
    }
    let removed = params.all("songIndexToRemove");
    if !removed.is_empty() {
        let current = entries(call, id).await?;
        let mut entry_ids = Vec::new();
        for index in removed {
            let entry = index
                .parse::<usize>()
                .ok()
                .and_then(|index| current.get(index))
                .ok_or_else(|| {
                    SubsonicError::generic(format!(
                        "songIndexToRemove {index} is not a place in this playlist."
                    ))
                })?;
            entry_ids.push(entry.id.clone());
        }
        for entry_id in entry_ids {
            playlists::remove_entry(call.state, call.user, id, &entry_id).await?;
        }
    }
    add(call, id, &params.all("songIdToAdd")).await?;
    Ok(Vec::new())
}

/// Deletes a playlist of the caller's.
pub async fn delete(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    playlists::delete_playlist(call.state, call.user, id).await?;
    Ok(Vec::new())
}
