//! Playlists: a user's ordered lists of songs, private or public.

use serde::{Deserialize, Serialize};

use crate::catalogue::Song;
use crate::users::clearable;

/// Who a playlist belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaylistOwner {
    pub id: String,
    pub username: String,
    pub display_name: String,
}

/// A playlist in lists and search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Playlist {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// A playback-ready URL of the cover image, when there is one.
    pub cover_url: Option<String>,
    pub is_public: bool,
    pub owner: PlaylistOwner,
    pub song_count: u32,
    pub duration_ms: u64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// One place in a playlist. `id` names the entry, not the song: the same
/// song may be in a playlist twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaylistEntry {
    pub id: String,
    /// 0-based place in the playlist.
    pub position: u32,
    pub song: Song,
    /// RFC 3339.
    pub added_at: String,
}

/// `POST /playlists/{id}/songs`: the playlist's new totals and the ids
/// of the entries made, in order (the entries themselves are paged by
/// `GET /playlists/{id}/entries`, so a big playlist is never sent whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddedPlaylistEntries {
    pub playlist: Playlist,
    pub entry_ids: Vec<String>,
}

/// `POST /playlists`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreatePlaylistRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Private (`false`) unless set.
    #[serde(default)]
    pub is_public: bool,
    /// A completed image upload of yours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_upload_id: Option<String>,
}

/// `PATCH /playlists/{id}`: absent fields are left alone; `null` clears
/// the description or the cover.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdatePlaylistRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub description: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub cover_upload_id: Option<Option<String>>,
}

/// `POST /playlists/{id}/songs`: songs to add, in this order, at the end
/// or before the entry now at `position`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddPlaylistSongsRequest {
    pub song_ids: Vec<String>,
    /// 0-based; absent (or past the end) appends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

/// `PUT /playlists/{id}/order`: moves one entry right after another, or
/// to the top when `after_entry_id` is absent or `null`. Naming entries
/// (not places) keeps a move meaningful while someone else edits the
/// playlist; an entry that is no longer there is refused with 409.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MovePlaylistEntryRequest {
    pub entry_id: String,
    #[serde(default)]
    pub after_entry_id: Option<String>,
}
