//! Formatting of values for display (sizes, lists), independent of the
//! interface language's wording.

/// A byte count in binary units, the way the API's limits are set:
/// `52_428_800` becomes "50 MiB", `1_500_000` "1.4 MiB".
pub fn bytes(count: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = count as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        return format!("{count} {}", UNITS[0]);
    }
    // One decimal at most, and none when it is zero ("50 MB", not "50.0 MB").
    let rounded = format!("{value:.1}");
    let trimmed = rounded.strip_suffix(".0").unwrap_or(&rounded);
    format!("{trimmed} {}", UNITS[unit])
}

/// Items joined with commas, or `none` for an empty list.
pub fn list(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(", ")
    }
}

/// A playing time as a clock: "0:05", "3:07", "1:02:03". Negative and
/// non-finite values (a stream whose length is unknown) read as "0:00".
pub fn clock(milliseconds: f64) -> String {
    let total = if milliseconds.is_finite() && milliseconds > 0.0 {
        (milliseconds / 1000.0).floor() as u64
    } else {
        0
    };
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// What a stream is, for the listener: "Opus · 96 kbit/s", or `original`
/// with the file's bit rate ("Original · 320 kbit/s").
pub fn stream(rendition: &str, bit_rate_kbps: Option<u32>, original: &str) -> String {
    let codec = match rendition.split('-').next() {
        _ if rendition == "original" => original,
        Some("opus") => "Opus",
        Some("aac") => "AAC",
        Some("mp3") => "MP3",
        _ => rendition,
    };
    match bit_rate_kbps {
        Some(kbps) => format!("{codec} · {kbps} kbit/s"),
        None => codec.to_owned(),
    }
}

/// A gain in decibels with its sign and one decimal: "−3.2 dB", "+1.5 dB",
/// "0.0 dB" (a typographic minus, as screen readers say "minus").
pub fn gain_db(db: f64) -> String {
    let tenths = (db * 10.0).round() / 10.0;
    if tenths == 0.0 {
        "0.0 dB".to_owned()
    } else if tenths < 0.0 {
        format!("\u{2212}{:.1} dB", -tenths)
    } else {
        format!("+{tenths:.1} dB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_shown_in_bytes() {
        assert_eq!(bytes(0), "0 bytes");
        assert_eq!(bytes(1023), "1023 bytes");
    }

    #[test]
    fn whole_units_have_no_decimal() {
        assert_eq!(bytes(1024), "1 KiB");
        assert_eq!(bytes(200 * 1024 * 1024), "200 MiB");
        assert_eq!(bytes(2 * 1024 * 1024 * 1024), "2 GiB");
    }

    #[test]
    fn fractional_units_keep_one_decimal() {
        assert_eq!(bytes(1_500_000), "1.4 MiB");
        assert_eq!(bytes(50_000_000), "47.7 MiB");
    }

    #[test]
    fn empty_list_says_none() {
        assert_eq!(list(&[], "None"), "None");
        assert_eq!(list(&["en".to_owned(), "es".to_owned()], "None"), "en, es");
    }

    #[test]
    fn clock_pads_seconds_but_not_minutes() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(5_999.0), "0:05");
        assert_eq!(clock(187_000.0), "3:07");
        assert_eq!(clock(600_000.0), "10:00");
    }

    #[test]
    fn clock_shows_hours_for_long_tracks() {
        assert_eq!(clock(3_723_000.0), "1:02:03");
    }

    #[test]
    fn clock_reads_unknown_lengths_as_zero() {
        assert_eq!(clock(f64::NAN), "0:00");
        assert_eq!(clock(f64::INFINITY), "0:00");
        assert_eq!(clock(-3.0), "0:00");
    }

    #[test]
    fn streams_name_the_codec_and_bit_rate() {
        assert_eq!(stream("opus-96", Some(96), "Original"), "Opus · 96 kbit/s");
        assert_eq!(stream("aac-128", Some(128), "Original"), "AAC · 128 kbit/s");
        assert_eq!(
            stream("original", Some(320), "Original"),
            "Original · 320 kbit/s"
        );
        assert_eq!(stream("original", None, "Original"), "Original");
    }

    #[test]
    fn gains_carry_their_sign_and_one_decimal() {
        assert_eq!(gain_db(-3.24), "\u{2212}3.2 dB");
        assert_eq!(gain_db(1.46), "+1.5 dB");
        assert_eq!(gain_db(0.0), "0.0 dB");
        assert_eq!(gain_db(-0.04), "0.0 dB");
    }
}
