//! Bookmarks: where a listener stopped in a song, to resume there on any
//! device. Each listener sees and changes only their own.

use soundstream_types::Song;

use crate::auth::AuthUser;
use crate::domain::{BookmarkComment, PlaybackPosition};
use crate::persistence::{bookmarks, songs};
use crate::services::catalogue::no_song;
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

/// The most bookmarks one listener's list shows.
const MAX_BOOKMARKS: i64 = 1_000;

/// A bookmark with its song; times are Unix milliseconds.
#[derive(Debug, Clone)]
pub struct Bookmark {
    pub song: Song,
    pub position_ms: i64,
    pub comment: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Creates or moves the user's bookmark in a song.
pub async fn save(
    state: &AppState,
    user: &AuthUser,
    song_id: &str,
    position: PlaybackPosition,
    comment: Option<&BookmarkComment>,
) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    if !songs::exists(&mut conn, song_id).await? {
        return Err(no_song());
    }
    bookmarks::save(
        &mut conn,
        &user.id,
        song_id,
        position.millis(),
        comment.map(BookmarkComment::as_str),
    )
    .await?;
    Ok(())
}

/// Deletes the user's bookmark in a song.
pub async fn delete(state: &AppState, user: &AuthUser, song_id: &str) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    if bookmarks::delete(&mut conn, &user.id, song_id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound(
            "You have no bookmark in this song.".into(),
        ))
    }
}

/// The user's bookmarks, most recently changed first.
pub async fn list(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
) -> ServiceResult<Vec<Bookmark>> {
    let mut conn = state.db.acquire().await?;
    let records = bookmarks::list(&mut conn, &user.id, MAX_BOOKMARKS).await?;
    drop(conn);
    let mut listed = Vec::with_capacity(records.len());
    for record in records {
        listed.push(Bookmark {
            song: urls.song(&record.song).await?,
            position_ms: record.position_ms,
            comment: record.comment,
            created_at: record.created_at,
            updated_at: record.updated_at,
        });
    }
    Ok(listed)
}
