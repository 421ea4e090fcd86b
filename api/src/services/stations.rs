//! Radio stations: admins make them; everyone allowed hears the same
//! schedule, computed by any instance from the database and the clock.
//!
//! The schedule is a list of epochs (see `persistence::stations`). When a
//! station's source changes (an edit, a playlist edited, renditions made,
//! songs filed or deleted), whichever instance notices first writes a new
//! epoch that starts at a song boundary at least [`CHANGE_LEAD_MS`] ahead,
//! with the song list materialised and, for shuffled sources, shuffled by
//! the station's seed with a fixed PRNG. Nothing on air ever jumps: an
//! epoch is only ever added where no instance can have sent audio yet.
//!
//! Songs without their `mp3-128` rendition are left out when an epoch is
//! made (the stream could not play them); once the rendition exists the
//! source's fingerprint changes and the next epoch includes them. A song
//! deleted while scheduled keeps its slot, as silence, until then.

use sha2::{Digest, Sha256};
use soundstream_types::{
    CreateStationRequest, Page, Role, ScheduledSong, Station, StationNow, StationSource,
    StationStreamUrls, UpdateStationRequest,
};

use crate::auth::AuthUser;
use crate::clock::{now_millis, rfc3339};
use crate::domain::pagination::{PageRequest, composite_key};
use crate::domain::radio::{
    frame_at, frame_offset_ms, frames_for_duration, seeded_shuffle, slot_at,
};
use crate::domain::{CatalogueName, FieldErrors, field_error};
use crate::persistence::stations::{self, NewStation, SourceRecord, StationChanges, StationRecord};
use crate::persistence::{playlists, songs, uploads};
use crate::services::media_urls::MediaUrls;
use crate::services::playlists::{cover_object, description};
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

/// Songs one epoch holds at most (a library source takes the first ones by id).
pub const MAX_SONGS: i64 = 5_000;
/// A change takes effect at the first song boundary at least this far
/// ahead: more than any stream sends ahead of the clock (its burst) plus
/// the clock skew tolerated between instances, so no instance has already
/// sent audio past the point where the new epoch starts.
pub const CHANGE_LEAD_MS: i64 = 10_000;
/// Songs `now` lists after the current one.
const NEXT_SONGS: usize = 5;
/// How long signed stream URLs stay valid.
const STREAM_URL_LIFETIME_SECS: u64 = 24 * 60 * 60;
const GENRE_MAX_CHARS: usize = 100;

fn no_station() -> ServiceError {
    ServiceError::NotFound("No station has this id.".into())
}

/// Who asks to hear a station.
#[derive(Debug, Clone, Copy)]
pub enum Listener<'a> {
    Anonymous,
    Member(&'a AuthUser),
    /// A signed stream URL (`exp`, `sig`), checked against the station.
    Signed {
        expires: u64,
        signature: &'a str,
    },
}

fn may_listen(state: &AppState, listener: Listener<'_>, station: &StationRecord) -> bool {
    station.is_public
        || match listener {
            Listener::Anonymous => false,
            Listener::Member(_) => true,
            Listener::Signed { expires, signature } => state.stream_urls.verify(
                &station.id,
                expires,
                signature,
                u64::try_from(now_millis() / 1000).unwrap_or(0),
            ),
        }
}

/// The station, when `listener` may hear it; a listeners-only station is
/// a 404 to anyone else, as if it did not exist.
pub async fn audible(
    state: &AppState,
    listener: Listener<'_>,
    id: &str,
) -> ServiceResult<StationRecord> {
    let mut conn = state.db.acquire().await?;
    stations::find(&mut conn, id)
        .await?
        .filter(|station| may_listen(state, listener, station))
        .ok_or_else(no_station)
}

pub fn stream_path(id: &str) -> String {
    format!("/api/v1/stations/{id}/stream")
}

async fn to_dto(urls: &MediaUrls, record: &StationRecord) -> ServiceResult<Station> {
    Ok(Station {
        id: record.id.clone(),
        name: record.name.clone(),
        description: record.description.clone(),
        cover_url: urls.download_optional(record.cover.as_ref()).await?,
        source: match &record.source {
            SourceRecord::Playlist(id) => StationSource::Playlist {
                playlist_id: id.clone().unwrap_or_default(),
            },
            SourceRecord::PlaylistShuffled(id) => StationSource::PlaylistShuffled {
                playlist_id: id.clone().unwrap_or_default(),
            },
            SourceRecord::Library => StationSource::Library,
            SourceRecord::Genre(genre) => StationSource::Genre {
                genre: genre.clone(),
            },
        },
        is_public: record.is_public,
        stream_path: stream_path(&record.id),
        created_at: rfc3339(record.created_at),
        updated_at: rfc3339(record.updated_at),
    })
}

