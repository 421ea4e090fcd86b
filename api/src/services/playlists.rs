//! Playlists: listeners' ordered lists of songs. Anyone sees
//! public playlists; a private one is a 404 to everyone but its owner (and
//! admins). Only the owner changes a playlist; admins may delete any.
//! Every change to the entries locks the playlist row first, so concurrent
//! edits apply one after another and the order never tears. Entries are
//! read a page at a time, and changes write only the rows they touch and
//! answer without the entries: nothing loads or signs a whole playlist.

use soundstream_types::{
    AddPlaylistSongsRequest, AddedPlaylistEntries, CreatePlaylistRequest, MovePlaylistEntryRequest,
    Page, Playlist, PlaylistEntry, Role, UpdatePlaylistRequest, UploadKind,
};

use crate::auth::AuthUser;
use crate::clock::{now_millis, rfc3339};
use crate::domain::pagination::{PageRequest, composite_key};
use crate::domain::{CatalogueName, FieldErrors, field_error};
use crate::persistence::playlists::{self, Moved, NewPlaylist, PlaylistChanges};
use crate::persistence::{songs, uploads};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult, not_a_completed_upload};
use crate::state::AppState;

/// Entries a playlist holds at most.
pub const MAX_ENTRIES: usize = 5_000;
/// Songs one request adds at most.
const MAX_SONGS_PER_REQUEST: usize = 500;
const DESCRIPTION_MAX_CHARS: usize = 2_000;

fn no_playlist() -> ServiceError {
    ServiceError::NotFound("No playlist has this id.".into())
}

/// Whether `user` may see a playlist: theirs, a public one, or any for admins.
fn may_see(user: &AuthUser, owner_id: &str, is_public: bool) -> bool {
    is_public || owner_id == user.id || user.role == Role::Admin
}

/// The playlist, when `user` [`may_see`] it.
async fn visible(
    conn: &mut sqlx::AnyConnection,
    user: &AuthUser,
    id: &str,
) -> Result<playlists::PlaylistRecord, ServiceError> {
    playlists::find(conn, id)
        .await?
        .filter(|record| may_see(user, &record.owner.id, record.is_public))
        .ok_or_else(no_playlist)
}

/// Locks a playlist `user` owns, for changing it. One they may see but not
/// change is 403; one they may not see is 404, as if it did not exist.
async fn lock_owned(
    conn: &mut sqlx::AnyConnection,
    user: &AuthUser,
    id: &str,
) -> Result<(), ServiceError> {
    match playlists::lock(conn, id).await?.ok_or_else(no_playlist)? {
        (owner, _) if owner == user.id => Ok(()),
        (_, is_public) if is_public || user.role == Role::Admin => Err(ServiceError::Forbidden(
            "Only the owner of a playlist can change it.".into(),
        )),
        _ => Err(no_playlist()),
    }
}

/// A description (playlists, stations): trimmed, at most
/// [`DESCRIPTION_MAX_CHARS`], no control characters but line breaks.
pub(crate) fn description(errors: &mut FieldErrors, text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    if text.chars().count() > DESCRIPTION_MAX_CHARS {
        errors.check::<()>(Err(field_error(
            "description",
            format!("must be at most {DESCRIPTION_MAX_CHARS} characters long"),
        )));
        return None;
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        errors.check::<()>(Err(field_error(
            "description",
            "must not contain control characters",
        )));
        return None;
    }
    Some(text.to_owned())
}

/// The object of a completed image upload of `owner_id`'s, for a cover.
pub(crate) async fn cover_object(
    conn: &mut sqlx::AnyConnection,
    errors: &mut FieldErrors,
    upload_id: &str,
    owner_id: &str,
) -> Result<Option<String>, ServiceError> {
    let upload = uploads::find_completed(conn, upload_id, owner_id, UploadKind::Image)
        .await?
        .ok_or_else(|| not_a_completed_upload("cover_upload_id", UploadKind::Image));
    Ok(errors.check(upload).map(|upload| upload.object_key))
}

/// Your playlists and everyone's public ones, newest first.
pub async fn list_playlists(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    mine: bool,
    page: &PageRequest,
) -> ServiceResult<Page<Playlist>> {
    let mut conn = state.db.acquire().await?;
    let rows = playlists::list(
        &mut conn,
        &user.id,
        mine,
        page.after_number_and_id()?,
        page.fetch_limit(),
    )
    .await?;
    drop(conn);
    let (rows, next_cursor) = page.page(rows, |row| composite_key(row.created_at, &row.id));
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(urls.playlist(row).await?);
    }
    Ok(Page { items, next_cursor })
}

