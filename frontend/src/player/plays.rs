//! When a play counts for the listening history, and how position and
//! volume are remembered. Plain arithmetic, tested on the host.

/// A play is reported once the listener heard this much of a track…
const REPORT_AFTER_MS: f64 = 30_000.0;

/// …or half of it, for tracks shorter than a minute.
pub fn play_counts(position_ms: f64, duration_ms: f64) -> bool {
    let needed = if duration_ms.is_finite() && duration_ms > 0.0 {
        REPORT_AFTER_MS.min(duration_ms / 2.0)
    } else {
        REPORT_AFTER_MS
    };
    position_ms >= needed
}

/// The volume after a keyboard step, kept within 0–1.
pub fn stepped_volume(volume: f64, step: f64) -> f64 {
    ((volume + step) * 100.0).round().clamp(0.0, 100.0) / 100.0
}

/// A seek target within the track.
pub fn clamped_position(target_ms: f64, duration_ms: f64) -> f64 {
    let end = if duration_ms.is_finite() && duration_ms > 0.0 {
        duration_ms
    } else {
        f64::MAX
    };
    target_ms.clamp(0.0, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_track_counts_after_thirty_seconds() {
        assert!(!play_counts(29_999.0, 200_000.0));
        assert!(play_counts(30_000.0, 200_000.0));
    }

    #[test]
    fn a_short_track_counts_after_half_of_it() {
        assert!(!play_counts(1_000.0, 2_500.0));
        assert!(play_counts(1_250.0, 2_500.0));
    }

    #[test]
    fn an_unknown_length_needs_thirty_seconds() {
        assert!(!play_counts(10_000.0, f64::NAN));
    }

    #[test]
    fn volume_steps_stay_between_silence_and_full() {
        assert_eq!(stepped_volume(0.95, 0.1), 1.0);
        assert_eq!(stepped_volume(0.05, -0.1), 0.0);
        assert_eq!(stepped_volume(0.5, 0.1), 0.6);
    }

    #[test]
    fn seeks_stay_inside_the_track() {
        assert_eq!(clamped_position(-5_000.0, 2_500.0), 0.0);
        assert_eq!(clamped_position(9_000.0, 2_500.0), 2_500.0);
        assert_eq!(clamped_position(9_000.0, f64::NAN), 9_000.0);
    }
}
