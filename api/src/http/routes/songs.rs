//! `/api/v1/songs`: songs made from audio uploads (admins), their playback
//! URL and their lyrics, translated on request. Lists, search and the rest
//! of the catalogue build on these.

use actix_web::http::header;
use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use soundstream_media::{DetectedFormat, read_audio_metadata, sniff};
use soundstream_storage::{ObjectKey, RangeReader};
use soundstream_types::{
    CreateSongRequest, Lyrics, Page, PlaybackUrl, Problem, Song, UpdateSongRequest, UploadKind,
};

use crate::auth::{AdminUser, AuthUser};
use crate::clock::now_millis;
use crate::domain::{CatalogueName, FieldErrors, LanguageCode, field_error};
use crate::error::{ApiError, ApiResult};
use crate::media_urls::MediaUrls;
use crate::pagination::{KEY_SEPARATOR, PageQuery, composite_key};
use crate::persistence::songs::{
    self, After, NewSong, SongChanges, SongOrder, SongQuery, SongRecord,
};
use crate::persistence::uploads;
use crate::routes::translation::{target_language, translate_for, translator};
use crate::routes::uploads::{not_a_completed_upload, store_embedded_cover, unusable_upload};
use crate::startup::AppState;

/// Lyrics longer than this are refused (a whole opera libretto fits).
const LYRICS_MAX_BYTES: usize = 100_000;

fn no_song() -> ApiError {
    ApiError::NotFound("No song has this id.".into())
}

pub(crate) async fn song_dto(urls: &MediaUrls, record: &SongRecord) -> Result<Song, ApiError> {
    Ok(record.to_dto(urls.download_optional(record.cover.as_ref()).await?))
}

