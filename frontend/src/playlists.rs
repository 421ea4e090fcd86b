//! Playlists: the API calls the pages and the "Add to playlist" picker make,
//! and the pure reorder computation behind drag-and-drop and the move
//! buttons (tested on the host).

use soundstream_types::{
    AddPlaylistSongsRequest, CreatePlaylistRequest, Page, Playlist, PlaylistDetail, PlaylistEntry,
    ReorderPlaylistRequest, UpdatePlaylistRequest,
};

use crate::api::{self, ApiError, Method};

/// More than anyone keeps by hand; the lists are not paged in the UI.
const LIST_LIMIT: u32 = 100;

/// The signed-in listener's own playlists.
pub async fn mine() -> Result<Vec<Playlist>, ApiError> {
    api::get::<Page<Playlist>>(&format!("/api/v1/playlists?mine=true&limit={LIST_LIMIT}"))
        .await
        .map(|page| page.items)
}

/// The listener's playlists and everyone's public ones.
pub async fn visible() -> Result<Vec<Playlist>, ApiError> {
    api::get::<Page<Playlist>>(&format!("/api/v1/playlists?limit={LIST_LIMIT}"))
        .await
        .map(|page| page.items)
}

pub async fn detail(id: &str) -> Result<PlaylistDetail, ApiError> {
    api::get(&path(id, "")).await
}

pub async fn create(request: &CreatePlaylistRequest) -> Result<Playlist, ApiError> {
    api::send(Method::Post, "/api/v1/playlists", request).await
}

pub async fn update(id: &str, request: &UpdatePlaylistRequest) -> Result<Playlist, ApiError> {
    api::send(Method::Patch, &path(id, ""), request).await
}

pub async fn delete(id: &str) -> Result<(), ApiError> {
    api::send_empty::<()>(Method::Delete, &path(id, ""), None).await
}

/// Appends songs at the end.
pub async fn add_songs(id: &str, song_ids: Vec<String>) -> Result<PlaylistDetail, ApiError> {
    let request = AddPlaylistSongsRequest {
        song_ids,
        position: None,
    };
    api::send(Method::Post, &path(id, "/songs"), &request).await
}

pub async fn remove_entry(id: &str, entry_id: &str) -> Result<(), ApiError> {
    let entry = format!("/songs/{}", api::encode(entry_id));
    api::send_empty::<()>(Method::Delete, &path(id, &entry), None).await
}

/// Sends the full new order. A 409 means the playlist changed since it was
/// read: see [`is_conflict`].
pub async fn reorder(
    id: &str,
    request: &ReorderPlaylistRequest,
) -> Result<PlaylistDetail, ApiError> {
    api::send(Method::Put, &path(id, "/order"), request).await
}

/// Whether the API refused a change because the playlist moved on meanwhile.
pub fn is_conflict(error: &ApiError) -> bool {
    error.status() == Some(409)
}

fn path(id: &str, rest: &str) -> String {
    format!("/api/v1/playlists/{}{rest}", api::encode(id))
}

/// `items` with the one at `from` moved to `to` (the others shift), or
/// `None` when nothing would move.
pub fn moved<T: Clone>(items: &[T], from: usize, to: usize) -> Option<Vec<T>> {
    if from == to || from >= items.len() || to >= items.len() {
        return None;
    }
    let mut items = items.to_vec();
    let item = items.remove(from);
    items.insert(to, item);
    Some(items)
}

/// The entries in their new order and the request that asks the API for it
/// (every entry id, in order), or `None` when nothing would move.
pub fn reordered(
    entries: &[PlaylistEntry],
    from: usize,
    to: usize,
) -> Option<(Vec<PlaylistEntry>, ReorderPlaylistRequest)> {
    let entries = moved(entries, from, to)?;
    let request = ReorderPlaylistRequest {
        entry_ids: entries.iter().map(|entry| entry.id.clone()).collect(),
    };
    Some((entries, request))
}

#[cfg(test)]
mod tests {
    use soundstream_types::{ArtistRef, Song};

    use super::*;

    fn entry(id: &str, song_id: &str) -> PlaylistEntry {
        PlaylistEntry {
            id: id.to_owned(),
            position: 0,
            song: Song {
                id: song_id.to_owned(),
                title: song_id.to_owned(),
                artist: ArtistRef {
                    id: "artist".to_owned(),
                    name: "Artist".to_owned(),
                },
                album: None,
                track_number: None,
                disc_number: None,
                year: None,
                duration_ms: 1_000,
                content_type: "audio/mpeg".to_owned(),
                size: 1,
                cover_url: None,
                has_lyrics: false,
                lyrics_language: None,
                created_at: "2026-01-01T00:00:00Z".to_owned(),
            },
            added_at: "2026-01-01T00:00:00Z".to_owned(),
        }
    }

    #[test]
    fn moving_down_shifts_the_ones_in_between_up() {
        assert_eq!(
            moved(&["a", "b", "c", "d"], 0, 2),
            Some(vec!["b", "c", "a", "d"])
        );
    }

    #[test]
    fn moving_up_shifts_the_ones_in_between_down() {
        assert_eq!(
            moved(&["a", "b", "c", "d"], 3, 1),
            Some(vec!["a", "d", "b", "c"])
        );
    }

    #[test]
    fn moving_nowhere_or_out_of_range_is_no_change() {
        assert_eq!(moved(&["a", "b"], 1, 1), None);
        assert_eq!(moved(&["a", "b"], 2, 0), None);
        assert_eq!(moved(&["a", "b"], 0, 2), None);
    }

    #[test]
    fn the_reorder_request_names_every_entry_even_the_same_song_twice() {
        let entries = [entry("e1", "s1"), entry("e2", "s2"), entry("e3", "s1")];

        let (entries, request) = reordered(&entries, 2, 0).expect("a real move");

        assert_eq!(request.entry_ids, ["e3", "e1", "e2"]);
        let songs: Vec<&str> = entries.iter().map(|entry| entry.song.id.as_str()).collect();
        assert_eq!(songs, ["s1", "s1", "s2"]);
    }
}
