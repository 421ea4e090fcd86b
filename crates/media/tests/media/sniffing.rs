//! Sniffing the fixtures and checking them against declared content types.

use soundstream_media::{AudioFormat, DetectedFormat, ImageFormat, SNIFF_LEN, id3v2_len, sniff};

use crate::{Noise, fixture};

fn head(name: &str) -> Vec<u8> {
    let mut bytes = fixture(name);
    bytes.truncate(SNIFF_LEN);
    bytes
}

const AUDIO_FIXTURES: [(&str, AudioFormat); 7] = [
    ("tone.mp3", AudioFormat::Mp3),
    ("tone.m4a", AudioFormat::Mp4),
    ("tone.aac", AudioFormat::Aac),
    ("tone.ogg", AudioFormat::OggVorbis),
    ("tone.opus", AudioFormat::Opus),
    ("tone.flac", AudioFormat::Flac),
    ("tone.wav", AudioFormat::Wav),
];

#[test]
fn each_audio_fixture_is_sniffed_as_its_format() {
    for (name, format) in AUDIO_FIXTURES {
        assert_eq!(
            sniff(&head(name)),
            Some(DetectedFormat::Audio(format)),
            "{name}"
        );
    }
}

#[test]
fn each_image_fixture_is_sniffed_as_its_format() {
    for (name, format) in [
        ("cover.jpg", ImageFormat::Jpeg),
        ("cover.png", ImageFormat::Png),
        ("cover.webp", ImageFormat::Webp),
    ] {
        let detected = sniff(&head(name));
        assert_eq!(detected, Some(DetectedFormat::Image(format)), "{name}");
        assert!(detected.is_some_and(|detected| detected.satisfies(format.content_type())));
    }
}

#[test]
fn each_audio_fixture_satisfies_its_declared_types_and_no_other_format() {
    let declared: [(&str, &[&str]); 7] = [
        ("tone.mp3", &["audio/mpeg", "audio/mp3", "AUDIO/MPEG"]),
        (
            "tone.m4a",
            &["audio/mp4", "audio/x-m4a", "audio/mp4; codecs=mp4a.40.2"],
        ),
        ("tone.aac", &["audio/aac", "audio/x-aac"]),
        (
            "tone.ogg",
            &["audio/ogg", "audio/ogg; codecs=vorbis", "application/ogg"],
        ),
        (
            "tone.opus",
            &["audio/opus", "audio/ogg", "audio/ogg; codecs=\"opus\""],
        ),
        ("tone.flac", &["audio/flac", "audio/x-flac"]),
        (
            "tone.wav",
            &["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"],
        ),
    ];
    for (name, content_types) in declared {
        let Some(detected) = sniff(&head(name)) else {
            panic!("{name} not sniffed");
        };
        for content_type in content_types {
            assert!(detected.satisfies(content_type), "{name} as {content_type}");
        }
        for (other_name, other_format) in AUDIO_FIXTURES {
            let shares_a_type = other_name == name
                || (detected == DetectedFormat::Audio(AudioFormat::Opus)
                    && other_format == AudioFormat::OggVorbis);
            assert_eq!(
                detected.satisfies(other_format.content_type()),
                shares_a_type,
                "{name} as {}",
                other_format.content_type()
            );
        }
        assert!(!detected.satisfies("image/png"), "{name}");
    }
}

#[test]
fn a_png_named_and_declared_as_mp3_is_rejected() {
    let detected = sniff(&head("not-audio.mp3"));
    assert_eq!(detected, Some(DetectedFormat::Image(ImageFormat::Png)));
    assert!(detected.is_some_and(|detected| !detected.satisfies("audio/mpeg")));
}

#[test]
fn the_stream_under_an_id3v2_tag_decides_the_format() {
    // tone.aac starts with an ID3v2 tag, like tone.mp3.
    assert_eq!(
        sniff(&head("tone.aac")),
        Some(DetectedFormat::Audio(AudioFormat::Aac))
    );
    let mp3 = fixture("tone.mp3");
    let tag_len = id3v2_len(&mp3).expect("tone.mp3 starts with an ID3v2 tag") as usize;
    let tagged_flac = [&mp3[..tag_len], &fixture("tone.flac")].concat();
    assert_eq!(
        sniff(&tagged_flac[..SNIFF_LEN]),
        Some(DetectedFormat::Audio(AudioFormat::Flac))
    );
    let garbage = head("garbage-after-tag.mp3");
    assert_eq!(sniff(&garbage), None);
}

#[test]
fn a_tag_longer_than_the_head_is_resolved_by_sniffing_after_it() {
    let aac = fixture("tone.aac");
    let short_head = &aac[..10];
    // By convention an unseen stream under an ID3v2 tag is MP3…
    assert_eq!(
        sniff(short_head),
        Some(DetectedFormat::Audio(AudioFormat::Mp3))
    );
    // …and the second read the docs describe finds the truth.
    let tag_len = id3v2_len(short_head).expect("tone.aac starts with an ID3v2 tag") as usize;
    let after = &aac[tag_len..(tag_len + SNIFF_LEN).min(aac.len())];
    assert_eq!(sniff(after), Some(DetectedFormat::Audio(AudioFormat::Aac)));
}

#[test]
fn short_heads_never_panic_and_empty_is_unknown() {
    assert_eq!(sniff(&[]), None);
    for (name, _) in AUDIO_FIXTURES {
        let bytes = fixture(name);
        for len in 0..64 {
            let _ = sniff(&bytes[..len]);
        }
    }
}

#[test]
fn random_bytes_are_not_media() {
    let mut noise = Noise::new(0x5EED);
    for _ in 0..2000 {
        let len = noise.below(SNIFF_LEN);
        let bytes = noise.bytes(len);
        assert_eq!(sniff(&bytes), None, "{:02x?}", &bytes[..len.min(16)]);
    }
}
