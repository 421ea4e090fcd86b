//! What a client asks of playback: a quality and the codecs it can play
//! (`?quality=&formats=`, or its `Accept` header), and which encoding of
//! a song answers that best.

use soundstream_transcode::Rendition;
use soundstream_types::{FieldError, PlaybackQuality};

use super::field_error;

pub fn parse_quality(field: &str, text: &str) -> Result<PlaybackQuality, FieldError> {
    PlaybackQuality::parse(text)
        .ok_or_else(|| field_error(field, "must be low, normal, high or original"))
}

/// The rendition codecs a client plays (the original is always offered
/// as the fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedCodecs {
    opus: bool,
    aac: bool,
    mp3: bool,
}

impl Default for AcceptedCodecs {
    /// A client that does not say plays them all.
    fn default() -> Self {
        Self {
            opus: true,
            aac: true,
            mp3: true,
        }
    }
}

impl AcceptedCodecs {
    const NONE: Self = Self {
        opus: false,
        aac: false,
        mp3: false,
    };

    /// `opus,aac,mp3`, in any order and subset.
    pub fn parse(field: &str, list: &str) -> Result<Self, FieldError> {
        let mut accepted = Self::NONE;
        for codec in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            match codec.to_ascii_lowercase().as_str() {
                "opus" => accepted.opus = true,
                "aac" => accepted.aac = true,
                "mp3" => accepted.mp3 = true,
                _ => {
                    return Err(field_error(
                        field,
                        "must list codecs among opus, aac and mp3, separated by commas",
                    ));
                }
            }
        }
        Ok(accepted)
    }

    /// From an `Accept` header: the audio types it names; everything when
    /// it names none, or `*/*` or `audio/*`.
    pub fn from_accept(accept: &str) -> Self {
        let mut accepted = Self::NONE;
        let mut named_audio = false;
        for media_range in accept.split(',') {
            let mut parts = media_range.split(';');
            let media_type = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                matches!(
                    p.trim().replace(' ', "").as_str(),
                    "q=0" | "q=0.0" | "q=0.00" | "q=0.000"
                )
            });
            if refused {
                continue;
            }
            match media_type.as_str() {
                "*/*" | "audio/*" => return Self::default(),
                "audio/ogg" | "audio/opus" | "audio/webm" => accepted.opus = true,
                "audio/mp4" | "audio/aac" | "audio/x-m4a" | "audio/m4a" => accepted.aac = true,
                "audio/mpeg" | "audio/mp3" => accepted.mp3 = true,
                _ => {}
            }
            named_audio |= media_type.starts_with("audio/");
        }
        if named_audio {
            accepted
        } else {
            Self::default()
        }
    }

    pub fn accepts(self, rendition: Rendition) -> bool {
        match rendition.codec() {
            "opus" => self.opus,
            "aac" => self.aac,
            _ => self.mp3,
        }
    }
}

/// What is known of a song's original, to weigh renditions against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginalAudio {
    /// FLAC, WAV and other lossless encodings.
    pub lossless: bool,
    pub bit_rate_kbps: Option<u32>,
}

impl OriginalAudio {
    pub fn of(content_type: &str, bit_rate_kbps: Option<u32>) -> Self {
        let lossless = matches!(
            content_type,
            "audio/flac"
                | "audio/x-flac"
                | "audio/wav"
                | "audio/x-wav"
                | "audio/wave"
                | "audio/aiff"
                | "audio/x-aiff"
        );
        Self {
            lossless,
            bit_rate_kbps,
        }
    }

    /// Large enough that `high` should not send it as it is.
    fn is_heavy(self) -> bool {
        self.lossless || self.bit_rate_kbps.is_some_and(|kbps| kbps > 320)
    }
}

