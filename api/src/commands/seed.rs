//! `soundstream seed --songs N`: a generated library for performance work
//! (lists, search and pagination over thousands of songs). Every song
//! plays the same short stored tone, so seeding is fast and storage small.
//! The owner also gets what a listener accumulates: a playlist of 200
//! songs per thousand seeded, one song in twenty as a favourite and one in
//! eight in the play history.

use std::time::{Duration, Instant};

use soundstream_types::UploadKind;

use crate::clock::now_millis;
use crate::db::{Database, DbError};
use crate::domain::CatalogueName;
use crate::persistence::filing::Places;
use crate::persistence::listening;
use crate::persistence::playlists::{self, NewPlaylist};
use crate::persistence::songs::{self, NewSong};
use crate::persistence::uploads::{self, NewUpload};
use crate::storage::{MediaStorage, new_object_key};

/// Words titles, artists and albums are made of (with accents, so search
/// has folding to do).
const WORDS: &[&str] = &[
    "Love", "Canción", "Night", "Corazón", "Blue", "Días", "Fire", "Sueño", "River", "Mañana",
    "Golden", "Luz", "Storm", "Camión", "Echo", "Niño", "Silver", "Árbol", "Wild", "Café", "Dream",
    "Pájaro", "Ocean", "Jóvenes", "Summer", "Noche", "Paper", "Acción", "Glass", "Música",
];
const SONGS_PER_ALBUM: usize = 10;
const ALBUMS_PER_ARTIST: usize = 4;
/// A playlist per this many songs seeded, of [`PLAYLIST_ENTRIES`] songs.
const SONGS_PER_PLAYLIST: usize = 1_000;
const PLAYLIST_ENTRIES: usize = 200;
/// One song in this many is a favourite, one in that many was played.
const FAVORITE_EVERY: usize = 20;
const PLAYED_EVERY: usize = 8;

#[derive(Debug)]
pub struct SeedReport {
    pub songs: usize,
    pub playlists: usize,
    pub favorites: usize,
    pub plays: usize,
    pub elapsed: Duration,
}

/// A one-second silent 8 kHz mono WAV: real audio any browser plays.
fn silent_wav() -> Vec<u8> {
    let samples: u32 = 8_000;
    let data_len = samples * 2;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16_u32.to_le_bytes());
    wav.extend_from_slice(&1_u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1_u16.to_le_bytes()); // mono
    wav.extend_from_slice(&8_000_u32.to_le_bytes());
    wav.extend_from_slice(&16_000_u32.to_le_bytes()); // bytes per second
    wav.extend_from_slice(&2_u16.to_le_bytes()); // block align
    wav.extend_from_slice(&16_u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    wav.resize(44 + data_len as usize, 0);
    wav
}

