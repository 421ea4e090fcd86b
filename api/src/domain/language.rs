//! Language codes (`es`, `en`, `pt-BR`): the subset of BCP 47 that
//! translation providers accept.

use std::fmt;

use soundstream_types::FieldError;

use super::field_error;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LanguageCode(String);

impl LanguageCode {
    /// A 2–3 letter primary language, optionally a 2-letter region or a
    /// 4-letter script (`zh-TW`, `sr-Latn`); normalised to `xx-YY` case.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let invalid = || field_error(field, "must be a language code such as es, en or pt-BR");
        let mut parts = input.trim().split(['-', '_']);
        let primary = parts.next().unwrap_or_default();
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(invalid());
        }
        let mut code = primary.to_ascii_lowercase();
        if let Some(subtag) = parts.next() {
            let normalised = match subtag.len() {
                2 if subtag.bytes().all(|b| b.is_ascii_alphabetic()) => subtag.to_ascii_uppercase(),
                4 if subtag.bytes().all(|b| b.is_ascii_alphabetic()) => {
                    let mut script = subtag.to_ascii_lowercase();
                    script[..1].make_ascii_uppercase();
                    script
                }
                _ => return Err(invalid()),
            };
            code.push('-');
            code.push_str(&normalised);
        }
        if parts.next().is_some() {
            return Err(invalid());
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        let parse = |s| LanguageCode::parse("lang", s).map(|c| c.0);
        assert_eq!(parse("ES"), Ok("es".into()));
        assert_eq!(parse("pt_br"), Ok("pt-BR".into()));
        assert_eq!(parse("zh-hant"), Ok("zh-Hant".into()));
        for bad in ["", "e", "spanish", "es-", "es-1", "es-ES-x", "és"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
