//! What an audio file is, as ffprobe reads it from the container and the
//! decoder.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::{Ffmpeg, TranscodeError, run};

/// The first audio stream of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioFacts {
    /// ffmpeg's codec name (`mp3`, `flac`, `opus`, `aac`, …).
    pub codec: String,
    pub duration: Duration,
    /// The stream's bit rate, else the container's average.
    pub bit_rate_kbps: Option<u32>,
    pub sample_rate_hz: Option<u32>,
    pub channels: Option<u32>,
    /// The genre tag, when there is one.
    pub genre: Option<String>,
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    streams: Vec<Stream>,
    format: Option<Format>,
}

#[derive(Deserialize)]
struct Stream {
    codec_type: Option<String>,
    codec_name: Option<String>,
    sample_rate: Option<String>,
    channels: Option<u32>,
    bit_rate: Option<String>,
    duration: Option<String>,
    #[serde(default)]
    tags: Tags,
}

#[derive(Deserialize)]
struct Format {
    duration: Option<String>,
    bit_rate: Option<String>,
    #[serde(default)]
    tags: Tags,
}

/// Tag names vary in case between formats (ID3 `genre`, Vorbis `GENRE`).
#[derive(Deserialize, Default)]
struct Tags(std::collections::BTreeMap<String, String>);

impl Tags {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }
}

impl Ffmpeg {
    /// The facts of `input`'s first audio stream; a file without one, or
    /// one ffprobe cannot open, is [`TranscodeError::Unreadable`].
    pub async fn probe(
        &self,
        input: &Path,
        timeout: Duration,
    ) -> Result<AudioFacts, TranscodeError> {
        let output = run(
            &self.ffprobe,
            [
                "-v".as_ref(),
                "error".as_ref(),
                "-print_format".as_ref(),
                "json".as_ref(),
                "-show_format".as_ref(),
                "-show_streams".as_ref(),
                input.as_os_str(),
            ],
            timeout,
        )
        .await
        .map_err(|error| match error {
            TranscodeError::Failed { detail, .. } => TranscodeError::Unreadable(detail),
            other => other,
        })?;
        let probe: Probe =
            serde_json::from_slice(&output.stdout).map_err(|error| TranscodeError::Failed {
                program: "ffprobe".into(),
                detail: format!("unexpected output: {error}"),
            })?;
        facts(probe)
    }
}

fn facts(probe: Probe) -> Result<AudioFacts, TranscodeError> {
    let format = probe.format;
    let stream = probe
        .streams
        .into_iter()
        .find(|stream| stream.codec_type.as_deref() == Some("audio"))
        .ok_or_else(|| TranscodeError::Unreadable("the file has no audio stream".into()))?;
    let seconds = stream
        .duration
        .as_deref()
        .or(format.as_ref().and_then(|f| f.duration.as_deref()))
        .and_then(|text| text.parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
        .ok_or_else(|| TranscodeError::Unreadable("the audio's duration cannot be read".into()))?;
    let bit_rate = stream
        .bit_rate
        .as_deref()
        .or(format.as_ref().and_then(|f| f.bit_rate.as_deref()))
        .and_then(|text| text.parse::<u64>().ok())
        .and_then(|bps| u32::try_from((bps + 500) / 1000).ok())
        .filter(|kbps| *kbps > 0);
    let genre = stream
        .tags
        .get("genre")
        .or(format.as_ref().and_then(|f| f.tags.get("genre")))
        .map(str::to_owned);
    Ok(AudioFacts {
        codec: stream.codec_name.unwrap_or_default(),
        duration: Duration::from_secs_f64(seconds),
        bit_rate_kbps: bit_rate,
        sample_rate_hz: stream.sample_rate.and_then(|text| text.parse().ok()),
        channels: stream.channels.filter(|n| *n > 0),
        genre,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<AudioFacts, TranscodeError> {
        facts(serde_json::from_str(json).expect("valid probe JSON"))
    }

    #[test]
    fn reads_the_audio_stream_and_the_genre_in_any_case() {
        let facts = parse(
            r#"{"streams":[{"codec_type":"video","codec_name":"mjpeg"},
                {"codec_type":"audio","codec_name":"flac","sample_rate":"44100","channels":2,
                 "duration":"3.500000","tags":{"GENRE":"Jazz"}}],
               "format":{"duration":"3.5","bit_rate":"912345"}}"#,
        )
        .expect("facts");
        assert_eq!(facts.codec, "flac");
        assert_eq!(facts.duration, Duration::from_millis(3500));
        assert_eq!(facts.bit_rate_kbps, Some(912));
        assert_eq!(facts.sample_rate_hz, Some(44_100));
        assert_eq!(facts.channels, Some(2));
        assert_eq!(facts.genre.as_deref(), Some("Jazz"));
    }

    #[test]
    fn a_file_without_audio_is_unreadable() {
        let error =
            parse(r#"{"streams":[{"codec_type":"video"}],"format":{}}"#).expect_err("no audio");
        assert!(error.is_permanent());
    }

    #[test]
    fn an_unknown_duration_is_unreadable() {
        let error = parse(r#"{"streams":[{"codec_type":"audio","duration":"N/A"}]}"#)
            .expect_err("no duration");
        assert!(error.is_permanent());
    }
}
