//! The Subsonic wire format: the `subsonic-response` envelope in XML (the
//! default, namespace `http://subsonic.org/restapi`), JSON (`f=json`) or
//! JSONP (`f=jsonp&callback=`), and the Subsonic error codes, always with
//! HTTP 200 as the specification requires.
//!
//! Answers are built once, as JSON values in the OpenSubsonic JSON shape;
//! XML is derived from them by the specification's own correspondence:
//! scalar fields are attributes, objects and arrays of objects are child
//! elements, arrays of scalars are repeated elements holding text, and a
//! `value` field is the element's text.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde_json::{Map, Value};

use crate::services::ServiceError;
use crate::telemetry::error_chain;

/// The Subsonic REST version this server speaks.
pub const API_VERSION: &str = "1.16.1";
const XML_NAMESPACE: &str = "http://subsonic.org/restapi";

/// How the client asked to be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
    /// JSON wrapped in a call of this (checked) function name.
    Jsonp(String),
}

impl Format {
    /// From `f` and `callback`; unknown formats get XML, like other servers.
    pub fn parse(f: Option<&str>, callback: Option<&str>) -> Self {
        match f {
            Some("json") => Self::Json,
            Some("jsonp") => match callback.filter(|name| is_callback_name(name)) {
                Some(name) => Self::Jsonp(name.to_owned()),
                None => Self::Json,
            },
            _ => Self::Xml,
        }
    }
}

/// A JavaScript identifier path (`cb`, `jQuery123.done`): nothing that
/// could inject script around the answer.
fn is_callback_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        })
}

/// A Subsonic error: its code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsonicError {
    pub code: u32,
    pub message: String,
}

impl SubsonicError {
    pub fn new(code: u32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn generic(message: impl Into<String>) -> Self {
        Self::new(0, message)
    }

    pub fn missing(parameter: &str) -> Self {
        Self::new(10, format!("Required parameter '{parameter}' is missing."))
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(70, message)
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(50, message)
    }
}

/// The services' refusals in Subsonic's terms; failures on the server's
/// side are logged with their whole chain and answered generically.
impl From<ServiceError> for SubsonicError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::NotFound(message) => Self::not_found(message),
            ServiceError::Unauthorized(message) => Self::new(40, message),
            ServiceError::Forbidden(message) => Self::not_authorized(message),
            ServiceError::RateLimited { retry_after } => Self::new(
                40,
                format!(
                    "Too many failed attempts; try again in {} seconds.",
                    retry_after.as_secs().max(1)
                ),
            ),
            ServiceError::Validation { detail, .. } | ServiceError::Conflict { detail, .. } => {
                Self::generic(detail)
            }
            ServiceError::FeatureDisabled(message) | ServiceError::QuotaExceeded(message) => {
                Self::generic(message)
            }
            other => {
                tracing::error!(error = %error_chain(&other), "subsonic request failed on the server side");
                Self::generic("The server failed to answer; try again later.")
            }
        }
    }
}

/// What a method answers inside the envelope: named elements, in order.
pub type Payload = Vec<(&'static str, Value)>;

/// The envelope's attributes, in the order clients show them.
fn envelope(ok: bool) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(
        "status".into(),
        Value::from(if ok { "ok" } else { "failed" }),
    );
    map.insert("version".into(), Value::from(API_VERSION));
    map.insert("type".into(), Value::from("soundstream"));
    map.insert(
        "serverVersion".into(),
        Value::from(env!("CARGO_PKG_VERSION")),
    );
    map.insert("openSubsonic".into(), Value::from(true));
    map
}

/// The whole answer, with HTTP 200 whatever the outcome.
pub fn respond(format: &Format, outcome: Result<Payload, SubsonicError>) -> HttpResponse {
    let (mut body, payload) = match outcome {
        Ok(payload) => (envelope(true), payload),
        Err(error) => {
            let mut detail = Map::new();
            detail.insert("code".into(), Value::from(error.code));
            detail.insert("message".into(), Value::from(error.message));
            (envelope(false), vec![("error", Value::Object(detail))])
        }
    };
    for (name, value) in payload {
        body.insert(name.to_owned(), value);
    }
    match format {
        Format::Xml => HttpResponse::Ok()
            .content_type("application/xml; charset=utf-8")
            .body(to_xml(&body)),
        Format::Json => HttpResponse::Ok()
            .content_type(header::ContentType::json())
            .body(json_text(body)),
        Format::Jsonp(callback) => HttpResponse::Ok()
            .content_type("application/javascript; charset=utf-8")
            .body(format!("{callback}({});", json_text(body))),
    }
}

fn json_text(body: Map<String, Value>) -> String {
    let mut root = Map::new();
    root.insert("subsonic-response".into(), Value::Object(body));
    Value::Object(root).to_string()
}

fn to_xml(body: &Map<String, Value>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.push_str("<subsonic-response xmlns=\"");
    out.push_str(XML_NAMESPACE);
    out.push('"');
    write_element_body(&mut out, "subsonic-response", body);
    out
}

/// Attributes, `>`, children and the closing tag of an element whose
/// opening `<name` is already written.
fn write_element_body(out: &mut String, name: &str, fields: &Map<String, Value>) {
    let mut text = None;
    for (key, value) in fields {
        if key == "value" && !value.is_object() && !value.is_array() {
            text = scalar_text(value);
            continue;
        }
        if let Some(scalar) = scalar_text(value) {
            out.push(' ');
            out.push_str(key);
            out.push_str("=\"");
            escape_into(out, &scalar);
            out.push('"');
        }
    }
    let children: Vec<(&String, &Value)> = fields
        .iter()
        .filter(|(_, value)| value.is_object() || value.is_array())
        .collect();
    if children.is_empty() && text.is_none() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    if let Some(text) = text {
        escape_into(out, &text);
    }
    for (key, value) in children {
        write_child(out, key, value);
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn write_child(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Object(fields) => {
            out.push('<');
            out.push_str(name);
            write_element_body(out, name, fields);
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) | Value::Array(_) => write_child(out, name, item),
                    scalar => {
                        if let Some(text) = scalar_text(scalar) {
                            out.push('<');
                            out.push_str(name);
                            out.push('>');
                            escape_into(out, &text);
                            out.push_str("</");
                            out.push_str(name);
                            out.push('>');
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn xml_follows_the_json_shape() {
        let body = json!({
            "status": "ok",
            "album": {"id": "a1", "name": "Tom & \"Jerry\"", "song": [{"id": "s1"}, {"id": "s2"}], "moods": ["calm"]},
            "lyrics": {"artist": "A", "value": "la <la>"},
        });
        let Value::Object(body) = body else {
            unreachable!("an object literal")
        };
        assert_eq!(
            to_xml(&body),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><subsonic-response xmlns=\"http://subsonic.org/restapi\" status=\"ok\">\
             <album id=\"a1\" name=\"Tom &amp; &quot;Jerry&quot;\"><song id=\"s1\"/><song id=\"s2\"/><moods>calm</moods></album>\
             <lyrics artist=\"A\">la &lt;la&gt;</lyrics></subsonic-response>"
        );
    }

    #[test]
    fn jsonp_callbacks_must_be_identifiers() {
        assert_eq!(
            Format::parse(Some("jsonp"), Some("jQuery1.cb_2")),
            Format::Jsonp("jQuery1.cb_2".into())
        );
        assert_eq!(
            Format::parse(Some("jsonp"), Some("alert(1);x")),
            Format::Json
        );
        assert_eq!(Format::parse(None, None), Format::Xml);
    }
}
