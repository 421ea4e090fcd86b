//! Stars on albums and artists and ratings of songs, albums and artists:
//! each listener's own, about things that exist. Starred songs are the
//! favourites (`listening`).

use std::collections::HashMap;

use crate::auth::AuthUser;
use crate::domain::Rating;
use crate::persistence::annotations;
use crate::persistence::browsing::{self as browsing_rows, ArtistRow};
use crate::persistence::{Among, library, songs};
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;

pub use crate::persistence::annotations::{Rated, Starred};

/// The most starred artists one answer lists.
const MAX_STARRED: i64 = 5_000;

fn nothing_to_star(kind: Starred) -> ServiceError {
    ServiceError::NotFound(match kind {
        Starred::Album => "No album has this id.".into(),
        Starred::Artist => "No artist has this id.".into(),
    })
}

/// Stars an album or artist (again is fine).
pub async fn star(state: &AppState, user: &AuthUser, kind: Starred, id: &str) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    let exists = match kind {
        Starred::Album => library::find_album(&mut conn, id).await?.is_some(),
        Starred::Artist => library::find_artist(&mut conn, id).await?.is_some(),
    };
    if !exists {
        return Err(nothing_to_star(kind));
    }
    annotations::star(&mut conn, kind, &user.id, id).await?;
    Ok(())
}

/// Removes a star (when there was none, too).
pub async fn unstar(
    state: &AppState,
    user: &AuthUser,
    kind: Starred,
    id: &str,
) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    annotations::unstar(&mut conn, kind, &user.id, id).await?;
    Ok(())
}

/// When the user starred each album or artist they starred.
pub async fn star_times(
    state: &AppState,
    user: &AuthUser,
    kind: Starred,
    ids: &[&str],
) -> ServiceResult<HashMap<String, i64>> {
    let mut conn = state.db.acquire().await?;
    Ok(annotations::star_times(&mut conn, kind, &user.id, Among::items(ids)).await?)
}

/// The artists the user starred, most recently starred first.
pub async fn starred_artists(state: &AppState, user: &AuthUser) -> ServiceResult<Vec<ArtistRow>> {
    let mut conn = state.db.acquire().await?;
    Ok(browsing_rows::starred_artists(&mut conn, &user.id, MAX_STARRED).await?)
}

/// Rates a song, album or artist (ids are unique across the three), or
/// removes the rating (`None`).
pub async fn rate(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    rating: Option<Rating>,
) -> ServiceResult<()> {
    let mut conn = state.db.acquire().await?;
    let kind = if songs::exists(&mut conn, id).await? {
        Rated::Song
    } else if library::find_album(&mut conn, id).await?.is_some() {
        Rated::Album
    } else if library::find_artist(&mut conn, id).await?.is_some() {
        Rated::Artist
    } else {
        return Err(ServiceError::NotFound(
            "No song, album or artist has this id.".into(),
        ));
    };
    annotations::rate(&mut conn, kind, &user.id, id, rating.map(Rating::stars)).await?;
    Ok(())
}

/// The user's ratings of these songs, albums or artists, by id.
pub async fn ratings(
    state: &AppState,
    user: &AuthUser,
    kind: Rated,
    ids: &[&str],
) -> ServiceResult<HashMap<String, i64>> {
    let mut conn = state.db.acquire().await?;
    Ok(annotations::ratings(&mut conn, kind, &user.id, Among::items(ids)).await?)
}
