//! Stopping as etcd does: on SIGINT or SIGTERM, stop serving, then die by that same signal so the
//! parent sees the usual exit status.

use tokio::signal::unix::{signal, Signal, SignalKind};

/// SIGINT and SIGTERM caught from the moment this is made: install it before starting, so a
/// stop that arrives while the member starts is a clean stop too, not the default kill.
pub struct StopSignals {
    term: Signal,
    int: Signal,
}

impl StopSignals {
    pub fn install() -> StopSignals {
        StopSignals {
            term: signal(SignalKind::terminate()).expect("installing a SIGTERM handler"),
            int: signal(SignalKind::interrupt()).expect("installing a SIGINT handler"),
        }
    }

    /// Waits for SIGINT or SIGTERM and returns its number.
    pub async fn wait(&mut self) -> i32 {
        tokio::select! {
            _ = self.term.recv() => libc::SIGTERM,
            _ = self.int.recv() => libc::SIGINT,
        }
    }
}

/// Restores the default action for `signal` and raises it, ending the process.
pub fn die_by(signal: i32) -> ! {
    // SAFETY: resetting a handler to SIG_DFL and raising a signal have no memory-safety preconditions.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
    std::process::exit(128 + signal);
}
