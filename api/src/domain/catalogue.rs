//! Names in the catalogue: titles and artist names, and their matching
//! form, so "BEYONCE" and "Beyoncé" are one artist.

use soundstream_types::FieldError;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::field_error;

/// A song title, artist name or album title: trimmed, 1–200 characters,
/// no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueName(String);

impl CatalogueName {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = name.chars().count();
        if !(1..=200).contains(&length) {
            return Err(field_error(field, "must be 1 to 200 characters long"));
        }
        if name.chars().any(char::is_control) {
            return Err(field_error(field, "must not contain control characters"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lower case without accents: the form names are matched by.
    pub fn normalized(&self) -> String {
        fold_case_and_accents(&self.0)
    }
}

/// Lower case, compatibility-decomposed, without combining accents.
pub(crate) fn fold_case_and_accents(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_ignoring_case_accents_and_spacing() {
        let parse = |s| CatalogueName::parse("artist", s).expect("valid");
        assert_eq!(parse("Beyoncé").normalized(), parse("BEYONCE").normalized());
        assert_eq!(parse("  Sigur   Rós ").as_str(), "Sigur Rós");
        assert_eq!(parse("Canción").normalized(), "cancion");
        assert!(CatalogueName::parse("title", "   ").is_err());
        assert!(CatalogueName::parse("title", &"x".repeat(201)).is_err());
    }
}
