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

    /// An FTS5 query: every word, each as a prefix. Words are letters and
    /// digits only, so quoting them is all the escaping needed.
    pub fn fts5_query(&self) -> String {
        self.words
            .iter()
            .map(|word| format!("\"{word}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A PostgreSQL `to_tsquery` text with the same meaning.
    pub fn tsquery(&self) -> String {
        self.words
            .iter()
            .map(|word| format!("{word}:*"))
            .collect::<Vec<_>>()
            .join(" & ")
    }
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
        assert_eq!(terms.fts5_query(), "\"beyonce\"* \"hal\"*");
        assert_eq!(terms.tsquery(), "beyonce:* & hal:*");
    }

    #[test]
    fn queries_without_words_or_too_long_are_refused() {
        assert!(SearchTerms::parse("q", "").is_err());
        assert!(SearchTerms::parse("q", "!!! ???").is_err());
        assert!(SearchTerms::parse("q", &"a".repeat(201)).is_err());
        assert!(SearchTerms::parse("q", &"a ".repeat(17)).is_err());
        // Operators of either engine are just punctuation here.
        let terms = SearchTerms::parse("q", "a* OR \"b\" & !c:*").expect("valid");
        assert_eq!(terms.fts5_query(), "\"a\"* \"or\"* \"b\"* \"c\"*");
    }
}
