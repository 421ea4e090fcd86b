//! `/media/{key}`: the local storage backend's signed URLs, served by the
//! API itself with the same contract as S3's presigned ones (expiry,
//! signed content type and length, ranges, ETags). With S3 storage these
//! paths do not exist.

use std::fs::File;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_files::NamedFile;
use actix_web::body::{BoxBody, SizedStream};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::{Data, Path, Payload, Query};
use actix_web::{HttpRequest, HttpResponse, get, put};
use serde::Deserialize;
use soundstream_storage::WriteError;
use soundstream_types::Problem;

use crate::http::error::{ApiError, ApiResult};
use crate::http::file_body::FileChunks;
use crate::services::uploads;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignedQuery {
    /// The content type the URL was signed for.
    pub ct: String,
    /// The exact size an upload URL was signed for.
    pub len: Option<u64>,
    /// Expiry, Unix seconds.
    pub exp: u64,
    pub sig: String,
}

fn refused() -> ApiError {
    ApiError::Forbidden("This media URL is invalid or has expired.".into())
}

fn gone() -> ApiError {
    ApiError::NotFound("The object is gone.".into())
}

/// The file twice: one handle for NamedFile's headers, one to read from.
fn open_for_serving(path: &std::path::Path) -> std::io::Result<(File, File)> {
    let file = File::open(path)?;
    let reader = file.try_clone()?;
    Ok((file, reader))
}

/// The answer for a file: NamedFile decides the status and headers
/// (conditions, range, 416); the bytes it would send are read by
/// `FileChunks` from `body_file`, the same file, instead.
fn serve_file(
    req: &HttpRequest,
    file: NamedFile,
    body_file: File,
    content_type: mime::Mime,
) -> HttpResponse {
    let size = file.metadata().len();
    // No range of an empty file is satisfiable; NamedFile would compute a
    // zero-length range's last byte as -1 (an overflow panic in debug
    // builds, a bogus Content-Range in release).
    if size == 0 && req.headers().contains_key(header::RANGE) {
        return HttpResponse::build(StatusCode::RANGE_NOT_SATISFIABLE)
            .insert_header((header::CONTENT_RANGE, "bytes */0"))
            .finish();
    }
    let mut response = file
        .set_content_type(content_type)
        .use_etag(true)
        .use_last_modified(true)
        .disable_content_disposition()
        .into_response(req);
    if req.method() == Method::GET
        && let Some((offset, len)) = served_range(&response, size)
    {
        response = response.set_body(BoxBody::new(SizedStream::new(
            len,
            FileChunks::new(body_file, offset, len),
        )));
    }
    response
}

/// The bytes a 200 or 206 answer carries: all of them, or the range its
/// Content-Range names. `None` for any other answer (no body to send).
fn served_range(response: &HttpResponse, size: u64) -> Option<(u64, u64)> {
    match response.status() {
        StatusCode::OK => Some((0, size)),
        StatusCode::PARTIAL_CONTENT => content_range(
            response
                .headers()
                .get(header::CONTENT_RANGE)?
                .to_str()
                .ok()?,
        ),
        _ => None,
    }
}

/// `(offset, length)` of a `Content-Range: bytes FIRST-LAST/SIZE` value,
/// or `None` when it is not one (an unsatisfied `bytes */SIZE`, say).
pub fn content_range(value: &str) -> Option<(u64, u64)> {
    let (first, last) = value
        .strip_prefix("bytes ")?
        .split_once('/')?
        .0
        .split_once('-')?;
    let (first, last): (u64, u64) = (first.parse().ok()?, last.parse().ok()?);
    Some((first, last.checked_sub(first)?.checked_add(1)?))
}

fn not_local() -> ApiError {
    ApiError::NotFound("Media is served by the object store, not by the API.".into())
}

