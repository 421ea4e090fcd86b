//! Audio and image formats for SoundStream uploads: content types,
//! magic-byte sniffing, and tags, duration and cover art read from audio
//! files. Pure and synchronous: no HTTP, no storage.
//!
//! The upload flow this serves:
//! 1. `POST /uploads` checks the declared content type with
//!    [`AudioFormat::from_content_type`] / [`ImageFormat::from_content_type`].
//! 2. On completion, the first [`SNIFF_LEN`] bytes go through [`sniff`]
//!    (see there for files that start with a long ID3v2 tag), and
//!    [`DetectedFormat::satisfies`] checks them against the declared type.
//! 3. For images, [`check_image`] reads the dimensions from the header and
//!    refuses pictures larger than [`MAX_IMAGE_PIXELS`].
//! 4. For audio, [`read_audio_metadata`] reads the tags, duration and
//!    cover through a `Read + Seek` adapter over ranged reads.

mod adts;
mod block_reader;
mod error;
mod format;
mod image;
mod metadata;
pub mod mpeg;
mod sniff;

pub use error::MediaError;
pub use format::{
    AUDIO_CONTENT_TYPES, AudioFormat, DetectedFormat, IMAGE_CONTENT_TYPES, ImageFormat,
};
pub use image::{ImageDimensions, ImageError, MAX_IMAGE_PIXELS, check_image};
pub use metadata::{AudioMetadata, EmbeddedPicture, read_audio_metadata};
pub use sniff::{SNIFF_LEN, id3v2_len, sniff};
