//! Serves the built web player (Trunk's `dist/`) at `/`: files as they are,
//! `index.html` for client-side routes, hashed assets cached forever and
//! everything else revalidated so a deploy is picked up at once. A file's
//! `<name>.br` beside it (the build writes them at brotli's best quality) is
//! sent instead to browsers that accept brotli: far smaller than what the
//! compression middleware makes on the fly, at no CPU cost per request.

use std::path::PathBuf;

use actix_files::NamedFile;
use actix_web::http::Method;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

#[derive(Debug, Clone)]
pub struct WebPlayer {
    root: PathBuf,
    /// The Content-Security-Policy every file of the player is served with.
    policy: HeaderValue,
}

impl WebPlayer {
    pub fn new(root: PathBuf, policy: &str) -> Self {
        Self {
            root,
            // Built from validated origins; a bad one is a bug, not input.
            policy: HeaderValue::from_str(policy).expect("the player's policy is a valid header"),
        }
    }

    /// The response for a browser path, or `None` when the path is not the
    /// web player's (API paths, other methods, missing files with an extension).
    pub async fn serve(&self, req: &HttpRequest) -> Option<HttpResponse> {
        if !matches!(*req.method(), Method::GET | Method::HEAD) || req.path().starts_with("/api/") {
            return None;
        }
        let relative = safe_relative_path(req.path())?;
        let file = self.root.join(&relative);
        let target = if file.is_file() {
            file
        } else if relative
            .file_name()
            .is_none_or(|name| !name.to_string_lossy().contains('.'))
        {
            // A client route such as /library or /albums/123.
            self.root.join("index.html")
        } else {
            return None;
        };
        let cache_control = if target
            .file_name()
            .is_some_and(|name| is_content_hashed(&name.to_string_lossy()))
        {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        let accepts_brotli = accepts_brotli(req);
        // Opening stats the file: keep that off the request worker.
        let path = target.clone();
        match actix_web::web::block(move || open(path, accepts_brotli)).await {
            Ok(Ok(named)) => {
                let mut response = named
                    .use_etag(true)
                    .use_last_modified(true)
                    .into_response(req);
                // Caches must not hand the brotli body to a client that did not ask for it.
                response
                    .headers_mut()
                    .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                response.headers_mut().insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(cache_control),
                );
                response
                    .headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, self.policy.clone());
                Some(response)
            }
            Ok(Err(error)) => {
                tracing::warn!(path = %target.display(), %error, "web player file unreadable");
                None
            }
            Err(error) => {
                tracing::warn!(path = %target.display(), %error, "web player file task failed");
                None
            }
        }
    }
}

/// `path`, or its precompressed `<path>.br` when the client accepts brotli
/// and the build wrote one (served with the original's media type).
fn open(path: PathBuf, accepts_brotli: bool) -> std::io::Result<NamedFile> {
    let mut compressed = path.clone().into_os_string();
    compressed.push(".br");
    let compressed = PathBuf::from(compressed);
    if accepts_brotli && compressed.is_file() {
        let original = NamedFile::open(&path)?;
        let content_type = original.content_type().clone();
        return Ok(NamedFile::open(compressed)?
            .set_content_type(content_type)
            .set_content_encoding(ContentEncoding::Brotli)
            .disable_content_disposition());
    }
    NamedFile::open(path)
}

/// Whether `Accept-Encoding` lists `br` (and does not refuse it with `q=0`).
fn accepts_brotli(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("br"))
                && parts.all(|param| {
                    param
                        .strip_prefix("q=")
                        .is_none_or(|q| q.parse::<f32>().is_ok_and(|q| q > 0.0))
                })
        })
}

/// The request path as a path under the web root, refusing anything that
/// could escape it or reach hidden files. Trunk's output uses plain names.
fn safe_relative_path(path: &str) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        let plain = !segment.starts_with('.')
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~'));
        if !plain {
            return None;
        }
        relative.push(segment);
    }
    if relative.as_os_str().is_empty() {
        relative.push("index.html");
    }
    Some(relative)
}

/// Trunk names built assets `<name>-<16 hex digits>[_bg].<ext>`; such a
/// file never changes under its name.
fn is_content_hashed(name: &str) -> bool {
    name.match_indices('-').any(|(index, _)| {
        let rest = &name[index + 1..];
        rest.len() > 16
            && rest[..16].bytes().all(|b| b.is_ascii_hexdigit())
            && matches!(rest.as_bytes()[16], b'.' | b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_content_hashed(
            "soundstream-web-2c5a3e0d4b6e1f7a_bg.wasm"
        ));
        assert!(is_content_hashed("soundstream-web-2c5a3e0d4b6e1f7a.js"));
        assert!(is_content_hashed("style-8b0f2c3d4e5f6a7b.css"));
        assert!(!is_content_hashed("index.html"));
        assert!(!is_content_hashed("config.json"));
        assert!(!is_content_hashed("soundstream-web.js"));
    }

    #[test]
    fn paths_cannot_escape_the_web_root() {
        assert_eq!(safe_relative_path("/"), Some(PathBuf::from("index.html")));
        assert_eq!(
            safe_relative_path("/assets/app.js"),
            Some(PathBuf::from("assets/app.js"))
        );
        assert_eq!(safe_relative_path("/../etc/passwd"), None);
        assert_eq!(safe_relative_path("/.env"), None);
        assert_eq!(safe_relative_path("/a/%2e%2e/b"), None);
        assert_eq!(safe_relative_path("/a\\b"), None);
    }
}
