//! The end of a list that loads more as it is scrolled into view: an
//! `IntersectionObserver` telling whether that end is on screen.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{IntersectionObserver, IntersectionObserverEntry};

type Observing = Option<(IntersectionObserver, Closure<dyn FnMut(js_sys::Array)>)>;

/// Keeps `visible` telling whether `end` is on screen, and stops observing
/// when the component goes away.
pub fn watch_list_end(end: NodeRef<Div>, visible: RwSignal<bool>) {
    let observing: Rc<RefCell<Observing>> = Rc::default();
    let current = observing.clone();
    Effect::new(move |_| {
        let Some(element) = end.get() else {
            return;
        };
        let report = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let seen = entries.iter().any(|entry| {
                entry
                    .unchecked_into::<IntersectionObserverEntry>()
                    .is_intersecting()
            });
            visible.try_set(seen);
        });
        let Ok(observer) = IntersectionObserver::new(report.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&element);
        if let Some((previous, _)) = current.borrow_mut().replace((observer, report)) {
            previous.disconnect();
        }
    });
    let observing = SendWrapper::new(observing);
    on_cleanup(move || {
        if let Some((observer, _)) = observing.borrow_mut().take() {
            observer.disconnect();
        }
    });
}
