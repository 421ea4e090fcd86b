//! Sends a file to an upload ticket's URL with `XMLHttpRequest`, because
//! `fetch` reports no upload progress. The request can be aborted.

use js_sys::Promise;
use soundstream_types::{Problem, UploadTicket};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ProgressEvent, XmlHttpRequest};

use crate::api;

/// One transfer in flight; abort it with [`Transfer::abort`].
#[derive(Clone)]
pub struct Transfer {
    xhr: XmlHttpRequest,
}

impl Transfer {
    pub fn abort(&self) {
        // Aborting a finished request does nothing, and errors are impossible here.
        let _ = self.xhr.abort();
    }
}

/// Starts sending `file` with exactly the ticket's method and headers (no
/// credentials: the URL is presigned). `on_progress` receives the bytes
/// sent so far. Returns the handle and the outcome to await.
pub fn send(
    ticket: &UploadTicket,
    file: &web_sys::File,
    on_progress: impl Fn(u64) + 'static,
) -> Result<(Transfer, impl Future<Output = Result<(), String>>), String> {
    let describe = |error: JsValue| format!("{error:?}");
    let xhr = XmlHttpRequest::new().map_err(describe)?;
    let url = api::media_url(&ticket.url);
    xhr.open(&ticket.method.to_ascii_uppercase(), &url)
        .map_err(describe)?;
    for (name, value) in &ticket.headers {
        xhr.set_request_header(name, value).map_err(describe)?;
    }
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        on_progress(event.loaded() as u64);
    });
    // Listeners on `upload` must exist before `send`, or no progress fires.
    xhr.upload()
        .map_err(describe)?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));

    let finished = {
        let xhr = xhr.clone();
        Promise::new(&mut move |resolve, reject| {
            let on_load = {
                let xhr = xhr.clone();
                let url = url.clone();
                let reject = reject.clone();
                Closure::once_into_js(move || {
                    let status = xhr.status().unwrap_or(0);
                    if (200..300).contains(&status) {
                        let _ = resolve.call0(&JsValue::NULL);
                    } else {
                        let body = xhr.response_text().ok().flatten().unwrap_or_default();
                        let _ = reject.call1(
                            &JsValue::NULL,
                            &JsValue::from_str(&refusal(status, &body, &url)),
                        );
                    }
                })
            };
            xhr.set_onload(Some(on_load.unchecked_ref()));
            let reject_with = |reject: js_sys::Function, message: String| {
                Closure::once_into_js(move || {
                    let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
                })
            };
            let on_error = reject_with(
                reject.clone(),
                format!("The file could not be sent to {url} (network error)."),
            );
            xhr.set_onerror(Some(on_error.unchecked_ref()));
            let on_abort = reject_with(reject, "Cancelled.".to_owned());
            xhr.set_onabort(Some(on_abort.unchecked_ref()));
        })
    };
    xhr.send_with_opt_blob(Some(file)).map_err(describe)?;

    let transfer = Transfer { xhr };
    let outcome = async move {
        let result = JsFuture::from(finished).await;
        // The progress listener must live until the request is over.
        drop(progress);
        result
            .map(|_| ())
            .map_err(|error| error.as_string().unwrap_or_else(|| format!("{error:?}")))
    };
    Ok((transfer, outcome))
}

/// Why storage refused the bytes: its problem document's detail when it
/// sent one (the local backend does), else the status.
fn refusal(status: u16, body: &str, url: &str) -> String {
    match serde_json::from_str::<Problem>(body) {
        Ok(problem) if !problem.detail.is_empty() => problem.detail,
        _ => format!("Storage answered HTTP {status} for {url}."),
    }
}
