//! `Range` request headers on local media (actix-files' `HttpRange`, which
//! the media route serves files with), and the `Content-Range` value the
//! route reads back to know which bytes to send (`routes::media::content_range`).
#![no_main]

#[path = "common/lines.rs"]
mod lines;

use actix_files::HttpRange;
use libfuzzer_sys::fuzz_target;
use lines::lines;
use soundstream_api::http::routes::media::content_range;

fuzz_target!(|input: &str| {
    let [size, header] = lines(input);
    let Ok(size) = size.parse::<u64>() else {
        return;
    };
    // Every range that parses lies inside the file, and is not empty. (The
    // media route answers 416 to a range of an empty file itself: there
    // http-range yields empty ranges, which NamedFile mishandles.)
    if let Ok(ranges) = HttpRange::parse(header, size)
        .map_err(drop)
        .and_then(|ranges| if size == 0 { Err(()) } else { Ok(ranges) })
    {
        for range in ranges {
            assert!(range.length > 0, "an empty range from {header:?}");
            let end = range.start.checked_add(range.length).expect("no overflow");
            assert!(end <= size, "{header:?} on {size} bytes gave {range:?}");
            // The Content-Range actix-files answers with, read back.
            let value = format!("bytes {}-{}/{size}", range.start, end - 1);
            assert_eq!(content_range(&value), Some((range.start, range.length)));
        }
    }
    // Any Content-Range value: a range that fits in u64, or nothing.
    if let Some((offset, length)) = content_range(header) {
        assert!(length > 0 && offset.checked_add(length - 1).is_some());
    }
});
