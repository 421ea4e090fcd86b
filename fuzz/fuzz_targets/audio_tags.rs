//! Tags, duration and cover read from an uploaded or imported audio file
//! (`soundstream_media::read_audio_metadata`, lofty underneath, and the
//! crate's own ADTS reader), for the format sniffing finds, as ingest does.
//! The seeds hold a real file of every supported format.
#![no_main]

use std::io::Cursor;
use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use soundstream_media::{
    DetectedFormat, SNIFF_LEN, check_image, id3v2_len, read_audio_metadata, sniff,
};

/// The longest duration `read_audio_metadata` accepts (a week).
const MAX_DURATION_MS: u64 = 7 * 24 * 60 * 60 * 1000;

static QUIET_CAUGHT_PANICS: Once = Once::new();

fuzz_target!(|file: &[u8]| {
    // read_audio_metadata catches a panic inside lofty and answers an
    // error, as production does; libfuzzer-sys's hook would abort on it
    // before the catch. A panic that escapes still aborts (libfuzzer-sys
    // treats an unwinding target as a crash), with its message printed here.
    QUIET_CAUGHT_PANICS.call_once(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    });

    // What ingest does: the head, and past a long ID3v2 tag what follows it.
    let head = &file[..file.len().min(SNIFF_LEN)];
    let mut detected = sniff(head);
    if let Some(tag_len) = id3v2_len(head).filter(|&len| len + 4 > head.len() as u64) {
        let after_tag = usize::try_from(tag_len)
            .ok()
            .and_then(|start| file.get(start..))
            .unwrap_or_default();
        detected = sniff(&after_tag[..after_tag.len().min(SNIFF_LEN)]).or(detected);
    }
    let Some(DetectedFormat::Audio(format)) = detected else {
        return;
    };

    let Ok(metadata) = read_audio_metadata(Cursor::new(file), format) else {
        return;
    };
    assert!(
        (1..=MAX_DURATION_MS).contains(&metadata.duration_ms),
        "{format}: a duration of {} ms",
        metadata.duration_ms
    );
    for text in [
        &metadata.title,
        &metadata.artist,
        &metadata.album,
        &metadata.album_artist,
        &metadata.genre,
    ]
    .into_iter()
    .flatten()
    {
        assert!(!text.is_empty(), "{format}: an empty tag kept");
        assert_eq!(
            text.trim_matches(|c: char| c.is_whitespace() || c == '\0'),
            text
        );
    }
    assert_ne!(metadata.track_number, Some(0));
    assert_ne!(metadata.disc_number, Some(0));
    assert!(metadata.year.is_none_or(|year| year > 0));
    if let Some(cover) = &metadata.cover {
        // A cover is only kept in a format the player shows, within the size limit.
        assert_eq!(
            sniff(&cover.bytes),
            Some(DetectedFormat::Image(cover.format))
        );
        assert!(check_image(cover.format, &cover.bytes).is_ok());
    }
});
