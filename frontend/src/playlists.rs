//! Playlists: the API calls the pages and the "Add to playlist" picker make,
//! and the pure reorder computation behind drag-and-drop and the move
//! buttons (tested on the host). Entries come a page at a time.

use soundstream_types::{
    AddPlaylistSongsRequest, AddedPlaylistEntries, CreatePlaylistRequest, MovePlaylistEntryRequest,
    Page, Playlist, PlaylistEntry, UpdatePlaylistRequest,
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

/// Entries per page on the playlist page.
pub const ENTRIES_PAGE: u32 = 100;
/// Entries per request when fetching the rest of a playlist to play it.
const ENTRIES_BATCH: u32 = 200;

/// The playlist's details and totals (its entries are paged separately).
pub async fn detail(id: &str) -> Result<Playlist, ApiError> {
    api::get(&path(id, "")).await
}

/// A page of `limit` entries after `cursor` (from the start without one).
pub async fn entries(
    id: &str,
    cursor: Option<&str>,
    limit: u32,
) -> Result<Page<PlaylistEntry>, ApiError> {
    let mut query = format!("/entries?limit={limit}");
    if let Some(cursor) = cursor {
        query.push_str(&format!("&cursor={}", api::encode(cursor)));
    }
    api::get(&path(id, &query)).await
}

/// Every entry after `cursor`, following the pages to the end.
pub async fn entries_after(id: &str, cursor: String) -> Result<Vec<PlaylistEntry>, ApiError> {
    let mut all = Vec::new();
    let mut cursor = Some(cursor);
    while let Some(after) = cursor {
        let page = entries(id, Some(&after), ENTRIES_BATCH).await?;
        all.extend(page.items);
        cursor = page.next_cursor;
    }
    Ok(all)
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
pub async fn add_songs(id: &str, song_ids: Vec<String>) -> Result<AddedPlaylistEntries, ApiError> {
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

/// Moves one entry after another. A 409 means one of them is no longer in
/// the playlist (it changed since it was read): see [`is_conflict`].
pub async fn move_entry(id: &str, request: &MovePlaylistEntryRequest) -> Result<(), ApiError> {
    api::send_empty(Method::Put, &path(id, "/order"), Some(request)).await
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

/// The entries in their new order and the request that asks the API for
/// it (the moved entry goes after its new predecessor, or to the top), or
/// `None` when nothing would move. Only loaded entries are named, so a
/// move works before the rest of a big playlist is loaded.
pub fn reordered(
    entries: &[PlaylistEntry],
    from: usize,
    to: usize,
) -> Option<(Vec<PlaylistEntry>, MovePlaylistEntryRequest)> {
    let entries = moved(entries, from, to)?;
    let request = MovePlaylistEntryRequest {
        entry_id: entries[to].id.clone(),
        after_entry_id: to.checked_sub(1).map(|before| entries[before].id.clone()),
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
                genre: None,
                duration_ms: 1_000,
                content_type: "audio/mpeg".to_owned(),
                size: 1,
                bit_rate_kbps: None,
                sample_rate_hz: None,
                channels: None,
                loudness: None,
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
    fn the_move_request_names_the_entry_and_its_new_predecessor() {
        let entries = [entry("e1", "s1"), entry("e2", "s2"), entry("e3", "s1")];

        let (to_top, request) = reordered(&entries, 2, 0).expect("a real move");
        assert_eq!(request.entry_id, "e3");
        assert_eq!(request.after_entry_id, None, "to the top");
        let songs: Vec<&str> = to_top.iter().map(|entry| entry.song.id.as_str()).collect();
        assert_eq!(songs, ["s1", "s1", "s2"]);

        let (_, down) = reordered(&entries, 0, 1).expect("a real move");
        assert_eq!(down.entry_id, "e1");
        assert_eq!(down.after_entry_id.as_deref(), Some("e2"));

        let (_, up) = reordered(&entries, 2, 1).expect("a real move");
        assert_eq!(up.entry_id, "e3");
        assert_eq!(up.after_entry_id.as_deref(), Some("e1"));
    }
}
