//! Songs, and the artists and albums they belong to.

use serde::{Deserialize, Serialize};

use crate::users::clearable;

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
    #[serde(default)]
    pub genre: Option<String>,
    pub duration_ms: u64,
    pub content_type: String,
    pub size: u64,
    /// Read from the file at ingest; absent for songs filed before that.
    #[serde(default)]
    pub bit_rate_kbps: Option<u32>,
    #[serde(default)]
    pub sample_rate_hz: Option<u32>,
    #[serde(default)]
    pub channels: Option<u32>,
    /// Measured after ingest (EBU R128); absent until the song's analysis
    /// job has run.
    #[serde(default)]
    pub loudness: Option<Loudness>,
    /// A playback-ready URL of the cover, when there is one.
    pub cover_url: Option<String>,
    pub has_lyrics: bool,
    pub lyrics_language: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// A song's loudness (EBU R128, as ReplayGain 2.0 measures it) and the
/// gains that bring it to the [`REFERENCE_LUFS`] reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Loudness {
    /// Integrated loudness of the track, in LUFS.
    pub integrated_lufs: f64,
    /// True peak of the track, in dBTP.
    pub true_peak_dbtp: f64,
    /// Gain to the reference, in dB (`REFERENCE_LUFS - integrated_lufs`).
    pub track_gain_db: f64,
    /// Gain that brings the whole album to the reference, in dB, so the
    /// album keeps its own dynamics; absent for a song without an album.
    pub album_gain_db: Option<f64>,
    /// True peak of the loudest track of the album, in dBTP.
    pub album_peak_dbtp: Option<f64>,
}

// Every figure is finite: measured values are parsed, never NaN.
impl Eq for Loudness {}

/// The loudness every gain aims at, as streaming services do.
pub const REFERENCE_LUFS: f64 = -14.0;

impl Loudness {
    /// The gain to apply, in dB: the album's when asked and known, else the
    /// track's, lowered so the true peak stays at or below −1 dBTP.
    pub fn safe_gain_db(&self, album: bool) -> f64 {
        let (gain, peak) = match (album, self.album_gain_db, self.album_peak_dbtp) {
            (true, Some(gain), Some(peak)) => (gain, peak),
            _ => (self.track_gain_db, self.true_peak_dbtp),
        };
        gain.min(-1.0 - peak)
    }
}

/// How good `GET /songs/{id}/stream` should sound: `low` and `normal` pick
/// a rendition made at ingest (Opus 96 or 160 kbit/s, else AAC or MP3 128),
/// `high` the original unless it is lossless or above 320 kbit/s (then
/// the best rendition), `original` always the original.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PlaybackQuality {
    Low,
    Normal,
    High,
    #[default]
    Original,
}

impl PlaybackQuality {
    pub const ALL: [Self; 4] = [Self::Low, Self::Normal, Self::High, Self::Original];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Original => "original",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|quality| quality.as_str() == text)
    }
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
    /// The genre; the file's tagged genre when absent.
    #[serde(default)]
    pub genre: Option<String>,
    #[serde(default)]
    pub cover_upload_id: Option<String>,
    #[serde(default)]
    pub lyrics: Option<String>,
    #[serde(default)]
    pub lyrics_language: Option<String>,
}

/// `PATCH /songs/{id}` (admins): absent fields are left alone; `null`
/// clears a clearable one (album, numbers, year, cover); an empty `lyrics`
/// removes the lyrics. A new artist or album is matched ignoring case and
/// accents, or created; an album is filed under the song's artist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateSongRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artist: Option<String>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub album: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub track_number: Option<Option<u32>>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub disc_number: Option<Option<u32>>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub year: Option<Option<i32>>,
    /// `null` removes the genre.
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub genre: Option<Option<String>>,
    /// A completed image upload of yours; `null` removes the cover.
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub cover_upload_id: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics_language: Option<String>,
}

/// `PATCH /artists/{id}` (admins).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateArtistRequest {
    pub name: String,
}

/// `PATCH /albums/{id}` (admins): absent fields are left alone; `null`
/// clears the year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateAlbumRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub year: Option<Option<i32>>,
}

/// `GET /songs/{id}/stream`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaybackUrl {
    pub url: String,
    pub content_type: String,
    /// What is served: a rendition's name (`opus-96`, `opus-160`,
    /// `aac-128`, `mp3-128`) or `original`.
    pub rendition: String,
    /// The bit rate of what is served, in kbit/s, when known.
    pub bit_rate_kbps: Option<u32>,
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

/// `GET /me/favorites/ids`: every favourite song's id, so a player can
/// mark hearts without loading the songs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FavoriteIds {
    pub song_ids: Vec<String>,
}

/// `POST /me/history`: a play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlayRequest {
    pub song_id: String,
}

/// `GET /me/play-queue`: your saved play queue, the same one Subsonic apps
/// save and restore (`savePlayQueue`/`getPlayQueue`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlayQueue {
    pub songs: Vec<Song>,
    /// The song playing, one of `songs`.
    pub current_song_id: Option<String>,
    /// Where in the current song, in milliseconds.
    pub position_ms: u64,
    /// RFC 3339.
    pub changed_at: String,
    /// The client that saved it.
    pub changed_by: String,
}

/// `PUT /me/play-queue`: replaces your saved queue; no songs clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SavePlayQueueRequest {
    pub song_ids: Vec<String>,
    #[serde(default)]
    pub current_song_id: Option<String>,
    #[serde(default)]
    pub position_ms: u64,
    /// Your client's name, shown to your other devices (1 to 100 characters).
    pub client: String,
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

/// `GET /admin/jobs`: the background work queue (renditions, loudness and
/// audio facts), counted by state, with the latest failures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobsOverview {
    pub queued: u64,
    pub running: u64,
    pub done: u64,
    pub failed: u64,
    /// Counts by kind of work.
    pub kinds: Vec<JobKindCounts>,
    /// The most recent failures, newest first (at most 50).
    pub failures: Vec<FailedJob>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobKindCounts {
    /// `renditions` (transcoding) or `analysis` (loudness and audio facts).
    pub kind: String,
    pub queued: u64,
    pub running: u64,
    pub done: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedJob {
    pub id: String,
    pub kind: String,
    /// The song it was for, while the song exists.
    pub song: Option<SongRef>,
    pub attempts: u32,
    /// Why the last attempt failed.
    pub error: String,
    /// RFC 3339.
    pub failed_at: String,
}

/// A song named in a list of something else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SongRef {
    pub id: String,
    pub title: String,
}
