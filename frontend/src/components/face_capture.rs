//! A picture of the listener's face for face login or enrolment: from the
//! webcam with a live preview, or from a picture file where there is no
//! camera.

use std::sync::{Arc, Mutex};

use leptos::html::{Canvas, Video};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{t_string, use_i18n};
use crate::uploads::chosen_file;

/// A picture for face login or enrolment: from the webcam (with a live
/// preview) or, where there is no camera, from a file.
#[component]
pub fn FaceCapture(
    /// Set to the picture as a `data:` URL once taken or chosen.
    image: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let video = NodeRef::<Video>::new();
    let canvas = NodeRef::<Canvas>::new();
    let camera = Camera::off();
    show_camera(video, camera);
    let camera_failed = move || camera.stream.with(|stream| matches!(stream, Some(Err(_))));
    let take = move |_: leptos::ev::MouseEvent| {
        let (Some(video), Some(canvas)) = (video.get_untracked(), canvas.get_untracked()) else {
            return;
        };
        if let Some(url) = grab_frame(&video, &canvas) {
            image.set(Some(url));
            camera.stop();
        }
    };
    let choose = move |event: leptos::ev::Event| {
        let Some(file) = chosen_file(&event) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(url) = read_data_url(&file).await {
                image.set(Some(url));
            }
        });
    };
    view! {
        <div class="face-capture">
            <div class="camera-frame">
                <Show when=move || image.with(Option::is_none) fallback=move || view! {
                    <img class="face-preview" src=move || image.get().unwrap_or_default() alt=move || t_string!(i18n, camera_preview) />
                }>
                    <video node_ref=video class="face-preview" autoplay=true playsinline=true muted=true
                        aria-label=move || t_string!(i18n, camera_preview)
                        class:hidden=move || !camera.enabled()></video>
                </Show>
                <canvas node_ref=canvas class="hidden"></canvas>
            </div>
            <div class="button-row">
                {move || {
                    if image.with(Option::is_some) {
                        view! { <button type="button" class="button" on:click=move |_| { image.set(None); camera.start(); }>{t_string!(i18n, retake_photo)}</button> }.into_any()
                    } else if camera.enabled() {
                        view! {
                            <button type="button" class="button" on:click=take>{t_string!(i18n, take_photo)}</button>
                            <button type="button" class="button button-quiet" on:click=move |_| camera.stop()>{t_string!(i18n, stop_camera)}</button>
                        }.into_any()
                    } else {
                        view! { <button type="button" class="button" on:click=move |_| camera.start()>{t_string!(i18n, start_camera)}</button> }.into_any()
                    }
                }}
            </div>
            <Show when=camera_failed>
                <p class="muted small" role="status">{move || t_string!(i18n, camera_unavailable)}</p>
            </Show>
            <label class="field">
                <span>{move || t_string!(i18n, choose_picture)}</span>
                <input type="file" accept="image/jpeg,image/png" on:change=choose />
            </label>
        </div>
    }
}

/// The webcam (video only), started and stopped on request: a plain
/// `getUserMedia` call (leptos-use's `use_user_media` did the same with a
/// constraints builder the player never used, at about 3 KB of the
/// listener's first load).
#[derive(Clone, Copy)]
pub struct Camera {
    /// The stream while the camera runs, or why it could not start.
    pub stream: RwSignal<Option<Result<web_sys::MediaStream, JsValue>>, LocalStorage>,
}

impl Camera {
    /// A camera not started yet.
    pub fn off() -> Self {
        Self {
            stream: RwSignal::new_local(None),
        }
    }

    /// Whether the camera runs (tracked).
    pub fn enabled(self) -> bool {
        self.stream.with(|stream| matches!(stream, Some(Ok(_))))
    }

    /// Asks for the camera, unless it runs or was refused already (a stop
    /// forgets either).
    pub fn start(self) {
        if self.stream.with_untracked(Option::is_some) {
            return;
        }
        leptos::task::spawn_local(async move {
            let opened = open_camera().await;
            // The component may be gone by now: then nobody shows it.
            if let Some(Some(Ok(stream))) = self.stream.try_set(Some(opened)) {
                stop_tracks(&stream);
            }
        });
    }

    pub fn stop(self) {
        if let Some(Some(Ok(stream))) = self.stream.try_get_untracked() {
            stop_tracks(&stream);
        }
        self.stream.try_set(None);
    }
}

async fn open_camera() -> Result<web_sys::MediaStream, JsValue> {
    let devices = window().navigator().media_devices()?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&JsValue::TRUE);
    constraints.set_audio(&JsValue::FALSE);
    let stream = wasm_bindgen_futures::JsFuture::from(
        devices.get_user_media_with_constraints(&constraints)?,
    )
    .await?;
    Ok(stream.unchecked_into())
}

fn stop_tracks(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks() {
        track.unchecked_ref::<web_sys::MediaStreamTrack>().stop();
    }
}

/// Shows the camera's stream in `video` while it runs, and stops the camera
/// when the component goes away. The stream is kept outside the reactive
/// graph: it is already disposed when cleanups run.
pub fn show_camera(video: NodeRef<Video>, camera: Camera) {
    let live = Arc::new(Mutex::new(None::<SendWrapper<web_sys::MediaStream>>));
    let showing = live.clone();
    Effect::new(move |_| {
        if let Some(video) = video.get() {
            match camera.stream.get() {
                Some(Ok(stream)) => {
                    video.set_src_object(Some(&stream));
                    let _ = video.play();
                    if let Ok(mut live) = showing.lock() {
                        *live = Some(SendWrapper::new(stream));
                    }
                }
                _ => video.set_src_object(None),
            }
        }
    });
    on_cleanup(move || {
        let stream = live.lock().ok().and_then(|mut live| live.take());
        if let Some(stream) = stream {
            stop_tracks(&stream);
        }
    });
}

/// The video's current frame as a JPEG `data:` URL, drawn through
/// `canvas`; `None` before the camera shows anything.
pub fn grab_frame(
    video: &web_sys::HtmlVideoElement,
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<String> {
    let (width, height) = (video.video_width(), video.video_height());
    if width == 0 || height == 0 {
        return None;
    }
    canvas.set_width(width);
    canvas.set_height(height);
    let context = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())?;
    context
        .draw_image_with_html_video_element(video, 0.0, 0.0)
        .ok()?;
    canvas.to_data_url_with_type("image/jpeg").ok()
}

/// The content type and bytes of a base64 `data:` URL, decoded here: the
/// player's Content-Security-Policy (`connect-src 'self'`) rightly refuses
/// to fetch one.
pub fn data_url_bytes(url: &str) -> Option<(String, Vec<u8>)> {
    let (header, data) = url.strip_prefix("data:")?.split_once(";base64,")?;
    let binary = web_sys::window()?.atob(data).ok()?;
    // atob answers one character per byte, each below 256.
    let bytes = binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some((header.to_owned(), bytes))
}

/// A file as a `data:` URL (what the face endpoints accept in JSON).
async fn read_data_url(file: &web_sys::File) -> Result<String, ()> {
    let reader = web_sys::FileReader::new().map_err(|_| ())?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
    });
    reader.read_as_data_url(file).map_err(|_| ())?;
    wasm_bindgen_futures::JsFuture::from(done)
        .await
        .map_err(|_| ())?;
    reader
        .result()
        .ok()
        .and_then(|value| value.as_string())
        .ok_or(())
}
