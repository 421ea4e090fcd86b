//! Media: `stream` and `download` answer a redirect to the song's
//! short-lived download URL (presigned with S3; signed and served with
//! ranges by `/media` with local storage), so audio never flows through
//! this handler; `getCoverArt` likewise; `getLyricsBySongId` (the
//! `songLyrics` extension) answers the stored lyrics as one unsynced line
//! per line of text.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde_json::{Value, json};

use super::call::Call;
use super::wire::{Payload, SubsonicError};
use crate::services::{ServiceError, browsing, catalogue};

fn redirect(url: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, url))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// The song's bytes, through a redirect (transcoding is not offered: the
/// original is always sent, whatever `format` or `maxBitRate` asks).
pub async fn song(call: &Call<'_>) -> Result<HttpResponse, SubsonicError> {
    let id = call.params.required("id")?;
    let playback = catalogue::playback_url(call.state, &call.urls, id).await?;
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
