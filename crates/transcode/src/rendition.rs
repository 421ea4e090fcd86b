//! Renditions: smaller encodings of a song made once, at ingest, so that
//! playing it never transcodes. One ffmpeg run decodes the original once
//! and writes every rendition.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{AudioFacts, Ffmpeg, TranscodeError, run};

/// The encodings a song is offered in, besides its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rendition {
    /// Ogg Opus, 96 kbit/s: phones and slow connections.
    Opus96,
    /// Ogg Opus, 160 kbit/s: transparent for most listeners.
    Opus160,
    /// AAC-LC in M4A, 128 kbit/s: Safari and iOS.
    Aac128,
    /// MP3, 128 kbit/s constant bit rate at 44.1 kHz stereo, without ID3
    /// tags: legacy apps and radio stations, which cut it on frame
    /// boundaries. The first frame is the LAME "Info" header (it carries
    /// the exact length and no audio).
    Mp3_128,
}

impl Rendition {
    pub const ALL: [Self; 4] = [Self::Opus96, Self::Opus160, Self::Aac128, Self::Mp3_128];

    /// The stored name, e.g. `opus-96`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Opus96 => "opus-96",
            Self::Opus160 => "opus-160",
            Self::Aac128 => "aac-128",
            Self::Mp3_128 => "mp3-128",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The codec family a client names when it says what it plays.
    pub fn codec(self) -> &'static str {
        match self {
            Self::Opus96 | Self::Opus160 => "opus",
            Self::Aac128 => "aac",
            Self::Mp3_128 => "mp3",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Opus96 | Self::Opus160 => "audio/ogg",
            Self::Aac128 => "audio/mp4",
            Self::Mp3_128 => "audio/mpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Opus96 | Self::Opus160 => "opus",
            Self::Aac128 => "m4a",
            Self::Mp3_128 => "mp3",
        }
    }

    /// The nominal bit rate.
    pub fn bit_rate_kbps(self) -> u32 {
        match self {
            Self::Opus96 => 96,
            Self::Opus160 => 160,
            Self::Aac128 | Self::Mp3_128 => 128,
        }
    }

    /// ffmpeg's output options for this encoding.
    fn options(self) -> &'static [&'static str] {
        match self {
            // Constrained VBR: the average stays at the nominal rate.
            Self::Opus96 => &[
                "-c:a",
                "libopus",
                "-b:a",
                "96k",
                "-vbr",
                "constrained",
                "-f",
                "ogg",
            ],
            Self::Opus160 => &[
                "-c:a",
                "libopus",
                "-b:a",
                "160k",
                "-vbr",
                "constrained",
                "-f",
                "ogg",
            ],
            Self::Aac128 => &[
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
            ],
            Self::Mp3_128 => &[
                "-c:a",
                "libmp3lame",
                "-b:a",
                "128k",
                "-ar",
                "44100",
                "-id3v2_version",
                "0",
                "-write_id3v1",
                "0",
                "-f",
                "mp3",
            ],
        }
    }
}

/// A rendition written to a local file.
#[derive(Debug, Clone)]
pub struct RenditionOutput {
    pub rendition: Rendition,
    pub path: PathBuf,
    pub size: u64,
    pub duration: Duration,
    /// Measured: size over duration.
    pub bit_rate_kbps: u32,
}

/// A rendition shorter than its original by more than this (and by more
/// than 5 %) means the decoder stopped early: the file is cut short.
const TRUNCATION_TOLERANCE: Duration = Duration::from_secs(1);

impl Ffmpeg {
    /// Writes each of `renditions` of `input` into `dir` (stereo; tags and
    /// pictures left out), then checks each against `original`: a
    /// rendition that stops early means the original is cut short.
    pub async fn render(
        &self,
        input: &Path,
        original: &AudioFacts,
        renditions: &[Rendition],
        dir: &Path,
        timeout: Duration,
    ) -> Result<Vec<RenditionOutput>, TranscodeError> {
        let mut args: Vec<OsString> = [
            "-nostdin",
            "-hide_banner",
            "-nostats",
            "-v",
            "error",
            "-y",
            "-i",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        args.push(input.into());
        let paths: Vec<PathBuf> = renditions
            .iter()
            .map(|r| dir.join(format!("{}.{}", r.name(), r.extension())))
            .collect();
        for (rendition, path) in renditions.iter().zip(&paths) {
            for option in [
                "-map",
                "0:a:0",
                "-map_metadata",
                "-1",
                "-vn",
                "-sn",
                "-dn",
                "-ac",
                "2",
            ] {
                args.push(option.into());
            }
            args.extend(rendition.options().iter().map(OsString::from));
            args.push(path.into());
        }
        run(&self.ffmpeg, &args, timeout)
            .await
            .map_err(|error| match error {
                // ffprobe opened it, so a failed decode is the file's fault.
                TranscodeError::Failed { detail, .. } => TranscodeError::Unreadable(detail),
                other => other,
            })?;
        let mut outputs = Vec::with_capacity(renditions.len());
        for (rendition, path) in renditions.iter().zip(paths) {
            let facts =
                self.probe(&path, timeout)
                    .await
                    .map_err(|error| TranscodeError::Failed {
                        program: "ffprobe".into(),
                        detail: format!("cannot read the {} rendition: {error}", rendition.name()),
                    })?;
            check_complete(original.duration, facts.duration)?;
            let size = tokio::fs::metadata(&path)
                .await
                .map_err(|source| TranscodeError::Spawn {
                    program: "ffmpeg".into(),
                    source,
                })?
                .len();
            let seconds = facts.duration.as_secs_f64().max(0.001);
            outputs.push(RenditionOutput {
                rendition: *rendition,
                path,
                size,
                duration: facts.duration,
                bit_rate_kbps: u32::try_from(
                    ((size as f64 * 8.0) / seconds / 1000.0).round() as u64
                )
                .unwrap_or(u32::MAX),
            });
        }
        Ok(outputs)
    }
}

fn check_complete(expected: Duration, rendered: Duration) -> Result<(), TranscodeError> {
    let missing = expected.saturating_sub(rendered);
    if missing > TRUNCATION_TOLERANCE && missing.as_secs_f64() > 0.05 * expected.as_secs_f64() {
        return Err(TranscodeError::Unreadable(format!(
            "the audio stops at {:.1} s of {:.1} s: the file is cut short",
            rendered.as_secs_f64(),
            expected.as_secs_f64()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for rendition in Rendition::ALL {
            assert_eq!(Rendition::parse(rendition.name()), Some(rendition));
        }
        assert_eq!(Rendition::parse("flac"), None);
    }

    #[test]
    fn a_short_rendition_means_a_cut_short_file() {
        let secs = Duration::from_secs;
        assert!(check_complete(secs(200), secs(199)).is_ok());
        assert!(check_complete(secs(10), Duration::from_millis(9_990)).is_ok());
        let error = check_complete(secs(200), secs(100)).expect_err("cut short");
        assert!(error.is_permanent());
        assert!(error.to_string().contains("cut short"), "{error}");
    }
}
