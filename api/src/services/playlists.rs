//! Playlists: listeners' ordered lists of songs. Anyone sees
//! public playlists; a private one is a 404 to everyone but its owner (and
//! admins). Only the owner changes a playlist; admins may delete any.
//! Every change to the entries locks the playlist row first, so concurrent
//! edits apply one after another and the order never tears.

use soundstream_types::{
    AddPlaylistSongsRequest, CreatePlaylistRequest, Page, Playlist, PlaylistDetail, PlaylistEntry,
    ReorderPlaylistRequest, Role, UpdatePlaylistRequest, UploadKind,
};

use crate::auth::AuthUser;
use crate::clock::{now_millis, rfc3339};
use crate::domain::pagination::{PageRequest, composite_key};
use crate::domain::{CatalogueName, FieldErrors, field_error};
use crate::persistence::playlists::{self, NewPlaylist, PlaylistChanges};
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

/// A playlist with its entries in order.
async fn detail(
    conn: &mut sqlx::AnyConnection,
    urls: &MediaUrls,
    id: &str,
) -> Result<PlaylistDetail, ServiceError> {
    let record = playlists::find(&mut *conn, id)
        .await?
        .ok_or_else(no_playlist)?;
    let rows = playlists::entries(conn, id).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for (position, row) in (0_u32..).zip(&rows) {
        entries.push(PlaylistEntry {
            id: row.id.clone(),
            position,
            song: urls.song(&row.song).await?,
            added_at: rfc3339(row.added_at),
        });
    }
    Ok(PlaylistDetail {
        playlist: urls.playlist(&record).await?,
        entries,
    })
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

fn description(errors: &mut FieldErrors, text: Option<&str>) -> Option<String> {
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
async fn cover_object(
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

/// A playlist with its entries in order.
pub async fn get_playlist(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
) -> ServiceResult<PlaylistDetail> {
    let mut conn = state.db.acquire().await?;
    let visible = playlists::find(&mut conn, id)
        .await?
        .is_some_and(|record| record.visible_to(&user.id) || user.role == Role::Admin);
    if !visible {
        return Err(no_playlist());
    }
    detail(&mut conn, urls, id).await
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
/// at `position`. The same song may be added more than once.
pub async fn add_songs(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
    request: &AddPlaylistSongsRequest,
) -> ServiceResult<PlaylistDetail> {
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
    playlists::add_songs(&mut tx, id, &request.song_ids, request.position).await?;
    let playlist = detail(&mut tx, urls, id).await?;
    tx.commit().await?;
    Ok(playlist)
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

/// Puts a playlist of yours in a new order: `entry_ids` lists every entry
/// exactly once. If the playlist changed since you read it, the list no
/// longer matches and nothing is changed (409): read it again and retry.
pub async fn reorder(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    id: &str,
    request: &ReorderPlaylistRequest,
) -> ServiceResult<PlaylistDetail> {
    let mut tx = state.db.begin_write().await?;
    lock_owned(&mut tx, user, id).await?;
    let mut current = playlists::entry_ids(&mut tx, id).await?;
    let mut proposed = request.entry_ids.clone();
    current.sort_unstable();
    proposed.sort_unstable();
    if current != proposed {
        return Err(ServiceError::Conflict {
            detail: "entry_ids must list each of the playlist's current entries exactly once; \
                     it has changed since it was read."
                .into(),
            errors: vec![field_error(
                "entry_ids",
                format!(
                    "must be the playlist's {} entries, each once",
                    current.len()
                ),
            )],
        });
    }
    playlists::reorder(&mut tx, id, &request.entry_ids).await?;
    let playlist = detail(&mut tx, urls, id).await?;
    tx.commit().await?;
    Ok(playlist)
}
