//! Media: `stream` and `download` answer a redirect to the song's
//! short-lived download URL (presigned with S3; signed and served with
//! ranges by `/media` with local storage), so audio never flows through
//! this handler; `getCoverArt` likewise; `getLyricsBySongId` (the
//! `songLyrics` extension) answers the stored lyrics as one unsynced line
//! per line of text, and `getLyrics` finds them by artist and title;
//! `getAvatar` redirects to the caller's avatar.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde_json::{Value, json};

use super::call::Call;
use super::wire::{Payload, SubsonicError};
use crate::domain::CatalogueName;
use crate::services::catalogue::PlaybackRequest;
use crate::services::{ServiceError, accounts, browsing, catalogue};

fn redirect(url: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, url))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// The song's bytes, through a redirect: the original, or for `stream`
/// with `maxBitRate` or `format` the rendition made at ingest that fits
/// (`format=raw` and `download` always send the original). No transcoding
/// happens on the fly, so `timeOffset` and `estimateContentLength` are
/// not honoured.
pub async fn song(call: &Call<'_>, download: bool) -> Result<HttpResponse, SubsonicError> {
    let id = call.params.required("id")?;
    let max_kbps = call
        .params
        .optional_int("maxBitRate")?
        .filter(|kbps| *kbps > 0);
    let format = call.params.get("format").map(str::to_ascii_lowercase);
    let codec = match format.as_deref() {
        Some("mp3") => Some("mp3"),
        Some("opus" | "ogg" | "oga") => Some("opus"),
        Some("aac" | "m4a" | "mp4") => Some("aac"),
        // `raw`, none, or one we do not make: whatever fits the bit rate.
        _ => None,
    };
    let quality = match (
        download || format.as_deref() == Some("raw"),
        max_kbps,
        codec,
    ) {
        (true, _, _) | (false, None, None) => "original",
        (false, Some(kbps), _) if kbps < 128 => "low",
        (false, Some(kbps), _) if kbps >= 320 && codec.is_none() => "high",
        _ => "normal",
    };
    let request = PlaybackRequest {
        quality: Some(quality),
        formats: codec,
        accept: None,
    };
    let playback = catalogue::playback_url(call.state, &call.urls, id, &request).await?;
    Ok(redirect(&playback.url))
}

/// A song's or album's cover at its stored size (`size` is not honoured).
pub async fn cover(call: &Call<'_>) -> Result<HttpResponse, SubsonicError> {
    let id = call.params.required("id")?;
    let url = browsing::cover_url(call.state, &call.urls, id).await?;
    Ok(redirect(&url))
}

/// The song's lyrics, unsynced, in the `lyricsList` shape; none is an
/// empty list, as the extension asks.
pub async fn lyrics(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let id = call.params.required("id")?;
    let structured = match catalogue::lyrics(call.state, call.user, id, None).await {
        Ok(lyrics) => {
            let lines: Vec<Value> = lyrics
                .lyrics
                .lines()
                .map(|line| json!({"value": line}))
                .collect();
            vec![json!({
                "lang": lyrics.language.unwrap_or_else(|| "xxx".into()),
                "synced": false,
                "line": lines,
            })]
        }
        // Not found: the song has no lyrics, or there is no such song
        // (asked only then, so lyrics cost one read).
        Err(ServiceError::NotFound(_)) => {
            if !browsing::song_exists(call.state, id).await? {
                return Err(catalogue::no_song().into());
            }
            Vec::new()
        }
        Err(other) => return Err(other.into()),
    };
    Ok(vec![(
        "lyricsList",
        json!({"structuredLyrics": structured}),
    )])
}

/// A name to look lyrics up by; one that cannot be a catalogue name finds
/// nothing.
fn lookup_name(call: &Call<'_>, parameter: &str) -> Option<CatalogueName> {
    call.params
        .get(parameter)
        .and_then(|value| CatalogueName::parse(parameter, value).ok())
}

/// The lyrics of the song with this `title` (and `artist`, when given),
/// matched ignoring case and accents; an empty `lyrics` when none has
/// them, as the specification answers.
pub async fn lyrics_by_name(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let Some(title) = lookup_name(call, "title") else {
        return Ok(vec![("lyrics", json!({"value": ""}))]);
    };
    let artist = lookup_name(call, "artist");
    let found = browsing::lyrics_by_name(call.state, &call.urls, artist.as_ref(), &title).await?;
    let value = match found {
        Some((song, lyrics)) => json!({
            "artist": song.artist.name,
            "title": song.title,
            "value": lyrics,
        }),
        None => json!({"value": ""}),
    };
    Ok(vec![("lyrics", value)])
}

/// The caller's avatar, through a redirect. Avatars are personal: asking
/// for another user's is refused, as `getUser` does.
pub async fn avatar(call: &Call<'_>) -> Result<HttpResponse, SubsonicError> {
    let asked = call.params.required("username")?;
    let me = accounts::me(call.state, &call.urls, call.user).await?;
    if !asked.eq_ignore_ascii_case(&me.username) {
        return Err(SubsonicError::not_authorized(
            "You may only ask for your own avatar.",
        ));
    }
    let url = me
        .avatar_url
        .ok_or_else(|| SubsonicError::not_found("You have no avatar."))?;
    Ok(redirect(&url))
}
