//! The audio and image formats SoundStream accepts, their content types,
//! and the rules that match a client's declared content type against the
//! format sniffed from the bytes.

use std::fmt;

/// An audio format SoundStream stores and streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudioFormat {
    /// MPEG-1/2/2.5 Layer III.
    Mp3,
    /// AAC (or another codec) in an MP4 container: `.m4a`.
    Mp4,
    /// Raw AAC in ADTS frames: `.aac`.
    Aac,
    /// Vorbis in an Ogg container.
    OggVorbis,
    /// Opus in an Ogg container.
    Opus,
    /// Native FLAC.
    Flac,
    /// RIFF WAVE.
    Wav,
}

/// An image format accepted for covers and avatars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
}

/// What [`sniff`](crate::sniff) found at the start of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DetectedFormat {
    Audio(AudioFormat),
    Image(ImageFormat),
}

/// Every audio content type (essence only, lowercase) that
/// [`AudioFormat::from_content_type`] accepts: the canonical ones first,
/// then aliases that browsers and operating systems send. Parameters are
/// allowed on top, e.g. `audio/ogg; codecs=opus`.
pub const AUDIO_CONTENT_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/opus",
    "audio/flac",
    "audio/wav",
    "audio/mp3",
    "audio/mpeg3",
    "audio/mpg",
    "audio/x-mp3",
    "audio/x-mpeg",
    "audio/x-mpeg-3",
    "audio/m4a",
    "audio/x-m4a",
    "audio/aacp",
    "audio/x-aac",
    "application/ogg",
    "audio/x-vorbis+ogg",
    "audio/x-opus+ogg",
    "audio/x-flac",
    "audio/vnd.wave",
    "audio/wave",
    "audio/x-pn-wav",
    "audio/x-wav",
];

/// Every image content type (essence only, lowercase) that
/// [`ImageFormat::from_content_type`] accepts, canonical ones first.
pub const IMAGE_CONTENT_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/jpg",
    "image/pjpeg",
    "image/x-png",
];

/// What a declared content type allows. Plain `audio/ogg` names only the
/// container: RFC 7845 registers it for Ogg Opus as well as Ogg Vorbis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    Exactly(DetectedFormat),
    AnyOgg,
}

impl AudioFormat {
    /// Every audio format, in a stable order.
    pub const ALL: [AudioFormat; 7] = [
        AudioFormat::Mp3,
        AudioFormat::Mp4,
        AudioFormat::Aac,
        AudioFormat::OggVorbis,
        AudioFormat::Opus,
        AudioFormat::Flac,
        AudioFormat::Wav,
    ];

    /// The content type to store and serve the file with.
    pub const fn content_type(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Mp4 => "audio/mp4",
            AudioFormat::Aac => "audio/aac",
            AudioFormat::OggVorbis => "audio/ogg",
            AudioFormat::Opus => "audio/opus",
            AudioFormat::Flac => "audio/flac",
            AudioFormat::Wav => "audio/wav",
        }
    }

    /// The usual file extension, without the dot.
    pub const fn extension(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Mp4 => "m4a",
            AudioFormat::Aac => "aac",
            AudioFormat::OggVorbis => "ogg",
            AudioFormat::Opus => "opus",
            AudioFormat::Flac => "flac",
            AudioFormat::Wav => "wav",
        }
    }

    /// Parses a declared content type (case-insensitive, parameters allowed).
    /// Plain `audio/ogg` gives [`AudioFormat::OggVorbis`], the conventional
    /// reading; use [`DetectedFormat::satisfies`] to check sniffed bytes,
    /// which also lets plain `audio/ogg` carry Opus.
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        match parse_declared(content_type)? {
            Declared::Exactly(DetectedFormat::Audio(format)) => Some(format),
            Declared::Exactly(DetectedFormat::Image(_)) => None,
            Declared::AnyOgg => Some(AudioFormat::OggVorbis),
        }
    }
}

impl ImageFormat {
    /// Every image format, in a stable order.
    pub const ALL: [ImageFormat; 3] = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Webp];

    /// The content type to store and serve the image with.
    pub const fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Webp => "image/webp",
        }
    }

    /// The usual file extension, without the dot.
    pub const fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Webp => "webp",
        }
    }

    /// Parses a declared content type (case-insensitive, parameters ignored).
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        match parse_declared(content_type)? {
            Declared::Exactly(DetectedFormat::Image(format)) => Some(format),
            Declared::Exactly(DetectedFormat::Audio(_)) | Declared::AnyOgg => None,
        }
    }
}

