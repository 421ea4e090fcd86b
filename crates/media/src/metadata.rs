//! Tags, duration and cover art read from an audio file with lofty.
//!
//! lofty seeks to the parts it needs (headers, tags, the last Ogg page, the
//! MP4 `moov` box) and skips the audio itself, so a reader doing ranged
//! reads over object storage transfers little more than the tags and
//! covers. lofty's durations come from the container: sample-exact for
//! FLAC, WAV, Ogg Vorbis and Opus; MP3 and M4A include the encoder's
//! priming and padding (up to about 50 ms at 44.1 kHz), since lofty reads
//! neither the LAME gapless header nor MP4 edit lists. ADTS AAC is measured
//! by `adts` instead.

use std::io::{self, Read, Seek, SeekFrom};
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use lofty::config::ParseOptions;
use lofty::error::FileParseError;
use lofty::file::{FileType, TaggedFile};
use lofty::picture::{Picture, PictureType};
use lofty::prelude::*;
use lofty::probe::Probe;
use lofty::tag::Tag;

use crate::adts;
use crate::block_reader::BlockReader;
use crate::error::MediaError;
use crate::format::{AudioFormat, DetectedFormat, ImageFormat};
use crate::image::check_image;
use crate::sniff::sniff;

/// Longer than any real upload. A damaged length field (an Ogg granule
/// position, say) can make lofty compute an absurd duration; in release
/// builds its integer overflows wrap instead of panicking.
const MAX_PLAUSIBLE_DURATION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// What an audio file says about itself. Strings are trimmed; empty ones
/// and zero numbers are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioMetadata {
    pub title: Option<String>,
    pub artist: Option<String>,
    pub album: Option<String>,
    pub album_artist: Option<String>,
    pub track_number: Option<u32>,
    pub disc_number: Option<u32>,
    pub year: Option<i32>,
    /// The first genre tagged, as written ("Rock", "Bossa Nova").
    pub genre: Option<String>,
    pub duration_ms: u64,
    /// The audio's bit rate as the container states it (the average for
    /// variable rates); unknown for ADTS AAC, whose properties are not read.
    pub bit_rate_kbps: Option<u32>,
    pub sample_rate_hz: Option<u32>,
    pub cover: Option<EmbeddedPicture>,
}

/// Cover art embedded in the tags, in a format the player can show. Its
/// format comes from its bytes, not from the MIME type the tag claims.
#[derive(Clone, PartialEq, Eq)]
pub struct EmbeddedPicture {
    pub format: ImageFormat,
    pub bytes: Vec<u8>,
}

/// Covers can be megabytes; keep them out of debug output and logs.
impl std::fmt::Debug for EmbeddedPicture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedPicture")
            .field("format", &self.format)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Reads the tags, duration and cover of an audio file of a known format
/// (normally the one [`sniff`](crate::sniff()) found), from the start of
/// `reader`.
///
/// `reader` must be able to seek from the end (lofty needs the file
/// length) and may be naive, one request per `read`: reads reach it as
/// aligned 16 KiB blocks, cached, so lofty's back-and-forth costs about one
/// request per region it touches, and a large read (a cover) passes
/// through whole. At and past the end, `read` should return `Ok(0)`.
///
/// A file with damaged tags but sound audio yields its duration with every
/// tag `None`: browsers play it all the same, and the uploader can type the
/// tags. A panic inside lofty on hostile input becomes
/// [`MediaError::Unreadable`] (under the default `panic = "unwind"`).
pub fn read_audio_metadata<R: Read + Seek>(
    reader: R,
    format: AudioFormat,
) -> Result<AudioMetadata, MediaError> {
    let mut reader = BlockReader::new(reader);
    let tagged_file = match parse(&mut reader, format, true) {
        Ok(file) => file,
        // A damaged tag should not cost the upload; if the audio is bad
        // too, the first error (with the tags) says more.
        Err(first @ Failure::Invalid(_)) => match parse(&mut reader, format, false) {
            Ok(file) => file,
            Err(Failure::Invalid(_)) => return Err(first.into_error(format)),
            Err(io) => return Err(io.into_error(format)),
        },
        Err(io) => return Err(io.into_error(format)),
    };

    let duration = match format {
        AudioFormat::Aac => adts::duration(&mut reader)
            .map_err(|error| Failure::from_io(&error).into_error(format))?
            .unwrap_or_default(),
        _ => tagged_file.properties().duration(),
    };
    if duration.is_zero() {
        return Err(MediaError::Unreadable {
            format,
            reason: "it contains no audio".to_owned(),
        });
    }
    if duration > MAX_PLAUSIBLE_DURATION {
        return Err(MediaError::Unreadable {
            format,
            reason: "its length fields are inconsistent".to_owned(),
        });
    }
    Ok(metadata_from(&tagged_file, duration))
}

