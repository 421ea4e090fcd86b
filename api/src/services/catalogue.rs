//! The catalogue: songs (listing in a stable order, reading, editing,
//! deleting, playing and their lyrics), artists and albums, and the
//! library's statistics. Songs are created by `ingest`.

use std::sync::Arc;
use std::time::Duration;

use soundstream_types::{
    Album, AlbumDetail, Artist, ArtistDetail, LibraryStats, Lyrics, Page, PlaybackQuality,
    PlaybackUrl, Song, SongPlays, UpdateAlbumRequest, UpdateArtistRequest, UpdateSongRequest,
    UploadKind,
};

use crate::auth::{AdminUser, AuthUser};
use crate::clock::now_millis;
use crate::domain::pagination::{KEY_SEPARATOR, PageQuery, PageRequest, composite_key};
use crate::domain::{
    AcceptedCodecs, CatalogueName, FieldErrors, LanguageCode, OriginalAudio, choose_rendition,
    field_error, parse_quality,
};
use crate::persistence::filing::{ALBUM_TITLE_INDEX, ARTIST_NAME_INDEX};
use crate::persistence::library;
use crate::persistence::songs::{self, After, SongChanges, SongOrder, SongQuery};
use crate::persistence::{garbage, renditions, uploads};
use crate::services::audio_work;
use crate::services::media_urls::MediaUrls;
use crate::services::song_pages::{KeptPage, SongPageKey};
use crate::services::translation::{target_language, translate_for, translator};
use crate::services::{
    Constraint, ServiceError, ServiceResult, not_a_completed_upload, on_constraint,
};
use crate::state::AppState;
use soundstream_media::mpeg;
use soundstream_storage::{ObjectKey, StorageError};
use soundstream_transcode::Rendition;

/// Lyrics longer than this are refused (a whole opera libretto fits).
const LYRICS_MAX_BYTES: usize = 100_000;
/// Songs an artist page shows as the most played.
const TOP_SONGS: i64 = 10;
/// Songs the statistics list as the most played.
const MOST_PLAYED: i64 = 10;

pub fn no_song() -> ServiceError {
    ServiceError::NotFound("No song has this id.".into())
}

/// Checks the lyrics' size and parses their language.
pub fn lyrics_fields(
    errors: &mut FieldErrors,
    lyrics: Option<&str>,
    language: Option<&str>,
) -> Option<LanguageCode> {
    if lyrics.is_some_and(|l| l.len() > LYRICS_MAX_BYTES) {
        errors.check::<()>(Err(field_error(
            "lyrics",
            format!("must be at most {LYRICS_MAX_BYTES} bytes"),
        )));
    }
    language.and_then(|code| errors.check(LanguageCode::parse("lyrics_language", code)))
}

/// How a song list is asked for, as typed.
#[derive(Debug, Default)]
pub struct SongListing<'a> {
    /// `title` (default), `artist`, `album`, `added` or `duration`.
    pub sort: Option<&'a str>,
    /// `asc` (default) or `desc`.
    pub order: Option<&'a str>,
    pub artist_id: Option<&'a str>,
    pub album_id: Option<&'a str>,
    /// Songs of this genre, ignoring case.
    pub genre: Option<&'a str>,
}

