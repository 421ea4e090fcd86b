//! Browser-side defences on every answer: no type sniffing, no full URLs
//! leaked to other sites, no framing, a Content-Security-Policy fitted to
//! what is being served (the web player, the `/docs` page, or plain API
//! answers that need nothing), and HSTS when the site is served over HTTPS.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Data;
use soundstream_storage::{ObjectKey, ObjectStore};
use url::Url;

use crate::services::media_urls::MediaUrls;

/// JSON, problem documents and media are never rendered as pages that run
/// anything: they get a policy that allows nothing at all.
const API_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Swagger UI as `utoipa-swagger-ui` serves it: its scripts and styles are
/// files of its own (no inline script), but it sets inline styles and
/// draws icons from `data:` URLs; it fetches only `/openapi.json`.
const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; \
     base-uri 'self'; form-action 'none'";

const HSTS: &str = "max-age=31536000";

/// The headers this deployment sends, worked out once at start-up.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    /// The web player's policy (served with its HTML by `WebPlayer`).
    pub player_policy: String,
    /// Strict-Transport-Security, when the site is served over HTTPS.
    pub hsts: bool,
}

impl SecurityHeaders {
    /// `public_origin` is where browsers reach this API (API calls and,
    /// with local storage, media); `media_origin` where media URLs point
    /// when that is elsewhere (an S3 bucket).
    pub fn new(public_origin: &str, media_origin: Option<&str>, hsts: bool) -> Self {
        let mut remote = public_origin.to_owned();
        if let Some(media) = media_origin.filter(|media| *media != public_origin) {
            remote.push(' ');
            remote.push_str(media);
        }
        // No inline script and no eval: only our own files, plus
        // compiling the WebAssembly module. Images and audio come from
        // the API or the bucket; `blob:`/`data:` for covers picked locally
        // before upload and for the webcam snapshot of face login.
        let player_policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data: blob: {remote}; media-src 'self' blob: {remote}; \
             connect-src 'self' {remote}; font-src 'self'; manifest-src 'self'; \
             worker-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; \
             form-action 'self'"
        );
        Self {
            player_policy,
            hsts,
        }
    }
}

/// The origin of the URLs `store` hands out, when they are absolute
/// (S3: the bucket's endpoint); `None` for API-relative ones (local).
pub async fn media_origin(store: &dyn ObjectStore) -> Option<String> {
    let probe = ObjectKey::parse("probe/00000000000000000000000000000000")?;
    let window = MediaUrls::current_window();
    let url = store
        .presign_download(&probe, "application/octet-stream", window)
        .await
        .ok()?;
    Url::parse(&url)
        .ok()
        .map(|url| url.origin().ascii_serialization())
}

/// Adds what a handler did not set itself: the fixed headers, the policy
/// for the path, and HSTS when configured.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let hsts = req
        .app_data::<Data<SecurityHeaders>>()
        .is_some_and(|headers| headers.hsts);
    let is_docs = req.path() == "/docs" || req.path().starts_with("/docs/");
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    let policy = if is_docs { DOCS_POLICY } else { API_POLICY };
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, policy),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    Ok(response)
}
