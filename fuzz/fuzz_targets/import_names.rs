//! File names in a folder given to `soundstream import`: which files are
//! taken for audio, and the file name as the title of an untagged song
//! (`domain::CatalogueName`, the parser of every title and name).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use soundstream_api::commands::import::is_audio_file_name;
use soundstream_api::domain::CatalogueName;

const AUDIO_EXTENSIONS: [&str; 8] = ["mp3", "flac", "ogg", "oga", "opus", "wav", "m4a", "aac"];

fuzz_target!(|name: &str| {
    // One path component, as the folder walk sees it.
    if name.contains('/') {
        return;
    }
    if is_audio_file_name(name) {
        assert!(!name.starts_with('.'), "hidden file {name:?} taken");
        let extension = name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        assert!(
            extension.is_some_and(|ext| AUDIO_EXTENSIONS.contains(&ext.as_str())),
            "{name:?} taken for audio"
        );
    }

    // Untagged songs are filed under the file's stem.
    let stem = Path::new(name)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    for text in [stem.as_str(), name] {
        if let Ok(title) = CatalogueName::parse("title", text) {
            let kept = title.as_str();
            assert!((1..=200).contains(&kept.chars().count()), "{kept:?}");
            assert!(!kept.chars().any(char::is_control), "{kept:?}");
            assert_eq!(kept.trim(), kept);
            // Parsing is idempotent: a stored name parses to itself.
            let again = CatalogueName::parse("title", kept).expect("a parsed name parses");
            assert_eq!(again, title);
            assert_eq!(again.normalized(), title.normalized());
        }
    }
});
