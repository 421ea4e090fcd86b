//! Image dimensions, read from the header without decoding the pixels, so
//! a small file that declares a huge picture (a decompression bomb for
//! every browser and thumbnailer that opens it) is refused up front.

use crate::format::ImageFormat;

/// The most pixels a cover or avatar may have: about 40 megapixels, more
/// than any camera or cover scan needs (8000 × 5000).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageDimensions {
    pub width: u64,
    pub height: u64,
}

impl ImageDimensions {
    pub fn pixels(self) -> u64 {
        self.width.saturating_mul(self.height)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The header is cut short or damaged (or lies beyond the bytes given).
    #[error("the {format} image's dimensions cannot be read")]
    Unreadable { format: ImageFormat },
    #[error(
        "the image is {}×{} pixels; at most {} megapixels are accepted",
        .dimensions.width, .dimensions.height, MAX_IMAGE_PIXELS / 1_000_000
    )]
    TooLarge { dimensions: ImageDimensions },
}

/// Reads the dimensions of an image in `format` from its first bytes and
/// checks them: non-empty and at most [`MAX_IMAGE_PIXELS`].
pub fn check_image(format: ImageFormat, head: &[u8]) -> Result<ImageDimensions, ImageError> {
    let unreadable = ImageError::Unreadable { format };
    let size = imagesize::blob_size(head).map_err(|_| unreadable.clone())?;
    let dimensions = ImageDimensions {
        width: size.width as u64,
        height: size.height as u64,
    };
    if dimensions.pixels() == 0 {
        return Err(unreadable);
    }
    if dimensions.pixels() > MAX_IMAGE_PIXELS {
        return Err(ImageError::TooLarge { dimensions });
    }
    Ok(dimensions)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG signature and header chunk declaring `width` × `height`.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    #[test]
    fn dimensions_come_from_the_header() {
        assert_eq!(
            check_image(ImageFormat::Png, &png_header(640, 480)),
            Ok(ImageDimensions {
                width: 640,
                height: 480
            })
        );
    }

    #[test]
    fn more_than_40_megapixels_is_too_large() {
        assert!(check_image(ImageFormat::Png, &png_header(8000, 5000)).is_ok());
        assert!(matches!(
            check_image(ImageFormat::Png, &png_header(8000, 5001)),
            Err(ImageError::TooLarge { .. })
        ));
        assert!(matches!(
            check_image(ImageFormat::Png, &png_header(65_535, 65_535)),
            Err(ImageError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_cut_or_empty_header_is_unreadable() {
        let header = png_header(0, 10);
        assert_eq!(
            check_image(ImageFormat::Png, &header),
            Err(ImageError::Unreadable {
                format: ImageFormat::Png
            })
        );
        assert!(check_image(ImageFormat::Jpeg, b"\xff\xd8\xff\xe0\0\x10JFIF").is_err());
    }
}
