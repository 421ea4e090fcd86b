//! `GET /search`: the catalogue and playlists matching what was typed.

use serde::{Deserialize, Serialize};

use crate::catalogue::{Album, Artist, Song};
use crate::playlists::Playlist;

/// Results grouped by kind, each group best match first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// The query as it was understood: lower-cased, accents and
    /// punctuation removed.
    pub query: String,
    pub songs: Vec<Song>,
    pub artists: Vec<Artist>,
    pub albums: Vec<Album>,
    /// Public playlists and your own.
    pub playlists: Vec<Playlist>,
}
