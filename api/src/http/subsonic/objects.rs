//! The Subsonic objects (`Child`, `AlbumID3`, `ArtistID3`, `Playlist`)
//! built from what the services answer. Cover art ids are the id of the
//! song or album the cover belongs to.

use serde_json::{Map, Value, json};
use soundstream_types::{Artist, Playlist, Song};

use crate::clock::rfc3339;
use crate::services::browsing::{AlbumRow, ArtistRow};

/// Drops `null` fields: Subsonic leaves out what it does not know.
fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, value)| !value.is_null())
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}

/// The file suffix apps show for a content type.
fn suffix(content_type: &str) -> &str {
    match content_type {
        "audio/mpeg" | "audio/mp3" => "mp3",
        "audio/flac" | "audio/x-flac" => "flac",
        "audio/ogg" | "audio/vorbis" => "ogg",
        "audio/opus" => "opus",
        "audio/mp4" | "audio/x-m4a" | "audio/aac" => "m4a",
        "audio/wav" | "audio/x-wav" | "audio/wave" => "wav",
        other => other.rsplit('/').next().unwrap_or(other),
    }
}

fn seconds(ms: u64) -> u64 {
    ms.div_ceil(1000)
}

/// What the caller said about an item: when they starred it and how they
/// rated it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks {
    /// Unix milliseconds.
    pub starred_at: Option<i64>,
    pub rating: Option<i64>,
}

/// Adds the caller's marks (`starred`, `userRating`) to an object.
pub fn marked(mut value: Value, marks: Marks) -> Value {
    if let Value::Object(map) = &mut value {
        if let Some(at) = marks.starred_at {
            map.insert("starred".into(), Value::from(rfc3339(at)));
        }
        if let Some(rating) = marks.rating {
            map.insert("userRating".into(), Value::from(rating));
        }
    }
    value
}

/// A song as a `Child`.
pub fn child(song: &Song) -> Value {
    compact(json!({
        "id": song.id,
        "parent": song.album.as_ref().map(|album| &album.id),
        "isDir": false,
        "title": song.title,
        "album": song.album.as_ref().map(|album| &album.title),
        "artist": song.artist.name,
        "track": song.track_number,
        "year": song.year,
        "genre": song.genre,
        "genres": song.genre.as_ref().map(|genre| json!([{"name": genre}])),
        "coverArt": song.cover_url.as_ref().map(|_| &song.id),
        "size": song.size,
        "contentType": song.content_type,
        "suffix": suffix(&song.content_type),
        "duration": seconds(song.duration_ms),
        "bitRate": song.bit_rate_kbps,
        "samplingRate": song.sample_rate_hz,
        "channelCount": song.channels,
        "replayGain": replay_gain(song),
        "discNumber": song.disc_number,
        "created": song.created_at,
        "albumId": song.album.as_ref().map(|album| &album.id),
        "artistId": song.artist.id,
        "type": "music",
        "mediaType": "song",
        "isVideo": false,
    }))
}

/// The gains of the song's loudness analysis (to −14 LUFS, the reference
/// the web player uses too) and peaks as linear amplitudes; an empty
/// object until the song is analysed (the field itself is always there,
/// as OpenSubsonic asks).
fn replay_gain(song: &Song) -> Value {
    let amplitude = |dbtp: f64| (10f64.powf(dbtp / 20.0) * 1e6).round() / 1e6;
    match &song.loudness {
        None => json!({}),
        Some(loudness) => compact(json!({
            "trackGain": loudness.track_gain_db,
            "trackPeak": amplitude(loudness.true_peak_dbtp),
            "albumGain": loudness.album_gain_db,
            "albumPeak": loudness.album_peak_dbtp.map(amplitude),
        })),
    }
}

fn album_fields(album: &AlbumRow) -> Value {
    compact(json!({
        "id": album.id,
        "name": album.title,
        "artist": album.artist_name,
        "artistId": album.artist_id,
        "coverArt": album.cover_song_id.as_ref().map(|_| &album.id),
        "songCount": album.song_count,
        "duration": seconds(u64::try_from(album.duration_ms).unwrap_or(0)),
        "created": rfc3339(album.created_at),
        "year": album.year,
    }))
}

/// An album as an `AlbumID3`.
pub fn album(album: &AlbumRow) -> Value {
    album_fields(album)
}

/// An album as a directory `Child` (`getAlbumList`, `getMusicDirectory`).
pub fn album_child(album: &AlbumRow) -> Value {
    let mut value = album_fields(album);
    if let Value::Object(map) = &mut value {
        map.insert("title".into(), Value::from(album.title.clone()));
        map.insert("parent".into(), Value::from(album.artist_id.clone()));
        map.insert("isDir".into(), Value::from(true));
        map.insert("mediaType".into(), Value::from("album"));
    }
    value
}

/// An artist row as an `ArtistID3`.
pub fn artist(artist: &ArtistRow) -> Value {
    json!({"id": artist.id, "name": artist.name, "albumCount": artist.album_count})
}

/// The JSON API's artist as an `ArtistID3`.
pub fn artist_detail(artist: &Artist) -> Value {
    json!({"id": artist.id, "name": artist.name, "albumCount": artist.album_count})
}

/// A playlist (without its entries).
pub fn playlist(playlist: &Playlist, caller_id: &str) -> Value {
    compact(json!({
        "id": playlist.id,
        "name": playlist.name,
        "comment": playlist.description,
        "owner": playlist.owner.username,
        "public": playlist.is_public,
        "songCount": playlist.song_count,
        "duration": seconds(playlist.duration_ms),
        "created": playlist.created_at,
        "changed": playlist.updated_at,
        "readonly": playlist.owner.id != caller_id,
    }))
}

/// Index letters for `getArtists`/`getIndexes`: the first letter, `#` for
/// anything else.
pub fn index_letter(name: &str) -> String {
    match name.chars().next() {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "#".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_and_letters() {
        assert_eq!(suffix("audio/mpeg"), "mp3");
        assert_eq!(suffix("audio/x-custom"), "x-custom");
        assert_eq!(index_letter("éclair"), "É");
        assert_eq!(index_letter("2Pac"), "#");
        assert_eq!(seconds(1001), 2);
    }
}