/// The rendition to play for `quality` among those `ready`, or None for
/// the original. A rendition never replaces an original of no higher bit
/// rate (it could only sound worse).
pub fn choose_rendition(
    quality: PlaybackQuality,
    accepted: AcceptedCodecs,
    original: OriginalAudio,
    ready: &[Rendition],
) -> Option<Rendition> {
    use Rendition::{Aac128, Mp3_128, Opus96, Opus160};
    let preference: &[Rendition] = match quality {
        PlaybackQuality::Original => return None,
        PlaybackQuality::High if !original.is_heavy() => return None,
        PlaybackQuality::High | PlaybackQuality::Normal => &[Opus160, Aac128, Mp3_128],
        PlaybackQuality::Low => &[Opus96, Aac128, Mp3_128],
    };
    let chosen = preference
        .iter()
        .copied()
        .find(|r| accepted.accepts(*r) && ready.contains(r))?;
    let smaller = original.lossless
        || original
            .bit_rate_kbps
            .is_none_or(|kbps| chosen.bit_rate_kbps() < kbps);
    smaller.then_some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rendition::{Aac128, Mp3_128, Opus96, Opus160};

    const ALL: [Rendition; 4] = Rendition::ALL;
    const FLAC: OriginalAudio = OriginalAudio {
        lossless: true,
        bit_rate_kbps: Some(900),
    };

    fn mp3(kbps: u32) -> OriginalAudio {
        OriginalAudio::of("audio/mpeg", Some(kbps))
    }

    #[test]
    fn each_quality_prefers_its_rendition() {
        let any = AcceptedCodecs::default();
        assert_eq!(
            choose_rendition(PlaybackQuality::Low, any, FLAC, &ALL),
            Some(Opus96)
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::Normal, any, FLAC, &ALL),
            Some(Opus160)
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::High, any, FLAC, &ALL),
            Some(Opus160)
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::Original, any, FLAC, &ALL),
            None
        );
    }

    #[test]
    fn high_keeps_a_modest_lossy_original() {
        let any = AcceptedCodecs::default();
        assert_eq!(
            choose_rendition(PlaybackQuality::High, any, mp3(256), &ALL),
            None
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::High, any, mp3(500), &ALL),
            Some(Opus160)
        );
    }

    #[test]
    fn a_client_without_opus_gets_aac_then_mp3() {
        let safari = AcceptedCodecs::parse("formats", "aac,mp3").expect("valid");
        assert_eq!(
            choose_rendition(PlaybackQuality::Low, safari, FLAC, &ALL),
            Some(Aac128)
        );
        let legacy = AcceptedCodecs::parse("formats", "MP3").expect("valid");
        assert_eq!(
            choose_rendition(PlaybackQuality::Low, legacy, FLAC, &ALL),
            Some(Mp3_128)
        );
        let nothing = AcceptedCodecs::parse("formats", "").expect("valid");
        assert_eq!(
            choose_rendition(PlaybackQuality::Low, nothing, FLAC, &ALL),
            None
        );
    }

    #[test]
    fn only_ready_renditions_and_never_a_bigger_one() {
        let any = AcceptedCodecs::default();
        assert_eq!(choose_rendition(PlaybackQuality::Low, any, FLAC, &[]), None);
        assert_eq!(
            choose_rendition(PlaybackQuality::Low, any, FLAC, &[Mp3_128]),
            Some(Mp3_128)
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::Low, any, mp3(64), &ALL),
            None
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::Normal, any, mp3(128), &ALL),
            None
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::Low, any, mp3(128), &ALL),
            Some(Opus96)
        );
        assert_eq!(
            choose_rendition(PlaybackQuality::Normal, any, mp3(192), &[Opus96, Opus160]),
            Some(Opus160)
        );
    }

    #[test]
    fn unknown_codecs_and_qualities_are_refused() {
        assert!(AcceptedCodecs::parse("formats", "opus,flac").is_err());
        assert!(parse_quality("quality", "ultra").is_err());
        assert_eq!(parse_quality("quality", "low"), Ok(PlaybackQuality::Low));
    }

    #[test]
    fn accept_headers_name_what_plays() {
        let all = AcceptedCodecs::default();
        assert_eq!(AcceptedCodecs::from_accept("*/*"), all);
        assert_eq!(AcceptedCodecs::from_accept("application/json"), all);
        assert_eq!(
            AcceptedCodecs::from_accept("audio/webm,audio/ogg,audio/wav,audio/*;q=0.9"),
            all
        );
        let mp3_only = AcceptedCodecs::from_accept("audio/mpeg, audio/ogg;q=0");
        assert!(mp3_only.accepts(Mp3_128));
        assert!(!mp3_only.accepts(Opus160));
        assert!(!mp3_only.accepts(Aac128));
    }
}
