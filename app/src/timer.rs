//! A timeout that ends with its owner: the one way the app waits before acting (a search
//! that runs after a pause in typing, a toast that goes after two seconds), cleared when the
//! page or component that set it is cleaned up, so nothing it reads is gone when it fires.

use std::time::Duration;

use leptos::prelude::*;

/// At most one pending timeout, owned by the reactive owner that made it (the page or
/// component): [`Timeout::start`] replaces the pending one, so it debounces too; cleaning
/// the owner up clears it.
#[derive(Clone, Copy)]
pub struct Timeout(StoredValue<Option<TimeoutHandle>>);

impl Timeout {
    /// A timeout owned by the current owner; call it where the page or component is built.
    pub fn new() -> Self {
        let pending = StoredValue::new(None::<TimeoutHandle>);
        // Cleanups run before the owner's values are disposed: `pending` is still there.
        on_cleanup(move || clear(pending));
        Self(pending)
    }

    /// Runs `run` after `delay`, unless started again, cancelled or its owner is gone first.
    pub fn start(&self, delay: Duration, run: impl FnOnce() + 'static) {
        clear(self.0);
        let pending = self.0;
        let handle = set_timeout_with_handle(
            move || {
                pending.try_set_value(None);
                run();
            },
            delay,
        );
        if let Ok(handle) = handle {
            // Started from a handler whose owner has just gone: do not leave it running.
            if self.0.try_set_value(Some(handle)).is_some() {
                handle.clear();
            }
        }
    }

    /// Drops the pending timeout, if any.
    pub fn cancel(&self) {
        clear(self.0);
    }
}

impl Default for Timeout {
    fn default() -> Self {
        Self::new()
    }
}

fn clear(pending: StoredValue<Option<TimeoutHandle>>) {
    if let Some(Some(handle)) = pending.try_update_value(Option::take) {
        handle.clear();
    }
}
