//! Search queries (`?q=`, Subsonic `query=`): `domain::SearchTerms` turns
//! them into FTS5 and `to_tsquery` text, so nothing a user types may reach
//! either engine as syntax.
#![no_main]

use libfuzzer_sys::fuzz_target;
use soundstream_api::domain::{SearchTerms, TextMatch, search_form};

fuzz_target!(|query: &str| {
    // Folding is idempotent: indexed text and queries meet in one form.
    let form = search_form(query);
    assert_eq!(search_form(&form), form, "{query:?}");

    let Ok(terms) = SearchTerms::parse("q", query) else {
        return;
    };
    let phrase = terms.phrase();
    assert!(!phrase.is_empty() && phrase.split(' ').count() <= 16);
    // Words are letters and digits: no quote, star, colon or operator.
    assert!(
        phrase.chars().all(|c| c == ' ' || c.is_alphanumeric()),
        "{phrase:?}"
    );
    assert!(phrase.split(' ').all(|word| !word.is_empty()));
    let (from, to) = terms.name_prefix_range();
    assert!(from < to && from == phrase);
    for scope in [TextMatch::InName, TextMatch::PartlyInContext] {
        // Each word is quoted once in FTS5: an even count of quotes, none inside.
        let fts5 = terms.fts5_query(scope);
        assert_eq!(fts5.matches('"').count() % 2, 0, "{fts5:?}");
        let _ = terms.tsquery(scope);
    }
});
