//! Upload sessions: the client asks for a presigned request, sends the
//! bytes straight to storage, then asks the API to verify them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UploadKind {
    /// A song file (administrators only).
    Audio,
    /// An avatar, a cover or a playlist picture.
    Image,
}

/// `POST /uploads`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUploadRequest {
    pub kind: UploadKind,
    /// The file's media type, e.g. `audio/mpeg` or `image/png`.
    pub content_type: String,
    /// Exact size in bytes; the upload URL accepts no other.
    pub size: u64,
    /// The original file name, kept for display.
    #[serde(default)]
    pub filename: Option<String>,
}

/// Where and how to send the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadTicket {
    pub id: String,
    /// Send the file here, with `method` and exactly these `headers`.
    pub url: String,
    pub method: String,
    pub headers: BTreeMap<String, String>,
    /// RFC 3339; after this the URL is refused.
    pub expires_at: String,
}

/// A picture found inside an audio file, stored as its own image upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbeddedCover {
    /// An image upload id, usable wherever an image upload is accepted.
    pub upload_id: String,
    pub content_type: String,
    pub url: String,
}

/// What the tags of an audio file say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AudioTags {
    pub title: Option<String>,
    pub artist: Option<String>,
    pub album: Option<String>,
    pub album_artist: Option<String>,
    pub track_number: Option<u32>,
    pub disc_number: Option<u32>,
    pub year: Option<i32>,
    pub duration_ms: u64,
    pub cover: Option<EmbeddedCover>,
}

/// `POST /uploads/{id}/complete`: the verified upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletedUpload {
    pub id: String,
    pub kind: UploadKind,
    pub content_type: String,
    pub size: u64,
    pub filename: Option<String>,
    /// Tags and duration, for audio.
    pub audio: Option<AudioTags>,
}
