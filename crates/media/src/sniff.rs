//! Magic-byte sniffing: which format a file really is, judged from its
//! first bytes and never from its name or declared content type.
//!
//! `infer` covers the formats with a plain fixed signature (JPEG, PNG,
//! WAV, FLAC, the Ogg container). The rest is checked here because
//! `infer` is too loose or too narrow for them: its MP3 and AAC checks
//! accept any two-byte frame sync (true of about one random file in a few
//! thousand) and stop at an ID3v2 tag, its M4A check knows only one brand,
//! its Opus check assumes one page layout, and its WebP check ignores the
//! RIFF header.

use crate::adts;
use crate::format::{AudioFormat, DetectedFormat, ImageFormat};

/// How many bytes from the start of a file [`sniff`] wants. Enough for
/// every fixed signature, the Ogg and MP4 headers, several MP3 or ADTS
/// frames to confirm a frame stream, and the ID3v2 tags of files without
/// embedded pictures. Fewer bytes (a smaller file) are fine.
pub const SNIFF_LEN: usize = 16 * 1024;

/// Taggers leave zero padding or junk between an ID3v2 tag and the first
/// frame; lofty tolerates up to 1 KiB of it, and so do we.
const MAX_JUNK_AFTER_TAG: usize = 1024;

/// How many consecutive frames must agree before a frame stream is
/// believed (fewer if the head ends first).
const FRAMES_TO_CONFIRM: usize = 4;

/// Identifies the format of a file from its first bytes (ideally
/// [`SNIFF_LEN`] of them; any past that are ignored).
///
/// An ID3v2 tag can precede MP3, ADTS AAC and FLAC. When the whole tag and
/// a few bytes after it are inside `head`, those bytes decide. When the tag
/// runs past `head` (embedded cover art often makes it hundreds of KiB) the
/// answer is MP3, by far the most common case; to be exact, read
/// [`SNIFF_LEN`] bytes from offset [`id3v2_len`] and sniff those:
///
/// ```
/// # use soundstream_media::{id3v2_len, sniff, AudioFormat, DetectedFormat, SNIFF_LEN};
/// # let file: Vec<u8> = [b"ID3\x04\x00\x00\x00\x00\x00\x02\x00\x00".as_slice(), b"fLaC"].concat();
/// # let read_range = |start: u64, len: usize| -> Vec<u8> {
/// #     file.iter().skip(start as usize).take(len).copied().collect()
/// # };
/// let head = read_range(0, SNIFF_LEN);
/// let mut detected = sniff(&head);
/// if let Some(tag_len) = id3v2_len(&head).filter(|&len| len + 4 > head.len() as u64) {
///     detected = sniff(&read_range(tag_len, SNIFF_LEN)).or(detected);
/// }
/// assert_eq!(detected, Some(DetectedFormat::Audio(AudioFormat::Flac)));
/// ```
pub fn sniff(head: &[u8]) -> Option<DetectedFormat> {
    // Only the first SNIFF_LEN bytes count, however many are given, so a
    // file gets the same answer from every caller (uploads pass exactly
    // that many; covers pass the whole picture).
    let head = &head[..head.len().min(SNIFF_LEN)];
    match id3v2_len(head) {
        Some(tag_len) => sniff_after_id3v2(head, tag_len).map(DetectedFormat::Audio),
        None => sniff_untagged(head),
    }
}

/// The total length (header, body and footer) of the ID3v2 tag that
/// starts `head`, or `None` if `head` does not start with one. Needs only
/// the first 10 bytes.
pub fn id3v2_len(head: &[u8]) -> Option<u64> {
    let [b'I', b'D', b'3', major, _revision, flags, ref size @ ..] = *head.first_chunk::<10>()?
    else {
        return None;
    };
    // Versions 2.2 to 2.4 exist; the size is four 7-bit ("syncsafe") bytes.
    if !(2..=4).contains(&major) || size.iter().any(|byte| byte & 0x80 != 0) {
        return None;
    }
    let body = size
        .iter()
        .fold(0u64, |len, &byte| (len << 7) | u64::from(byte));
    let footer = if major == 4 && flags & 0x10 != 0 {
        10
    } else {
        0
    };
    Some(10 + body + footer)
}

fn sniff_untagged(head: &[u8]) -> Option<DetectedFormat> {
    use DetectedFormat::{Audio, Image};

    if infer::image::is_jpeg(head) {
        Some(Image(ImageFormat::Jpeg))
    } else if infer::image::is_png(head) {
        Some(Image(ImageFormat::Png))
    } else if head.starts_with(b"RIFF") && infer::image::is_webp(head) {
        Some(Image(ImageFormat::Webp))
    } else if infer::audio::is_wav(head) {
        Some(Audio(AudioFormat::Wav))
    } else if infer::audio::is_flac(head) {
        Some(Audio(AudioFormat::Flac))
    } else if infer::audio::is_ogg(head) {
        ogg_codec(head).map(Audio)
    } else if is_mp4_audio(head) {
        Some(Audio(AudioFormat::Mp4))
    } else {
        frame_stream(head).map(Audio)
    }
}

