//! Usernames, email addresses and display names.

use std::fmt;
use std::str::FromStr;

use soundstream_types::FieldError;

use super::field_error;

/// 3–32 characters of `a-z 0-9 _ . -`, stored in lower case so uniqueness
/// is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let name = input.trim().to_lowercase();
        let length = name.chars().count();
        if !(3..=32).contains(&length) {
            return Err(field_error("username", "must be 3 to 32 characters long"));
        }
        if !name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-')
        }) {
            return Err(field_error(
                "username",
                "may contain only letters a-z, digits and _ . -",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A syntactically valid email address (RFC 5322 addr-spec), at most 254
/// characters, kept as typed; uniqueness ignores case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let email = input.trim();
        let invalid = || {
            field_error(
                "email",
                "must be a valid email address such as ana@example.com",
            )
        };
        if email.len() > 254 {
            return Err(field_error("email", "must be at most 254 characters long"));
        }
        let parsed = email_address::EmailAddress::from_str(email).map_err(|_| invalid())?;
        // Display-name forms ("Ana <ana@x>") parse too; only a bare address is an email field.
        if parsed.email() != email || !parsed.domain().contains('.') {
            return Err(invalid());
        }
        Ok(Self(email.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trimmed, 1–64 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let name = input.trim();
        let length = name.chars().count();
        if !(1..=64).contains(&length) {
            return Err(field_error(
                "display_name",
                "must be 1 to 64 characters long",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(field_error(
                "display_name",
                "must not contain control characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_limited_to_the_allowed_characters() {
        assert_eq!(
            Username::parse(" Ana.Maria_1 ").map(|u| u.0),
            Ok("ana.maria_1".into())
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse(&"a".repeat(33)).is_err());
        assert!(Username::parse(&"a".repeat(32)).is_ok());
        for bad in ["ana maria", "ana@x", "añá", "ana/..", "ana\u{0}"] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_must_be_bare_valid_addresses() {
        assert!(Email::parse("ana@example.com").is_ok());
        assert!(Email::parse(" Ana.Garcia+music@example.co.uk ").is_ok());
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "Ana <ana@example.com>",
            "ana@localhost",
            "a b@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ana  ").map(|d| d.0), Ok("Ana".into()));
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"ñ".repeat(64)).is_ok());
        assert!(DisplayName::parse(&"ñ".repeat(65)).is_err());
        assert!(DisplayName::parse("Ana\nBob").is_err());
    }
}
