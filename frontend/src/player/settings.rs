//! The listener's playback settings, remembered on this device: the stream
//! quality (a fixed one, or automatic from the connection), whether volume
//! is normalized, and the crossfade between songs. How "automatic" reads the connection is a pure
//! function, unit-tested on the host.

use js_sys::Reflect;
use soundstream_types::PlaybackQuality;
use wasm_bindgen::JsValue;

use crate::storage;

const QUALITY_KEY: &str = "soundstream.quality";
const NORMALIZE_KEY: &str = "soundstream.normalize";
const CROSSFADE_KEY: &str = "soundstream.crossfade";
/// The longest crossfade offered, in seconds.
pub const MAX_CROSSFADE_S: u32 = 12;
/// What the quality setting stores for "Automatic".
const AUTOMATIC: &str = "auto";

/// The quality setting: `None` is "Automatic" (the default).
pub fn quality() -> Option<PlaybackQuality> {
    storage::get_string(QUALITY_KEY).and_then(|text| PlaybackQuality::parse(&text))
}

pub fn save_quality(quality: Option<PlaybackQuality>) {
    storage::set_string(
        QUALITY_KEY,
        quality.map_or(AUTOMATIC, PlaybackQuality::as_str),
    );
}

/// Whether volume is normalized: on unless the listener turned it off.
pub fn normalize() -> bool {
    storage::get_string(NORMALIZE_KEY).as_deref() != Some("off")
}

pub fn save_normalize(on: bool) {
    storage::set_string(NORMALIZE_KEY, if on { "on" } else { "off" });
}

/// The crossfade in seconds, 0 (off, the default) to [`MAX_CROSSFADE_S`].
pub fn crossfade_s() -> u32 {
    storage::get_string(CROSSFADE_KEY)
        .and_then(|text| text.parse::<u32>().ok())
        .map_or(0, |seconds| seconds.min(MAX_CROSSFADE_S))
}

pub fn save_crossfade_s(seconds: u32) {
    storage::set_string(CROSSFADE_KEY, &seconds.to_string());
}

/// The quality to ask for now: the fixed one, or the connection's.
pub fn effective_quality(setting: Option<PlaybackQuality>) -> PlaybackQuality {
    setting.unwrap_or_else(connection_quality)
}

/// "Automatic", from the Network Information API where the browser has it
/// (Chromium-based browsers); elsewhere `high`.
fn connection_quality() -> PlaybackQuality {
    let Some(connection) = web_sys::window()
        .and_then(|window| Reflect::get(&window.navigator(), &"connection".into()).ok())
        .filter(|connection| connection.is_object())
    else {
        return PlaybackQuality::High;
    };
    let read = |key: &str| Reflect::get(&connection, &key.into()).unwrap_or(JsValue::UNDEFINED);
    automatic_quality(
        read("saveData").as_bool() == Some(true),
        read("effectiveType").as_string().as_deref(),
        read("type").as_string().as_deref(),
    )
}

/// Low on a data saver or a slow link, normal on a cellular one, else high.
fn automatic_quality(
    save_data: bool,
    effective_type: Option<&str>,
    connection_type: Option<&str>,
) -> PlaybackQuality {
    if save_data || matches!(effective_type, Some("slow-2g" | "2g" | "3g")) {
        PlaybackQuality::Low
    } else if connection_type == Some("cellular") {
        PlaybackQuality::Normal
    } else {
        PlaybackQuality::High
    }
}

/// The `formats` parameter of a stream request (`&formats=opus,aac,mp3`):
/// the rendition codecs this browser plays, as `canPlayType` answers for
/// the types the API serves them as; empty when it plays none.
pub fn formats_parameter(element: &web_sys::HtmlMediaElement) -> String {
    let mut parameter = String::new();
    for (name, mime) in [
        ("opus", "audio/ogg; codecs=opus"),
        ("aac", "audio/mp4; codecs=\"mp4a.40.2\""),
        ("mp3", "audio/mpeg"),
    ] {
        if !element.can_play_type(mime).is_empty() {
            parameter.push_str(if parameter.is_empty() {
                "&formats="
            } else {
                ","
            });
            parameter.push_str(name);
        }
    }
    parameter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_saver_asks_for_low_whatever_the_link() {
        assert_eq!(
            automatic_quality(true, Some("4g"), Some("wifi")),
            PlaybackQuality::Low
        );
    }

    #[test]
    fn slow_links_ask_for_low() {
        for slow in ["slow-2g", "2g", "3g"] {
            assert_eq!(
                automatic_quality(false, Some(slow), Some("wifi")),
                PlaybackQuality::Low
            );
        }
    }

    #[test]
    fn a_fast_cellular_link_asks_for_normal() {
        assert_eq!(
            automatic_quality(false, Some("4g"), Some("cellular")),
            PlaybackQuality::Normal
        );
    }

    #[test]
    fn anything_else_asks_for_high() {
        assert_eq!(
            automatic_quality(false, Some("4g"), Some("wifi")),
            PlaybackQuality::High
        );
        assert_eq!(automatic_quality(false, None, None), PlaybackQuality::High);
    }
}