fn phrase(n: usize, words: usize) -> String {
    (0..words)
        .map(|i| WORDS[(n / WORDS.len().pow(i as u32)) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn name(field: &str, text: &str) -> CatalogueName {
    CatalogueName::parse(field, text).unwrap_or_else(|_| unreachable!("generated names are valid"))
}

/// Adds `count` generated songs owned by `owner_id`, in one transaction
/// per thousand.
pub async fn seed_library(
    db: &Database,
    storage: &MediaStorage,
    owner_id: &str,
    count: usize,
) -> Result<SeedReport, SeedError> {
    let started = Instant::now();
    let wav = silent_wav();
    let size = wav.len() as u64;
    let key = new_object_key(uploads::kind_name(UploadKind::Audio));
    storage.store.put(&key, wav.into(), "audio/wav").await?;
    let now = now_millis();
    uploads::insert(
        &mut *db.acquire().await?,
        &NewUpload {
            id: &uuid::Uuid::now_v7().to_string(),
            owner_id,
            kind: UploadKind::Audio,
            complete: true,
            object_key: key.as_str(),
            content_type: "audio/wav",
            size,
            filename: Some("seed.wav"),
            created_at: now,
            expires_at: now,
        },
    )
    .await?;

    // Seeds are numbered on from what an earlier seed left, so names stay
    // unique across runs.
    let offset = songs::count(&mut *db.acquire().await?).await?;
    let mut song_ids = Vec::with_capacity(count);
    let (mut favorites, mut plays) = (0, 0);
    for batch in (0..count).collect::<Vec<_>>().chunks(1_000) {
        let mut tx = db.begin_write().await?;
        let mut places = Places::default();
        for &i in batch {
            let n = offset + i;
            let album_n = n / SONGS_PER_ALBUM;
            let artist_n = album_n / ALBUMS_PER_ARTIST;
            let title = name("title", &format!("{} {n}", phrase(n, 2)));
            let artist = name(
                "artist",
                &format!("{} Band {artist_n}", phrase(artist_n + 7, 1)),
            );
            let album = name("album", &format!("{} {album_n}", phrase(album_n + 3, 2)));
            let song_id = songs::insert(
                &mut tx,
                &mut places,
                &NewSong {
                    title: &title,
                    artist: &artist,
                    album: Some(&album),
                    album_artist: None,
                    track_number: u32::try_from(n % SONGS_PER_ALBUM + 1).ok(),
                    disc_number: Some(1),
                    year: i32::try_from(1960 + n % 60).ok(),
                    genre: None,
                    bit_rate_kbps: None,
                    sample_rate_hz: None,
                    // 1:30 to 6:00, varied so sorting by duration means something.
                    duration_ms: 90_000 + (n as u64 * 7_919) % 270_000,
                    audio_object_key: key.as_str(),
                    content_type: "audio/wav",
                    size,
                    content_hash: None,
                    cover_object_key: None,
                    lyrics: None,
                    lyrics_language: None,
                    uploaded_by: owner_id,
                },
            )
            .await?;
            if n.is_multiple_of(FAVORITE_EVERY) {
                listening::add_favorite(&mut tx, owner_id, &song_id).await?;
                favorites += 1;
            }
            if n.is_multiple_of(PLAYED_EVERY) {
                // Spread over the past, a minute apart.
                let played_at = now - i64::try_from(n).unwrap_or(i64::MAX) * 60_000;
                listening::record_play(&mut tx, owner_id, &song_id, played_at).await?;
                plays += 1;
            }
            song_ids.push(song_id);
        }
        tx.commit().await?;
    }
    let playlists = seed_playlists(db, owner_id, offset, &song_ids).await?;
    Ok(SeedReport {
        songs: count,
        playlists,
        favorites,
        plays,
        elapsed: started.elapsed(),
    })
}

/// One playlist of [`PLAYLIST_ENTRIES`] songs each time the library
/// passes a multiple of [`SONGS_PER_PLAYLIST`] songs, its songs spread over
/// the whole new range (a listener's mix, not one album); every other one
/// public.
async fn seed_playlists(
    db: &Database,
    owner_id: &str,
    offset: usize,
    song_ids: &[String],
) -> Result<usize, SeedError> {
    let count = (offset + song_ids.len()) / SONGS_PER_PLAYLIST - offset / SONGS_PER_PLAYLIST;
    let mut tx = db.begin_write().await?;
    for p in 0..count {
        let n = offset / SONGS_PER_PLAYLIST + p;
        let playlist_name = name("name", &format!("{} Mix {n}", phrase(n + 11, 2)));
        let id = playlists::insert(
            &mut tx,
            &NewPlaylist {
                owner_id,
                name: &playlist_name,
                description: None,
                is_public: n.is_multiple_of(2),
                cover_object_key: None,
            },
        )
        .await?;
        let stride = (song_ids.len() / PLAYLIST_ENTRIES).max(1);
        let entries: Vec<String> = (0..PLAYLIST_ENTRIES.min(song_ids.len()))
            .map(|k| song_ids[(k * stride + p) % song_ids.len()].clone())
            .collect();
        playlists::add_songs(&mut tx, &id, &entries, None).await?;
    }
    tx.commit().await?;
    Ok(count)
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("storing the seed audio failed")]
    Storage(#[from] soundstream_storage::StorageError),
}

impl From<sqlx::Error> for SeedError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error.into())
    }
}