/// Songs, sorted and filtered, a page at a time (keyset pagination: rows
/// added while paging cause neither repeats nor gaps).
pub async fn list_songs(
    state: &AppState,
    urls: &MediaUrls,
    listing: &SongListing<'_>,
    page: &PageQuery,
) -> ServiceResult<Arc<KeptPage>> {
    let mut errors = FieldErrors::default();
    let sort_name = listing.sort.unwrap_or("title");
    let order = match sort_name {
        "title" => Some(SongOrder::Title),
        "artist" => Some(SongOrder::Artist),
        "album" => Some(SongOrder::Album),
        "added" => Some(SongOrder::Added),
        "duration" => Some(SongOrder::Duration),
        _ => errors.check(Err(field_error(
            "sort",
            "must be title, artist, album, added or duration",
        ))),
    };
    let descending = match listing.order.unwrap_or("asc") {
        "asc" => Some(false),
        "desc" => Some(true),
        _ => errors.check(Err(field_error("order", "must be asc or desc"))),
    };
    let page = match page.parse() {
        Ok(page) => Some(page),
        Err(page_errors) => {
            for error in page_errors {
                errors.check::<()>(Err(error));
            }
            None
        }
    };
    let (Some(order), Some(descending), Some(page)) = (order, descending, page) else {
        return Err(ServiceError::invalid_fields(errors.into_vec()));
    };
    let after = match &page.after {
        None => None,
        Some(cursor) => Some(parse_cursor(cursor, sort_name, order).ok_or_else(|| {
            field_error(
                "cursor",
                "belongs to another sort or is not a cursor this API issued",
            )
        })?),
    };
    let key = SongPageKey {
        version: state.catalogue_version.current(&state.db).await?,
        window: MediaUrls::current_window().issued_at,
        sort: sort_name.to_owned(),
        descending,
        artist_id: listing.artist_id.map(str::to_owned),
        album_id: listing.album_id.map(str::to_owned),
        genre: listing.genre.map(str::to_lowercase),
        cursor: page.after.clone(),
        limit: page.fetch_limit(),
    };
    if let Some(kept) = state.song_pages.get(&key) {
        return Ok(kept);
    }
    let mut conn = state.db.acquire().await?;
    let rows = songs::list(
        &mut conn,
        &SongQuery {
            order,
            descending,
            artist_id: listing.artist_id,
            album_id: listing.album_id,
            genre: listing.genre,
            after,
            limit: page.fetch_limit(),
        },
    )
    .await?;
    drop(conn);
    // The sort travels in the cursor, so one from another sort is refused.
    let (rows, next_cursor) = page.page(rows, |row| {
        composite_key(composite_key(sort_name, &order.key_of(row)), &row.id)
    });
    let answer = Arc::new(KeptPage::new(Page {
        items: urls.songs(&rows).await?,
        next_cursor,
    }));
    state.song_pages.keep(key, Arc::clone(&answer));
    Ok(answer)
}

/// `sort␟key␟id`, for the same sort, with a number key for number sorts.
/// Public for the fuzz targets (`fuzz/`).
pub fn parse_cursor(cursor: &str, sort_name: &str, order: SongOrder) -> Option<After> {
    let mut parts = cursor.splitn(3, KEY_SEPARATOR);
    let (sort, key, id) = (parts.next()?, parts.next()?, parts.next()?);
    if sort != sort_name {
        return None;
    }
    if order.is_numeric() {
        key.parse()
            .ok()
            .map(|key| After::Number(key, id.to_owned()))
    } else {
        Some(After::Text(key.to_owned(), id.to_owned()))
    }
}

/// How many songs the library holds.
pub async fn song_count(state: &AppState) -> ServiceResult<usize> {
    let mut conn = state.db.acquire().await?;
    Ok(songs::count(&mut conn).await?)
}

/// A song.
pub async fn get_song(state: &AppState, urls: &MediaUrls, id: &str) -> ServiceResult<Song> {
    let mut conn = state.db.acquire().await?;
    let record = songs::find(&mut conn, id).await?.ok_or_else(no_song)?;
    drop(conn);
    urls.song(&record).await
}

