//! Radio stations: a schedule of songs every listener hears in sync,
//! computed by any instance from the database and the clock.

use serde::{Deserialize, Serialize};

use crate::catalogue::Song;
use crate::users::clearable;

/// What a station plays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum StationSource {
    /// A playlist's songs in the playlist's order.
    Playlist { playlist_id: String },
    /// A playlist's songs in a shuffled order.
    PlaylistShuffled { playlist_id: String },
    /// Every song of the library, shuffled.
    Library,
    /// The songs of one genre (compared without regard to case), shuffled.
    Genre { genre: String },
}

/// A station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Station {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// A playback-ready URL of the cover image, when there is one.
    pub cover_url: Option<String>,
    pub source: StationSource,
    /// Anyone may listen (no sign-in); otherwise signed-in listeners only.
    pub is_public: bool,
    /// The stream's path (`/api/v1/stations/{id}/stream`), relative to the API.
    pub stream_path: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// `POST /stations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateStationRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub source: StationSource,
    /// Listeners-only (`false`) unless set.
    #[serde(default)]
    pub is_public: bool,
    /// A completed image upload of yours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_upload_id: Option<String>,
}

/// `PATCH /stations/{id}`: absent fields are left alone; `null` clears the
/// description or the cover. A new source takes effect at a song boundary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateStationRequest {
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
    pub source: Option<StationSource>,
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

/// One song of a station's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledSong {
    pub song: Song,
    /// When it starts, Unix milliseconds.
    pub starts_at_ms: i64,
    /// How long the station plays it, in milliseconds (whole MP3 frames).
    pub duration_ms: u64,
}

/// `GET /stations/{id}/now`: what is on air, when it started, and what
/// comes next, as of `server_time_ms`. Every instance answers the same for
/// the same instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationNow {
    pub station_id: String,
    /// The server's clock when it answered, Unix milliseconds: players
    /// correct their own clock by it.
    pub server_time_ms: i64,
    /// Absent while the station has nothing it can play.
    pub current: Option<ScheduledSong>,
    /// The next few songs, in order.
    pub next: Vec<ScheduledSong>,
}

/// `GET /stations/{id}/stream-url`: signed URLs audio apps can open
/// without signing in, valid until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationStreamUrls {
    pub stream: String,
    pub m3u: String,
    pub pls: String,
    /// RFC 3339.
    pub expires_at: String,
}
