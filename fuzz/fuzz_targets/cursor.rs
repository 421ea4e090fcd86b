//! Page cursors (`?cursor=`): the opaque token `domain::pagination` issues
//! and parses, and the song lists' `sort␟key␟id` inside it.
#![no_main]

#[path = "common/lines.rs"]
mod lines;

use libfuzzer_sys::fuzz_target;
use lines::lines;
use soundstream_api::domain::pagination::{KEY_SEPARATOR, PageQuery, composite_key, encode_cursor};
use soundstream_api::persistence::songs::{After, SongOrder};
use soundstream_api::services::catalogue::parse_cursor;

const SORTS: [(&str, SongOrder); 5] = [
    ("title", SongOrder::Title),
    ("artist", SongOrder::Artist),
    ("album", SongOrder::Album),
    ("added", SongOrder::Added),
    ("duration", SongOrder::Duration),
];

fn page(cursor: &str) -> PageQuery {
    PageQuery {
        limit: None,
        cursor: Some(cursor.to_owned()),
    }
}

fuzz_target!(|input: &str| {
    let [cursor, key] = lines(input);

    // A client's cursor: either refused, or one this API could have issued,
    // which re-encodes to exactly the same text.
    if let Ok(request) = page(cursor).parse() {
        let after = request.after.clone().expect("a cursor was given");
        assert_eq!(encode_cursor(&after), cursor, "not canonical");
        let _ = request.after_key_and_id();
        let _ = request.after_number_and_id();
        for (sort_name, order) in SORTS {
            let _ = parse_cursor(&after, sort_name, order);
        }
    }

    // What the API issues, it parses back.
    let issued = page(&encode_cursor(key))
        .parse()
        .expect("an issued cursor parses");
    assert_eq!(issued.after.as_deref(), Some(key));

    // Song lists: `sort␟key␟id` for the list's own sort only; keys never
    // hold the separator (they are normalised names or numbers).
    let (sort_key, id) = key.split_once('|').unwrap_or((key, "id"));
    if !sort_key.contains(KEY_SEPARATOR) {
        for (sort_name, order) in SORTS {
            let cursor_key = composite_key(composite_key(sort_name, sort_key), id);
            match parse_cursor(&cursor_key, sort_name, order) {
                Some(After::Text(parsed_key, parsed_id)) => {
                    assert!(!order.is_numeric());
                    assert_eq!((parsed_key.as_str(), parsed_id.as_str()), (sort_key, id));
                }
                Some(After::Number(number, parsed_id)) => {
                    assert!(order.is_numeric());
                    assert_eq!(Ok(number), sort_key.parse::<i64>());
                    assert_eq!(parsed_id, id);
                }
                None => assert!(order.is_numeric() && sort_key.parse::<i64>().is_err()),
            }
            let other = if sort_name == "title" {
                "added"
            } else {
                "title"
            };
            assert!(
                parse_cursor(&cursor_key, other, order).is_none(),
                "another sort's cursor"
            );
        }
    }
});
