//! The real ffmpeg (Debian's; `scripts/test` installs it) on generated
//! audio: facts, loudness, and every rendition checked by ffprobe.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use soundstream_transcode::{Ffmpeg, Rendition, TranscodeError};

const TIMEOUT: Duration = Duration::from_secs(120);

/// Seconds of pink noise, stereo 44.1 kHz FLAC: music-like for encoders.
fn noise(dir: &Path, seconds: u32, amplitude: f64) -> PathBuf {
    let path = dir.join(format!("noise-{seconds}-{amplitude}.flac"));
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!(
            "anoisesrc=d={seconds}:c=pink:r=44100:a={amplitude}:s=7"
        ))
        .args(["-ac", "2", "-metadata", "genre=Ambient", "-c:a", "flac"])
        .arg(&path)
        .status()
        .expect("ffmpeg must be installed (scripts/test installs it)");
    assert!(status.success());
    path
}

fn ffprobe_stream(path: &Path) -> serde_json::Value {
    let output = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(path)
        .output()
        .expect("ffprobe");
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("ffprobe JSON")
}

#[tokio::test]
async fn reads_the_facts_and_the_genre() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = noise(dir.path(), 3, 0.2);
    let facts = Ffmpeg::default()
        .probe(&input, TIMEOUT)
        .await
        .expect("facts");
    assert_eq!(facts.codec, "flac");
    assert_eq!(facts.sample_rate_hz, Some(44_100));
    assert_eq!(facts.channels, Some(2));
    assert_eq!(facts.genre.as_deref(), Some("Ambient"));
    assert!(
        facts.bit_rate_kbps.is_some_and(|kbps| kbps > 320),
        "{facts:?}"
    );
    assert!(
        (facts.duration.as_secs_f64() - 3.0).abs() < 0.01,
        "{facts:?}"
    );
}

#[tokio::test]
async fn every_rendition_has_its_codec_bit_rate_and_duration() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = noise(dir.path(), 12, 0.2);
    let ffmpeg = Ffmpeg::default();
    let original = ffmpeg.probe(&input, TIMEOUT).await.expect("facts");
    let outputs = ffmpeg
        .render(&input, &original, &Rendition::ALL, dir.path(), TIMEOUT)
        .await
        .expect("renditions");
    assert_eq!(outputs.len(), 4);
    for output in &outputs {
        let probe = ffprobe_stream(&output.path);
        let stream = &probe["streams"][0];
        let codec = stream["codec_name"].as_str().unwrap_or_default();
        let expected_codec = match output.rendition {
            Rendition::Opus96 | Rendition::Opus160 => "opus",
            Rendition::Aac128 => "aac",
            Rendition::Mp3_128 => "mp3",
        };
        assert_eq!(codec, expected_codec, "{:?}", output.rendition);
        assert_eq!(stream["channels"].as_u64(), Some(2));
        let seconds: f64 = probe["format"]["duration"]
            .as_str()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0.0);
        assert!(
            (seconds - 12.0).abs() <= 0.05,
            "{:?} lasts {seconds} s, not 12 s",
            output.rendition
        );
        let bits_per_second: f64 = probe["format"]["bit_rate"]
            .as_str()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0.0);
        let nominal = f64::from(output.rendition.bit_rate_kbps()) * 1000.0;
        assert!(
            (bits_per_second / nominal - 1.0).abs() <= 0.10,
            "{:?} averages {bits_per_second} bit/s, not {nominal}",
            output.rendition
        );
        assert!(output.size > 0);
        assert!((output.duration.as_secs_f64() - seconds).abs() < 0.01);
        if output.rendition == Rendition::Mp3_128 {
            assert_eq!(stream["sample_rate"].as_str(), Some("44100"));
            let bytes = std::fs::read(&output.path).expect("mp3");
            assert_ne!(&bytes[..3], b"ID3", "no ID3 tag");
            assert_eq!(bytes[0], 0xFF, "starts with a frame");
        }
    }
}

#[tokio::test]
async fn the_stored_gain_brings_a_rendition_to_minus_14_lufs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ffmpeg = Ffmpeg::default();
    for amplitude in [0.05, 0.5] {
        let input = noise(dir.path(), 8, amplitude);
        let measured = ffmpeg
            .measure_loudness(&input, TIMEOUT)
            .await
            .expect("loudness");
        let gain = -14.0 - measured.integrated_lufs;
        let original = ffmpeg.probe(&input, TIMEOUT).await.expect("facts");
        let outputs = ffmpeg
            .render(&input, &original, &[Rendition::Opus96], dir.path(), TIMEOUT)
            .await
            .expect("rendition");
        let output = Command::new("ffmpeg")
            .args(["-nostdin", "-hide_banner", "-nostats", "-i"])
            .arg(&outputs[0].path)
            .args([
                "-af",
                &format!("volume={gain}dB,ebur128=framelog=verbose"),
                "-f",
                "null",
                "-",
            ])
            .output()
            .expect("ffmpeg");
        let log = String::from_utf8_lossy(&output.stderr);
        let summary = &log[log.rfind("Summary:").expect("summary")..];
        let lufs: f64 = summary
            .lines()
            .find_map(|line| line.trim().strip_prefix("I:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("I:");
        assert!(
            (lufs + 14.0).abs() <= 1.0,
            "amplitude {amplitude}: measured {} LUFS, gain {gain} dB gives {lufs} LUFS",
            measured.integrated_lufs
        );
    }
}

#[tokio::test]
async fn garbage_is_unreadable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("garbage.mp3");
    let mut bytes = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    bytes.extend((0..50_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    std::fs::write(&path, bytes).expect("write");
    let error = Ffmpeg::default()
        .probe(&path, TIMEOUT)
        .await
        .expect_err("garbage");
    assert!(error.is_permanent(), "{error}");
}

#[tokio::test]
async fn a_cut_short_file_fails_for_good_with_a_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = noise(dir.path(), 10, 0.2);
    let bytes = std::fs::read(&input).expect("flac");
    let cut = dir.path().join("cut.flac");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).expect("write");
    let ffmpeg = Ffmpeg::default();
    // FLAC's header still says ten seconds.
    let original = ffmpeg.probe(&cut, TIMEOUT).await.expect("facts");
    let error = ffmpeg
        .render(&cut, &original, &[Rendition::Mp3_128], dir.path(), TIMEOUT)
        .await
        .expect_err("cut short");
    assert!(error.is_permanent(), "{error}");
    assert!(error.to_string().contains("cut short"), "{error}");
}

#[tokio::test]
async fn a_missing_program_is_not_the_files_fault() {
    let ffmpeg = Ffmpeg::new("/nonexistent/ffmpeg", "/nonexistent/ffprobe");
    let error = ffmpeg.version().await.expect_err("missing");
    assert!(matches!(error, TranscodeError::Spawn { .. }), "{error}");
    assert!(!error.is_permanent());
}
