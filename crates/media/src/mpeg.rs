//! MPEG audio Layer III frames, for cutting an MP3 on frame boundaries
//! (a stream starting mid-song): frame headers, the LAME/Xing "Info"
//! frame that carries no audio, and finding the frame at a byte offset.

/// One frame's header, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// Bytes in the frame, header included.
    pub len: usize,
    /// Samples per channel the frame decodes to.
    pub samples: u32,
    pub sample_rate: u32,
    pub bit_rate_kbps: u32,
}

impl FrameHeader {
    /// The frame's duration in microseconds.
    pub fn duration_us(&self) -> u64 {
        u64::from(self.samples) * 1_000_000 / u64::from(self.sample_rate)
    }
}

const MPEG1_L3_KBPS: [u32; 15] = [
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const MPEG2_L3_KBPS: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/// The Layer III frame header at the start of `bytes`, if there is one
/// (free-format frames, which no encoder we use writes, are not).
pub fn frame_header(bytes: &[u8]) -> Option<FrameHeader> {
    let [b0, b1, b2, _b3, ..] = *bytes else {
        return None;
    };
    if b0 != 0xFF || b1 & 0xE0 != 0xE0 {
        return None;
    }
    let version = (b1 >> 3) & 0b11;
    let layer = (b1 >> 1) & 0b11;
    if version == 0b01 || layer != 0b01 {
        return None;
    }
    let bit_rate_index = usize::from(b2 >> 4);
    let rate_index = usize::from((b2 >> 2) & 0b11);
    if bit_rate_index == 0 || bit_rate_index == 15 || rate_index == 3 {
        return None;
    }
    let padding = usize::from((b2 >> 1) & 1);
    let mpeg1 = version == 0b11;
    let base_rate = [44_100, 48_000, 32_000][rate_index];
    let sample_rate = match version {
        0b11 => base_rate,
        0b10 => base_rate / 2,
        _ => base_rate / 4,
    };
    let bit_rate_kbps = if mpeg1 {
        MPEG1_L3_KBPS[bit_rate_index]
    } else {
        MPEG2_L3_KBPS[bit_rate_index]
    };
    let (coefficient, samples) = if mpeg1 { (144, 1152) } else { (72, 576) };
    let len = coefficient * bit_rate_kbps as usize * 1000 / sample_rate as usize + padding;
    Some(FrameHeader {
        len,
        samples,
        sample_rate,
        bit_rate_kbps,
    })
}

/// Whether `frame` is a Xing or LAME "Info" frame: the length and
/// gapless data of the file, decoded as silence by players that do not
/// know it, and not audio to send in a stream.
pub fn is_info_frame(frame: &[u8]) -> bool {
    let Some(header) = frame_header(frame) else {
        return false;
    };
    let mono = frame.get(3).is_some_and(|b| b >> 6 == 0b11);
    // The tag follows the side information, whose size depends on both.
    let side_info = match (header.samples == 1152, mono) {
        (true, false) => 32,
        (true, true) | (false, false) => 17,
        (false, true) => 9,
    };
    let tag = frame.get(4 + side_info..8 + side_info);
    matches!(tag, Some(b"Xing" | b"Info"))
}

/// The offset of the first frame at or after `from` in `bytes`: a header
/// followed by another header where it ends (or by the end of `bytes`),
/// so a chance 0xFF in audio data is not taken for one.
pub fn next_frame(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&at| {
        frame_header(&bytes[at..]).is_some_and(|header| {
            let next = at + header.len;
            next >= bytes.len() || frame_header(&bytes[next..]).is_some()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, joint stereo.
    const HEADER_128K: [u8; 4] = [0xFF, 0xFB, 0x90, 0x64];

    #[test]
    fn reads_a_128k_frame_header() {
        let header = frame_header(&HEADER_128K).expect("header");
        assert_eq!(header.len, 417);
        assert_eq!(
            (header.samples, header.sample_rate, header.bit_rate_kbps),
            (1152, 44_100, 128)
        );
        assert_eq!(header.duration_us(), 26_122);
        let padded = frame_header(&[0xFF, 0xFB, 0x92, 0x64]).expect("header");
        assert_eq!(padded.len, 418);
    }

    #[test]
    fn refuses_what_is_not_a_layer_3_header() {
        for bad in [
            &[0xFF, 0xFB, 0xF0, 0x64][..],
            &[0xFF, 0xFB, 0x0C, 0x64],
            &[0xFF, 0xFD, 0x90, 0x64],
            &[0x49, 0x44, 0x33, 0x04],
            &[0xFF, 0xFB],
        ] {
            assert_eq!(frame_header(bad), None, "{bad:?}");
        }
    }

    fn frame(padding: bool, body: u8) -> Vec<u8> {
        let mut frame = vec![0xFF, 0xFB, if padding { 0x92 } else { 0x90 }, 0x64];
        let len = if padding { 418 } else { 417 };
        frame.resize(len, body);
        frame
    }

    #[test]
    fn finds_the_next_frame_past_false_syncs() {
        let mut bytes = vec![0x00, 0xFF, 0xFB, 0x90, 0x11];
        let first = bytes.len();
        bytes.extend(frame(false, 0x55));
        bytes.extend(frame(true, 0x55));
        assert_eq!(next_frame(&bytes, 0), Some(first));
        assert_eq!(next_frame(&bytes, first + 1), Some(first + 417));
    }

    #[test]
    fn recognises_info_frames() {
        let mut info = frame(false, 0);
        info[36..40].copy_from_slice(b"Info");
        assert!(is_info_frame(&info));
        let mut xing = frame(false, 0);
        xing[36..40].copy_from_slice(b"Xing");
        assert!(is_info_frame(&xing));
        assert!(!is_info_frame(&frame(false, 0x55)));
    }
}
