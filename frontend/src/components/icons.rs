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