/// Stations oldest first: public ones for everyone, all for members.
pub async fn list_stations(
    state: &AppState,
    urls: &MediaUrls,
    user: Option<&AuthUser>,
    page: &PageRequest,
) -> ServiceResult<Page<Station>> {
    let mut conn = state.db.acquire().await?;
    let rows = stations::list(
        &mut conn,
        user.is_some(),
        page.after_number_and_id()?,
        page.fetch_limit(),
    )
    .await?;
    drop(conn);
    let (rows, next_cursor) = page.page(rows, |row| composite_key(row.created_at, &row.id));
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(to_dto(urls, row).await?);
    }
    Ok(Page { items, next_cursor })
}

pub async fn get_station(
    state: &AppState,
    urls: &MediaUrls,
    user: Option<&AuthUser>,
    id: &str,
) -> ServiceResult<Station> {
    let listener = user.map_or(Listener::Anonymous, Listener::Member);
    to_dto(urls, &audible(state, listener, id).await?).await
}

/// Parses a source: the playlist must exist (admins may use any), the
/// genre must be a short line of text.
async fn source(
    conn: &mut sqlx::AnyConnection,
    errors: &mut FieldErrors,
    source: &StationSource,
) -> ServiceResult<Option<SourceRecord>> {
    let playlist = |id: &String| id.clone();
    match source {
        StationSource::Playlist { playlist_id }
        | StationSource::PlaylistShuffled { playlist_id } => {
            if playlists::access(conn, playlist_id).await?.is_none() {
                errors.check::<()>(Err(field_error("source.playlist_id", "is not a playlist")));
                return Ok(None);
            }
            Ok(Some(match source {
                StationSource::Playlist { .. } => {
                    SourceRecord::Playlist(Some(playlist(playlist_id)))
                }
                _ => SourceRecord::PlaylistShuffled(Some(playlist(playlist_id))),
            }))
        }
        StationSource::Library => Ok(Some(SourceRecord::Library)),
        StationSource::Genre { genre } => {
            let genre = genre.split_whitespace().collect::<Vec<_>>().join(" ");
            if genre.is_empty()
                || genre.chars().count() > GENRE_MAX_CHARS
                || genre.chars().any(char::is_control)
            {
                errors.check::<()>(Err(field_error(
                    "source.genre",
                    format!("must be 1 to {GENRE_MAX_CHARS} characters of text"),
                )));
                return Ok(None);
            }
            Ok(Some(SourceRecord::Genre(genre)))
        }
    }
}

fn only_admins(user: &AuthUser) -> ServiceResult<()> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "Only administrators manage stations.".into(),
        ))
    }
}

/// Creates a station (admins), on air at once.
pub async fn create_station(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    request: &CreateStationRequest,
) -> ServiceResult<Station> {
    only_admins(user)?;
    let mut errors = FieldErrors::default();
    let name = errors.check(CatalogueName::parse("name", &request.name));
    let description = description(&mut errors, request.description.as_deref());
    let mut tx = state.db.begin_write().await?;
    let source = source(&mut tx, &mut errors, &request.source).await?;
    let cover = match &request.cover_upload_id {
        Some(upload_id) => cover_object(&mut tx, &mut errors, upload_id, &user.id).await?,
        None => None,
    };
    let (Some(name), Some(source)) = (name, source) else {
        return Err(ServiceError::invalid_fields(errors.into_vec()));
    };
    errors.into_result().map_err(ServiceError::invalid_fields)?;
    let id = stations::insert(
        &mut tx,
        &NewStation {
            name: &name,
            description: description.as_deref().filter(|d| !d.is_empty()),
            cover_object_key: cover.as_deref(),
            source: &source,
            is_public: request.is_public,
            seed: rand::random::<i64>(),
        },
    )
    .await?;
    let record = stations::find(&mut tx, &id).await?.ok_or_else(no_station)?;
    bring_up_to_date(&mut tx, &record, now_millis()).await?;
    tx.commit().await?;
    tracing::info!(station_id = %id, user_id = %user.id, "station created");
    to_dto(urls, &record).await
}