impl DetectedFormat {
    /// The canonical content type of the detected format.
    pub const fn content_type(self) -> &'static str {
        match self {
            DetectedFormat::Audio(format) => format.content_type(),
            DetectedFormat::Image(format) => format.content_type(),
        }
    }

    /// The audio format, if this is audio.
    pub const fn audio(self) -> Option<AudioFormat> {
        match self {
            DetectedFormat::Audio(format) => Some(format),
            DetectedFormat::Image(_) => None,
        }
    }

    /// The image format, if this is an image.
    pub const fn image(self) -> Option<ImageFormat> {
        match self {
            DetectedFormat::Image(format) => Some(format),
            DetectedFormat::Audio(_) => None,
        }
    }

    /// Whether bytes of this format may be stored under the content type
    /// the client declared: `audio/x-m4a` accepts M4A, `audio/ogg` accepts
    /// Ogg Vorbis and Ogg Opus, `audio/ogg; codecs=opus` only Opus, and an
    /// unknown content type accepts nothing.
    pub fn satisfies(self, declared_content_type: &str) -> bool {
        match parse_declared(declared_content_type) {
            Some(Declared::Exactly(declared)) => declared == self,
            Some(Declared::AnyOgg) => matches!(
                self,
                DetectedFormat::Audio(AudioFormat::OggVorbis | AudioFormat::Opus)
            ),
            None => false,
        }
    }
}

impl From<AudioFormat> for DetectedFormat {
    fn from(format: AudioFormat) -> Self {
        DetectedFormat::Audio(format)
    }
}

impl From<ImageFormat> for DetectedFormat {
    fn from(format: ImageFormat) -> Self {
        DetectedFormat::Image(format)
    }
}

/// Human names, used in error messages shown to uploaders.
impl fmt::Display for AudioFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AudioFormat::Mp3 => "MP3",
            AudioFormat::Mp4 => "M4A",
            AudioFormat::Aac => "AAC",
            AudioFormat::OggVorbis => "Ogg Vorbis",
            AudioFormat::Opus => "Opus",
            AudioFormat::Flac => "FLAC",
            AudioFormat::Wav => "WAV",
        })
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Png => "PNG",
            ImageFormat::Webp => "WebP",
        })
    }
}

impl fmt::Display for DetectedFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DetectedFormat::Audio(format) => format.fmt(f),
            DetectedFormat::Image(format) => format.fmt(f),
        }
    }
}

fn parse_declared(content_type: &str) -> Option<Declared> {
    use AudioFormat as A;
    use DetectedFormat::{Audio, Image};
    use ImageFormat as I;

    let mut parts = content_type.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    let exactly = |format: DetectedFormat| Some(Declared::Exactly(format));
    match essence.as_str() {
        "audio/mpeg" | "audio/mp3" | "audio/mpeg3" | "audio/mpg" | "audio/x-mp3"
        | "audio/x-mpeg" | "audio/x-mpeg-3" => exactly(Audio(A::Mp3)),
        "audio/mp4" | "audio/m4a" | "audio/x-m4a" => exactly(Audio(A::Mp4)),
        "audio/aac" | "audio/aacp" | "audio/x-aac" => exactly(Audio(A::Aac)),
        "audio/ogg" | "application/ogg" => match codecs_parameter(parts).as_deref() {
            None => Some(Declared::AnyOgg),
            Some("vorbis") => exactly(Audio(A::OggVorbis)),
            Some("opus") => exactly(Audio(A::Opus)),
            // Ogg FLAC, Speex, Theora video…: not formats we serve.
            Some(_) => None,
        },
        "audio/x-vorbis+ogg" => exactly(Audio(A::OggVorbis)),
        "audio/opus" | "audio/x-opus+ogg" => exactly(Audio(A::Opus)),
        "audio/flac" | "audio/x-flac" => exactly(Audio(A::Flac)),
        "audio/wav" | "audio/vnd.wave" | "audio/wave" | "audio/x-pn-wav" | "audio/x-wav" => {
            exactly(Audio(A::Wav))
        }
        "image/jpeg" | "image/jpg" | "image/pjpeg" => exactly(Image(I::Jpeg)),
        "image/png" | "image/x-png" => exactly(Image(I::Png)),
        "image/webp" => exactly(Image(I::Webp)),
        _ => None,
    }
}