/// Creates a playlist of yours, private unless `is_public`.
pub async fn create_playlist(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    request: &CreatePlaylistRequest,
) -> ServiceResult<Playlist> {
    let mut errors = FieldErrors::default();
    let name = errors.check(CatalogueName::parse("name", &request.name));
    let description = description(&mut errors, request.description.as_deref());
    let mut tx = state.db.begin_write().await?;
    let cover = match &request.cover_upload_id {
        Some(upload_id) => cover_object(&mut tx, &mut errors, upload_id, &user.id).await?,
        None => None,
    };
    let Some(name) = name else {
        return Err(ServiceError::invalid_fields(errors.into_vec()));
    };
    errors.into_result().map_err(ServiceError::invalid_fields)?;
    let id = playlists::insert(
        &mut tx,
        &NewPlaylist {
            owner_id: &user.id,
            name: &name,
            description: description.as_deref().filter(|d| !d.is_empty()),
            is_public: request.is_public,
            cover_object_key: cover.as_deref(),
        },
    )
    .await?;
    let record = playlists::find(&mut tx, &id)
        .await?
        .ok_or_else(no_playlist)?;
    tx.commit().await?;
    tracing::info!(playlist_id = %id, user_id = %user.id, "playlist created");
    urls.playlist(&record).await
}

/// A playlist: its details and totals, without its entries.
pub async fn get_playlist(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
) -> ServiceResult<Playlist> {
    let mut conn = state.db.acquire().await?;
    let record = visible(&mut conn, user, id).await?;
    drop(conn);
    urls.playlist(&record).await
}

/// A page of a playlist's entries, in order, with their 0-based places.
pub async fn list_entries(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
    page: &PageRequest,
) -> ServiceResult<Page<PlaylistEntry>> {
    let after = page.after_number_and_id()?;
    let mut conn = state.db.acquire().await?;
    let may_see = playlists::access(&mut conn, id)
        .await?
        .is_some_and(|(owner, is_public)| may_see(user, &owner, is_public));
    if !may_see {
        return Err(no_playlist());
    }
    let first_place = match &after {
        Some((position, entry_id)) => {
            playlists::entries_through(&mut conn, id, (*position, entry_id)).await?
        }
        None => 0,
    };
    let rows = playlists::entries_page(&mut conn, id, after, page.fetch_limit()).await?;
    drop(conn);
    let (rows, next_cursor) = page.page(rows, |row| composite_key(row.position, &row.id));
    let mut items = Vec::with_capacity(rows.len());
    for (place, row) in (first_place..).zip(&rows) {
        items.push(PlaylistEntry {
            id: row.id.clone(),
            position: u32::try_from(place).unwrap_or(u32::MAX),
            song: urls.song(&row.song).await?,
            added_at: rfc3339(row.added_at),
        });
    }
    Ok(Page { items, next_cursor })
}

/// Renames, describes, publishes or hides a playlist of yours, or changes
/// its cover (`null` clears the description or the cover).
pub async fn update_playlist(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
    request: &UpdatePlaylistRequest,
) -> ServiceResult<Playlist> {
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
    lock_owned(&mut tx, user, id).await?;
    let cover = match &request.cover_upload_id {
        Some(Some(upload_id)) => {
            Some(cover_object(&mut tx, &mut errors, upload_id, &user.id).await?)
        }
        Some(None) => Some(None),
        None => None,
    };
    errors.into_result().map_err(ServiceError::invalid_fields)?;
    let before = playlists::find(&mut tx, id)
        .await?
        .ok_or_else(no_playlist)?;
    playlists::update(
        &mut tx,
        id,
        &PlaylistChanges {
            name: name.as_ref(),
            description: description.as_ref().map(Option::as_deref),
            is_public: request.is_public,
            cover_object_key: cover.as_ref().map(Option::as_deref),
        },
    )
    .await?;
    if let (Some(_), Some((old_cover, _))) = (&cover, &before.cover) {
        uploads::release_objects(&mut tx, std::slice::from_ref(old_cover), now_millis()).await?;
    }
    let record = playlists::find(&mut tx, id)
        .await?
        .ok_or_else(no_playlist)?;
    tx.commit().await?;
    urls.playlist(&record).await
}

