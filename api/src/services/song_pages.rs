//! Pages of songs this instance has answered, kept while the catalogue
//! stays as it was. The library's first pages (each sort, the home page's
//! newest songs) are asked for again and again by every listener; one read
//! of the catalogue's version (bumped by triggers on every change, shared by
//! all instances) tells whether a kept page still holds, instead of reading
//! and joining fifty songs again. Keys carry the media URL window too, so a
//! kept page never hands out URLs older than a fresh one would.
//!
//! A kept page also keeps its JSON, written the first time it is sent:
//! writing fifty songs' JSON was most of the cost of answering from here.

use std::sync::OnceLock;
use std::time::SystemTime;

use bytes::Bytes;
use soundstream_types::{Page, Song};

use crate::services::kept_answers::KeptAnswers;

/// Pages kept at most; a page of 50 songs is about 25 KB.
pub const CAPACITY: u64 = 256;

/// What a page of songs is: the catalogue's version, the URL window, and
/// the request (sort, direction, filters, cursor, size).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SongPageKey {
    pub version: i64,
    pub window: SystemTime,
    pub sort: String,
    pub descending: bool,
    pub artist_id: Option<String>,
    pub album_id: Option<String>,
    pub genre: Option<String>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of songs as answered, and its JSON once written.
#[derive(Debug)]
pub struct KeptPage {
    page: Page<Song>,
    json: OnceLock<Bytes>,
}

impl KeptPage {
    pub fn new(page: Page<Song>) -> Self {
        Self {
            page,
            json: OnceLock::new(),
        }
    }

    /// The page as JSON, written on first use and shared after.
    pub fn json(&self) -> Result<Bytes, serde_json::Error> {
        if let Some(json) = self.json.get() {
            return Ok(json.clone());
        }
        let json = Bytes::from(serde_json::to_vec(&self.page)?);
        // Two requests may both write it; either copy is the same.
        Ok(self.json.get_or_init(|| json).clone())
    }
}

/// The pages an instance keeps.
pub type SongPages = KeptAnswers<SongPageKey, KeptPage>;