/// Edits a station (admins). A new source takes effect at a song boundary.
pub async fn update_station(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
    request: &UpdateStationRequest,
) -> ServiceResult<Station> {
    only_admins(user)?;
    let mut errors = FieldErrors::default();
    let name = request
        .name
        .as_deref()
        .and_then(|name| errors.check(CatalogueName::parse("name", name)));
    let description = request
        .description
        .as_ref()
        .map(|text| description(&mut errors, text.as_deref()).filter(|d| !d.is_empty()));
    let mut tx = state.db.begin_write().await?;
    if !stations::lock(&mut tx, id).await? {
        return Err(no_station());
    }
    let new_source = match &request.source {
        Some(requested) => source(&mut tx, &mut errors, requested).await?,
        None => None,
    };
    let cover = match &request.cover_upload_id {
        Some(Some(upload_id)) => {
            Some(cover_object(&mut tx, &mut errors, upload_id, &user.id).await?)
        }
        Some(None) => Some(None),
        None => None,
    };
    errors.into_result().map_err(ServiceError::invalid_fields)?;
    let before = stations::find(&mut tx, id).await?.ok_or_else(no_station)?;
    stations::update(
        &mut tx,
        id,
        &StationChanges {
            name: name.as_ref(),
            description: description.as_ref().map(Option::as_deref),
            source: new_source.as_ref(),
            is_public: request.is_public,
            cover_object_key: cover.as_ref().map(Option::as_deref),
        },
    )
    .await?;
    if let (Some(_), Some((old_cover, _))) = (&cover, &before.cover) {
        uploads::release_objects(&mut tx, std::slice::from_ref(old_cover), now_millis()).await?;
    }
    let record = stations::find(&mut tx, id).await?.ok_or_else(no_station)?;
    bring_up_to_date(&mut tx, &record, now_millis()).await?;
    tx.commit().await?;
    to_dto(urls, &record).await
}

/// Deletes a station (admins); its listeners' streams end.
pub async fn delete_station(state: &AppState, user: &AuthUser, id: &str) -> ServiceResult<()> {
    only_admins(user)?;
    let mut tx = state.db.begin_write().await?;
    if !stations::lock(&mut tx, id).await? {
        return Err(no_station());
    }
    if let Some(cover) = stations::delete(&mut tx, id).await? {
        uploads::release_objects(&mut tx, &[cover], now_millis()).await?;
    }
    tx.commit().await?;
    tracing::info!(station_id = %id, user_id = %user.id, "station deleted");
    Ok(())
}

/// Signed URLs of a station's stream and playlists, for audio apps that
/// cannot sign in.
pub async fn stream_urls(
    state: &AppState,
    user: &AuthUser,
    id: &str,
) -> ServiceResult<StationStreamUrls> {
    let station = audible(state, Listener::Member(user), id).await?;
    let expires = u64::try_from(now_millis() / 1000).unwrap_or(0) + STREAM_URL_LIFETIME_SECS;
    let query = format!(
        "?exp={expires}&sig={}",
        state.stream_urls.sign(&station.id, expires)
    );
    let base = format!("{}{}", state.public_origin, stream_path(&station.id));
    Ok(StationStreamUrls {
        stream: format!("{base}{query}"),
        m3u: format!("{base}.m3u{query}"),
        pls: format!("{base}.pls{query}"),
        expires_at: rfc3339(i64::try_from(expires).unwrap_or(i64::MAX) * 1000),
    })
}

/// The songs the station's source holds now, in play order with their
/// frames, and the fingerprint naming them.
async fn materialise(
    conn: &mut sqlx::AnyConnection,
    station: &StationRecord,
) -> ServiceResult<(String, Vec<(String, i64)>)> {
    let playable = stations::source_songs(conn, &station.source, MAX_SONGS).await?;
    let mut songs: Vec<(String, i64)> = playable
        .into_iter()
        .map(|song| (song.song_id, frames_for_duration(song.duration_ms)))
        .collect();
    if !matches!(station.source, SourceRecord::Playlist(_)) {
        seeded_shuffle(&mut songs, station.seed);
    }
    let mut hash = Sha256::new();
    hash.update(station.source.describe().as_bytes());
    hash.update(station.seed.to_be_bytes());
    for (song_id, frames) in &songs {
        hash.update(format!("\n{song_id}:{frames}").as_bytes());
    }
    Ok((hex::encode(hash.finalize()), songs))
}