/// Changes a song's fields: title, artist, album, numbers, year, genre, cover
/// (an image upload of the admin's) and lyrics. Absent fields are left
/// alone; `null` clears the album, numbers, year, genre or cover; an empty
/// `lyrics` removes them. A replaced cover is let go of.
pub async fn update_song(
    state: &AppState,
    urls: &MediaUrls,
    admin: &AdminUser,
    id: &str,
    request: &UpdateSongRequest,
) -> ServiceResult<Song> {
    let mut errors = FieldErrors::default();
    let mut name = |field: &str, value: Option<&String>| {
        value.and_then(|value| errors.check(CatalogueName::parse(field, value)))
    };
    let title = name("title", request.title.as_ref());
    let artist = name("artist", request.artist.as_ref());
    let album = request
        .album
        .as_ref()
        .map(|album| name("album", album.as_ref()));
    let genre = request
        .genre
        .as_ref()
        .map(|genre| name("genre", genre.as_ref()));
    let positive = |errors: &mut FieldErrors, field: &str, n: Option<Option<u32>>| {
        if n.flatten() == Some(0) {
            errors.check::<()>(Err(field_error(field, "must be at least 1")));
        }
    };
    positive(&mut errors, "track_number", request.track_number);
    positive(&mut errors, "disc_number", request.disc_number);
    let language = lyrics_fields(
        &mut errors,
        request.lyrics.as_deref(),
        request.lyrics_language.as_deref(),
    );
    let mut tx = state.db.begin_write().await?;
    let cover = match &request.cover_upload_id {
        Some(Some(upload_id)) => {
            let upload =
                uploads::find_completed(&mut tx, upload_id, &admin.0.id, UploadKind::Image)
                    .await?
                    .ok_or_else(|| not_a_completed_upload("cover_upload_id", UploadKind::Image));
            Some(errors.check(upload).map(|upload| upload.object_key))
        }
        Some(None) => Some(None),
        None => None,
    };
    // A named album that did not parse left its error: nothing is cleared.
    errors.into_result().map_err(ServiceError::invalid_fields)?;
    let before = songs::update(
        &mut tx,
        id,
        &SongChanges {
            title: title.as_ref(),
            artist: artist.as_ref(),
            album: album.as_ref().map(Option::as_ref),
            track_number: request.track_number,
            disc_number: request.disc_number,
            year: request.year,
            genre: genre.as_ref().map(Option::as_ref),
            cover_object_key: cover.as_ref().map(Option::as_deref),
            lyrics: request.lyrics.as_deref(),
            lyrics_language: language.as_ref().map(LanguageCode::as_str),
        },
    )
    .await?
    .ok_or_else(no_song)?;
    if let (Some(_), Some((old_cover, _))) = (&cover, &before.cover) {
        uploads::release_objects(&mut tx, std::slice::from_ref(old_cover), now_millis()).await?;
    }
    let mut record = songs::find(&mut tx, id).await?.ok_or_else(no_song)?;
    let old_album = before.album.as_ref().map(|album| album.id.as_str());
    let new_album = record.album.as_ref().map(|album| album.id.as_str());
    if old_album != new_album {
        // The song's loudness moved with it.
        for album_id in [old_album, new_album].into_iter().flatten() {
            audio_work::refresh_album_loudness(&mut tx, album_id).await?;
        }
        record = songs::find(&mut tx, id).await?.ok_or_else(no_song)?;
    }
    tx.commit().await?;
    urls.song(&record).await
}

/// Deletes a song: it leaves playlists and favourites, and its media is
/// queued for deletion from storage.
pub async fn delete_song(state: &AppState, admin: &AdminUser, id: &str) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    let album_id = songs::find(&mut tx, id)
        .await?
        .and_then(|song| song.album)
        .map(|album| album.id);
    let rendition_objects = renditions::delete_for_song(&mut tx, id).await?;
    let objects = songs::delete(&mut tx, id).await?.ok_or_else(no_song)?;
    let now = now_millis();
    uploads::release_objects(&mut tx, &objects, now).await?;
    // Renditions are the API's own objects, never uploads: straight to the sweeper.
    for key in &rendition_objects {
        garbage::enqueue(&mut tx, key, now).await?;
    }
    if let Some(album_id) = album_id {
        audio_work::refresh_album_loudness(&mut tx, &album_id).await?;
    }
    tx.commit().await?;
    tracing::info!(song_id = %id, admin_id = %admin.0.id, "song deleted");
    Ok(())
}

