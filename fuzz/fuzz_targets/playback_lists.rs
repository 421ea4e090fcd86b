//! What a client asks of playback (`domain::playback`): `?quality=`,
//! `?formats=` and the `Accept` header, which pick the encoding to stream.
#![no_main]

#[path = "common/lines.rs"]
mod lines;

use libfuzzer_sys::fuzz_target;
use lines::lines;
use soundstream_api::domain::{AcceptedCodecs, parse_quality};

fuzz_target!(|input: &str| {
    let [list, accept] = lines(input);
    if let Ok(quality) = parse_quality("quality", list) {
        // Exactly one of the four names.
        assert_eq!(quality.as_str(), list);
    }
    if let Ok(codecs) = AcceptedCodecs::parse("formats", list) {
        // Accepted lists name only the three codecs, and no list is also
        // refused when it names exactly the same ones.
        let names: Vec<String> = list
            .split(',')
            .map(|codec| codec.trim().to_ascii_lowercase())
            .filter(|codec| !codec.is_empty())
            .collect();
        assert!(
            names
                .iter()
                .all(|name| ["opus", "aac", "mp3"].contains(&name.as_str()))
        );
        let canonical = names.join(",");
        assert_eq!(
            AcceptedCodecs::parse("formats", &canonical).ok(),
            Some(codecs)
        );
    }
    let _ = AcceptedCodecs::from_accept(accept);
});