/// A point of the schedule: the song (or silence) on air at some instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// When the epoch it belongs to started (Unix ms).
    pub epoch_start: i64,
    /// Its first frame, counted from the epoch start.
    pub first_frame: i64,
    /// Its length in frames.
    pub frames: i64,
    /// The frame on air at the instant asked about, from its start.
    pub frame_now: i64,
    /// The song, or `None` for silence (nothing to play, or a song gone).
    pub song_id: Option<String>,
}

impl Segment {
    /// When frame `frame` (from the segment's start) starts, Unix ms.
    pub fn frame_at_ms(&self, frame: i64) -> i64 {
        self.epoch_start + frame_offset_ms(self.first_frame + frame)
    }

    pub fn starts_at(&self) -> i64 {
        self.frame_at_ms(0)
    }

    pub fn ends_at(&self) -> i64 {
        self.frame_at_ms(self.frames)
    }
}

/// Silence of an empty schedule comes in segments this long, so a stream
/// notices new songs soon.
const SILENT_SEGMENT_FRAMES: i64 = 77;

/// What is on air at `at`, by the epochs written so far.
async fn segment_at(
    conn: &mut sqlx::AnyConnection,
    station_id: &str,
    at: i64,
    cache: &mut Option<(i64, Vec<(String, i64)>)>,
) -> ServiceResult<Segment> {
    let epoch_start = stations::epoch_at(conn, station_id, at)
        .await?
        .map_or(at, |epoch| epoch.starts_at);
    if cache
        .as_ref()
        .is_none_or(|(start, _)| *start != epoch_start)
    {
        *cache = Some((
            epoch_start,
            stations::epoch_songs(conn, station_id, epoch_start).await?,
        ));
    }
    let songs = cache
        .as_ref()
        .map(|(_, songs)| songs.as_slice())
        .unwrap_or_default();
    let frames: Vec<i64> = songs.iter().map(|(_, frames)| *frames).collect();
    let elapsed = at - epoch_start;
    if let Some(slot) = slot_at(&frames, elapsed) {
        return Ok(Segment {
            epoch_start,
            first_frame: slot.first_frame,
            frames: frames[slot.index],
            frame_now: slot.frame_in_song,
            song_id: Some(songs[slot.index].0.clone()),
        });
    }
    // Nothing to play: silence on the epoch's frame grid, cut short where
    // the next epoch starts.
    let frame = frame_at(elapsed);
    let first_frame = frame - frame.rem_euclid(SILENT_SEGMENT_FRAMES);
    let mut length = SILENT_SEGMENT_FRAMES;
    if let Some(next) = stations::next_epoch_start(conn, station_id, at).await? {
        length =
            length.min((frame_at(next - epoch_start) - first_frame).max(frame - first_frame + 1));
    }
    Ok(Segment {
        epoch_start,
        first_frame,
        frames: length,
        frame_now: frame - first_frame,
        song_id: None,
    })
}

/// Writes a new epoch when the source's songs are no longer those of the
/// newest epoch, starting at the first boundary at least
/// [`CHANGE_LEAD_MS`] after `now` (or at once for a station with no
/// schedule yet). Idempotent: run it as often as wanted, on any instance.
async fn bring_up_to_date(
    conn: &mut sqlx::AnyConnection,
    station: &StationRecord,
    now: i64,
) -> ServiceResult<()> {
    let (fingerprint, songs) = materialise(conn, station).await?;
    let newest = stations::newest_epoch(conn, &station.id).await?;
    let starts_at = match &newest {
        Some(epoch) if epoch.fingerprint == fingerprint => return Ok(()),
        None => now,
        Some(_) => {
            let at = now + CHANGE_LEAD_MS;
            let segment = segment_at(conn, &station.id, at, &mut None).await?;
            match stations::next_epoch_start(conn, &station.id, at).await? {
                Some(next) if next < segment.ends_at() => next,
                _ if segment.song_id.is_none() && segment.frame_now > 0 => at,
                _ if segment.frame_now == 0 && segment.starts_at() >= at => segment.starts_at(),
                _ => segment.ends_at(),
            }
        }
    };
    // Epochs from that point on were never heard (they start after the
    // lead): the new one replaces them.
    stations::remove_epochs_from(conn, &station.id, starts_at).await?;
    stations::insert_epoch(conn, &station.id, starts_at, &fingerprint, &songs).await?;
    if let Some(in_force) = stations::epoch_at(conn, &station.id, now).await? {
        stations::prune_epochs(conn, &station.id, in_force.starts_at).await?;
    }
    tracing::info!(station_id = %station.id, starts_at, songs = songs.len(), "station schedule epoch written");
    Ok(())
}