fn sniff_after_id3v2(head: &[u8], tag_len: u64) -> Option<AudioFormat> {
    let rest = usize::try_from(tag_len)
        .ok()
        .and_then(|start| head.get(start..))
        .unwrap_or_default();
    if rest.len() < 4 {
        // The stream under the tag is not in `head`: see `sniff`'s docs.
        return Some(AudioFormat::Mp3);
    }
    if infer::audio::is_flac(rest) {
        return Some(AudioFormat::Flac);
    }
    let junk = rest.len().min(MAX_JUNK_AFTER_TAG);
    (0..junk).find_map(|offset| frame_stream(&rest[offset..]))
}

/// Vorbis or Opus, from the identification packet in the first Ogg page.
fn ogg_codec(head: &[u8]) -> Option<AudioFormat> {
    // The page header is 27 bytes plus one lacing byte per segment; the
    // first page of a stream holds exactly the identification packet.
    let segments = usize::from(*head.get(26)?);
    let packet = head.get(27 + segments..)?;
    if packet.starts_with(b"\x01vorbis") {
        Some(AudioFormat::OggVorbis)
    } else if packet.starts_with(b"OpusHead") {
        Some(AudioFormat::Opus)
    } else {
        None
    }
}

/// An ISO base media file whose brands allow audio: iTunes' `M4A `/`M4B `
/// and the generic MP4 brands (so a video MP4 passes too; lofty reads its
/// audio track). HEIF/AVIF images and QuickTime movies use other brands.
fn is_mp4_audio(head: &[u8]) -> bool {
    const AUDIO_BRANDS: &[&[u8; 4]] = &[
        b"M4A ", b"M4B ", b"M4P ", b"mp41", b"mp42", b"isom", b"iso2", b"iso3", b"iso4", b"iso5",
        b"iso6", b"dash",
    ];
    let Some((size, rest)) = head.split_first_chunk::<4>() else {
        return false;
    };
    let Some((b"ftyp", brands)) = rest.split_first_chunk::<4>() else {
        return false;
    };
    let box_len = usize::try_from(u32::from_be_bytes(*size)).unwrap_or(usize::MAX);
    // Major brand, minor version, then the compatible brands up to the box end.
    let major = brands.get(..4);
    let compatible = brands
        .get(8..box_len.saturating_sub(8).min(brands.len()))
        .unwrap_or_default();
    major
        .into_iter()
        .chain(compatible.chunks_exact(4))
        .any(|brand| AUDIO_BRANDS.iter().any(|audio| brand == audio.as_slice()))
}

/// MP3 or ADTS AAC if `bytes` starts with a run of consistent frames.
fn frame_stream(bytes: &[u8]) -> Option<AudioFormat> {
    if is_confirmed_stream(bytes, mpeg_frame) {
        Some(AudioFormat::Mp3)
    } else if is_confirmed_stream(bytes, adts_frame) {
        Some(AudioFormat::Aac)
    } else {
        None
    }
}

/// One frame's length and the header fields that stay constant through a
/// stream.
struct Frame {
    len: usize,
    stream_key: u32,
}

/// Walks up to [`FRAMES_TO_CONFIRM`] frames; every frame header that fits
/// in `bytes` must parse and agree with the first.
fn is_confirmed_stream(bytes: &[u8], frame: fn(&[u8]) -> Option<Frame>) -> bool {
    let Some(first) = frame(bytes) else {
        return false;
    };
    let mut position = first.len;
    for _ in 1..FRAMES_TO_CONFIRM {
        // A header cut off by the end of `bytes` cannot be judged.
        let Some(next) = bytes.get(position..).filter(|next| next.len() >= 7) else {
            return true;
        };
        match frame(next) {
            Some(next) if next.stream_key == first.stream_key => position += next.len,
            _ => return false,
        }
    }
    true
}