/// What a client asks of playback.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlaybackRequest<'a> {
    /// `low`, `normal`, `high` or `original` (the default).
    pub quality: Option<&'a str>,
    /// The rendition codecs the client plays (`opus,aac,mp3`); absent, its
    /// `Accept` header says.
    pub formats: Option<&'a str>,
    pub accept: Option<&'a str>,
}

/// A short-lived playback URL (stable within its window, so the browser
/// caches the audio) of the encoding that best answers `request`: a
/// rendition made at ingest, else the original.
pub async fn playback_url(
    state: &AppState,
    urls: &MediaUrls,
    id: &str,
    request: &PlaybackRequest<'_>,
) -> ServiceResult<PlaybackUrl> {
    let quality = request
        .quality
        .map(|text| parse_quality("quality", text))
        .transpose();
    let codecs = match request.formats {
        Some(list) => AcceptedCodecs::parse("formats", list),
        None => Ok(request
            .accept
            .map(AcceptedCodecs::from_accept)
            .unwrap_or_default()),
    };
    let (quality, codecs) = match (quality, codecs) {
        (Ok(quality), Ok(codecs)) => (quality.unwrap_or(PlaybackQuality::Original), codecs),
        (quality, codecs) => {
            let errors = quality.err().into_iter().chain(codecs.err()).collect();
            return Err(ServiceError::invalid_fields(errors));
        }
    };
    let mut conn = state.db.acquire().await?;
    let record = songs::find(&mut conn, id).await?.ok_or_else(no_song)?;
    let ready = if quality == PlaybackQuality::Original {
        Vec::new()
    } else {
        renditions::for_song(&mut conn, id).await?
    };
    drop(conn);
    let original_kbps = record.bit_rate_kbps.and_then(|n| u32::try_from(n).ok());
    let names: Vec<Rendition> = ready
        .iter()
        .filter_map(|r| Rendition::parse(&r.name))
        .collect();
    let chosen = choose_rendition(
        quality,
        codecs,
        OriginalAudio::of(&record.content_type, original_kbps),
        &names,
    )
    .and_then(|rendition| ready.iter().find(|r| r.name == rendition.name()));
    Ok(match chosen {
        Some(rendition) => PlaybackUrl {
            url: urls
                .download(&rendition.object_key, &rendition.content_type)
                .await?,
            content_type: rendition.content_type.clone(),
            rendition: rendition.name.clone(),
            bit_rate_kbps: u32::try_from(rendition.bit_rate_kbps).ok(),
        },
        None => PlaybackUrl {
            url: urls
                .download(&record.audio_object_key, &record.content_type)
                .await?,
            content_type: record.content_type,
            rendition: "original".into(),
            bit_rate_kbps: original_kbps,
        },
    })
}

/// The song's MP3 rendition from a point on: the object, the byte where
/// the frame playing at that point starts, and the object's size.
#[derive(Debug, Clone)]
pub struct Mp3Cut {
    pub key: ObjectKey,
    pub start: u64,
    pub size: u64,
}

