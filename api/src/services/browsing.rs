//! The catalogue as Subsonic apps browse it: album lists in their orders,
//! the whole library by offset (apps sync with empty searches), random
//! songs, covers by the id of what they belong to, and a listener's
//! favourites in full. The rules shared with the JSON API (who sees what,
//! what a favourite or a play is) stay in `catalogue`, `listening` and
//! `playlists`; this module only reads in other shapes.

use soundstream_types::{Artist, Page, Song};

use crate::auth::AuthUser;
use crate::domain::CatalogueName;
use crate::domain::pagination::{PageQuery, PageRequest};
use crate::persistence::browsing::{self, AlbumSelection};
use crate::persistence::{library, songs};
use crate::services::media_urls::MediaUrls;
use crate::services::{ServiceError, ServiceResult};
use crate::services::{covers, listening};
use crate::state::AppState;

pub use crate::persistence::browsing::{AlbumRow, ArtistRow, GenreRow};

/// The most items one request lists (apps page through more).
pub const MAX_PAGE: i64 = 500;
/// The most favourites one answer lists.
const MAX_FAVOURITES: usize = 5_000;

/// The orders of `getAlbumList2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlbumList {
    Random,
    Newest,
    AlphabeticalByName,
    AlphabeticalByArtist,
    /// The listener's starred albums, most recently starred first.
    Starred,
    /// The listener's rated albums, best first.
    Highest,
    ByGenre(CatalogueName),
    Recent,
    Frequent,
    ByYear {
        from: i64,
        to: i64,
    },
}

fn no_album() -> ServiceError {
    ServiceError::NotFound("No album has this id.".into())
}

fn no_artist() -> ServiceError {
    ServiceError::NotFound("No artist has this id.".into())
}

/// Albums in one of the list orders, `size` of them after `offset`.
pub async fn album_list(
    state: &AppState,
    user: &AuthUser,
    list: AlbumList,
    offset: i64,
    size: i64,
) -> ServiceResult<Vec<AlbumRow>> {
    let selection = match list {
        AlbumList::Random => AlbumSelection::Random,
        AlbumList::Newest => AlbumSelection::Newest,
        AlbumList::AlphabeticalByName => AlbumSelection::ByName,
        AlbumList::AlphabeticalByArtist => AlbumSelection::ByArtist,
        AlbumList::Starred => AlbumSelection::Starred(&user.id),
        AlbumList::Highest => AlbumSelection::Highest(&user.id),
        AlbumList::ByGenre(ref genre) => AlbumSelection::ByGenre(genre.as_str()),
        AlbumList::Recent => AlbumSelection::Recent(&user.id),
        AlbumList::Frequent => AlbumSelection::Frequent(&user.id),
        AlbumList::ByYear { from, to } => AlbumSelection::ByYear(from, to),
    };
    let mut conn = state.db.acquire().await?;
    Ok(browsing::albums(
        &mut conn,
        &selection,
        offset.max(0),
        size.clamp(0, MAX_PAGE),
    )
    .await?)
}

/// Every artist by name.
pub async fn all_artists(state: &AppState) -> ServiceResult<Vec<ArtistRow>> {
    let mut conn = state.db.acquire().await?;
    let mut artists = Vec::new();
    loop {
        let page = browsing::artists(&mut conn, offset_of(artists.len()), MAX_PAGE).await?;
        let done = page.len() < usize::try_from(MAX_PAGE).unwrap_or(usize::MAX);
        artists.extend(page);
        if done {
            return Ok(artists);
        }
    }
}

