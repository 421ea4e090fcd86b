//! What listeners say about the catalogue and where they are in it:
//! ratings, playback positions and the names of the clients they use.

use soundstream_types::FieldError;

use super::field_error;

/// A rating from 1 to 5 stars; 0 means "no rating" (Subsonic's way to
/// remove one), so it parses to `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating(i64);

impl Rating {
    pub fn parse(field: &str, stars: i64) -> Result<Option<Self>, FieldError> {
        match stars {
            0 => Ok(None),
            1..=5 => Ok(Some(Self(stars))),
            _ => Err(field_error(field, "must be 0 (none) to 5")),
        }
    }

    pub fn stars(self) -> i64 {
        self.0
    }
}

/// A position in a song, in milliseconds from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaybackPosition(i64);

impl PlaybackPosition {
    pub fn parse(field: &str, ms: i64) -> Result<Self, FieldError> {
        if ms < 0 {
            return Err(field_error(field, "must not be negative"));
        }
        Ok(Self(ms))
    }

    pub fn millis(self) -> i64 {
        self.0
    }
}

/// The name a client gives itself (Subsonic's `c`), shown to the listener
/// in "now playing" and in who last saved the play queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientName(String);

impl ClientName {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let name = input.trim();
        if !(1..=100).contains(&name.chars().count()) {
            return Err(field_error(field, "must be 1 to 100 characters long"));
        }
        if name.chars().any(char::is_control) {
            return Err(field_error(field, "must not contain control characters"));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A bookmark's note: at most 1,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookmarkComment(String);

impl BookmarkComment {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        if input.chars().count() > 1000 {
            return Err(field_error(field, "must be at most 1000 characters long"));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_0_to_5_and_0_is_none() {
        assert_eq!(Rating::parse("rating", 0), Ok(None));
        assert_eq!(
            Rating::parse("rating", 5).map(|r| r.map(Rating::stars)),
            Ok(Some(5))
        );
        assert!(Rating::parse("rating", 6).is_err());
        assert!(Rating::parse("rating", -1).is_err());
    }

    #[test]
    fn positions_clients_and_comments_are_checked() {
        assert!(PlaybackPosition::parse("position", -1).is_err());
        assert_eq!(
            PlaybackPosition::parse("position", 0).map(PlaybackPosition::millis),
            Ok(0)
        );
        assert_eq!(
            ClientName::parse("c", "  DSub ").map(|c| c.as_str().to_owned()),
            Ok("DSub".into())
        );
        assert!(ClientName::parse("c", " ").is_err());
        assert!(ClientName::parse("c", "a\u{7}").is_err());
        assert!(BookmarkComment::parse("comment", &"x".repeat(1001)).is_err());
    }
}
