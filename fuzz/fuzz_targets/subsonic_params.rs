//! Subsonic request parameters (`/rest/*`): the query string and form body
//! merged (`http::subsonic::params::Params`), the answer format and JSONP
//! callback (`wire::Format`), and the numbers and flags read from them.
#![no_main]

#[path = "common/lines.rs"]
mod lines;

use libfuzzer_sys::fuzz_target;
use lines::lines;
use soundstream_api::http::subsonic::params::Params;
use soundstream_api::http::subsonic::wire::Format;

fuzz_target!(|input: &str| {
    let [query, form] = lines(input);
    let params = Params::parse(query, Some(form.as_bytes()));
    let query_only = Params::parse(query, None);

    for name in [
        "id", "u", "p", "t", "s", "f", "callback", "count", "offset", "songId",
    ] {
        let all = params.all(name);
        // `get` is the first of `all`; the query string comes before the body.
        assert_eq!(params.get(name), all.first().copied());
        assert!(all.iter().all(|value| !value.is_empty()));
        if let Some(value) = query_only.get(name) {
            assert_eq!(params.get(name), Some(value), "the body overrode the query");
        }
        if let Ok(Some(number)) = params.optional_int(name) {
            assert_eq!(params.get(name).map(str::parse::<i64>), Some(Ok(number)));
        }
        let flag = params.flag(name, false);
        assert!(flag.is_err() == !matches!(params.get(name), None | Some("true" | "false")));
        assert!(params.required(name).is_ok() == params.get(name).is_some());
    }

    // A JSONP callback is echoed into JavaScript: only a plain identifier path.
    if let Format::Jsonp(callback) = Format::parse(params.get("f"), params.get("callback")) {
        assert!(!callback.is_empty() && callback.len() <= 128);
        assert!(
            callback
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.')),
            "{callback:?}"
        );
        assert!(
            callback
                .split('.')
                .all(|part| { part.chars().next().is_some_and(|c| !c.is_ascii_digit()) })
        );
    }
});