/// Why lofty could not read a file.
enum Failure {
    /// The reader failed.
    Io(io::Error),
    /// The bytes are at fault; the text says how.
    Invalid(String),
}

impl Failure {
    fn from_io(error: &io::Error) -> Failure {
        match error.kind() {
            io::ErrorKind::UnexpectedEof => {
                Failure::Invalid("the file ends too early; it may be truncated".to_owned())
            }
            // A seek before the start, from a bogus size field.
            io::ErrorKind::InvalidInput => {
                Failure::Invalid("a size inside it points outside the file".to_owned())
            }
            io::ErrorKind::InvalidData => Failure::Invalid(error.to_string()),
            kind => Failure::Io(io::Error::new(kind, error.to_string())),
        }
    }

    fn from_lofty(error: &FileParseError) -> Failure {
        // lofty's own message only names the format ("failed to parse Mpeg
        // file"); the sources say what is wrong.
        let mut reasons = Vec::new();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            if let Some(io_error) = cause.downcast_ref::<io::Error>() {
                return Failure::from_io(io_error);
            }
            reasons.push(cause.to_string());
            source = cause.source();
        }
        reasons.dedup();
        if reasons.is_empty() {
            Failure::Invalid(error.to_string())
        } else {
            Failure::Invalid(reasons.join(": "))
        }
    }

    fn into_error(self, format: AudioFormat) -> MediaError {
        match self {
            Failure::Io(source) => MediaError::Io { format, source },
            Failure::Invalid(reason) => MediaError::Unreadable { format, reason },
        }
    }
}

fn parse<R: Read + Seek>(
    reader: &mut R,
    format: AudioFormat,
    read_tags: bool,
) -> Result<TaggedFile, Failure> {
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|error| Failure::from_io(&error))?;
    // lofty's ADTS duration walks every frame of the file; ours reads a
    // bounded prefix (see `adts`).
    let options = ParseOptions::new()
        .read_tags(read_tags)
        .read_properties(format != AudioFormat::Aac);
    // lofty has panicked on fuzzed files (an integer overflow in the Opus
    // reader); a bad upload must be an error, not a crashed worker.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        Probe::with_file_type(&mut *reader, file_type(format))
            .options(options)
            .read()
    }));
    match outcome {
        Ok(Ok(file)) => Ok(file),
        Ok(Err(error)) => Err(Failure::from_lofty(&error)),
        Err(_panic) => Err(Failure::Invalid("its structure is inconsistent".to_owned())),
    }
}

const fn file_type(format: AudioFormat) -> FileType {
    match format {
        AudioFormat::Mp3 => FileType::Mpeg,
        AudioFormat::Mp4 => FileType::Mp4,
        AudioFormat::Aac => FileType::Aac,
        AudioFormat::OggVorbis => FileType::Vorbis,
        AudioFormat::Opus => FileType::Opus,
        AudioFormat::Flac => FileType::Flac,
        AudioFormat::Wav => FileType::Wav,
    }
}