/// An MPEG audio Layer III frame header (MPEG-1, 2 or 2.5).
fn mpeg_frame(bytes: &[u8]) -> Option<Frame> {
    const MPEG1_KBPS: [u32; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const MPEG2_KBPS: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

    let [0xFF, b1, b2, ..] = *bytes else {
        return None;
    };
    let version = (b1 >> 3) & 0b11; // 0 = 2.5, 1 = reserved, 2 = 2, 3 = 1
    let layer = (b1 >> 1) & 0b11; // 1 = Layer III
    let bitrate_index = usize::from(b2 >> 4);
    let rate_index = usize::from((b2 >> 2) & 0b11);
    if b1 & 0xE0 != 0xE0 || version == 1 || layer != 1 || rate_index == 3 {
        return None;
    }
    let base_rate = [44_100, 48_000, 32_000][rate_index];
    let (sample_rate, kbps, coefficient) = match version {
        3 => (base_rate, MPEG1_KBPS.get(bitrate_index)?, 144),
        2 => (base_rate / 2, MPEG2_KBPS.get(bitrate_index)?, 72),
        _ => (base_rate / 4, MPEG2_KBPS.get(bitrate_index)?, 72),
    };
    // Free-format streams (bitrate index 0) are vanishingly rare and unsized.
    if *kbps == 0 {
        return None;
    }
    let padding = u32::from((b2 >> 1) & 1);
    let len = usize::try_from(coefficient * kbps * 1000 / sample_rate + padding).ok()?;
    Some(Frame {
        len,
        stream_key: u32::from(b1 & 0xFE) << 8 | u32::from(b2 & 0x0C),
    })
}

fn adts_frame(bytes: &[u8]) -> Option<Frame> {
    let header = adts::Header::parse(bytes)?;
    Some(Frame {
        len: header.frame_len,
        stream_key: header.sample_rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id3v2_len_reads_the_syncsafe_size_and_footer() {
        assert_eq!(
            id3v2_len(b"ID3\x03\x00\x00\x00\x00\x02\x01"),
            Some(10 + 257)
        );
        assert_eq!(
            id3v2_len(b"ID3\x04\x00\x10\x00\x00\x00\x05"),
            Some(10 + 5 + 10)
        );
        assert_eq!(id3v2_len(b"ID3\x04\x00\x00\x00\x00\x80\x00"), None);
        assert_eq!(id3v2_len(b"ID3\x04\x00"), None);
        assert_eq!(id3v2_len(b"fLaC\x00\x00\x00\x00\x00\x00"), None);
    }

    #[test]
    fn ogg_codec_follows_the_segment_table() {
        let mut page = b"OggS\x00\x02".to_vec();
        page.resize(26, 0);
        page.extend([2, 19, 0]); // two lacing values
        page.extend(b"OpusHead");
        assert_eq!(sniff(&page), Some(DetectedFormat::Audio(AudioFormat::Opus)));
    }

    #[test]
    fn heif_images_are_not_mp4_audio() {
        let avif = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf";
        assert_eq!(sniff(avif), None);
        let m4a = b"\x00\x00\x00\x1cftypM4A \x00\x00\x02\x00M4A isomiso2";
        assert_eq!(sniff(m4a), Some(DetectedFormat::Audio(AudioFormat::Mp4)));
        let generic = b"\x00\x00\x00\x18ftypXYZ \x00\x00\x02\x00mp42";
        assert_eq!(
            sniff(generic),
            Some(DetectedFormat::Audio(AudioFormat::Mp4))
        );
    }

    #[test]
    fn a_lone_frame_sync_is_not_a_stream() {
        // Valid first MP3 header (MPEG-1 Layer III, 128 kbps, 44.1 kHz:
        // 417 bytes) followed by bytes that are not another frame.
        let mut bytes = vec![0xFF, 0xFB, 0x90, 0x00];
        bytes.resize(1000, 0x55);
        assert_eq!(sniff(&bytes), None);
        // The same header repeated every 417 bytes is a stream.
        let mut stream = Vec::new();
        for _ in 0..3 {
            stream.extend([0xFF, 0xFB, 0x90, 0x00]);
            stream.resize(stream.len() + 413, 0);
        }
        assert_eq!(
            sniff(&stream),
            Some(DetectedFormat::Audio(AudioFormat::Mp3))
        );
    }

    /// Found by the `sniff` fuzz target: an `ftyp` box whose brand list
    /// runs past [`SNIFF_LEN`] was MP4 audio or not depending on how many
    /// bytes the caller passed.
    #[test]
    fn bytes_past_the_sniff_length_do_not_count() {
        let mut bytes = b"\x00\x1c\x00\x3fftypID3\x04\x00\x04\x00\x00".to_vec();
        bytes.resize(16_980, 0);
        bytes.extend(b"M4A ");
        assert_eq!(sniff(&bytes[..SNIFF_LEN]), None);
        assert_eq!(sniff(&bytes), None);
    }

    #[test]
    fn a_tag_longer_than_the_head_means_mp3() {
        assert_eq!(
            sniff(b"ID3\x04\x00\x00\x00\x01\x00\x00"),
            Some(DetectedFormat::Audio(AudioFormat::Mp3))
        );
    }
}
