//! Formatting of values for display (sizes, lists), independent of the
//! interface language's wording.

use crate::strings;

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

/// Items joined with commas, or "None" for an empty list.
pub fn list(items: &[String]) -> String {
    if items.is_empty() {
        strings::NONE.to_owned()
    } else {
        items.join(", ")
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
        assert_eq!(list(&[]), "None");
        assert_eq!(list(&["en".to_owned(), "es".to_owned()]), "en, es");
    }
}
