//! A gate one holder closes at a time: the store's writer lock, and the one an online
//! defragmentation closes while it copies the backend, at which physical compaction waits.

use std::sync::{Condvar, Mutex, PoisonError};

/// A gate one holder closes at a time ([`enter`](Gate::enter), reopened when the guard drops);
/// others may wait until it is open.
#[derive(Default)]
pub(super) struct Gate {
    closed: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    pub(super) fn enter(&self) -> GateGuard<'_> {
        let mut closed = self.wait_open();
        *closed = true;
        GateGuard { gate: self }
    }

    fn wait_open(&self) -> std::sync::MutexGuard<'_, bool> {
        let mut closed = self.closed.lock().unwrap_or_else(PoisonError::into_inner);
        while *closed {
            closed = self
                .opened
                .wait(closed)
                .unwrap_or_else(PoisonError::into_inner);
        }
        closed
    }

    pub(super) fn wait_until_open(&self) {
        drop(self.wait_open());
    }

    pub(super) fn is_closed(&self) -> bool {
        *self.closed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(super) struct GateGuard<'a> {
    gate: &'a Gate,
}

impl Drop for GateGuard<'_> {
    fn drop(&mut self) {
        *self
            .gate
            .closed
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = false;
        self.gate.opened.notify_all();
    }
}
