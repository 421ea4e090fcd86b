//! ffmpeg, run as a subprocess with a timeout: what an audio file is
//! (`ffprobe`), how loud it is (the `ebur128` filter: EBU R128 integrated
//! loudness and true peak) and its renditions (one decode, every encoding).
//!
//! A file ffmpeg cannot read is [`TranscodeError::Unreadable`]: retrying
//! will not help. Anything else (ffmpeg missing, a timeout, a crash) may
//! pass and is reported as such.

mod loudness;
mod probe;
mod rendition;

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

pub use loudness::{LoudnessMeasurement, combined_lufs};
pub use probe::AudioFacts;
pub use rendition::{Rendition, RenditionOutput};

#[derive(Debug, thiserror::Error)]
pub enum TranscodeError {
    /// The input is not audio ffmpeg can decode, or it is cut short.
    #[error("unreadable audio: {0}")]
    Unreadable(String),
    #[error("cannot run {program}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{program} did not finish within {} s", timeout.as_secs())]
    TimedOut { program: String, timeout: Duration },
    #[error("{program} failed: {detail}")]
    Failed { program: String, detail: String },
}

impl TranscodeError {
    /// Whether trying again later cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Unreadable(_))
    }
}

/// Where the ffmpeg and ffprobe programs are.
#[derive(Debug, Clone)]
pub struct Ffmpeg {
    ffmpeg: PathBuf,
    ffprobe: PathBuf,
}

impl Default for Ffmpeg {
    /// Both from `PATH`.
    fn default() -> Self {
        Self::new("ffmpeg", "ffprobe")
    }
}

impl Ffmpeg {
    pub fn new(ffmpeg: impl Into<PathBuf>, ffprobe: impl Into<PathBuf>) -> Self {
        Self {
            ffmpeg: ffmpeg.into(),
            ffprobe: ffprobe.into(),
        }
    }

    /// ffmpeg's version line, proving both programs run.
    pub async fn version(&self) -> Result<String, TranscodeError> {
        let timeout = Duration::from_secs(10);
        run(&self.ffprobe, ["-version"], timeout).await?;
        let output = run(&self.ffmpeg, ["-version"], timeout).await?;
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned())
    }
}

/// What a finished program wrote.
struct Output {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs `program` to completion within `timeout` (killing it past that);
/// a non-zero exit is [`TranscodeError::Failed`] with the last lines of its
/// standard error.
async fn run<I, S>(
    program: &std::path::Path,
    args: I,
    timeout: Duration,
) -> Result<Output, TranscodeError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let name = program.display().to_string();
    let child = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| TranscodeError::Spawn {
            program: name.clone(),
            source,
        })?;
    let output = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .map_err(|_| TranscodeError::TimedOut {
            program: name.clone(),
            timeout,
        })?
        .map_err(|source| TranscodeError::Spawn {
            program: name.clone(),
            source,
        })?;
    if !output.status.success() {
        return Err(TranscodeError::Failed {
            program: name,
            detail: last_lines(&output.stderr, 3)
                .unwrap_or_else(|| format!("exit status {}", output.status)),
        });
    }
    Ok(Output {
        stdout: output.stdout,
        stderr: output.stderr,
    })
}

/// The last `count` non-empty lines of a program's output, joined.
fn last_lines(bytes: &[u8], count: usize) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines.len().saturating_sub(count);
    let joined = lines[start..].join(" / ");
    (!joined.is_empty()).then_some(joined)
}