fn lyrics_fields(
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

/// Creates a song from a completed audio upload of yours. Fields left out
/// are taken from the file's tags; the artist and album are matched
/// ignoring case and accents, or created. The cover is the image upload
/// given, else the art embedded in the file.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    request_body = CreateSongRequest,
    responses(
        (status = 201, description = "Created", body = Song),
        (status = 409, description = "A song already plays this upload", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no title/artist in the tags or the request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/songs")]
pub async fn create_song(
    state: Data<AppState>,
    admin: AdminUser,
    urls: MediaUrls,
    body: Json<CreateSongRequest>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner();
    let owner = &admin.0.id;
    let mut conn = state.db.acquire().await?;
    let upload = uploads::find_completed(&mut conn, &request.upload_id, owner, UploadKind::Audio)
        .await?
        .ok_or_else(|| unusable_upload("upload_id", UploadKind::Audio))?;
    if songs::uses_object(&mut conn, &upload.object_key).await? {
        return Err(ApiError::Conflict {
            detail: "A song already plays this upload.".into(),
            errors: vec![field_error("upload_id", "is already a song")],
        });
    }
    let cover_upload = match &request.cover_upload_id {
        Some(id) => Some(
            uploads::find_completed(&mut conn, id, owner, UploadKind::Image)
                .await?
                .ok_or_else(|| unusable_upload("cover_upload_id", UploadKind::Image))?,
        ),
        None => None,
    };
    drop(conn);

    // The tags again, through ranged reads: duration is the file's, not the client's.
    let key = ObjectKey::parse(&upload.object_key).ok_or_else(no_song)?;
    let store = state.storage.store.clone();
    let head = store
        .read_range(&key, 0, soundstream_media::SNIFF_LEN as u64)
        .await?;
    let Some(DetectedFormat::Audio(format)) = sniff(&head) else {
        return Err(ApiError::Validation {
            detail: "The upload is not audio.".into(),
            errors: vec![field_error("upload_id", "is not audio")],
        });
    };
    let reader = RangeReader::new(
        store.clone(),
        key.clone(),
        upload.size,
        tokio::runtime::Handle::current(),
    );
    let tags = tokio::task::spawn_blocking(move || read_audio_metadata(reader, format))
        .await?
        .map_err(|error| ApiError::Validation {
            detail: format!("The audio cannot be read: {error}."),
            errors: vec![field_error("upload_id", error.to_string())],
        })?;

    let mut errors = FieldErrors::default();
    let mut name = |field: &str,
                    given: Option<&String>,
                    tagged: Option<&String>,
                    required: bool| match given.or(tagged) {
        Some(value) => errors.check(CatalogueName::parse(field, value)),
        None if required => errors.check::<CatalogueName>(Err(field_error(
            field,
            "is missing from the request and the file's tags",
        ))),
        None => None,
    };
    let title = name("title", request.title.as_ref(), tags.title.as_ref(), true);
    let artist = name(
        "artist",
        request.artist.as_ref(),
        tags.artist.as_ref(),
        true,
    );
    let album = name("album", request.album.as_ref(), tags.album.as_ref(), false);
    let lyrics_language = lyrics_fields(
        &mut errors,
        request.lyrics.as_deref(),
        request.lyrics_language.as_deref(),
    );
    let (Some(title), Some(artist)) = (title, artist) else {
        return Err(ApiError::invalid_fields(errors.into_vec()));
    };
    errors.into_result().map_err(ApiError::invalid_fields)?;
    let year = request.year.or(tags.year);

    // The cover: the one given, else the embedded art, stored as an image upload.
    let cover_key = match (cover_upload, tags.cover) {
        (Some(cover), _) => Some(cover.object_key),
        (None, Some(picture)) => Some(
            store_embedded_cover(&state.storage, &state.db, owner, picture)
                .await?
                .object_key
                .as_str()
                .to_owned(),
        ),
        (None, None) => None,
    };

    // The tagged album artist files the tagged album; an album typed in
    // the request belongs to the song's artist.
    let album_artist = match &tags.album_artist {
        Some(name) if request.album.is_none() => CatalogueName::parse("album_artist", name).ok(),
        _ => None,
    };
    let mut tx = state.db.begin_write().await?;
    let id = songs::insert(
        &mut tx,
        &NewSong {
            title: &title,
            artist: &artist,
            album: album.as_ref(),
            album_artist: album_artist.as_ref(),
            track_number: request.track_number.or(tags.track_number),
            disc_number: request.disc_number.or(tags.disc_number),
            year,
            duration_ms: tags.duration_ms,
            audio_object_key: &upload.object_key,
            content_type: &upload.content_type,
            size: upload.size,
            content_hash: None,
            cover_object_key: cover_key.as_deref(),
            lyrics: request.lyrics.as_deref().filter(|l| !l.trim().is_empty()),
            lyrics_language: lyrics_language.as_ref().map(LanguageCode::as_str),
            uploaded_by: owner,
        },
    )
    .await?;
    let record = songs::find(&mut tx, &id).await?.ok_or_else(no_song)?;
    tx.commit().await?;
    tracing::info!(song_id = %id, admin_id = %owner, "song created");
    Ok(HttpResponse::Created().json(song_dto(&urls, &record).await?))
}

/// A song.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id")),
    responses(
        (status = 200, description = "The song", body = Song),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs/{id}")]
pub async fn get_song(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
) -> ApiResult<Json<Song>> {
    let mut conn = state.db.acquire().await?;
    let record = songs::find(&mut conn, &id).await?.ok_or_else(no_song)?;
    Ok(Json(song_dto(&urls, &record).await?))
}

/// Changes a song's fields: title, artist, album, numbers, year, cover
/// (an image upload of yours) and lyrics. Absent fields are left alone;
/// `null` clears the album, numbers, year or cover; an empty `lyrics`
/// removes them. A replaced cover is let go of.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id")),
    request_body = UpdateSongRequest,
    responses(
        (status = 200, description = "The updated song", body = Song),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/songs/{id}")]
pub async fn update_song(
    state: Data<AppState>,
    admin: AdminUser,
    urls: MediaUrls,
    id: Path<String>,
    body: Json<UpdateSongRequest>,
) -> ApiResult<Json<Song>> {
    let request = body.into_inner();
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
    errors.into_result().map_err(ApiError::invalid_fields)?;
    let before = songs::update(
        &mut tx,
        &id,
        &SongChanges {
            title: title.as_ref(),
            artist: artist.as_ref(),
            album: album.as_ref().map(Option::as_ref),
            track_number: request.track_number,
            disc_number: request.disc_number,
            year: request.year,
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
    let record = songs::find(&mut tx, &id).await?.ok_or_else(no_song)?;
    tx.commit().await?;
    Ok(Json(song_dto(&urls, &record).await?))
}

/// Deletes a song: it leaves playlists and favourites, and its media is
/// queued for deletion from storage.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/songs/{id}")]
pub async fn delete_song(
    state: Data<AppState>,
    admin: AdminUser,
    id: Path<String>,
) -> ApiResult<HttpResponse> {
    let mut tx = state.db.begin_write().await?;
    let objects = songs::delete(&mut tx, &id).await?.ok_or_else(no_song)?;
    uploads::release_objects(&mut tx, &objects, now_millis()).await?;
    tx.commit().await?;
    tracing::info!(song_id = %id, admin_id = %admin.0.id, "song deleted");
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Answer 302 to the playback URL instead of JSON.
    #[serde(default)]
    pub redirect: bool,
}

/// A short-lived playback URL (stable within its window, so the browser
/// caches the audio).
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id"), StreamQuery),
    responses(
        (status = 200, description = "Where to fetch the audio", body = PlaybackUrl),
        (status = 302, description = "With ?redirect=true: to the audio"),
        (status = 404, description = "No such song", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs/{id}/stream")]
pub async fn stream_song(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    id: Path<String>,
    query: Query<StreamQuery>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.db.acquire().await?;
    let record = songs::find(&mut conn, &id).await?.ok_or_else(no_song)?;
    let url = urls
        .download(&record.audio_object_key, &record.content_type)
        .await?;
    if query.redirect {
        return Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, url))
            .finish());
    }
    Ok(HttpResponse::Ok().json(PlaybackUrl {
        url,
        content_type: record.content_type,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LyricsQuery {
    /// Also translate the lyrics into this language.
    pub lang: Option<String>,
}

/// A song's lyrics and their language; with `?lang=` also translated into
/// that language, line breaks and stanzas kept.
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Song id"), LyricsQuery),
    responses(
        (status = 200, description = "The lyrics", body = Lyrics),
        (status = 404, description = "No such song, or it has no lyrics", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or unsupported language", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Translation disabled or unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs/{id}/lyrics")]
pub async fn get_lyrics(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
    query: Query<LyricsQuery>,
) -> ApiResult<Json<Lyrics>> {
    let target = query
        .lang
        .as_deref()
        .map(|code| LanguageCode::parse("lang", code))
        .transpose()
        .map_err(|error| ApiError::invalid_fields(vec![error]))?;
    let mut conn = state.db.acquire().await?;
    let record = songs::find(&mut conn, &id).await?.ok_or_else(no_song)?;
    drop(conn);
    let lyrics = record
        .lyrics
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| ApiError::NotFound("This song has no lyrics.".into()))?;
    let language = record
        .lyrics_language
        .as_deref()
        .and_then(|code| LanguageCode::parse("lyrics_language", code).ok());
    let translation = match target {
        Some(target) => {
            let translator = translator(&state)?;
            let target = target_language(&state, &user.id, Some(target)).await?;
            Some(
                translate_for(
                    &state,
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
    Ok(Json(Lyrics {
        song_id: record.id,
        lyrics,
        language: language.map(|code| code.to_string()),
        translation,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SongListQuery {
    /// `title` (default), `artist`, `album`, `added` or `duration`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
    pub artist_id: Option<String>,
    pub album_id: Option<String>,
}

/// Songs, sorted and filtered, a page at a time (keyset pagination: rows
/// added while paging cause neither repeats nor gaps).
#[utoipa::path(
    tag = "songs",
    security(("bearer" = [])),
    params(SongListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of songs", body = Page<Song>),
        (status = 422, description = "Invalid sort, order, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/songs")]
pub async fn list_songs(
    state: Data<AppState>,
    _user: AuthUser,
    urls: MediaUrls,
    filters: Query<SongListQuery>,
    page: Query<PageQuery>,
) -> ApiResult<Json<Page<Song>>> {
    let mut errors = FieldErrors::default();
    let order = match filters.sort.as_deref().unwrap_or("title") {
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
    let descending = match filters.order.as_deref().unwrap_or("asc") {
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
        return Err(ApiError::invalid_fields(errors.into_vec()));
    };
    let sort_name = filters.sort.as_deref().unwrap_or("title");
    let after = match &page.after {
        None => None,
        Some(cursor) => Some(parse_cursor(cursor, sort_name, order).ok_or_else(|| {
            ApiError::invalid_fields(vec![field_error(
                "cursor",
                "belongs to another sort or is not a cursor this API issued",
            )])
        })?),
    };
    let mut conn = state.db.acquire().await?;
    let rows = songs::list(
        &mut conn,
        &SongQuery {
            order,
            descending,
            artist_id: filters.artist_id.as_deref(),
            album_id: filters.album_id.as_deref(),
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
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(song_dto(&urls, row).await?);
    }
    Ok(Json(Page { items, next_cursor }))
}

/// `sort␟key␟id`, for the same sort, with a number key for number sorts.
fn parse_cursor(cursor: &str, sort_name: &str, order: SongOrder) -> Option<After> {
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
