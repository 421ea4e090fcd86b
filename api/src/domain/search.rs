//! What a search looks for, in the form the search index stores text.
//!
//! Folding happens here, in Rust, for both the indexed text and the query,
//! so SQLite's FTS5 and PostgreSQL's tsvector see the same words and
//! behave the same ("cancion" finds "Canción" on both).

use soundstream_types::FieldError;

use super::catalogue::fold_case_and_accents;
use super::field_error;

/// Queries longer than this are refused rather than searched.
const MAX_QUERY_CHARS: usize = 200;
/// Each word is a prefix term; more than this is not a search anyone types.
const MAX_WORDS: usize = 16;

/// Text as the search index keeps it: lower case, without accents,
/// punctuation as spaces, one space between words.
pub fn search_form(text: &str) -> String {
    fold_case_and_accents(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of a search, each matched as a prefix ("beyo" finds "Beyoncé").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    words: Vec<String>,
}

impl SearchTerms {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        if input.chars().count() > MAX_QUERY_CHARS {
            return Err(field_error(
                field,
                format!("must be at most {MAX_QUERY_CHARS} characters long"),
            ));
        }
        let form = search_form(input);
        let words: Vec<String> = form
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            return Err(field_error(field, "must contain a letter or a digit"));
        }
        if words.len() > MAX_WORDS {
            return Err(field_error(
                field,
                format!("must have at most {MAX_WORDS} words"),
            ));
        }
        Ok(Self { words })
    }

    /// The words joined by single spaces, comparable with indexed names.
    pub fn phrase(&self) -> String {
        self.words.join(" ")
    }

    /// The range of indexed names that start with the phrase, as
    /// `(from, to)` with `from <= name < to` in byte order: no name in
    /// search form holds U+10FFFF (it is not alphanumeric), the greatest
    /// character, so every name starting with the phrase sorts before it.
    pub fn name_prefix_range(&self) -> (String, String) {
        let phrase = self.phrase();
        let to = format!("{phrase}\u{10FFFF}");
        (phrase, to)
    }

    /// An FTS5 query for the matches `scope` selects, each word a prefix
    /// term. Words are letters and digits only, so quoting them is all the
    /// escaping needed.
    pub fn fts5_query(&self, scope: TextMatch) -> String {
        let words = self
            .words
            .iter()
            .map(|word| format!("\"{word}\"*"))
            .collect::<Vec<_>>()
            .join(" ");
        match scope {
            TextMatch::InName => format!("{{name}} : ({words})"),
            TextMatch::PartlyInContext => format!("({words}) NOT {{name}} : ({words})"),
        }
    }

    /// A PostgreSQL `to_tsquery` text with the same meaning, for a
    /// document whose name is weighted A and context B.
    pub fn tsquery(&self, scope: TextMatch) -> String {
        let terms = |weight: &str| {
            self.words
                .iter()
                .map(|word| format!("{word}:*{weight}"))
                .collect::<Vec<_>>()
                .join(" & ")
        };
        match scope {
            TextMatch::InName => terms("A"),
            TextMatch::PartlyInContext => format!("({}) & !({})", terms(""), terms("A")),
        }
    }
}

/// Which full-text matches a query selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatch {
    /// Every word in the name.
    InName,
    /// Every word somewhere, some only in the context (what the entity is
    /// filed under: a song's artist or album).
    PartlyInContext,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_folded_to_plain_lower_case_words() {
        assert_eq!(search_form("Canción de  Prueba"), "cancion de prueba");
        assert_eq!(search_form("AC/DC — Back in Black!"), "ac dc back in black");
        assert_eq!(search_form("Björk"), "bjork");
        assert_eq!(search_form("  ...  "), "");
    }

    #[test]
    fn queries_become_prefix_terms_for_both_engines() {
        let terms = SearchTerms::parse("q", "BEYONCÉ hal").expect("valid");
        assert_eq!(terms.phrase(), "beyonce hal");
        assert_eq!(
            terms.fts5_query(TextMatch::InName),
            "{name} : (\"beyonce\"* \"hal\"*)"
        );
        assert_eq!(
            terms.fts5_query(TextMatch::PartlyInContext),
            "(\"beyonce\"* \"hal\"*) NOT {name} : (\"beyonce\"* \"hal\"*)"
        );
        assert_eq!(terms.tsquery(TextMatch::InName), "beyonce:*A & hal:*A");
        assert_eq!(
            terms.tsquery(TextMatch::PartlyInContext),
            "(beyonce:* & hal:*) & !(beyonce:*A & hal:*A)"
        );
        let (from, to) = terms.name_prefix_range();
        for name in ["beyonce hal", "beyonce halo", "beyonce hal 2"] {
            assert!(from.as_str() <= name && name < to.as_str(), "{name}");
        }
        for name in ["beyonce ha", "beyonce ham", "beyonce"] {
            assert!(!(from.as_str() <= name && name < to.as_str()), "{name}");
        }
    }

    #[test]
    fn queries_without_words_or_too_long_are_refused() {
        assert!(SearchTerms::parse("q", "").is_err());
        assert!(SearchTerms::parse("q", "!!! ???").is_err());
        assert!(SearchTerms::parse("q", &"a".repeat(201)).is_err());
        assert!(SearchTerms::parse("q", &"a ".repeat(17)).is_err());
        // Operators of either engine are just punctuation here.
        let terms = SearchTerms::parse("q", "a* OR \"b\" & !c:*").expect("valid");
        assert_eq!(
            terms.fts5_query(TextMatch::InName),
            "{name} : (\"a\"* \"or\"* \"b\"* \"c\"*)"
        );
    }
}
