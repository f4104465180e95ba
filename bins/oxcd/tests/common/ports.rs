//! Ports for test servers.
//!
//! A port the kernel hands out for `127.0.0.1:0` comes from the ephemeral range, which is also
//! where every outgoing connection's local port comes from: between our probe and the server's
//! own bind, a client socket of any process can take it ("Address already in use"). Ports below
//! that range are never given to outgoing connections, so a probed one stays free for the server.
use std::net::TcpListener;
use std::sync::atomic::{AtomicU32, Ordering};

const LOWEST: u32 = 10_000;

static TAKEN: AtomicU32 = AtomicU32::new(0);

/// The first port of the kernel's ephemeral range (Linux's default when it cannot be read).
fn ephemeral_start() -> u32 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(32_768)
}

pub fn free_port() -> u16 {
    let end = ephemeral_start().clamp(LOWEST + 1_000, 65_535);
    let span = end - LOWEST;
    // Each test process starts at its own offset so that processes running side by side rarely
    // probe the same ports; a process never probes one port twice, so its own servers never collide.
    let offset = std::process::id().wrapping_mul(2_654_435_761) % span;
    loop {
        let n = TAKEN.fetch_add(1, Ordering::SeqCst);
        assert!(n < span, "no free port left below {end}");
        let port = LOWEST + (offset + n) % span;
        if TcpListener::bind(("127.0.0.1", port as u16)).is_ok() {
            return port as u16;
        }
    }
}
