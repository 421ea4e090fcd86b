//! Cover thumbnails: a picture scaled to fit a square, made once per size
//! and kept (Subsonic apps ask for `getCoverArt?size=`).

use std::path::Path;
use std::time::Duration;

use crate::{Ffmpeg, TranscodeError, run};

impl Ffmpeg {
    /// Writes `input` scaled to fit `max_px` × `max_px` (never enlarged,
    /// proportions kept) to `output` as a JPEG.
    pub async fn thumbnail(
        &self,
        input: &Path,
        output: &Path,
        max_px: u32,
        timeout: Duration,
    ) -> Result<(), TranscodeError> {
        let scale = format!(
            "scale='min(iw,{max_px})':'min(ih,{max_px})':force_original_aspect_ratio=decrease"
        );
        run(
            &self.ffmpeg,
            [
                "-nostdin".as_ref(),
                "-hide_banner".as_ref(),
                "-v".as_ref(),
                "error".as_ref(),
                "-y".as_ref(),
                "-i".as_ref(),
                input.as_os_str(),
                "-frames:v".as_ref(),
                "1".as_ref(),
                "-vf".as_ref(),
                scale.as_ref(),
                "-q:v".as_ref(),
                "3".as_ref(),
                "-f".as_ref(),
                "image2".as_ref(),
                "-c:v".as_ref(),
                "mjpeg".as_ref(),
                output.as_os_str(),
            ],
            timeout,
        )
        .await
        .map_err(|error| match error {
            TranscodeError::Failed { detail, .. } => TranscodeError::Unreadable(detail),
            other => other,
        })?;
        Ok(())
    }
}
