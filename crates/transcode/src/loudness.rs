//! EBU R128 loudness, measured by ffmpeg's `ebur128` filter the way
//! ReplayGain 2.0 scanners do: integrated loudness over the whole track
//! (gated) and the true peak (4× oversampled).

use std::path::Path;
use std::time::Duration;

use crate::{Ffmpeg, TranscodeError, run};

/// Silence measures −70 LUFS (the absolute gate) and a peak of −∞;
/// figures are kept within these floors so they stay finite.
const LOUDNESS_FLOOR_LUFS: f64 = -70.0;
const PEAK_FLOOR_DBTP: f64 = -144.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoudnessMeasurement {
    pub integrated_lufs: f64,
    pub true_peak_dbtp: f64,
}

impl Ffmpeg {
    /// Measures `input`'s first audio stream, decoding all of it.
    pub async fn measure_loudness(
        &self,
        input: &Path,
        timeout: Duration,
    ) -> Result<LoudnessMeasurement, TranscodeError> {
        let output = run(
            &self.ffmpeg,
            [
                "-nostdin".as_ref(),
                "-hide_banner".as_ref(),
                "-nostats".as_ref(),
                "-i".as_ref(),
                input.as_os_str(),
                "-map".as_ref(),
                "0:a:0".as_ref(),
                // Frame-by-frame lines at the verbose level: hidden.
                "-af".as_ref(),
                "ebur128=peak=true:framelog=verbose".as_ref(),
                "-f".as_ref(),
                "null".as_ref(),
                "-".as_ref(),
            ],
            timeout,
        )
        .await?;
        parse_summary(&String::from_utf8_lossy(&output.stderr)).ok_or_else(|| {
            TranscodeError::Failed {
                program: "ffmpeg".into(),
                detail: "no loudness summary in its output".into(),
            }
        })
    }
}

/// The `I:` and `Peak:` figures of the filter's summary, which follows the
/// last `Summary:` line.
fn parse_summary(log: &str) -> Option<LoudnessMeasurement> {
    let summary = &log[log.rfind("Summary:")?..];
    let figure = |label: &str| -> Option<f64> {
        let line = summary
            .lines()
            .find(|line| line.trim_start().starts_with(label))?;
        let value = line.trim_start()[label.len()..].split_whitespace().next()?;
        value.parse::<f64>().ok().filter(|v| !v.is_nan())
    };
    Some(LoudnessMeasurement {
        integrated_lufs: figure("I:")?.max(LOUDNESS_FLOOR_LUFS),
        true_peak_dbtp: figure("Peak:")?.max(PEAK_FLOOR_DBTP),
    })
}

/// The loudness of tracks played one after the other, from each track's
/// loudness and duration: their mean energy. Exact for ungated loudness;
/// for gated (R128) figures it is the approximation ReplayGain scanners
/// use when they do not rescan, within a few tenths of a LU for albums of
/// songs.
pub fn combined_lufs(tracks: &[(f64, Duration)]) -> Option<f64> {
    let total: f64 = tracks.iter().map(|(_, d)| d.as_secs_f64()).sum();
    if total <= 0.0 {
        return None;
    }
    let energy: f64 = tracks
        .iter()
        .map(|(lufs, d)| d.as_secs_f64() * 10f64.powf(lufs / 10.0))
        .sum();
    Some((10.0 * (energy / total).log10()).max(LOUDNESS_FLOOR_LUFS))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -21.8 LUFS\n    Threshold: -31.8 LUFS\n\n  Loudness range:\n    LRA:        20.0 LU\n\n  True peak:\n    Peak:      -21.1 dBFS\n";

    #[test]
    fn reads_integrated_loudness_and_true_peak() {
        let measured =
            parse_summary(&format!("I: 3 LUFS junk before\n{SUMMARY}")).expect("summary");
        assert_eq!(measured.integrated_lufs, -21.8);
        assert_eq!(measured.true_peak_dbtp, -21.1);
    }

    #[test]
    fn silence_stays_finite() {
        let log = "Summary:\n    I:         -70.0 LUFS\n    Peak:       -inf dBFS\n";
        let measured = parse_summary(log).expect("summary");
        assert_eq!(measured.integrated_lufs, -70.0);
        assert_eq!(measured.true_peak_dbtp, PEAK_FLOOR_DBTP);
    }

    #[test]
    fn no_summary_is_none() {
        assert_eq!(parse_summary("Conversion failed!"), None);
    }

    #[test]
    fn tracks_combine_by_energy() {
        let second = Duration::from_secs(1);
        assert_eq!(combined_lufs(&[]), None);
        let same = combined_lufs(&[(-14.0, second), (-14.0, 3 * second)]).expect("combined");
        assert!((same + 14.0).abs() < 1e-9);
        // Equal lengths 10 LU apart: the loud one dominates.
        let mixed = combined_lufs(&[(-10.0, second), (-20.0, second)]).expect("combined");
        assert!((mixed - (-12.596)).abs() < 0.01, "{mixed}");
    }
}