/// Where playback from `offset` starts in the song's MP3 rendition (a
/// constant bit rate, so the frame is found by arithmetic and a short
/// read); None until the rendition is made.
pub async fn mp3_from(
    state: &AppState,
    id: &str,
    offset: Duration,
) -> ServiceResult<Option<Mp3Cut>> {
    let mut conn = state.db.acquire().await?;
    if !songs::exists(&mut conn, id).await? {
        return Err(no_song());
    }
    let rendition = renditions::find(&mut conn, id, Rendition::Mp3_128.name()).await?;
    drop(conn);
    let Some(rendition) = rendition else {
        return Ok(None);
    };
    let key = ObjectKey::parse(&rendition.object_key).ok_or_else(|| {
        ServiceError::Storage(StorageError::Backend(format!(
            "the database holds a malformed object key {:?}",
            rendition.object_key
        )))
    })?;
    let size = u64::try_from(rendition.size).unwrap_or(0);
    let store = &state.storage.store;
    let head = store.read_range(&key, 0, 4096).await?;
    let first = mpeg::frame_header(&head).ok_or_else(|| {
        ServiceError::Storage(StorageError::Backend(format!(
            "the MP3 rendition {key} does not start with a frame"
        )))
    })?;
    let audio_start = if mpeg::is_info_frame(&head) {
        first.len as u64
    } else {
        0
    };
    let frame_bytes = f64::from(first.bit_rate_kbps) * 125.0 * f64::from(first.samples)
        / f64::from(first.sample_rate);
    let frames = offset.as_micros() / u128::from(first.duration_us().max(1));
    let estimate = audio_start + (frames as f64 * frame_bytes) as u64;
    if estimate >= size {
        return Ok(Some(Mp3Cut {
            key,
            start: size,
            size,
        }));
    }
    // Padding makes frames a byte longer now and then: look around the
    // estimate for the real boundary.
    const SLACK: u64 = 2048;
    let window_start = estimate.saturating_sub(SLACK).max(audio_start);
    let window = store.read_range(&key, window_start, 2 * SLACK).await?;
    let at = usize::try_from(estimate - window_start).unwrap_or(0);
    let start = mpeg::next_frame(&window, at).map_or(size, |found| window_start + found as u64);
    Ok(Some(Mp3Cut { key, start, size }))
}

/// A song's lyrics and their language; with `target` also translated into
/// that language for `user`, line breaks and stanzas kept.
pub async fn lyrics(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    target: Option<&str>,
) -> ServiceResult<Lyrics> {
    let target = target
        .map(|code| LanguageCode::parse("lang", code))
        .transpose()?;
    let mut conn = state.db.acquire().await?;
    let (lyrics, language) = songs::find_lyrics(&mut conn, id)
        .await?
        .ok_or_else(no_song)?;
    drop(conn);
    let lyrics = lyrics
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| ServiceError::NotFound("This song has no lyrics.".into()))?;
    let language = language
        .as_deref()
        .and_then(|code| LanguageCode::parse("lyrics_language", code).ok());
    let translation = match target {
        Some(target) => {
            let translator = translator(state)?;
            let target = target_language(state, &user.id, Some(target)).await?;
            Some(
                translate_for(
                    state,
                    &translator,
                    &user.id,
                    &lyrics,
                    language.as_ref(),
                    &target,
                )
                .await?,
            )
        }
        None => None,
    };
    Ok(Lyrics {
        song_id: id.to_owned(),
        lyrics,
        language: language.map(|code| code.to_string()),
        translation,
    })
}

/// `name␟id` of the last row seen.
fn after_name(page: &PageRequest) -> ServiceResult<Option<(String, String)>> {
    Ok(page
        .after_key_and_id()?
        .map(|(key, id)| (key.to_owned(), id.to_owned())))
}

fn no_artist() -> ServiceError {
    ServiceError::NotFound("No artist has this id.".into())
}

fn no_album() -> ServiceError {
    ServiceError::NotFound("No album has this id.".into())
}

/// Artists by name.
pub async fn list_artists(state: &AppState, page: &PageRequest) -> ServiceResult<Page<Artist>> {
    let mut conn = state.db.acquire().await?;
    let rows = library::artists(&mut conn, after_name(page)?, page.fetch_limit()).await?;
    let (rows, next_cursor) = page.page(rows, |(artist, key)| composite_key(key, &artist.id));
    Ok(Page {
        items: rows.into_iter().map(|(artist, _)| artist).collect(),
        next_cursor,
    })
}

/// An artist with their albums and most played songs.
pub async fn get_artist(
    state: &AppState,
    urls: &MediaUrls,
    id: &str,
) -> ServiceResult<ArtistDetail> {
    let mut conn = state.db.acquire().await?;
    let artist = library::find_artist(&mut conn, id)
        .await?
        .ok_or_else(no_artist)?;
    let albums = library::albums(&mut conn, Some(&artist.id), None, 500).await?;
    let top = library::top_songs(&mut conn, &artist.id, TOP_SONGS).await?;
    drop(conn);
    Ok(ArtistDetail {
        artist,
        albums: albums.into_iter().map(|(album, _)| album).collect(),
        top_songs: urls.songs(&top).await?,
    })
}

