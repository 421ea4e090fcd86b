//! The radio's arithmetic, free of I/O: the seeded shuffle, the frame
//! clock of MP3 at 44.1 kHz, where a schedule epoch stands at an instant,
//! MPEG audio frame headers, and ICY metadata blocks.
//!
//! Everything here is a pure function of its arguments, which is what lets
//! every instance compute the same schedule and send the same bytes.

use soundstream_media::mpeg;

/// Samples per MPEG-1 Layer III frame.
pub const SAMPLES_PER_FRAME: i64 = 1152;
/// The sample rate of the `mp3-128` renditions.
pub const SAMPLE_RATE: i64 = 44_100;

/// When frame `frame` of an epoch starts, in milliseconds after the epoch
/// start (1152 / 44 100 s = 26.122… ms per frame, rounded down).
pub fn frame_offset_ms(frame: i64) -> i64 {
    frame * SAMPLES_PER_FRAME * 1000 / SAMPLE_RATE
}

/// The frame playing `elapsed_ms` after an epoch start: the last one whose
/// [`frame_offset_ms`] is not after it.
pub fn frame_at(elapsed_ms: i64) -> i64 {
    let mut frame = elapsed_ms.max(0) * SAMPLE_RATE / (SAMPLES_PER_FRAME * 1000);
    while frame_offset_ms(frame + 1) <= elapsed_ms {
        frame += 1;
    }
    while frame > 0 && frame_offset_ms(frame) > elapsed_ms {
        frame -= 1;
    }
    frame
}

/// A song's length in whole frames, from its duration (at least one).
pub fn frames_for_duration(duration_ms: i64) -> i64 {
    ((duration_ms.max(0) * SAMPLE_RATE + SAMPLES_PER_FRAME * 500) / (SAMPLES_PER_FRAME * 1000))
        .max(1)
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a fixed, documented generator,
/// so a seed shuffles the same on every instance and every release (the
/// `rand` crate does not promise its algorithms).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (Lemire's multiply-shift; the tiny bias of
    /// skipping rejection does not matter for a play order).
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(bound)) >> 64) as u64
    }
}

/// Fisher–Yates with [`SplitMix64`] seeded by `seed`.
pub fn seeded_shuffle<T>(items: &mut [T], seed: i64) {
    let mut random = SplitMix64(seed as u64);
    for i in (1..items.len()).rev() {
        let j = random.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// Where an epoch stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Index into the epoch's songs.
    pub index: usize,
    /// The song's first frame, counted from the epoch start.
    pub first_frame: i64,
    /// The frame playing, counted from the song's start.
    pub frame_in_song: i64,
}

/// The song of an epoch (songs of `frames` frames each, cycling) playing
/// `elapsed_ms` after it started; `None` when it has no songs.
pub fn slot_at(frames: &[i64], elapsed_ms: i64) -> Option<Slot> {
    let total: i64 = frames.iter().sum();
    if total <= 0 {
        return None;
    }
    let frame = frame_at(elapsed_ms);
    let cycle_start = frame - frame.rem_euclid(total);
    let mut within = frame.rem_euclid(total);
    let mut first_frame = cycle_start;
    for (index, &length) in frames.iter().enumerate() {
        if within < length {
            return Some(Slot {
                index,
                first_frame,
                frame_in_song: within,
            });
        }
        within -= length;
        first_frame += length;
    }
    None
}

/// The length in bytes of the MPEG-1 Layer III 44.1 kHz frame whose
/// header starts `bytes` (the grid the schedule counts in), or `None`.
pub fn mp3_frame_length(bytes: &[u8]) -> Option<usize> {
    mpeg::frame_header(bytes)
        .filter(|header| header.sample_rate == 44_100 && header.samples == 1152)
        .map(|header| header.len)
}

/// Whether the frame is a Xing/Info header (LAME's first frame), which
/// carries no audio.
pub use mpeg::is_info_frame;

/// One frame of silence at 128 kbit/s, 44.1 kHz, stereo: a header and
/// all-zero side information (no main data), 417 bytes. Fills a slot
/// whose song cannot be read, so the stream keeps time.
pub fn silent_frame() -> Vec<u8> {
    let mut frame = vec![0u8; 417];
    frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
    frame
}

/// Audio bytes between ICY metadata blocks (Icecast's usual interval).
pub const ICY_METAINT: usize = 16_000;

/// An ICY metadata block: a length byte (×16) and
/// `StreamTitle='…';` padded with NULs. Quotes become typographic ones
/// (players do not agree on any escape) and the title is cut to fit the
/// 4080 bytes a block can hold.
pub fn icy_metadata(title: &str) -> Vec<u8> {
    let clean: String = title
        .chars()
        .map(|c| match c {
            '\'' => '’',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut text = clean.as_str();
    while text.len() > 4000 {
        let mut end = 4000.min(text.len() - 1);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text = &text[..end];
    }
    let body = format!("StreamTitle='{text}';");
    let blocks = body.len().div_ceil(16);
    let mut block = Vec::with_capacity(1 + blocks * 16);
    block.push(u8::try_from(blocks).unwrap_or(u8::MAX));
    block.extend_from_slice(body.as_bytes());
    block.resize(1 + blocks * 16, 0);
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_clock_inverts_itself() {
        for frame in 0..10_000 {
            let at = frame_offset_ms(frame);
            assert_eq!(frame_at(at), frame);
            assert_eq!(frame_at(frame_offset_ms(frame + 1) - 1), frame);
        }
        assert_eq!(frame_offset_ms(44_100), 1_152_000);
    }

    #[test]
    fn a_seed_always_shuffles_the_same_way() {
        let mut items: Vec<u32> = (0..10).collect();
        seeded_shuffle(&mut items, 42);
        // Pinned: a change here changes every station's schedule.
        assert_eq!(items, vec![8, 3, 6, 5, 4, 0, 9, 2, 1, 7]);
        let mut again: Vec<u32> = (0..10).collect();
        seeded_shuffle(&mut again, 42);
        assert_eq!(items, again);
    }

    #[test]
    fn slots_cycle_through_the_songs() {
        let frames = [10, 20, 5];
        let at = |frame| slot_at(&frames, frame_offset_ms(frame)).expect("slot");
        assert_eq!(at(0).index, 0);
        assert_eq!(at(10).index, 1);
        assert_eq!(at(29).frame_in_song, 19);
        assert_eq!(at(34).index, 2);
        let wrapped = at(35 + 12);
        assert_eq!(
            (wrapped.index, wrapped.first_frame, wrapped.frame_in_song),
            (1, 45, 2)
        );
        assert_eq!(slot_at(&[], 1000), None);
    }

    #[test]
    fn icy_blocks_are_padded_to_sixteen_bytes() {
        let block = icy_metadata("Artist - It's");
        assert_eq!(usize::from(block[0]) * 16 + 1, block.len());
        let text = String::from_utf8_lossy(&block[1..]);
        assert!(text.starts_with("StreamTitle='Artist - It’s';"), "{text}");
    }

    #[test]
    fn silence_is_a_valid_frame() {
        let frame = silent_frame();
        assert_eq!(mp3_frame_length(&frame), Some(frame.len()));
        assert!(!is_info_frame(&frame));
    }
}