/// Deletes a playlist of yours (admins: anyone's).
pub async fn delete_playlist(state: &AppState, user: &AuthUser, id: &str) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    if user.role != Role::Admin {
        lock_owned(&mut tx, user, id).await?;
    } else if playlists::lock(&mut tx, id).await?.is_none() {
        return Err(no_playlist());
    }
    if let Some(cover) = playlists::delete(&mut tx, id).await? {
        uploads::release_objects(&mut tx, &[cover], now_millis()).await?;
    }
    tx.commit().await?;
    tracing::info!(playlist_id = %id, user_id = %user.id, "playlist deleted");
    Ok(())
}

/// Adds songs to a playlist of yours, at the end or before the entry now
/// at `position`. The same song may be added more than once. Answers the
/// new totals and entry ids, not the entries.
pub async fn add_songs(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
    request: &AddPlaylistSongsRequest,
) -> ServiceResult<AddedPlaylistEntries> {
    if !(1..=MAX_SONGS_PER_REQUEST).contains(&request.song_ids.len()) {
        return Err(ServiceError::invalid_fields(vec![field_error(
            "song_ids",
            format!("must list 1 to {MAX_SONGS_PER_REQUEST} songs"),
        )]));
    }
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, user, id).await?;
    let mut errors = FieldErrors::default();
    for (index, song_id) in request.song_ids.iter().enumerate() {
        if !songs::exists(&mut tx, song_id).await? {
            errors.check::<()>(Err(field_error(
                &format!("song_ids[{index}]"),
                "is not a song",
            )));
        }
    }
    errors.into_result().map_err(ServiceError::invalid_fields)?;
    let held = playlists::entry_count(&mut tx, id).await?;
    if held + request.song_ids.len() > MAX_ENTRIES {
        return Err(ServiceError::invalid_fields(vec![field_error(
            "song_ids",
            format!("a playlist holds at most {MAX_ENTRIES} songs; this one has {held}"),
        )]));
    }
    let entry_ids = playlists::add_songs(&mut tx, id, &request.song_ids, request.position).await?;
    tx.commit().await?;
    // The totals are read after the write lock is released.
    let mut conn = state.db.acquire().await?;
    let record = playlists::find(&mut conn, id)
        .await?
        .ok_or_else(no_playlist)?;
    drop(conn);
    Ok(AddedPlaylistEntries {
        playlist: urls.playlist(&record).await?,
        entry_ids,
    })
}

/// Replaces every song of a playlist of yours with these, in order (none
/// empties it), in one transaction: the playlist is never seen half done.
pub async fn replace_songs(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    song_ids: &[String],
) -> ServiceResult<()> {
    if song_ids.len() > MAX_ENTRIES {
        return Err(ServiceError::invalid_fields(vec![field_error(
            "song_ids",
            format!("a playlist holds at most {MAX_ENTRIES} songs"),
        )]));
    }
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, user, id).await?;
    let mut errors = FieldErrors::default();
    for (index, song_id) in song_ids.iter().enumerate() {
        if !songs::exists(&mut tx, song_id).await? {
            errors.check::<()>(Err(field_error(
                &format!("song_ids[{index}]"),
                "is not a song",
            )));
        }
    }
    errors.into_result().map_err(ServiceError::invalid_fields)?;
    playlists::clear_entries(&mut tx, id).await?;
    if !song_ids.is_empty() {
        playlists::add_songs(&mut tx, id, song_ids, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes one entry (one place, not every copy of the song) from a
/// playlist of yours.
pub async fn remove_entry(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    entry_id: &str,
) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, user, id).await?;
    if !playlists::remove_entry(&mut tx, id, entry_id).await? {
        return Err(ServiceError::NotFound(
            "This playlist has no entry with this id.".into(),
        ));
    }
    tx.commit().await?;
    Ok(())
}

/// Moves one entry of a playlist of yours right after another (to the top
/// without one). Entries that are no longer in the playlist (someone
/// changed it since you read it) are refused with 409: read it again.
pub async fn move_entry(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    request: &MovePlaylistEntryRequest,
) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, user, id).await?;
    let moved = playlists::move_entry(
        &mut tx,
        id,
        &request.entry_id,
        request.after_entry_id.as_deref(),
    )
    .await?;
    let field = match moved {
        Moved::Done => {
            tx.commit().await?;
            return Ok(());
        }
        Moved::NoEntry => "entry_id",
        Moved::NoAnchor => "after_entry_id",
    };
    Err(ServiceError::Conflict {
        detail: "The playlist has changed since it was read: this entry is no longer in it.".into(),
        errors: vec![field_error(field, "is not an entry of this playlist")],
    })
}