fn offset_of(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// An artist and their albums, by year.
pub async fn artist_albums(state: &AppState, id: &str) -> ServiceResult<(Artist, Vec<AlbumRow>)> {
    let mut conn = state.db.acquire().await?;
    let artist = library::find_artist(&mut conn, id)
        .await?
        .ok_or_else(no_artist)?;
    let albums = browsing::albums(&mut conn, &AlbumSelection::OfArtist(id), 0, MAX_PAGE).await?;
    Ok((artist, albums))
}

/// An album and its tracks in order.
pub async fn album_tracks(
    state: &AppState,
    urls: &MediaUrls,
    id: &str,
) -> ServiceResult<(AlbumRow, Vec<Song>)> {
    let mut conn = state.db.acquire().await?;
    let album = browsing::albums_with_ids(&mut conn, &[id])
        .await?
        .pop()
        .ok_or_else(no_album)?;
    let tracks = library::album_tracks(&mut conn, id).await?;
    drop(conn);
    Ok((album, urls.songs(&tracks).await?))
}

/// Albums by id, in the order given (ids naming no album are left out).
pub async fn albums_by_id(
    state: &AppState,
    ids: impl IntoIterator<Item = &str>,
) -> ServiceResult<Vec<AlbumRow>> {
    let ids: Vec<&str> = ids.into_iter().collect();
    let mut conn = state.db.acquire().await?;
    let mut albums = browsing::albums_with_ids(&mut conn, &ids).await?;
    albums.sort_by_key(|album| ids.iter().position(|id| *id == album.id));
    Ok(albums)
}

/// Songs at random, optionally within years.
pub async fn random_songs(
    state: &AppState,
    urls: &MediaUrls,
    years: (Option<i64>, Option<i64>),
    size: i64,
) -> ServiceResult<Vec<Song>> {
    let mut conn = state.db.acquire().await?;
    let records = browsing::random_songs(&mut conn, years, size.clamp(0, MAX_PAGE)).await?;
    drop(conn);
    urls.songs(&records).await
}

/// What an offset-paged sync of the whole library asks for, per kind.
#[derive(Debug, Clone, Copy)]
pub struct LibraryWindow {
    pub artists: (i64, i64),
    pub albums: (i64, i64),
    pub songs: (i64, i64),
}

/// The whole library, a window of each kind at a time (by name).
pub async fn library_window(
    state: &AppState,
    urls: &MediaUrls,
    window: LibraryWindow,
) -> ServiceResult<(Vec<ArtistRow>, Vec<AlbumRow>, Vec<Song>)> {
    let clamp = |(offset, count): (i64, i64)| (offset.max(0), count.clamp(0, MAX_PAGE));
    let (artist_offset, artist_count) = clamp(window.artists);
    let (album_offset, album_count) = clamp(window.albums);
    let (song_offset, song_count) = clamp(window.songs);
    let mut conn = state.db.acquire().await?;
    let artists = browsing::artists(&mut conn, artist_offset, artist_count).await?;
    let albums = browsing::albums(
        &mut conn,
        &AlbumSelection::ByName,
        album_offset,
        album_count,
    )
    .await?;
    let records = browsing::songs(&mut conn, song_offset, song_count).await?;
    drop(conn);
    Ok((artists, albums, urls.songs(&records).await?))
}

/// A download URL of the cover of a song or album (by its id).
pub async fn cover_url(
    state: &AppState,
    urls: &MediaUrls,
    id: &str,
    size: Option<u32>,
) -> ServiceResult<String> {
    let mut conn = state.db.acquire().await?;
    let song_id = match browsing::albums_with_ids(&mut conn, &[id]).await?.pop() {
        Some(album) => album.cover_song_id,
        None => Some(id.to_owned()),
    };
    let song = match song_id {
        Some(song_id) => songs::find(&mut conn, &song_id).await?,
        None => None,
    };
    drop(conn);
    let cover = song
        .and_then(|song| song.cover)
        .ok_or_else(|| ServiceError::NotFound("There is no cover with this id.".into()))?;
    covers::cover_url(state, urls, &cover, size).await
}

/// The user's favourite songs, most recent first (at most 5,000).
pub async fn all_favorites(
    state: &AppState,
    urls: &MediaUrls,
    user: &AuthUser,
) -> ServiceResult<Vec<Song>> {
    every_page(MAX_FAVOURITES, |page| async move {
        listening::favorites(state, urls, user, &page).await
    })
    .await
}

/// Every item of a listing the JSON API pages, read a page after another
/// until the last or until at least `cap` items (Subsonic answers whole
/// lists).
pub async fn every_page<T, Fetch, Fetched>(cap: usize, mut fetch: Fetch) -> ServiceResult<Vec<T>>
where
    Fetch: FnMut(PageRequest) -> Fetched,
    Fetched: Future<Output = ServiceResult<Page<T>>>,
{
    let mut items = Vec::new();
    let mut query = PageQuery {
        limit: Some(crate::domain::pagination::MAX_LIMIT),
        cursor: None,
    };
    loop {
        let page = query.parse().map_err(ServiceError::invalid_fields)?;
        let found = fetch(page).await?;
        items.extend(found.items);
        match found.next_cursor {
            Some(cursor) if items.len() < cap => query.cursor = Some(cursor),
            _ => return Ok(items),
        }
    }
}

/// Whether a song exists (for ids that may name a song or something else).
pub async fn song_exists(state: &AppState, id: &str) -> ServiceResult<bool> {
    let mut conn = state.db.acquire().await?;
    Ok(songs::exists(&mut conn, id).await?)
}

/// Every genre songs have, with their song and album counts.
pub async fn genres(state: &AppState) -> ServiceResult<Vec<GenreRow>> {
    let mut conn = state.db.acquire().await?;
    Ok(browsing::genres(&mut conn).await?)
}

/// Songs of a genre by title, `count` of them after `offset`.
pub async fn songs_of_genre(
    state: &AppState,
    urls: &MediaUrls,
    genre: &CatalogueName,
    offset: i64,
    count: i64,
) -> ServiceResult<Vec<Song>> {
    let mut conn = state.db.acquire().await?;
    let records = browsing::songs_of_genre(
        &mut conn,
        genre.as_str(),
        offset.max(0),
        count.clamp(0, MAX_PAGE),
    )
    .await?;
    drop(conn);
    urls.songs(&records).await
}

/// The most played songs (by everyone) of the artist with this name,
/// matched ignoring case and accents; none when no artist has it.
pub async fn top_songs(
    state: &AppState,
    urls: &MediaUrls,
    artist: &CatalogueName,
    count: i64,
) -> ServiceResult<Vec<Song>> {
    let mut conn = state.db.acquire().await?;
    let Some(artist) = browsing::artist_named(&mut conn, &artist.normalized()).await? else {
        return Ok(Vec::new());
    };
    let records = library::top_songs(&mut conn, &artist.id, count.clamp(0, MAX_PAGE)).await?;
    drop(conn);
    urls.songs(&records).await
}

/// Songs like an artist's, at random: theirs and those sharing a genre
/// with theirs (the library is all there is to compare with).
pub async fn songs_like_artist(
    state: &AppState,
    urls: &MediaUrls,
    artist_id: &str,
    count: i64,
) -> ServiceResult<Vec<Song>> {
    let mut conn = state.db.acquire().await?;
    if library::find_artist(&mut conn, artist_id).await?.is_none() {
        return Err(no_artist());
    }
    let records =
        browsing::songs_like_artist(&mut conn, artist_id, count.clamp(0, MAX_PAGE)).await?;
    drop(conn);
    urls.songs(&records).await
}

/// Artists sharing genres with an artist, those sharing most first.
pub async fn similar_artists(
    state: &AppState,
    artist_id: &str,
    count: i64,
) -> ServiceResult<Vec<ArtistRow>> {
    let mut conn = state.db.acquire().await?;
    if library::find_artist(&mut conn, artist_id).await?.is_none() {
        return Err(no_artist());
    }
    Ok(browsing::artists_sharing_genres(&mut conn, artist_id, count.clamp(0, MAX_PAGE)).await?)
}

/// Whether an album exists.
pub async fn album_exists(state: &AppState, id: &str) -> ServiceResult<bool> {
    let mut conn = state.db.acquire().await?;
    Ok(library::find_album(&mut conn, id).await?.is_some())
}

/// The lyrics of the song with this title (and artist, when given), as
/// `(song, lyrics)`; names match ignoring case and accents.
pub async fn lyrics_by_name(
    state: &AppState,
    urls: &MediaUrls,
    artist: Option<&CatalogueName>,
    title: &CatalogueName,
) -> ServiceResult<Option<(Song, String)>> {
    let mut conn = state.db.acquire().await?;
    let artist = artist.map(CatalogueName::normalized);
    let found =
        browsing::song_with_lyrics(&mut conn, artist.as_deref(), &title.normalized()).await?;
    drop(conn);
    match found {
        Some((record, lyrics)) => Ok(Some((urls.song(&record).await?, lyrics))),
        None => Ok(None),
    }
}
