//! Keyset pagination: `?limit=` (default 50, at most 200) and an opaque
//! `?cursor=` naming the last row of the previous page, so pages stay
//! correct while rows are inserted.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use soundstream_types::FieldError;

use crate::domain::field_error;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: i64,
    /// The sort key of the last row already seen.
    pub after: Option<String>,
}

impl PageQuery {
    pub fn parse(&self) -> Result<PageRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            errors.push(field_error("limit", "must be from 1 to 200"));
        }
        let after = match &self.cursor {
            None => None,
            Some(cursor) => match decode_cursor(cursor) {
                Some(key) => Some(key),
                None => {
                    errors.push(field_error(
                        "cursor",
                        "is not a cursor this API issued; start again without it",
                    ));
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(PageRequest { limit, after })
        } else {
            Err(errors)
        }
    }
}

impl PageRequest {
    /// Rows to fetch: one more than the page, to learn whether another follows.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// Trims the extra row and returns the page with the cursor after it.
    pub fn page<T>(
        &self,
        mut rows: Vec<T>,
        key: impl Fn(&T) -> String,
    ) -> (Vec<T>, Option<String>) {
        let has_more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > self.limit;
        rows.truncate(usize::try_from(self.limit).unwrap_or(usize::MAX));
        let next = has_more
            .then(|| rows.last().map(|row| encode_cursor(&key(row))))
            .flatten();
        (rows, next)
    }
}

/// Joins the parts of a composite sort key (`key␟id`): a control
/// character, so it never occurs inside a part.
pub const KEY_SEPARATOR: char = '\u{1f}';

/// The cursor key of a row sorted by `key`, ties broken by `id`.
pub fn composite_key(key: impl std::fmt::Display, id: &str) -> String {
    format!("{key}{KEY_SEPARATOR}{id}")
}

fn foreign_cursor() -> FieldError {
    field_error("cursor", "is not a cursor of this list")
}

impl PageRequest {
    /// The `(key, id)` of the last row seen, for lists keyed by [`composite_key`].
    pub fn after_key_and_id(&self) -> Result<Option<(&str, &str)>, FieldError> {
        match &self.after {
            None => Ok(None),
            Some(cursor) => cursor
                .split_once(KEY_SEPARATOR)
                .map(Some)
                .ok_or_else(foreign_cursor),
        }
    }

    /// The same for lists keyed by a number (a time in milliseconds).
    pub fn after_number_and_id(&self) -> Result<Option<(i64, String)>, FieldError> {
        let Some((key, id)) = self.after_key_and_id()? else {
            return Ok(None);
        };
        let key = key.parse().map_err(|_| foreign_cursor())?;
        Ok(Some((key, id.to_owned())))
    }
}

const CURSOR_PREFIX: &str = "k1:";

pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{key}"))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix(CURSOR_PREFIX).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let query = PageQuery {
            limit: Some(2),
            cursor: Some(encode_cursor("ana")),
        };
        assert_eq!(
            query.parse(),
            Ok(PageRequest {
                limit: 2,
                after: Some("ana".into())
            })
        );
        let garbage = PageQuery {
            limit: None,
            cursor: Some("!!".into()),
        };
        assert_eq!(garbage.parse().expect_err("refused")[0].field, "cursor");
    }

    #[test]
    fn limits_are_bounded() {
        for bad in [0, -1, 201] {
            let query = PageQuery {
                limit: Some(bad),
                cursor: None,
            };
            assert!(query.parse().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_extra_row_sets_the_next_cursor() {
        let request = PageRequest {
            limit: 2,
            after: None,
        };
        let (items, next) = request.page(vec!["a", "b", "c"], |s| (*s).to_owned());
        assert_eq!(items, vec!["a", "b"]);
        assert_eq!(next, Some(encode_cursor("b")));
        let (_, last) = request.page(vec!["a", "b"], |s| (*s).to_owned());
        assert_eq!(last, None);
    }
}
