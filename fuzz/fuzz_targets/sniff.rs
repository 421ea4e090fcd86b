//! Magic-byte sniffing of an upload's first bytes (`soundstream_media::sniff`),
//! as `POST /uploads/{id}/complete` and `soundstream import` run it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use soundstream_media::{
    AUDIO_CONTENT_TYPES, AudioFormat, DetectedFormat, IMAGE_CONTENT_TYPES, ImageFormat, SNIFF_LEN,
    id3v2_len, sniff,
};

fuzz_target!(|head: &[u8]| {
    let detected = sniff(head);

    if let Some(tag_len) = id3v2_len(head) {
        // Header and body at least; a tag is always audio or nothing.
        assert!(tag_len >= 10, "an ID3v2 tag of {tag_len} bytes");
        assert!(
            matches!(detected, None | Some(DetectedFormat::Audio(_))),
            "an ID3v2 tag sniffed as {detected:?}"
        );
        // A tag that runs past the head is taken for MP3 (see `sniff`).
        if tag_len + 4 > head.len() as u64 {
            assert_eq!(detected, Some(DetectedFormat::Audio(AudioFormat::Mp3)));
        }
    }

    // Only the first SNIFF_LEN bytes are ever read: more must not change
    // the answer (the upload flow reads exactly that many).
    if head.len() > SNIFF_LEN {
        assert_eq!(detected, sniff(&head[..SNIFF_LEN]), "bytes past SNIFF_LEN");
    }

    // Whatever was detected is stored under a content type that accepts it.
    if let Some(format) = detected {
        let own_type = match format {
            DetectedFormat::Audio(audio) => audio.content_type(),
            DetectedFormat::Image(image) => image.content_type(),
        };
        assert!(format.satisfies(own_type), "{format:?} refuses {own_type}");
        assert!(
            AUDIO_CONTENT_TYPES.contains(&own_type) || IMAGE_CONTENT_TYPES.contains(&own_type),
            "{own_type} is not an accepted upload type"
        );
    }

    // Declared content types come from the client too.
    if let Ok(declared) = std::str::from_utf8(head) {
        // A type that names a format accepts that format's bytes.
        if let Some(audio) = AudioFormat::from_content_type(declared) {
            assert!(
                DetectedFormat::Audio(audio).satisfies(declared),
                "{declared:?}"
            );
        }
        if let Some(image) = ImageFormat::from_content_type(declared) {
            assert!(
                DetectedFormat::Image(image).satisfies(declared),
                "{declared:?}"
            );
        }
    }
});
