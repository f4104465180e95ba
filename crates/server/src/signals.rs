//! Stopping as etcd does: on SIGINT or SIGTERM, stop serving, then die by that same signal so the
//! parent sees the usual exit status.

/// Waits for SIGINT or SIGTERM and returns its number.
pub async fn wait_for_stop() -> i32 {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("installing a SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("installing a SIGINT handler");
    tokio::select! {
        _ = term.recv() => libc::SIGTERM,
        _ = int.recv() => libc::SIGINT,
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
