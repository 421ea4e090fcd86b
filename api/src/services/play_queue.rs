//! The saved play queue: each listener's one queue, so playback moves
//! between devices (Subsonic apps save it; any of them restores it).

use soundstream_types::Song;

use crate::auth::AuthUser;
use crate::domain::{ClientName, PlaybackPosition};
use crate::persistence::play_queues::{self, NewPlayQueue};
use crate::persistence::songs;
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

/// The most songs a saved queue holds.
pub const MAX_QUEUE: usize = 5_000;

/// A saved queue; `changed_at` is Unix milliseconds.
#[derive(Debug, Clone)]
pub struct PlayQueue {
    pub songs: Vec<Song>,
    pub current_song_id: Option<String>,
    pub position_ms: i64,
    pub changed_at: i64,
    pub changed_by: String,
}

/// Replaces the user's queue; no songs clears it. The current song, when
/// given, must be one of the queue's; every song must exist.
pub async fn save(
    state: &AppState,
    user: &AuthUser,
    song_ids: &[String],
    current: Option<&str>,
    position: PlaybackPosition,
    client: &ClientName,
) -> ServiceResult<()> {
    if song_ids.len() > MAX_QUEUE {
        return Err(ServiceError::invalid(
            "song_ids",
            format!("must name at most {MAX_QUEUE} songs"),
        ));
    }
    if let Some(current) = current
        && !song_ids.iter().any(|id| id == current)
    {
        return Err(ServiceError::invalid(
            "current_song_id",
            "must be one of the queue's songs",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    if song_ids.is_empty() {
        play_queues::clear(&mut tx, &user.id).await?;
    } else {
        for id in song_ids {
            if !songs::exists(&mut tx, id).await? {
                return Err(ServiceError::NotFound(format!(
                    "No song has the id '{id}'."
                )));
            }
        }
        play_queues::save(
            &mut tx,
            &user.id,
            &NewPlayQueue {
                song_ids,
                current_song_id: current,
                position_ms: position.millis(),
                changed_by: client.as_str(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The user's saved queue, if they saved one.
pub async fn find(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
) -> ServiceResult<Option<PlayQueue>> {
    let mut conn = state.db.acquire().await?;
    let Some(record) = play_queues::find(&mut conn, &user.id).await? else {
        return Ok(None);
    };
    drop(conn);
    Ok(Some(PlayQueue {
        songs: urls.songs(&record.songs).await?,
        current_song_id: record.current_song_id,
        position_ms: record.position_ms,
        changed_at: record.changed_at,
        changed_by: record.changed_by,
    }))
}
