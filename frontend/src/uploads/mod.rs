//! Files the listener or an administrator sends: the file chosen in an
//! input, an image (avatar, playlist or song cover) uploaded the way the
//! API wants it, and for the admin's many-file upload the queue's state
//! machine (`queue`) and the transfer with progress (`transfer`).

pub mod queue;
pub mod transfer;

use soundstream_types::{CompletedUpload, CreateUploadRequest, UploadKind, UploadTicket};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError, Method};

/// Uploads an image the way the API wants it: a ticket, the bytes to its
/// URL, then verification. Returns the completed upload's id.
pub async fn upload_image(file: &web_sys::File) -> Result<String, ApiError> {
    let request = CreateUploadRequest {
        kind: UploadKind::Image,
        content_type: file.type_(),
        size: file.size() as u64,
        filename: Some(file.name()),
    };
    let ticket: UploadTicket = api::send(Method::Post, "/api/v1/uploads", &request).await?;
    api::upload_to(&ticket, file).await?;
    let completed: CompletedUpload = api::post_empty(&format!(
        "/api/v1/uploads/{}/complete",
        api::encode(&ticket.id)
    ))
    .await?;
    Ok(completed.id)
}

/// The first file chosen in a file input.
pub fn chosen_file(event: &leptos::ev::Event) -> Option<web_sys::File> {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
}
