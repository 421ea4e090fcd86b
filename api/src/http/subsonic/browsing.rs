//! Browsing, lists and searching: `getMusicFolders`, `getIndexes`,
//! `getArtists`, `getMusicDirectory`, `getArtist`, `getAlbum`, `getSong`,
//! `getGenres`, `getArtistInfo2`, `getAlbumInfo2`, `getSimilarSongs2`,
//! `getTopSongs`, `getAlbumList2`, `getRandomSongs`, `getSongsByGenre`,
//! `search3`.

use std::collections::HashMap;

use serde_json::{Value, json};
use soundstream_types::Song;

use super::call::Call;
use super::objects::{self, Marks, index_letter};
use super::wire::{Payload, SubsonicError};
use crate::domain::CatalogueName;
use crate::services::annotations::{self, Rated, Starred};
use crate::services::browsing::{self, AlbumList, AlbumRow, ArtistRow, LibraryWindow};
use crate::services::{catalogue, listening, search};

/// The one music folder: the whole library.
pub fn music_folders() -> Payload {
    vec![(
        "musicFolders",
        json!({"musicFolder": [{"id": 1, "name": "Music"}]}),
    )]
}

/// The caller's stars and ratings of one kind of item, to mark objects.
pub struct Marker {
    starred: HashMap<String, i64>,
    ratings: HashMap<String, i64>,
}

impl Marker {
    /// The caller's marks of these songs.
    pub async fn songs(call: &Call<'_>, ids: &[&str]) -> Result<Self, SubsonicError> {
        Ok(Self {
            starred: listening::favorite_times(call.state, call.user, ids).await?,
            ratings: annotations::ratings(call.state, call.user, Rated::Song, ids).await?,
        })
    }

    /// The caller's marks of these albums.
    pub async fn albums(call: &Call<'_>, ids: &[&str]) -> Result<Self, SubsonicError> {
        Ok(Self {
            starred: annotations::star_times(call.state, call.user, Starred::Album, ids).await?,
            ratings: annotations::ratings(call.state, call.user, Rated::Album, ids).await?,
        })
    }

    /// The caller's marks of these artists.
    pub async fn artists(call: &Call<'_>, ids: &[&str]) -> Result<Self, SubsonicError> {
        Ok(Self {
            starred: annotations::star_times(call.state, call.user, Starred::Artist, ids).await?,
            ratings: annotations::ratings(call.state, call.user, Rated::Artist, ids).await?,
        })
    }

    pub fn mark(&self, id: &str, value: Value) -> Value {
        objects::marked(
            value,
            Marks {
                starred_at: self.starred.get(id).copied(),
                rating: self.ratings.get(id).copied(),
            },
        )
    }
}

/// How a method shows albums: the ID3 methods (`getAlbumList2`,
/// `search3`, `getStarred2`) as `AlbumID3`, their folder twins
/// (`getAlbumList`, `search2`, `getStarred`) as directory `Child`ren.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlbumShape {
    Id3,
    Folder,
}

/// Albums in a shape, marked with the caller's stars and ratings.
pub async fn album_values(
    call: &Call<'_>,
    albums: &[AlbumRow],
    shape: AlbumShape,
) -> Result<Vec<Value>, SubsonicError> {
    let ids: Vec<&str> = albums.iter().map(|album| album.id.as_str()).collect();
    let marker = Marker::albums(call, &ids).await?;
    let render = match shape {
        AlbumShape::Id3 => objects::album,
        AlbumShape::Folder => objects::album_child,
    };
    Ok(albums
        .iter()
        .map(|album| marker.mark(&album.id, render(album)))
        .collect())
}

/// Artists as `ArtistID3` elements, marked likewise.
pub async fn artist_values(
    call: &Call<'_>,
    artists: &[ArtistRow],
) -> Result<Vec<Value>, SubsonicError> {
    let ids: Vec<&str> = artists.iter().map(|artist| artist.id.as_str()).collect();
    let marker = Marker::artists(call, &ids).await?;
    Ok(artists
        .iter()
        .map(|artist| marker.mark(&artist.id, objects::artist(artist)))
        .collect())
}

async fn indexed(call: &Call<'_>, artists: &[ArtistRow]) -> Result<Vec<Value>, SubsonicError> {
    let ids: Vec<&str> = artists.iter().map(|artist| artist.id.as_str()).collect();
    let marker = Marker::artists(call, &ids).await?;
    let mut indexes: Vec<(String, Vec<Value>)> = Vec::new();
    for artist in artists {
        let letter = index_letter(&artist.name);
        let value = marker.mark(&artist.id, objects::artist(artist));
        match indexes.last_mut() {
            Some((last, members)) if *last == letter => members.push(value),
            _ => indexes.push((letter, vec![value])),
        }
    }
    Ok(indexes
        .into_iter()
        .map(|(name, artist)| json!({"name": name, "artist": artist}))
        .collect())
}

/// Artists by letter (ID3).
pub async fn artists(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let artists = browsing::all_artists(call.state).await?;
    Ok(vec![(
        "artists",
        json!({"ignoredArticles": "", "index": indexed(call, &artists).await?}),
    )])
}

/// Artists by letter (folder view; the same artists).
pub async fn indexes(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let artists = browsing::all_artists(call.state).await?;
    Ok(vec![(
        "indexes",
        json!({"ignoredArticles": "", "lastModified": 0, "index": indexed(call, &artists).await?}),
    )])
}

