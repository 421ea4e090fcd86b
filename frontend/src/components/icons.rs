//! Inline SVG icons. They are decorative (`aria-hidden`): every control that
//! shows one also carries a text label.

use leptos::prelude::*;

#[component]
pub fn LogoIcon() -> impl IntoView {
    view! {
        <svg class="icon icon-logo" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" />
            <path
                d="M6.5 13.5v-3M10.2 17V7M13.8 15V9M17.5 12.8v-1.6"
                fill="none"
                stroke="#07171a"
                stroke-width="2.2"
                stroke-linecap="round"
            />
        </svg>
    }
}

#[component]
pub fn HomeIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                d="M4 10.5 12 4l8 6.5V20a1 1 0 0 1-1 1h-5v-6h-4v6H5a1 1 0 0 1-1-1z"
                fill="currentColor"
            />
        </svg>
    }
}

#[component]
pub fn StatusIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                d="M3 12h4l2.5-6 5 12 2.5-6h4"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                stroke-linejoin="round"
            />
        </svg>
    }
}

#[component]
pub fn NoteIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                d="M9 18V6l11-2v12M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0zm11-2a3 3 0 1 1-6 0 3 3 0 0 1 6 0z"
                fill="none"
                stroke="currentColor"
                stroke-width="1.8"
                stroke-linejoin="round"
            />
        </svg>
    }
}

/// A filled 24×24 icon from one path.
fn glyph(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path fill="currentColor" />
        </svg>
    }
}

#[component]
pub fn PlayIcon() -> impl IntoView {
    glyph("M8 5.5v13a1 1 0 0 0 1.5.86l10.2-6.5a1 1 0 0 0 0-1.72L9.5 4.64A1 1 0 0 0 8 5.5z")
}

#[component]
pub fn PauseIcon() -> impl IntoView {
    glyph("M7 5h3.5v14H7zM13.5 5H17v14h-3.5z")
}

#[component]
pub fn PreviousIcon() -> impl IntoView {
    glyph("M6 5h2v14H6zM9.5 12 19 18.5v-13z")
}

#[component]
pub fn NextIcon() -> impl IntoView {
    glyph("M16 5h2v14h-2zM14.5 12 5 18.5v-13z")
}

#[component]
pub fn ShuffleIcon() -> impl IntoView {
    glyph(
        "M17 4l4 3.5-4 3.5V8.5h-1.6c-1.3 0-2.1.6-3 1.9L8.9 15.6c-1.2 1.8-2.6 2.9-4.9 2.9H3v-2h1c1.4 0 2.2-.6 3.2-2.1l3.5-5.2C11.9 7.4 13.2 6.5 15.4 6.5H17zM3 5.5h1c2.1 0 3.4.9 4.5 2.3L7.3 9.6C6.5 8.4 5.6 7.5 4 7.5H3zM17 13l4 3.5-4 3.5v-2.5h-1.6c-2 0-3.3-.8-4.4-2.2l1.2-1.8c.8 1.2 1.7 2 3.2 2H17z",
    )
}

#[component]
pub fn RepeatIcon() -> impl IntoView {
    glyph(
        "M7 7h10V4l4 4-4 4V9H7a2 2 0 0 0-2 2v1H3v-1a4 4 0 0 1 4-4zm10 10H7v3l-4-4 4-4v3h10a2 2 0 0 0 2-2v-1h2v1a4 4 0 0 1-4 4z",
    )
}

#[component]
pub fn VolumeIcon(muted: Signal<bool>) -> impl IntoView {
    move || {
        if muted.get() {
            glyph("M4 9h4l5-4v14l-5-4H4zM16 9.4l1.4-1.4 2.1 2.1 2.1-2.1L23 9.4 20.9 11.5l2.1 2.1-1.4 1.4-2.1-2.1-2.1 2.1-1.4-1.4 2.1-2.1z")
                .into_any()
        } else {
            glyph("M4 9h4l5-4v14l-5-4H4zM15.5 8.5a5 5 0 0 1 0 7l-1.4-1.4a3 3 0 0 0 0-4.2zM18.3 5.7a9 9 0 0 1 0 12.6l-1.4-1.4a7 7 0 0 0 0-9.8z")
                .into_any()
        }
    }
}

#[component]
pub fn QueueIcon() -> impl IntoView {
    glyph("M3 5h13v2H3zm0 4h13v2H3zm0 4h8v2H3zm12 0 6 3.5-6 3.5z")
}

#[component]
pub fn LyricsIcon() -> impl IntoView {
    glyph("M4 4h16v12H8l-4 4zm3 4v2h10V8zm0 4v2h7v-2z")
}

#[component]
pub fn HeartIcon(filled: Signal<bool>) -> impl IntoView {
    let path = "M12 20.5 4.6 13.2a4.8 4.8 0 0 1 6.8-6.8l.6.6.6-.6a4.8 4.8 0 0 1 6.8 6.8z";
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                d=path
                fill=move || if filled.get() { "currentColor" } else { "none" }
                stroke="currentColor"
                stroke-width="1.8"
            />
        </svg>
    }
}

#[component]
pub fn MoreIcon() -> impl IntoView {
    glyph(
        "M5 10.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm7 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm7 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z",
    )
}

#[component]
pub fn SearchIcon() -> impl IntoView {
    glyph(
        "M10.5 3a7.5 7.5 0 0 1 6 12l4.7 4.7-1.5 1.5-4.7-4.7A7.5 7.5 0 1 1 10.5 3zm0 2a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11z",
    )
}

#[component]
pub fn SongsIcon() -> impl IntoView {
    glyph("M9 17.5A2.5 2.5 0 1 1 7 15V5l12-2v12.5A2.5 2.5 0 1 1 17 13V6.4l-8 1.3z")
}

#[component]
pub fn ListIcon() -> impl IntoView {
    glyph("M4 5h16v2H4zm0 6h16v2H4zm0 6h10v2H4z")
}

#[component]
pub fn RadioIcon() -> impl IntoView {
    glyph(
        "M4 8h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1zm0 0 13-4 .6 1.9L10.5 8zm4 3.5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM14 12v2h5v-2zm0 3v2h5v-2z",
    )
}

#[component]
pub fn UserIcon() -> impl IntoView {
    glyph(
        "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z",
    )
}

/// Sliders: the playback settings.
#[component]
pub fn SettingsIcon() -> impl IntoView {
    glyph("M3 6h10v2H3zm14 0h4v2h-4zm-2-2h2v6h-2zM3 16h4v2H3zm8 0h10v2H11zm-2-2h2v6H9z")
}

#[component]
pub fn DragIcon() -> impl IntoView {
    glyph(
        "M9 5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM9 10.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM9 16a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z",
    )
}

#[component]
pub fn PlaylistAddIcon() -> impl IntoView {
    glyph("M4 5h12v2H4zm0 5h12v2H4zm0 5h8v2H4zm14-2v-3h2v3h3v2h-3v3h-2v-3h-3v-2z")
}
