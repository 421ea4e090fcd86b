//! Songs, and the artists and albums they belong to.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArtistRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlbumRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Song {
    pub id: String,
    pub title: String,
    pub artist: ArtistRef,
    pub album: Option<AlbumRef>,
    pub track_number: Option<u32>,
    pub disc_number: Option<u32>,
    pub year: Option<i32>,
    pub duration_ms: u64,
    pub content_type: String,
    pub size: u64,
    /// A playback-ready URL of the cover, when there is one.
    pub cover_url: Option<String>,
    pub has_lyrics: bool,
    pub lyrics_language: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// `POST /songs` (admins): a song from a completed audio upload. Absent
/// fields are taken from the file's tags; the cover is the image upload
/// given, else the art embedded in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSongRequest {
    pub upload_id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub artist: Option<String>,
    #[serde(default)]
    pub album: Option<String>,
    #[serde(default)]
    pub track_number: Option<u32>,
    #[serde(default)]
    pub disc_number: Option<u32>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub cover_upload_id: Option<String>,
    #[serde(default)]
    pub lyrics: Option<String>,
    #[serde(default)]
    pub lyrics_language: Option<String>,
}

/// `PATCH /songs/{id}` (admins): absent fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateSongRequest {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub lyrics: Option<String>,
    #[serde(default)]
    pub lyrics_language: Option<String>,
}

/// `GET /songs/{id}/stream`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaybackUrl {
    pub url: String,
    pub content_type: String,
}

/// `GET /songs/{id}/lyrics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lyrics {
    pub song_id: String,
    pub lyrics: String,
    pub language: Option<String>,
    /// With `?lang=`: the lyrics in that language.
    pub translation: Option<crate::translation::TranslatedText>,
}

/// `POST /me/history`: a play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlayRequest {
    pub song_id: String,
}

/// A song in `GET /me/history`, with when it was last played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlayedSong {
    pub song: Song,
    /// RFC 3339.
    pub played_at: String,
}

/// An artist in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Artist {
    pub id: String,
    pub name: String,
    pub album_count: u32,
    pub song_count: u32,
}

/// An album in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Album {
    pub id: String,
    pub title: String,
    pub artist: ArtistRef,
    pub year: Option<i32>,
    pub song_count: u32,
}

/// `GET /artists/{id}`: the artist, their albums and most played songs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArtistDetail {
    pub artist: Artist,
    pub albums: Vec<Album>,
    pub top_songs: Vec<Song>,
}

/// `GET /albums/{id}`: the album with its tracks in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlbumDetail {
    pub album: Album,
    pub tracks: Vec<Song>,
}

/// A song with how often it was played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SongPlays {
    pub song: Song,
    pub plays: u64,
}

/// `GET /admin/stats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryStats {
    pub users: u64,
    pub songs: u64,
    pub artists: u64,
    pub albums: u64,
    pub playlists: u64,
    pub plays: u64,
    /// Bytes of audio in storage.
    pub audio_bytes: u64,
    /// Total playing time of the library, in milliseconds.
    pub total_duration_ms: u64,
    pub most_played: Vec<SongPlays>,
}