/// The value of a `codecs` parameter, unquoted and lowercased.
fn codecs_parameter<'a>(mut parameters: impl Iterator<Item = &'a str>) -> Option<String> {
    parameters.find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("codecs")
            .then(|| value.trim().trim_matches('"').trim().to_ascii_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_content_type_parses_to_its_kind() {
        for content_type in AUDIO_CONTENT_TYPES {
            assert!(
                AudioFormat::from_content_type(content_type).is_some(),
                "{content_type}"
            );
        }
        for content_type in IMAGE_CONTENT_TYPES {
            assert!(
                ImageFormat::from_content_type(content_type).is_some(),
                "{content_type}"
            );
        }
    }

    #[test]
    fn canonical_content_types_round_trip_and_lead_the_lists() {
        for format in AudioFormat::ALL {
            assert_eq!(
                AudioFormat::from_content_type(format.content_type()),
                Some(format)
            );
        }
        for format in ImageFormat::ALL {
            assert_eq!(
                ImageFormat::from_content_type(format.content_type()),
                Some(format)
            );
        }
        let canonical_audio: Vec<_> = AudioFormat::ALL.map(AudioFormat::content_type).into();
        assert_eq!(
            &AUDIO_CONTENT_TYPES[..canonical_audio.len()],
            canonical_audio
        );
        let canonical_images: Vec<_> = ImageFormat::ALL.map(ImageFormat::content_type).into();
        assert_eq!(
            &IMAGE_CONTENT_TYPES[..canonical_images.len()],
            canonical_images
        );
    }

    #[test]
    fn content_types_are_case_insensitive_and_allow_parameters() {
        assert_eq!(
            AudioFormat::from_content_type(" Audio/X-WAV ; charset=binary"),
            Some(AudioFormat::Wav)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/ogg; codecs=opus"),
            Some(AudioFormat::Opus)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/ogg;CODECS=\"Opus\""),
            Some(AudioFormat::Opus)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/ogg; codecs=vorbis"),
            Some(AudioFormat::OggVorbis)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/ogg"),
            Some(AudioFormat::OggVorbis)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/ogg; codecs=flac"),
            None
        );
    }

    #[test]
    fn unknown_and_cross_kind_content_types_are_rejected() {
        assert_eq!(AudioFormat::from_content_type(""), None);
        assert_eq!(AudioFormat::from_content_type("audio/midi"), None);
        assert_eq!(AudioFormat::from_content_type("video/mp4"), None);
        assert_eq!(AudioFormat::from_content_type("image/png"), None);
        assert_eq!(ImageFormat::from_content_type("audio/mpeg"), None);
        assert_eq!(ImageFormat::from_content_type("image/gif"), None);
    }

    #[test]
    fn plain_ogg_accepts_vorbis_and_opus_but_a_codec_narrows_it() {
        let vorbis = DetectedFormat::Audio(AudioFormat::OggVorbis);
        let opus = DetectedFormat::Audio(AudioFormat::Opus);
        assert!(vorbis.satisfies("audio/ogg"));
        assert!(opus.satisfies("audio/ogg"));
        assert!(opus.satisfies("application/ogg"));
        assert!(opus.satisfies("audio/ogg; codecs=opus"));
        assert!(!vorbis.satisfies("audio/ogg; codecs=opus"));
        assert!(!opus.satisfies("audio/ogg; codecs=vorbis"));
        assert!(!vorbis.satisfies("audio/opus"));
    }

    #[test]
    fn satisfies_requires_the_same_format() {
        let m4a = DetectedFormat::Audio(AudioFormat::Mp4);
        assert!(m4a.satisfies("audio/mp4"));
        assert!(m4a.satisfies("audio/x-m4a"));
        assert!(!m4a.satisfies("audio/aac"));
        assert!(!m4a.satisfies("audio/mpeg"));
        let png = DetectedFormat::Image(ImageFormat::Png);
        assert!(png.satisfies("image/png"));
        assert!(!png.satisfies("audio/mpeg"));
        assert!(!png.satisfies("not a content type"));
    }
}
