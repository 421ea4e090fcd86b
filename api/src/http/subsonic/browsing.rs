//! Browsing, lists and searching: `getMusicFolders`, `getIndexes`,
//! `getArtists`, `getMusicDirectory`, `getArtist`, `getAlbum`, `getSong`,
//! `getAlbumList2`, `getRandomSongs`, `search3`.

use std::collections::HashSet;

use serde_json::{Value, json};
use soundstream_types::Song;

use super::call::Call;
use super::objects::{self, index_letter};
use super::wire::{Payload, SubsonicError};
use crate::services::browsing::{self, AlbumList, ArtistRow, LibraryWindow};
use crate::services::{catalogue, listening, search};

/// The one music folder: the whole library.
pub fn music_folders() -> Payload {
    vec![(
        "musicFolders",
        json!({"musicFolder": [{"id": 1, "name": "Music"}]}),
    )]
}

fn indexed(artists: &[ArtistRow]) -> Vec<Value> {
    let mut indexes: Vec<(String, Vec<Value>)> = Vec::new();
    for artist in artists {
        let letter = index_letter(&artist.name);
        match indexes.last_mut() {
            Some((last, members)) if *last == letter => members.push(objects::artist(artist)),
            _ => indexes.push((letter, vec![objects::artist(artist)])),
        }
    }
    indexes
        .into_iter()
        .map(|(name, artist)| json!({"name": name, "artist": artist}))
        .collect()
}

/// Artists by letter (ID3).
pub async fn artists(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let artists = browsing::all_artists(call.state).await?;
    Ok(vec![(
        "artists",
        json!({"ignoredArticles": "", "index": indexed(&artists)}),
    )])
}

/// Artists by letter (folder view; the same artists).
pub async fn indexes(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let artists = browsing::all_artists(call.state).await?;
    Ok(vec![(
        "indexes",
        json!({"ignoredArticles": "", "lastModified": 0, "index": indexed(&artists)}),
    )])
}

/// The caller's favourite song ids, to mark songs as starred.
async fn starred_ids(call: &Call<'_>) -> Result<HashSet<String>, SubsonicError> {
    Ok(listening::favorite_ids(call.state, call.user)
        .await?
        .into_iter()
        .collect())
}

/// Songs as `Child` elements, starred where they are favourites. Apps
/// read `starred` as a flag; its date is the song's, as the favourite's
/// own time is not read here.
pub async fn children(call: &Call<'_>, songs: &[Song]) -> Result<Vec<Value>, SubsonicError> {
    let starred = starred_ids(call).await?;
    Ok(songs
        .iter()
        .map(|song| {
            objects::child(
                song,
                starred
                    .contains(&song.id)
                    .then_some(song.created_at.as_str()),
            )
        })
        .collect())
}

/// An artist (its albums) or an album (its songs) as a directory.
pub async fn music_directory(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    let directory = match browsing::artist_albums(call.state, id).await {
        Ok((artist, albums)) => json!({
            "id": artist.id,
            "name": artist.name,
            "child": albums.iter().map(objects::album_child).collect::<Vec<_>>(),
        }),
        Err(crate::services::ServiceError::NotFound(_)) => {
            let (album, songs) = browsing::album_tracks(call.state, &call.urls, id).await?;
            json!({
                "id": album.id,
                "name": album.title,
                "parent": album.artist_id,
                "child": children(call, &songs).await?,
            })
        }
        Err(other) => return Err(other.into()),
    };
    Ok(vec![("directory", directory)])
}

/// An artist with their albums.
pub async fn artist(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    let (artist, albums) = browsing::artist_albums(call.state, id).await?;
    let mut value = objects::artist_detail(&artist);
    value["album"] = Value::from(albums.iter().map(objects::album).collect::<Vec<_>>());
    Ok(vec![("artist", value)])
}

/// An album with its songs.
pub async fn album(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    let (album, songs) = browsing::album_tracks(call.state, &call.urls, id).await?;
    let mut value = objects::album(&album);
    value["song"] = Value::from(children(call, &songs).await?);
    Ok(vec![("album", value)])
}

/// A song.
pub async fn song(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    let song = catalogue::get_song(call.state, &call.urls, id).await?;
    let value = children(call, std::slice::from_ref(&song)).await?;
    Ok(vec![("song", value.into_iter().next().unwrap_or_default())])
}

