//! A Subsonic request's parameters: the query string and, for form posts
//! (the `formPost` extension), the body, merged; names may repeat
//! (`songId=1&songId=2`).

use super::wire::SubsonicError;

#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// From the query string and an `application/x-www-form-urlencoded` body.
    pub fn parse(query: &str, form: Option<&[u8]>) -> Self {
        let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        if let Some(form) = form {
            pairs.extend(url::form_urlencoded::parse(form).into_owned());
        }
        Self(pairs)
    }

    /// The first value of `name`, if given and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The value of `name`, or error 10.
    pub fn required(&self, name: &str) -> Result<&str, SubsonicError> {
        self.get(name).ok_or_else(|| SubsonicError::missing(name))
    }

    /// A whole number, `default` when absent; anything else is error 0.
    pub fn int(&self, name: &str, default: i64) -> Result<i64, SubsonicError> {
        self.optional_int(name).map(|n| n.unwrap_or(default))
    }

    pub fn optional_int(&self, name: &str) -> Result<Option<i64>, SubsonicError> {
        self.get(name)
            .map(|value| {
                value.parse::<i64>().map_err(|_| {
                    SubsonicError::generic(format!("Parameter '{name}' must be a whole number."))
                })
            })
            .transpose()
    }

    /// `true`/`false`, `default` when absent.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, SubsonicError> {
        match self.get(name) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(_) => Err(SubsonicError::generic(format!(
                "Parameter '{name}' must be true or false."
            ))),
        }
    }
}