/// Songs as `Child` elements, starred where they are favourites (since
/// the favourite was made) and with the caller's ratings.
pub async fn children(call: &Call<'_>, songs: &[Song]) -> Result<Vec<Value>, SubsonicError> {
    let ids: Vec<&str> = songs.iter().map(|song| song.id.as_str()).collect();
    let marker = Marker::songs(call, &ids).await?;
    Ok(songs
        .iter()
        .map(|song| marker.mark(&song.id, objects::child(song)))
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
    let marker = Marker::artists(call, &[artist.id.as_str()]).await?;
    let mut value = marker.mark(&artist.id, objects::artist_detail(&artist));
    value["album"] = Value::from(album_values(call, &albums, AlbumShape::Id3).await?);
    Ok(vec![("artist", value)])
}

/// An album with its songs.
pub async fn album(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    let (album, songs) = browsing::album_tracks(call.state, &call.urls, id).await?;
    let mut value = album_values(call, std::slice::from_ref(&album), AlbumShape::Id3)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default();
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

/// Albums in one of the list orders, as `albumList2` (ID3) or
/// `albumList` (folders).
pub async fn album_list(
    call: &Call<'_>,
    element: &'static str,
    shape: AlbumShape,
) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let list = match params.required("type")? {
        "random" => AlbumList::Random,
        "newest" => AlbumList::Newest,
        "alphabeticalByName" => AlbumList::AlphabeticalByName,
        "alphabeticalByArtist" => AlbumList::AlphabeticalByArtist,
        "starred" => AlbumList::Starred,
        "highest" => AlbumList::Highest,
        "byGenre" => AlbumList::ByGenre(genre(params.required("genre")?)?),
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
        element,
        json!({"album": album_values(call, &albums, shape).await?}),
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
/// As `searchResult3` (ID3) or `searchResult2` (folders).
pub async fn search(
    call: &Call<'_>,
    element: &'static str,
    shape: AlbumShape,
) -> Result<Payload, SubsonicError> {
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
            "artist": artist_values(call, &artists).await?,
            "album": album_values(call, &albums, shape).await?,
            "song": children(call, &songs).await?,
        })
    } else {
        matching(call, query, window, shape).await?
    };
    Ok(vec![(element, result)])
}

/// A search through the JSON API's search (its own ranking and limit):
/// each kind's window is cut from its best matches.
async fn matching(
    call: &Call<'_>,
    query: &str,
    window: LibraryWindow,
    shape: AlbumShape,
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
    let found_artists = &found.artists[cut(found.artists.len(), window.artists)];
    let ids: Vec<&str> = found_artists
        .iter()
        .map(|artist| artist.id.as_str())
        .collect();
    let artist_marker = Marker::artists(call, &ids).await?;
    let artists: Vec<Value> = found_artists
        .iter()
        .map(|artist| artist_marker.mark(&artist.id, objects::artist_detail(artist)))
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
        "album": album_values(call, &albums, shape).await?,
        "song": children(call, songs).await?,
    }))
}

/// A genre as given: a catalogue name (error 0 when it is not one).
fn genre(value: &str) -> Result<CatalogueName, SubsonicError> {
    CatalogueName::parse("genre", value)
        .map_err(|error| SubsonicError::generic(format!("Parameter 'genre' {}.", error.message)))
}

/// Every genre with its song and album counts.
pub async fn genres(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let genres = browsing::genres(call.state).await?;
    let listed: Vec<Value> = genres
        .iter()
        .map(|genre| {
            json!({"value": genre.name, "songCount": genre.song_count, "albumCount": genre.album_count})
        })
        .collect();
    Ok(vec![("genres", json!({"genre": listed}))])
}

/// Songs of a genre, by title (`count`, at most 500, after `offset`).
pub async fn songs_by_genre(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let genre = genre(params.required("genre")?)?;
    let count = params.int("count", 10)?;
    let offset = params.int("offset", 0)?;
    let songs = browsing::songs_of_genre(call.state, &call.urls, &genre, offset, count).await?;
    Ok(vec![(
        "songsByGenre",
        json!({"song": children(call, &songs).await?}),
    )])
}

/// The most played songs of an artist named `artist`.
pub async fn top_songs(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let artist = CatalogueName::parse("artist", params.required("artist")?).map_err(|error| {
        SubsonicError::generic(format!("Parameter 'artist' {}.", error.message))
    })?;
    let count = params.int("count", 50)?;
    let songs = browsing::top_songs(call.state, &call.urls, &artist, count).await?;
    Ok(vec![(
        "topSongs",
        json!({"song": children(call, &songs).await?}),
    )])
}

/// Songs like an artist's (`id`): theirs and their genres', at random, as
/// `similarSongs2` or `similarSongs` (artist ids are their folder ids too).
pub async fn similar_songs(
    call: &Call<'_>,
    element: &'static str,
) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let id = params.required("id")?;
    let count = params.int("count", 50)?;
    let songs = browsing::songs_like_artist(call.state, &call.urls, id, count).await?;
    Ok(vec![(
        element,
        json!({"song": children(call, &songs).await?}),
    )])
}

/// What the library knows about an artist: the artists sharing their
/// genres. There is no biography or image service: those fields are left
/// out, as the specification allows. As `artistInfo2` or `artistInfo`.
pub async fn artist_info(call: &Call<'_>, element: &'static str) -> Result<Payload, SubsonicError> {
    let params = call.params;
    let id = params.required("id")?;
    let count = params.int("count", 20)?;
    let similar = browsing::similar_artists(call.state, id, count).await?;
    Ok(vec![(
        element,
        json!({"similarArtist": artist_values(call, &similar).await?}),
    )])
}

/// Album notes and images come from services SoundStream does not use:
/// an existing album answers an empty `albumInfo` (for `getAlbumInfo2`
/// and `getAlbumInfo` alike: album ids are their folder ids too).
pub async fn album_info(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    if !browsing::album_exists(call.state, id).await? {
        return Err(SubsonicError::not_found("No album has this id."));
    }
    Ok(vec![("albumInfo", json!({}))])
}
