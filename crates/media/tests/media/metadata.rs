//! Tags, duration and cover of every audio fixture.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

use soundstream_media::{AudioFormat, AudioMetadata, ImageFormat, read_audio_metadata};

use crate::{TONE_MS, fixture, fixture_path};

/// The tags each fixture was written with (see `scripts/make-audio-fixtures`).
struct Expected {
    title: &'static str,
    artist: &'static str,
    album: &'static str,
    album_artist: Option<&'static str>,
    track_number: u32,
    disc_number: Option<u32>,
    year: i32,
    cover: Option<(ImageFormat, &'static str)>,
}

fn read(name: &str, format: AudioFormat) -> AudioMetadata {
    let file = File::open(fixture_path(name)).expect("fixtures are committed");
    read_audio_metadata(file, format).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn assert_metadata(name: &str, format: AudioFormat, expected: &Expected) {
    let metadata = read(name, format);
    assert!(
        metadata.duration_ms.abs_diff(TONE_MS) <= 50,
        "{name}: duration {} ms",
        metadata.duration_ms
    );
    assert_eq!(metadata.title.as_deref(), Some(expected.title), "{name}");
    assert_eq!(metadata.artist.as_deref(), Some(expected.artist), "{name}");
    assert_eq!(metadata.album.as_deref(), Some(expected.album), "{name}");
    assert_eq!(
        metadata.album_artist.as_deref(),
        expected.album_artist,
        "{name}"
    );
    assert_eq!(metadata.track_number, Some(expected.track_number), "{name}");
    assert_eq!(metadata.disc_number, expected.disc_number, "{name}");
    assert_eq!(metadata.year, Some(expected.year), "{name}");
    match (&metadata.cover, expected.cover) {
        (None, None) => {}
        (Some(cover), Some((format, image))) => {
            assert_eq!(cover.format, format, "{name}");
            assert!(
                cover.bytes == fixture(image),
                "{name}: cover is not {image}"
            );
        }
        (cover, expected) => panic!("{name}: cover {cover:?}, expected {expected:?}"),
    }
}

#[test]
fn mp3_with_id3v2_utf16_tags_and_an_untyped_jpeg_cover() {
    assert_metadata(
        "tone.mp3",
        AudioFormat::Mp3,
        &Expected {
            title: "Canción de prueba",
            artist: "Beyoncé",
            album: "Álbum MP3",
            album_artist: Some("Varios Artistas"),
            track_number: 3,
            disc_number: Some(1),
            year: 2021,
            cover: Some((ImageFormat::Jpeg, "cover.jpg")),
        },
    );
}

#[test]
fn flac_prefers_the_front_cover_over_an_earlier_back_cover() {
    assert_metadata(
        "tone.flac",
        AudioFormat::Flac,
        &Expected {
            title: "Ñandú",
            artist: "Sigur Rós",
            album: "Ágætis byrjun",
            album_artist: Some("Sigur Rós"),
            track_number: 7,
            disc_number: Some(2),
            year: 1999,
            cover: Some((ImageFormat::Png, "cover.png")),
        },
    );
}

#[test]
fn ogg_vorbis_with_a_webp_cover_and_a_padded_album() {
    assert_metadata(
        "tone.ogg",
        AudioFormat::OggVorbis,
        &Expected {
            title: "Café del Mar",
            artist: "Mø",
            album: "Vorbis ñ",
            album_artist: Some("Various"),
            track_number: 5,
            disc_number: Some(1),
            year: 2010,
            cover: Some((ImageFormat::Webp, "cover.webp")),
        },
    );
}

#[test]
fn opus_with_a_jpeg_cover_and_a_blank_album_artist() {
    assert_metadata(
        "tone.opus",
        AudioFormat::Opus,
        &Expected {
            title: "Déjà vu",
            artist: "Björk",
            album: "Opus über",
            album_artist: None,
            track_number: 9,
            disc_number: Some(3),
            year: 2015,
            cover: Some((ImageFormat::Jpeg, "cover.jpg")),
        },
    );
}

#[test]
fn m4a_with_ilst_tags_and_a_png_cover() {
    assert_metadata(
        "tone.m4a",
        AudioFormat::Mp4,
        &Expected {
            title: "Señorita",
            artist: "Rosalía",
            album: "M4A Ñ",
            album_artist: Some("Rosalía"),
            track_number: 4,
            disc_number: Some(1),
            year: 2018,
            cover: Some((ImageFormat::Png, "cover.png")),
        },
    );
}

#[test]
fn adts_aac_behind_an_id3v2_tag() {
    assert_metadata(
        "tone.aac",
        AudioFormat::Aac,
        &Expected {
            title: "Adiós",
            artist: "Zoë",
            album: "ADTS",
            album_artist: None,
            track_number: 2,
            disc_number: None,
            year: 2012,
            cover: None,
        },
    );
}

#[test]
fn wav_with_riff_info_tags() {
    assert_metadata(
        "tone.wav",
        AudioFormat::Wav,
        &Expected {
            title: "Canción WAV",
            artist: "Beyoncé",
            album: "Ondas",
            album_artist: None,
            track_number: 1,
            disc_number: None,
            year: 2020,
            cover: None,
        },
    );
}

#[test]
fn damaged_tags_still_give_the_duration() {
    // An invalid text encoding byte in the title frame makes lofty reject
    // the whole ID3v2 tag.
    let mut mp3 = fixture("tone.mp3");
    let title = mp3
        .windows(4)
        .position(|window| window == b"TIT2")
        .expect("tone.mp3 has a title frame");
    mp3[title + 10] = 0x09;
    let metadata = read_audio_metadata(Cursor::new(mp3), AudioFormat::Mp3)
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(metadata.duration_ms.abs_diff(TONE_MS) <= 50);
    assert_eq!(metadata.title, None);
    assert_eq!(metadata.cover, None);
}

/// Counts the reads and bytes, as requests and transfer of a ranged-read
/// adapter.
struct Counting<R> {
    inner: R,
    reads: usize,
    bytes_read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.reads += 1;
        self.bytes_read += read as u64;
        Ok(read)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}

/// A file of `len` bytes: `prefix`, then zeros, without holding the zeros.
struct Sparse {
    prefix: Vec<u8>,
    len: u64,
    position: u64,
}

impl Read for Sparse {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let remaining = self.len.saturating_sub(self.position);
        let n = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        for (offset, byte) in buf[..n].iter_mut().enumerate() {
            let at = self.position + offset as u64;
            *byte = usize::try_from(at)
                .ok()
                .and_then(|at| self.prefix.get(at))
                .copied()
                .unwrap_or(0);
        }
        self.position += n as u64;
        Ok(n)
    }
}

impl Seek for Sparse {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        let target = match position {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        self.position = target.ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        Ok(self.position)
    }
}

fn wav_header(data_len: u32) -> Vec<u8> {
    let mut header = Vec::new();
    header.extend(b"RIFF");
    header.extend((data_len + 36).to_le_bytes());
    header.extend(b"WAVEfmt ");
    header.extend(16u32.to_le_bytes());
    // PCM, mono, 8 kHz, 8000 bytes/s, block align 1, 8 bits.
    header.extend([1, 0, 1, 0]);
    header.extend(8000u32.to_le_bytes());
    header.extend(8000u32.to_le_bytes());
    header.extend([1, 0, 8, 0]);
    header.extend(b"data");
    header.extend(data_len.to_le_bytes());
    header
}

/// 100 MB files: reading the tags and duration must not read the audio,
/// nor make a request per small read of lofty's.
#[test]
fn a_large_file_is_read_only_where_lofty_needs_it() {
    const LEN: u32 = 100_000_000;
    let cases = [
        // 3.5 hours of 8 kHz 8-bit PCM.
        (
            wav_header(LEN - 44),
            AudioFormat::Wav,
            u64::from(LEN - 44) / 8,
        ),
        // The fixtures' headers, then padding lofty never needs to read.
        (fixture("tone.mp3"), AudioFormat::Mp3, TONE_MS),
        (fixture("tone.flac"), AudioFormat::Flac, TONE_MS),
    ];
    for (prefix, format, duration_ms) in cases {
        let mut file = Sparse {
            prefix,
            len: u64::from(LEN),
            position: 0,
        };
        let mut counting = Counting {
            inner: &mut file,
            reads: 0,
            bytes_read: 0,
        };

        let metadata = read_audio_metadata(&mut counting, format)
            .unwrap_or_else(|error| panic!("{format}: {error}"));

        assert!(
            metadata.duration_ms.abs_diff(duration_ms) <= 50,
            "{format}: {} ms",
            metadata.duration_ms
        );
        assert!(
            counting.bytes_read <= 64 * 1024 && counting.reads <= 4,
            "{format}: {} reads, {} bytes",
            counting.reads,
            counting.bytes_read
        );
    }
}

#[test]
fn sample_rates_and_bit_rates_come_from_the_container() {
    let flac = read("tone.flac", AudioFormat::Flac);
    assert_eq!(flac.sample_rate_hz, Some(8_000));
    assert!(
        flac.bit_rate_kbps
            .is_some_and(|kbps| kbps > 0 && kbps < 128)
    );
    let vorbis = read("tone.ogg", AudioFormat::OggVorbis);
    assert_eq!(vorbis.sample_rate_hz, Some(22_050));
    let m4a = read("tone.m4a", AudioFormat::Mp4);
    assert_eq!(m4a.sample_rate_hz, Some(44_100));
    // Encoded at 24 kbit/s.
    assert!(
        m4a.bit_rate_kbps
            .is_some_and(|kbps| (16..=32).contains(&kbps)),
        "{:?}",
        m4a.bit_rate_kbps
    );
    // ADTS properties are not read (its duration is measured apart).
    let aac = read("tone.aac", AudioFormat::Aac);
    assert_eq!((aac.bit_rate_kbps, aac.sample_rate_hz), (None, None));
}

#[test]
fn the_tagged_genre_is_read_and_trimmed() {
    use lofty::config::WriteOptions;
    use lofty::prelude::*;
    use lofty::probe::Probe;

    // The fixtures carry no genre: one is written into a copy.
    let mut file = Cursor::new(crate::fixture("tone.flac"));
    let mut tagged = Probe::new(&mut file)
        .guess_file_type()
        .expect("probe")
        .read()
        .expect("a FLAC file");
    let tag = tagged.primary_tag_mut().expect("Vorbis comments");
    tag.set_genre(" Bossa Nova \0Jazz".to_owned());
    file.set_position(0);
    tag.save_to(&mut file, WriteOptions::default())
        .expect("tag written");
    file.set_position(0);

    let metadata = read_audio_metadata(file, AudioFormat::Flac).expect("readable");

    assert_eq!(metadata.genre.as_deref(), Some("Bossa Nova"));
    assert_eq!(read("tone.flac", AudioFormat::Flac).genre, None);
}
