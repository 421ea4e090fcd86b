//! Domain newtypes: request input is parsed into these at the edge, so the
//! code behind them never sees an invalid username, email or language.
//! Each parser returns the field error a client can show next to the field.

mod annotations;
mod catalogue;
mod language;
pub mod pagination;
mod playback;
pub mod radio;
mod search;
mod users;

pub use annotations::{BookmarkComment, ClientName, PlaybackPosition, Rating};
pub use catalogue::CatalogueName;
pub use language::LanguageCode;
pub use playback::{AcceptedCodecs, OriginalAudio, choose_rendition, parse_quality};
pub use search::{SearchTerms, TextMatch, search_form};
pub use users::{DisplayName, Email, Username};

use soundstream_types::FieldError;

pub(crate) fn field_error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Collects the field errors of several parses, so one response lists
/// every invalid field instead of only the first.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// The parsed value, or `None` with its error recorded.
    pub fn check<T>(&mut self, parsed: Result<T, FieldError>) -> Option<T> {
        parsed.map_err(|error| self.0.push(error)).ok()
    }

    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}