/// Albums by title, optionally only one artist's.
pub async fn list_albums(
    state: &AppState,
    artist_id: Option<&str>,
    page: &PageRequest,
) -> ServiceResult<Page<Album>> {
    let mut conn = state.db.acquire().await?;
    let rows = library::albums(&mut conn, artist_id, after_name(page)?, page.fetch_limit()).await?;
    let (rows, next_cursor) = page.page(rows, |(album, key)| composite_key(key, &album.id));
    Ok(Page {
        items: rows.into_iter().map(|(album, _)| album).collect(),
        next_cursor,
    })
}

/// An album with its tracks in order (disc, then track number).
pub async fn get_album(state: &AppState, urls: &MediaUrls, id: &str) -> ServiceResult<AlbumDetail> {
    let mut conn = state.db.acquire().await?;
    let album = library::find_album(&mut conn, id)
        .await?
        .ok_or_else(no_album)?;
    let records = library::album_tracks(&mut conn, &album.id).await?;
    drop(conn);
    Ok(AlbumDetail {
        album,
        tracks: urls.songs(&records).await?,
    })
}

/// Renames an artist. Their albums and songs follow.
pub async fn rename_artist(
    state: &AppState,
    id: &str,
    request: &UpdateArtistRequest,
) -> ServiceResult<Artist> {
    let name = CatalogueName::parse("name", &request.name)?;
    let mut tx = state.db.begin_write().await?;
    let renamed = library::rename_artist(&mut tx, id, &name)
        .await
        .map_err(|error| {
            on_constraint(
                error,
                &[Constraint {
                    index: ARTIST_NAME_INDEX,
                    field: "name",
                    detail: "Another artist already has this name.",
                }],
            )
        })?;
    let artist = library::find_artist(&mut tx, id)
        .await?
        .filter(|_| renamed)
        .ok_or_else(no_artist)?;
    tx.commit().await?;
    Ok(artist)
}

/// Retitles an album or changes its year (`null` clears the year).
pub async fn update_album(
    state: &AppState,
    id: &str,
    request: &UpdateAlbumRequest,
) -> ServiceResult<Album> {
    let title = request
        .title
        .as_deref()
        .map(|title| CatalogueName::parse("title", title))
        .transpose()?;
    let mut tx = state.db.begin_write().await?;
    let updated = library::update_album(&mut tx, id, title.as_ref(), request.year)
        .await
        .map_err(|error| {
            on_constraint(
                error,
                &[Constraint {
                    index: ALBUM_TITLE_INDEX,
                    field: "title",
                    detail: "Another album of this artist already has this title.",
                }],
            )
        })?;
    let album = library::find_album(&mut tx, id)
        .await?
        .filter(|_| updated)
        .ok_or_else(no_album)?;
    tx.commit().await?;
    Ok(album)
}

fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Counts, storage used, total playing time and the most played songs.
pub async fn library_stats(state: &AppState, urls: &MediaUrls) -> ServiceResult<LibraryStats> {
    let mut conn = state.db.acquire().await?;
    let totals = library::totals(&mut conn).await?;
    let top = library::most_played(&mut conn, MOST_PLAYED).await?;
    drop(conn);
    let mut most_played = Vec::with_capacity(top.len());
    for (song, plays) in &top {
        most_played.push(SongPlays {
            song: urls.song(song).await?,
            plays: unsigned(*plays),
        });
    }
    Ok(LibraryStats {
        users: unsigned(totals.users),
        songs: unsigned(totals.songs),
        artists: unsigned(totals.artists),
        albums: unsigned(totals.albums),
        playlists: unsigned(totals.playlists),
        plays: unsigned(totals.plays),
        audio_bytes: unsigned(totals.audio_bytes),
        total_duration_ms: unsigned(totals.duration_ms),
        most_played,
    })
}