/// Downloads a stored object through a signed URL (ranges, ETags).
#[utoipa::path(
    tag = "media",
    params(
        ("prefix" = String, Path, description = "Object key prefix"),
        ("id" = String, Path, description = "Object key id"),
        SignedQuery
    ),
    responses(
        (status = 200, description = "The object"),
        (status = 206, description = "The requested range"),
        (status = 304, description = "Not modified"),
        (status = 403, description = "Invalid or expired URL", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/media/{prefix}/{id}")]
pub async fn download(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    query: Query<SignedQuery>,
) -> ApiResult<HttpResponse> {
    let local = state.storage.local.as_ref().ok_or_else(not_local)?;
    let (prefix, id) = path.into_inner();
    let now = SystemTime::now();
    let signed = local
        .verify_get(
            &format!("{prefix}/{id}"),
            &query.ct,
            query.exp,
            &query.sig,
            now,
        )
        .ok_or_else(refused)?;
    let content_type: mime::Mime = signed.content_type.parse().map_err(|_| refused())?;
    let file_path = local.object_path(&signed.key);
    // Opened here, not on the blocking pool: opening a file whose
    // directory entries are cached takes microseconds, less than the
    // hand-off (as nginx does). The bytes are read on the blocking pool.
    let (file, body_file) = open_for_serving(&file_path).map_err(|_| gone())?;
    let file = NamedFile::from_file(file, &file_path).map_err(|_| gone())?;
    let mut response = serve_file(&req, file, body_file, content_type);
    // The URL is stable for its window, so the browser may keep the bytes until it expires.
    let remaining = query
        .exp
        .saturating_sub(now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs());
    if let Ok(value) = HeaderValue::from_str(&format!("private, max-age={remaining}")) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    // Audio and images are compressed already: an explicit identity keeps
    // the compression middleware from spending CPU (and breaking ranges) on them.
    response.headers_mut().insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static("identity"),
    );
    Ok(response)
}

/// Uploads an object through a signed URL: exactly the signed size and
/// content type, streamed to disk; a failed upload leaves nothing.
#[utoipa::path(
    tag = "media",
    params(
        ("prefix" = String, Path, description = "Object key prefix"),
        ("id" = String, Path, description = "Object key id"),
        SignedQuery
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Stored"),
        (status = 400, description = "The body was cut short", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid or expired URL, or headers other than the signed ones", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The upload was completed or abandoned: the URL takes no more bytes", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than signed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/media/{prefix}/{id}")]
pub async fn upload(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, String)>,
    query: Query<SignedQuery>,
    body: Payload,
) -> ApiResult<HttpResponse> {
    let local = state.storage.local.as_ref().ok_or_else(not_local)?;
    let (prefix, id) = path.into_inner();
    let size = query.len.ok_or_else(refused)?;
    let signed = local
        .verify_put(
            &format!("{prefix}/{id}"),
            &query.ct,
            size,
            query.exp,
            &query.sig,
            SystemTime::now(),
        )
        .ok_or_else(refused)?;
    // Unlike S3, the URL dies with its upload: once completed, the verified
    // bytes can never be replaced through it.
    uploads::accepts_bytes(&state, &signed.key).await?;
    // Like S3: the signed headers must be sent as signed.
    let sent_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let sent_length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if sent_type != Some(signed.content_type.as_str()) || sent_length.is_some_and(|n| n != size) {
        return Err(ApiError::Forbidden(
            "The request's Content-Type or Content-Length differs from what the URL was signed for."
                .into(),
        ));
    }
    local
        .write(&signed, body)
        .await
        .map_err(|error| match error {
            WriteError::TooLarge { .. } => ApiError::PayloadTooLarge {
                limit: usize::try_from(size).unwrap_or(usize::MAX),
            },
            WriteError::TooShort { .. } | WriteError::Body(_) => {
                ApiError::BadRequest(error.to_string())
            }
            WriteError::Io(io) => ApiError::Storage(io.into()),
        })?;
    Ok(HttpResponse::Ok().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_gives_the_offset_and_length() {
        assert_eq!(content_range("bytes 100-149/1000"), Some((100, 50)));
        assert_eq!(content_range("bytes 0-0/1"), Some((0, 1)));
        assert_eq!(content_range("bytes */1000"), None);
        assert_eq!(content_range("bytes 9-3/1000"), None);
    }

    /// Found by the `range_header` fuzz target (`0\nbytes=0-,-1`): on an
    /// empty file a suffix range has length 0, and NamedFile's last byte
    /// `offset + length - 1` overflowed.
    #[test]
    fn a_range_of_an_empty_file_is_not_satisfiable() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("empty");
        std::fs::write(&path, b"").expect("an empty file");
        let (file, body_file) = open_for_serving(&path).expect("opens");
        let file = NamedFile::from_file(file, &path).expect("a named file");
        let req = actix_web::test::TestRequest::get()
            .insert_header((header::RANGE, "bytes=0-,-1"))
            .to_http_request();

        let response = serve_file(&req, file, body_file, mime::APPLICATION_OCTET_STREAM);

        assert_eq!(response.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(
            response.headers().get(header::CONTENT_RANGE),
            Some(&HeaderValue::from_static("bytes */0"))
        );
    }

    /// Found writing the `range_header` fuzz target's Content-Range
    /// property: the length of a range ending at the largest offset
    /// overflowed (a panic in debug builds).
    #[test]
    fn content_range_of_a_range_as_long_as_u64_is_refused() {
        assert_eq!(
            content_range("bytes 0-18446744073709551615/18446744073709551615"),
            None
        );
    }
}
