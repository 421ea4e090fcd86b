//! The one error type of this crate, worded for the person who uploaded
//! the file.

use std::io;

use crate::format::AudioFormat;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The bytes are not a valid file of the format: corrupt, truncated,
    /// another format, or no audio in it. The uploader's problem (422).
    #[error("not a readable {format} file: {reason}")]
    Unreadable { format: AudioFormat, reason: String },
    /// The reader failed (storage trouble): not the file's fault (5xx).
    #[error("could not read the {format} file")]
    Io {
        format: AudioFormat,
        #[source]
        source: io::Error,
    },
}
