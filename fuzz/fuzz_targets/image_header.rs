//! Image dimensions read from the header (`soundstream_media::check_image`),
//! which refuses decompression bombs among covers and avatars before any
//! browser or thumbnailer decodes them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use soundstream_media::{ImageError, ImageFormat, MAX_IMAGE_PIXELS, check_image};

fuzz_target!(|head: &[u8]| {
    // Production checks the sniffed format; every format is tried here so a
    // mutation that breaks the signature still reaches each header reader.
    for format in ImageFormat::ALL {
        match check_image(format, head) {
            Ok(dimensions) => {
                let pixels = dimensions.pixels();
                assert!(
                    (1..=MAX_IMAGE_PIXELS).contains(&pixels),
                    "{dimensions:?} accepted"
                );
            }
            Err(ImageError::TooLarge { dimensions }) => {
                assert!(
                    dimensions.pixels() > MAX_IMAGE_PIXELS,
                    "{dimensions:?} refused"
                );
            }
            Err(ImageError::Unreadable { format: named }) => assert_eq!(named, format),
        }
    }
});
