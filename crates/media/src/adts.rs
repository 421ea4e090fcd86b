//! Raw AAC in ADTS frames: the frame header, and the stream's duration.
//!
//! ADTS has no index or frame count. lofty walks every frame of the file
//! (over ranged reads, a request per 16 KiB block, the whole file) and
//! then divides by a bitrate averaged in whole kbit/s, which put the 2.5 s
//! fixture at 2.68 s. We count the frames in the first [`SCAN_LEN`] bytes
//! instead: exact for a file that short, and extrapolated from the
//! average frame size beyond (a 3-minute 128 kbit/s test file came out
//! 0.7% long, as its encoder's first seconds are not quite typical).

use std::io::{self, Read, Seek, SeekFrom};
use std::time::Duration;

use crate::sniff::id3v2_len;

/// How much of the stream is walked; about 16 s of 128 kbit/s audio.
pub(crate) const SCAN_LEN: u64 = 256 * 1024;

/// The sampling frequencies an ADTS header can index.
const SAMPLE_RATES: [u32; 13] = [
    96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000,
    7_350,
];

/// Junk (zero padding after a tag, mostly) skipped before the first frame.
const MAX_JUNK: usize = 1024;

/// The fields of an ADTS frame header that matter here.
pub(crate) struct Header {
    pub(crate) sample_rate: u32,
    /// The whole frame, header included.
    pub(crate) frame_len: usize,
    pub(crate) samples: u32,
}

impl Header {
    /// Parses the fixed and variable header at the start of `bytes`.
    pub(crate) fn parse(bytes: &[u8]) -> Option<Header> {
        let [0xFF, b1, b2, b3, b4, b5, b6, ..] = *bytes else {
            return None;
        };
        // 12-bit sync, then the layer, which is always 0 in ADTS.
        if b1 & 0xF6 != 0xF0 {
            return None;
        }
        let sample_rate = *SAMPLE_RATES.get(usize::from((b2 >> 2) & 0x0F))?;
        let header_len = if b1 & 1 == 1 { 7 } else { 9 }; // 9 with a CRC
        let frame_len = usize::from(b3 & 0b11) << 11 | usize::from(b4) << 3 | usize::from(b5 >> 5);
        if frame_len <= header_len {
            return None;
        }
        Some(Header {
            sample_rate,
            frame_len,
            samples: 1024 * (u32::from(b6 & 0b11) + 1),
        })
    }
}

/// The duration of the ADTS stream in `reader` (which may start with an
/// ID3v2 tag and end with an ID3v1 tag), or `None` if no frames are found.
pub(crate) fn duration<R: Read + Seek>(reader: &mut R) -> io::Result<Option<Duration>> {
    let mut tag_header = Vec::with_capacity(10);
    reader.seek(SeekFrom::Start(0))?;
    reader.by_ref().take(10).read_to_end(&mut tag_header)?;
    let start = id3v2_len(&tag_header).unwrap_or(0);

    let mut end = reader.seek(SeekFrom::End(0))?;
    if end >= start + 128 {
        let mut id3v1 = [0; 3];
        reader.seek(SeekFrom::Start(end - 128))?;
        reader.read_exact(&mut id3v1)?;
        if &id3v1 == b"TAG" {
            end -= 128;
        }
    }
    let Some(stream_len) = end.checked_sub(start).filter(|&len| len > 0) else {
        return Ok(None);
    };

    let mut scanned = Vec::new();
    reader.seek(SeekFrom::Start(start))?;
    reader
        .by_ref()
        .take(stream_len.min(SCAN_LEN))
        .read_to_end(&mut scanned)?;

    let Some(first) = (0..scanned.len().min(MAX_JUNK))
        .find(|&offset| Header::parse(&scanned[offset..]).is_some())
    else {
        return Ok(None);
    };
    let (mut position, mut samples, mut sample_rate) = (first, 0u64, 0);
    while let Some(header) = scanned.get(position..).and_then(Header::parse) {
        if position + header.frame_len > scanned.len() {
            break;
        }
        position += header.frame_len;
        samples += u64::from(header.samples);
        sample_rate = header.sample_rate;
    }
    let walked = (position - first) as u64;
    if samples == 0 || walked == 0 {
        return Ok(None);
    }
    let frames_len = stream_len - first as u64;
    // Stopped early (scan limit, or damage): extrapolate at the same density.
    let total_samples = if walked < frames_len {
        u128::from(samples) * u128::from(frames_len) / u128::from(walked)
    } else {
        u128::from(samples)
    };
    let millis = (total_samples * 1000 + u128::from(sample_rate / 2)) / u128::from(sample_rate);
    Ok(Some(Duration::from_millis(
        u64::try_from(millis).unwrap_or(u64::MAX),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// An ADTS frame (MPEG-4, no CRC, 44.1 kHz, mono) of `len` bytes.
    fn frame(len: usize) -> Vec<u8> {
        let mut frame = vec![
            0xFF,
            0xF1,
            0x50, // AAC LC, 44.1 kHz (index 4)
            0x40 | ((len >> 11) & 0b11) as u8,
            ((len >> 3) & 0xFF) as u8,
            (((len & 0b111) << 5) as u8) | 0x1F,
            0xFC,
        ];
        frame.resize(len, 0);
        frame
    }

    #[test]
    fn a_short_stream_is_counted_frame_by_frame() {
        // A tiny first frame would fool a bitrate estimate; counting does not.
        let mut stream = frame(20);
        for _ in 0..99 {
            stream.extend(frame(300));
        }
        let duration = duration(&mut Cursor::new(stream)).unwrap_or_default();
        // 100 frames of 1024 samples at 44.1 kHz.
        assert_eq!(duration, Some(Duration::from_millis(2322)));
    }

    #[test]
    fn a_long_stream_is_extrapolated_from_the_scanned_frames() {
        let frames = (SCAN_LEN as usize / 300) * 4;
        let stream: Vec<u8> = (0..frames).flat_map(|_| frame(300)).collect();
        let exact = frames as u64 * 1024 * 1000 / 44_100;
        let measured = duration(&mut Cursor::new(stream))
            .unwrap_or_default()
            .map(|duration| duration.as_millis() as u64);
        assert!(
            measured.is_some_and(|ms| ms.abs_diff(exact) <= 30),
            "{measured:?} vs {exact}"
        );
    }

    #[test]
    fn no_frames_means_no_duration() {
        let duration = duration(&mut Cursor::new(vec![0x55; 4096])).unwrap_or_default();
        assert_eq!(duration, None);
    }
}
