//! Short messages about what just happened ("Added to the playlist", "Could
//! not change the favorite: …"), announced by screen readers.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// The current notice, provided as context; it clears itself after a while.
#[derive(Debug, Clone, Copy)]
pub struct Notices {
    current: RwSignal<Option<Notice>>,
    serial: RwSignal<u64>,
}

impl Notices {
    pub fn new() -> Self {
        Self {
            current: RwSignal::new(None),
            serial: RwSignal::new(0),
        }
    }

    pub fn current(&self) -> Option<Notice> {
        self.current.get()
    }

    fn show(&self, text: String, is_error: bool) {
        self.current.set(Some(Notice { text, is_error }));
        self.serial.update(|serial| *serial += 1);
        let serial = self.serial.get_untracked();
        let this = *self;
        set_timeout(
            move || {
                if this.serial.get_untracked() == serial {
                    this.current.set(None);
                }
            },
            std::time::Duration::from_secs(if is_error { 8 } else { 4 }),
        );
    }

    pub fn info(&self, text: impl Into<String>) {
        self.show(text.into(), false);
    }

    /// "What failed: why".
    pub fn error(&self, what: &str, why: impl std::fmt::Display) {
        self.show(format!("{what} {why}"), true);
    }

    pub fn dismiss(&self) {
        self.current.set(None);
    }
}

pub fn use_notices() -> Notices {
    expect_context::<Notices>()
}
