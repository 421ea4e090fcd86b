//! Catalogue matches of searches this instance has answered, kept while the
//! catalogue stays as it was. Search as you type sends the same short
//! prefixes from every listener ("l", "lo", "lov"), and each costs up to
//! nine index reads on the catalogue (three tiers for songs, artists and
//! albums). One read of the catalogue's version (bumped by triggers on every
//! change to songs, artists and albums, shared by all instances) tells
//! whether kept matches still hold. Playlists are not kept: they are not in
//! the catalogue's version, and which ones a caller sees depends on who
//! asks. Keys carry the media URL window too, so kept songs never hand out
//! URLs older than fresh ones would.

use std::time::SystemTime;

use soundstream_types::{Album, Artist, Song};

use crate::services::kept_answers::KeptAnswers;

/// Searches kept at most. One is 10–25 KB at the default 10 per kind (the
/// songs' signed URLs are most of it); 2,048 grew the process by about
/// 50 MB under a load of distinct queries (`scripts/bench`), so only the
/// most asked, the short prefixes everyone types first, are kept.
pub const CAPACITY: u64 = 256;

/// What a search is: the catalogue's version, the URL window, the query as
/// understood (folded and lower-cased) and the matches per kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchKey {
    pub version: i64,
    pub window: SystemTime,
    pub phrase: String,
    pub limit: i64,
}

/// The songs, artists and albums a search found, best first.
#[derive(Debug)]
pub struct CatalogueMatches {
    pub songs: Vec<Song>,
    pub artists: Vec<Artist>,
    pub albums: Vec<Album>,
}

/// The searches an instance keeps.
pub type KeptSearches = KeptAnswers<SearchKey, CatalogueMatches>;