/// Albums in one of the list orders.
pub async fn album_list2(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let list = match params.required("type")? {
        "random" => AlbumList::Random,
        "newest" => AlbumList::Newest,
        "alphabeticalByName" => AlbumList::AlphabeticalByName,
        "alphabeticalByArtist" => AlbumList::AlphabeticalByArtist,
        "starred" => AlbumList::Starred,
        "recent" => AlbumList::Recent,
        "frequent" => AlbumList::Frequent,
        "byYear" => AlbumList::ByYear {
            from: params
                .optional_int("fromYear")?
                .ok_or_else(|| SubsonicError::missing("fromYear"))?,
            to: params
                .optional_int("toYear")?
                .ok_or_else(|| SubsonicError::missing("toYear"))?,
        },
        other => {
            return Err(SubsonicError::generic(format!(
                "The album list type '{other}' is not supported."
            )));
        }
    };
    let size = params.int("size", 10)?;
    let offset = params.int("offset", 0)?;
    let albums = browsing::album_list(call.state, call.user, list, offset, size.min(500)).await?;
    Ok(vec![(
        "albumList2",
        json!({"album": albums.iter().map(objects::album).collect::<Vec<_>>()}),
    )])
}

/// Songs at random.
pub async fn random_songs(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let size = params.int("size", 10)?;
    let years = (
        params.optional_int("fromYear")?,
        params.optional_int("toYear")?,
    );
    let songs = browsing::random_songs(call.state, &call.urls, years, size).await?;
    Ok(vec![(
        "randomSongs",
        json!({"song": children(call, &songs).await?}),
    )])
}

/// Artists, albums and songs matching a query; an empty query (`""` or
/// `""` in quotes, as apps send) lists the whole library by offset.
pub async fn search3(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let window = |kind: &str| -> Result<(i64, i64), SubsonicError> {
        Ok((
            params.int(&format!("{kind}Offset"), 0)?,
            params.int(&format!("{kind}Count"), 20)?,
        ))
    };
    let window = LibraryWindow {
        artists: window("artist")?,
        albums: window("album")?,
        songs: window("song")?,
    };
    let query = params
        .get("query")
        .unwrap_or("")
        .trim()
        .trim_matches('"')
        .trim();
    let result = if query.is_empty() {
        let (artists, albums, songs) =
            browsing::library_window(call.state, &call.urls, window).await?;
        json!({
            "artist": artists.iter().map(objects::artist).collect::<Vec<_>>(),
            "album": albums.iter().map(objects::album).collect::<Vec<_>>(),
            "song": children(call, &songs).await?,
        })
    } else {
        matching(call, query, window).await?
    };
    Ok(vec![("searchResult3", result)])
}

/// A search through the JSON API's search (its own ranking and limit):
/// each kind's window is cut from its best matches.
async fn matching(
    call: &Call<'_>,
    query: &str,
    window: LibraryWindow,
) -> Result<Value, SubsonicError> {
    const SEARCH_LIMIT: i64 = 50;
    let widest = [window.artists, window.albums, window.songs]
        .iter()
        .map(|(offset, count)| offset.saturating_add(*count))
        .max()
        .unwrap_or(0)
        .clamp(1, SEARCH_LIMIT);
    let found = search::search(call.state, &call.urls, call.user, query, Some(widest)).await?;
    let cut = |len: usize, (offset, count): (i64, i64)| {
        let start = usize::try_from(offset.max(0))
            .unwrap_or(usize::MAX)
            .min(len);
        let end = start
            .saturating_add(usize::try_from(count.max(0)).unwrap_or(0))
            .min(len);
        start..end
    };
    let artists: Vec<Value> = found.artists[cut(found.artists.len(), window.artists)]
        .iter()
        .map(objects::artist_detail)
        .collect();
    let albums = browsing::albums_by_id(
        call.state,
        found.albums[cut(found.albums.len(), window.albums)]
            .iter()
            .map(|album| album.id.as_str()),
    )
    .await?;
    let songs = &found.songs[cut(found.songs.len(), window.songs)];
    Ok(json!({
        "artist": artists,
        "album": albums.iter().map(objects::album).collect::<Vec<_>>(),
        "song": children(call, songs).await?,
    }))
}
