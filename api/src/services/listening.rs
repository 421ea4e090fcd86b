//! What a listener keeps and what they play: favourites, history and
//! what they are playing now.

use std::time::Duration;

use soundstream_types::{Page, PlayedSong, Song};

use crate::auth::AuthUser;
use crate::clock::{millis, now_millis, rfc3339};
use crate::domain::ClientName;
use crate::domain::pagination::{PageRequest, composite_key};
use crate::persistence::songs::{self, SongRecord};
use crate::persistence::{Among, listening};
use crate::services::ServiceResult;
use crate::services::catalogue::no_song;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// The shortest time between two counted plays of a song by one listener.
pub const MIN_PLAY_GAP: Duration = Duration::from_secs(30);

fn cursor((song, at): &(SongRecord, i64)) -> String {
    composite_key(at, &song.id)
}

/// The user's favourite songs, most recently added first.
pub async fn favorites(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    page: &PageRequest,
) -> ServiceResult<Page<Song>> {
    let mut conn = state.db.acquire().await?;
    let rows = listening::favorites(
        &mut conn,
        &user.id,
        page.after_number_and_id()?,
        page.fetch_limit(),
    )
    .await?;
    drop(conn);
    let (rows, next_cursor) = page.page(rows, cursor);
    Ok(Page {
        items: urls.songs(rows.iter().map(|(song, _)| song)).await?,
        next_cursor,
    })
}

/// Every favourite song id of the user's.
pub async fn favorite_ids(state: &AppState, user: &AuthUser) -> ServiceResult<Vec<String>> {
    let mut conn = state.db.acquire().await?;
    Ok(listening::favorite_ids(&mut conn, &user.id).await?)
}

/// Marks a song as a favourite (again is fine).
pub async fn add_favorite(state: &AppState, user: &AuthUser, song_id: &str) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    if !songs::exists(&mut conn, song_id).await? {
        return Err(no_song());
    }
    listening::add_favorite(&mut conn, &user.id, song_id).await?;
    Ok(())
}

/// Removes a song from the favourites (when it was not one, too).
pub async fn remove_favorite(
    state: &AppState,
    user: &AuthUser,
    song_id: &str,
) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    listening::remove_favorite(&mut conn, &user.id, song_id).await?;
    Ok(())
}

/// Records that the user played a song. Only plays at least the song's
/// length apart (and at least [`MIN_PLAY_GAP`]) are counted, so repeated
/// reports cannot inflate the statistics: a report sooner than that after
/// the user's last play of the song is accepted all the same (204) and
/// moves that play to now in the history, without counting another.
pub async fn record_play(state: &AppState, user: &AuthUser, song_id: &str) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    let duration = listening::song_duration_ms(&mut tx, song_id)
        .await?
        .ok_or_else(no_song)?;
    listening::lock_listener(&mut tx, &user.id).await?;
    let now = now_millis();
    let gap = duration.max(millis(MIN_PLAY_GAP));
    match listening::latest_play(&mut tx, &user.id, song_id).await? {
        Some((play_id, at)) if now - at < gap => {
            listening::move_play(&mut tx, &play_id, now).await?;
        }
        _ => listening::record_play(&mut tx, &user.id, song_id, now).await?,
    }
    tx.commit().await?;
    Ok(())
}

/// The songs the user played, each once, most recently played first.
pub async fn recently_played(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
    page: &PageRequest,
) -> ServiceResult<Page<PlayedSong>> {
    let mut conn = state.db.acquire().await?;
    let rows = listening::recently_played(
        &mut conn,
        &user.id,
        page.after_number_and_id()?,
        page.fetch_limit(),
    )
    .await?;
    drop(conn);
    let (rows, next_cursor) = page.page(rows, cursor);
    let mut items = Vec::with_capacity(rows.len());
    for (song, at) in &rows {
        items.push(PlayedSong {
            song: urls.song(song).await?,
            played_at: rfc3339(*at),
        });
    }
    Ok(Page { items, next_cursor })
}

/// How long a "now playing" report is shown without another.
pub const NOW_PLAYING_WINDOW: Duration = Duration::from_secs(60 * 60);

/// When the user made each of these songs a favourite, by song id.
pub async fn favorite_times(
    state: &AppState,
    user: &AuthUser,
    song_ids: &[&str],
) -> ServiceResult<std::collections::HashMap<String, i64>> {
    let mut conn = state.db.acquire().await?;
    Ok(
        listening::favorite_times(&mut conn, &user.id, Among::items(song_ids))
            .await?
            .into_iter()
            .collect(),
    )
}

/// Notes that the user started playing a song on a client ("now playing"
/// reports; not a play: `record_play` counts those).
pub async fn report_now_playing(
    state: &AppState,
    user: &AuthUser,
    song_id: &str,
    client: &ClientName,
) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    if !songs::exists(&mut conn, song_id).await? {
        return Err(no_song());
    }
    listening::set_now_playing(&mut conn, &user.id, song_id, client.as_str(), now_millis()).await?;
    Ok(())
}

/// What a listener is playing now.
#[derive(Debug, Clone)]
pub struct NowPlaying {
    pub song: Song,
    pub username: String,
    pub client: String,
    /// Unix milliseconds.
    pub started_at: i64,
}

/// What every listener started within [`NOW_PLAYING_WINDOW`], the most
/// recent first. Subsonic shows listeners each other's; usernames and
/// songs are all it tells.
pub async fn now_playing(state: &AppState, urls: &MediaUrls) -> ServiceResult<Vec<NowPlaying>> {
    let mut conn = state.db.acquire().await?;
    let records =
        listening::now_playing(&mut conn, now_millis() - millis(NOW_PLAYING_WINDOW)).await?;
    drop(conn);
    let mut playing = Vec::with_capacity(records.len());
    for record in records {
        playing.push(NowPlaying {
            song: urls.song(&record.song).await?,
            username: record.username,
            client: record.client,
            started_at: record.started_at,
        });
    }
    Ok(playing)
}
