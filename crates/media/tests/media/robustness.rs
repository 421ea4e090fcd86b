//! Broken, hostile and foreign input: always a clean error, never a panic.

use std::io::{self, Cursor, Read, Seek, SeekFrom};

use soundstream_media::{AudioFormat, MediaError, read_audio_metadata};

use crate::{Noise, fixture};

const AUDIO_FIXTURES: [(&str, AudioFormat); 7] = [
    ("tone.mp3", AudioFormat::Mp3),
    ("tone.m4a", AudioFormat::Mp4),
    ("tone.aac", AudioFormat::Aac),
    ("tone.ogg", AudioFormat::OggVorbis),
    ("tone.opus", AudioFormat::Opus),
    ("tone.flac", AudioFormat::Flac),
    ("tone.wav", AudioFormat::Wav),
];

fn read_bytes(bytes: Vec<u8>, format: AudioFormat) -> Result<u64, MediaError> {
    read_audio_metadata(Cursor::new(bytes), format).map(|metadata| metadata.duration_ms)
}

fn assert_unreadable(result: Result<u64, MediaError>, format: AudioFormat) {
    match result {
        Err(error @ MediaError::Unreadable { .. }) => {
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("not a readable {format} file: ")),
                "{message}"
            );
        }
        other => panic!("{format}: expected Unreadable, got {other:?}"),
    }
}

#[test]
fn an_mp3_cut_inside_its_tag_is_unreadable() {
    assert_unreadable(
        read_bytes(fixture("truncated.mp3"), AudioFormat::Mp3),
        AudioFormat::Mp3,
    );
}

#[test]
fn an_id3v2_tag_over_no_audio_is_unreadable() {
    assert_unreadable(
        read_bytes(fixture("garbage-after-tag.mp3"), AudioFormat::Mp3),
        AudioFormat::Mp3,
    );
}

#[test]
fn a_png_read_as_any_audio_format_is_unreadable() {
    for (_, format) in AUDIO_FIXTURES {
        assert_unreadable(read_bytes(fixture("not-audio.mp3"), format), format);
    }
}

#[test]
fn an_empty_file_is_unreadable() {
    for (_, format) in AUDIO_FIXTURES {
        assert_unreadable(read_bytes(Vec::new(), format), format);
    }
}

#[test]
fn random_bytes_are_unreadable_in_every_format() {
    let mut noise = Noise::new(0xBAD_5EED);
    for (_, format) in AUDIO_FIXTURES {
        for _ in 0..100 {
            let len = noise.below(8192);
            assert_unreadable(read_bytes(noise.bytes(len), format), format);
        }
    }
}

/// Truncations and byte flips may or may not leave a readable file, but
/// must never panic, and a file cut within its first bytes is unreadable.
#[test]
fn truncated_and_mutated_fixtures_never_panic() {
    let mut noise = Noise::new(0xF1A5);
    for (name, format) in AUDIO_FIXTURES {
        let original = fixture(name);
        for len in (0..original.len()).step_by(61) {
            let result = read_bytes(original[..len].to_vec(), format);
            if len < 16 {
                assert_unreadable(result, format);
            }
        }
        for _ in 0..300 {
            let mut mutated = original.clone();
            for _ in 0..=noise.below(4) {
                let at = noise.below(mutated.len());
                mutated[at] = noise.next_u64() as u8;
            }
            let _ = read_bytes(mutated, format);
        }
    }
}

/// A huge granule position on the last Ogg page overflows lofty's Opus
/// duration arithmetic: a panic in debug builds, a wrapped (absurd)
/// duration in release builds. Both must come out as a clean error.
#[test]
fn an_absurd_opus_granule_position_is_unreadable() {
    let mut opus = fixture("tone.opus");
    let last_page = opus
        .windows(4)
        .rposition(|window| window == b"OggS")
        .expect("tone.opus has pages");
    // The 64-bit little-endian granule position starts at byte 6 of a page.
    opus[last_page + 6 + 6] = 0xC5;
    assert_unreadable(read_bytes(opus, AudioFormat::Opus), AudioFormat::Opus);
}

/// Fails every read after the first `budget` bytes, like a storage outage.
struct Failing {
    inner: Cursor<Vec<u8>>,
    budget: usize,
}

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "storage went away",
            ));
        }
        let len = buf.len().min(self.budget);
        let read = self.inner.read(&mut buf[..len])?;
        self.budget -= read;
        Ok(read)
    }
}

impl Seek for Failing {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}

#[test]
fn a_failing_reader_is_an_io_error_not_a_bad_file() {
    for (name, format) in AUDIO_FIXTURES {
        let reader = Failing {
            inner: Cursor::new(fixture(name)),
            budget: 100,
        };
        match read_audio_metadata(reader, format) {
            Err(MediaError::Io { source, .. }) => {
                assert_eq!(source.kind(), io::ErrorKind::ConnectionReset, "{name}");
            }
            other => panic!("{name}: expected Io, got {other:?}"),
        }
    }
}