/// Brings the station's schedule up to date with its source: a cheap read
/// when nothing changed; otherwise, under the station's lock, a new epoch.
/// A station deleted meanwhile is not found.
pub async fn refresh(state: &AppState, id: &str) -> ServiceResult<()> {
    let now = now_millis();
    let mut conn = state.db.acquire().await?;
    let station = stations::find(&mut conn, id)
        .await?
        .ok_or_else(no_station)?;
    let (fingerprint, _) = materialise(&mut conn, &station).await?;
    let current = stations::newest_epoch(&mut conn, id).await?;
    drop(conn);
    if current.is_some_and(|epoch| epoch.fingerprint == fingerprint) {
        return Ok(());
    }
    let mut tx = state.db.begin_write().await?;
    if !stations::lock(&mut tx, id).await? {
        return Err(no_station());
    }
    // Read again under the lock: an edit may have changed the source.
    let station = stations::find(&mut tx, id).await?.ok_or_else(no_station)?;
    bring_up_to_date(&mut tx, &station, now).await?;
    tx.commit().await?;
    Ok(())
}

/// What is on air at `at` and after, for streams: reads the schedule only.
pub struct ScheduleReader {
    station_id: String,
    cache: Option<(i64, Vec<(String, i64)>)>,
}

impl ScheduleReader {
    pub fn new(station_id: &str) -> Self {
        Self {
            station_id: station_id.to_owned(),
            cache: None,
        }
    }

    pub async fn segment_at(&mut self, state: &AppState, at: i64) -> ServiceResult<Segment> {
        let mut conn = state.db.acquire().await?;
        segment_at(&mut conn, &self.station_id, at, &mut self.cache).await
    }
}

/// What the station plays now and next, as of the server's clock.
pub async fn now_playing(
    state: &AppState,
    urls: &MediaUrls,
    listener: Listener<'_>,
    id: &str,
) -> ServiceResult<StationNow> {
    let station = audible(state, listener, id).await?;
    refresh(state, &station.id).await?;
    let server_time_ms = now_millis();
    let mut reader = ScheduleReader::new(id);
    let mut scheduled = Vec::new();
    let mut at = server_time_ms;
    let mut current = None;
    // Silence segments are skipped, but not forever.
    for step in 0..(NEXT_SONGS + 1) * 4 {
        let segment = reader.segment_at(state, at).await?;
        at = segment.ends_at();
        let song = match &segment.song_id {
            Some(song_id) => {
                let mut conn = state.db.acquire().await?;
                songs::find(&mut conn, song_id).await?
            }
            None => None,
        };
        let entry = match song {
            Some(song) => Some(ScheduledSong {
                song: urls.song(&song).await?,
                starts_at_ms: segment.starts_at(),
                duration_ms: u64::try_from(segment.ends_at() - segment.starts_at()).unwrap_or(0),
            }),
            None => None,
        };
        if step == 0 {
            current = entry;
        } else if let Some(entry) = entry {
            scheduled.push(entry);
        }
        if scheduled.len() >= NEXT_SONGS {
            break;
        }
    }
    Ok(StationNow {
        station_id: station.id,
        server_time_ms,
        current,
        next: scheduled,
    })
}

/// `Artist - Title` of a song, for stream metadata; `None` when it is gone.
pub async fn song_title(state: &AppState, song_id: &str) -> ServiceResult<Option<String>> {
    let mut conn = state.db.acquire().await?;
    Ok(songs::find(&mut conn, song_id)
        .await?
        .map(|song| format!("{} - {}", song.artist.name, song.title)))
}
