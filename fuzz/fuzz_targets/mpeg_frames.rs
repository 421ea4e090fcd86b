//! MP3 frame headers and LAME/Xing Info frames (`soundstream_media::mpeg`),
//! which the radio reads from stored renditions to cut songs on frame
//! boundaries, and the radio's ICY metadata block built from song tags.
#![no_main]

use libfuzzer_sys::fuzz_target;
use soundstream_api::domain::radio::{icy_metadata, mp3_frame_length};
use soundstream_media::mpeg::{frame_header, is_info_frame, next_frame};

/// Largest Layer III frame: 320 kbit/s at 32 kHz, padded (1441 bytes).
const MAX_FRAME_LEN: usize = 1441;

fuzz_target!(|bytes: &[u8]| {
    if let Some(header) = frame_header(bytes) {
        assert!((4..=MAX_FRAME_LEN).contains(&header.len), "{header:?}");
        assert!(header.duration_us() > 0);
    }
    let _ = is_info_frame(bytes);
    if let Some(length) = mp3_frame_length(bytes) {
        assert_eq!(Some(length), frame_header(bytes).map(|header| header.len));
    }

    // Walk the bytes frame by frame as the radio does; every stop is a header.
    let mut from = 0;
    let mut frames = 0;
    while let Some(at) = next_frame(bytes, from) {
        assert!(at >= from && at < bytes.len());
        let header = frame_header(&bytes[at..]).expect("next_frame stops at a header");
        from = at + header.len;
        frames += 1;
        if frames > 64 {
            break;
        }
    }

    // Titles come from tags: any text makes a well-formed block. A little
    // more than the 4000 bytes a block keeps is enough to reach the cut,
    // and the per-character loop is slow under comparison tracing.
    let title = String::from_utf8_lossy(&bytes[..bytes.len().min(4200)]);
    let block = icy_metadata(&title);
    assert_eq!(usize::from(block[0]) * 16 + 1, block.len(), "length byte");
    let text = std::str::from_utf8(&block[1..])
        .expect("UTF-8")
        .trim_end_matches('\0');
    assert!(
        text.starts_with("StreamTitle='") && text.ends_with("';"),
        "{text:?}"
    );
    let inner = &text["StreamTitle='".len()..text.len() - 2];
    assert!(!inner.contains('\''), "a quote inside the title: {inner:?}");
    assert!(
        !inner.chars().any(char::is_control),
        "a control character: {inner:?}"
    );
});