fn metadata_from(file: &TaggedFile, duration: Duration) -> AudioMetadata {
    // The format's own tag first (ID3v2 for MP3, Vorbis comments for FLAC…),
    // then any others (ID3v1, APE) for the fields it lacks.
    let primary = file.primary_tag_type();
    let properties = file.properties();
    let mut tags: Vec<&Tag> = file.tags().iter().collect();
    tags.sort_by_key(|tag| tag.tag_type() != primary);

    let text = |field: fn(&Tag) -> Option<String>| tags.iter().find_map(|tag| field(tag));
    let number = |field: fn(&Tag) -> Option<u32>| {
        tags.iter()
            .find_map(|tag| field(tag).filter(|&number| number > 0))
    };

    AudioMetadata {
        title: text(|tag| cleaned(tag.title())),
        artist: text(|tag| cleaned(tag.artist())),
        album: text(|tag| cleaned(tag.album())),
        album_artist: text(|tag| cleaned(tag.get_string(ItemKey::AlbumArtist))),
        track_number: number(Tag::track),
        disc_number: number(Tag::disk),
        year: tags.iter().find_map(|tag| year(tag)),
        genre: text(|tag| first_value(tag.genre())),
        duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        bit_rate_kbps: properties.audio_bitrate().filter(|&rate| rate > 0),
        sample_rate_hz: properties.sample_rate().filter(|&rate| rate > 0),
        cover: cover(&tags),
    }
}

fn cleaned(value: Option<impl AsRef<str>>) -> Option<String> {
    let value = value?;
    // ID3v2 pads and separates with NULs.
    let trimmed = value
        .as_ref()
        .trim_matches(|c: char| c.is_whitespace() || c == '\0');
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// The first of the values ID3v2.4 separates with NULs ("Rock\0Pop").
fn first_value(value: Option<impl AsRef<str>>) -> Option<String> {
    let value = value?;
    value
        .as_ref()
        .split('\0')
        .find_map(|part| cleaned(Some(part)))
}

fn year(tag: &Tag) -> Option<i32> {
    // `date` reads the recording date or year; release dates are the fallback.
    let from_date = tag.date().map(|date| i32::from(date.year));
    let from_release = || {
        [ItemKey::ReleaseDate, ItemKey::OriginalReleaseDate]
            .into_iter()
            .find_map(|key| leading_year(tag.get_string(key)?))
    };
    from_date.filter(|&year| year > 0).or_else(from_release)
}

/// The year of a date written `YYYY`, `YYYY-MM-DD` or the like.
fn leading_year(date: &str) -> Option<i32> {
    let digits = date.trim().get(..4)?;
    if !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits.parse().ok()?;
    (year > 0).then_some(year)
}

/// The front cover if there is one in a supported format and size, else
/// the first such picture of any type (LAME and MP4 files rarely set the
/// type).
fn cover(tags: &[&Tag]) -> Option<EmbeddedPicture> {
    let pictures = || tags.iter().flat_map(|tag| tag.pictures());
    let supported = |picture: &Picture| {
        let format = sniff(picture.data()).and_then(DetectedFormat::image)?;
        // A picture too large to show safely is no cover at all.
        check_image(format, picture.data()).ok()?;
        Some(EmbeddedPicture {
            format,
            bytes: picture.data().to_vec(),
        })
    };
    pictures()
        .filter(|picture| picture.pic_type() == PictureType::CoverFront)
        .find_map(supported)
        .or_else(|| pictures().find_map(supported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_year_takes_four_digits_at_the_start() {
        assert_eq!(leading_year("1999-06-12"), Some(1999));
        assert_eq!(leading_year(" 2021 "), Some(2021));
        assert_eq!(leading_year("0000"), None);
        assert_eq!(leading_year("99"), None);
        assert_eq!(leading_year("June 1999"), None);
        assert_eq!(leading_year("ñ999"), None);
    }

    #[test]
    fn cleaned_trims_and_drops_empty_strings() {
        assert_eq!(cleaned(Some(" Canción \0")), Some("Canción".to_owned()));
        assert_eq!(cleaned(Some(" \0 ")), None);
        assert_eq!(cleaned(None::<&str>), None);
    }
}
