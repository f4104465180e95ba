//! A TCP proxy in front of a member's peer port, to cut and restore the traffic into it.
//!
//! Members dial each other at their advertised peer URLs, so with a proxy on every member's
//! advertised port, [`Proxy::block`] on member X's proxy cuts every connection INTO X: the others'
//! raft messages no longer reach it. X's own outgoing streams dial the other members' proxies and
//! still get through. The cut is one-directional, yet it isolates X as far as raft is concerned:
//! a leader X hears no acknowledgements, so CheckQuorum makes it step down; a follower X hears no
//! leader, and its (pre-)votes reach the others but their answers never come back.

use std::net::TcpListener as StdListener;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

use super::{free_port, Server};

/// Forwards `127.0.0.1:listen_port` to `127.0.0.1:target_port` on its own thread and runtime, so it
/// works the same under any test runtime and is torn down on drop.
pub struct Proxy {
    pub listen_port: u16,
    pub target_port: u16,
    blocked: Arc<watch::Sender<bool>>,
    /// Bytes per second each new connection may carry into the target; None: unlimited.
    rate: Arc<watch::Sender<Option<u64>>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    pub fn start(listen_port: u16, target_port: u16) -> Proxy {
        // Bound here, before returning, so a member dialling the port at once finds it.
        let listener = StdListener::bind(("127.0.0.1", listen_port)).expect("bind proxy port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking proxy listener");
        let blocked = Arc::new(watch::channel(false).0);
        let rate = Arc::new(watch::channel(None).0);
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        let accept_blocked = blocked.clone();
        let accept_rate = rate.clone();
        let thread = std::thread::Builder::new()
            .name(format!("proxy-{listen_port}"))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("proxy runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("tokio listener");
                    tokio::select! {
                        _ = accept_loop(listener, target_port, accept_blocked, accept_rate) => {}
                        _ = shutdown_rx => {}
                    }
                });
                // Dropping the runtime cancels every forwarding task, closing its sockets.
            })
            .expect("spawn proxy thread");
        Proxy {
            listen_port,
            target_port,
            blocked,
            rate,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        }
    }

    /// Drops every live connection and from now on closes each new one as soon as it is accepted.
    pub fn block(&self) {
        self.blocked.send_replace(true);
    }

    /// Lets new connections through again (the members reconnect on their own).
    pub fn heal(&self) {
        self.blocked.send_replace(false);
    }

    pub fn is_blocked(&self) -> bool {
        *self.blocked.borrow()
    }

    /// Connections accepted from now on carry at most `bytes_per_second` each into the target
    /// (a slow link for large transfers; small messages on their own connections are barely
    /// delayed); None lifts the limit for new connections.
    pub fn throttle(&self, bytes_per_second: Option<u64>) {
        self.rate.send_replace(bytes_per_second);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    target_port: u16,
    blocked: Arc<watch::Sender<bool>>,
    rate: Arc<watch::Sender<Option<u64>>>,
) {
    loop {
        let inbound = match listener.accept().await {
            Ok((socket, _)) => socket,
            Err(_) => {
                // Out of file descriptors or the like: try again shortly rather than spin.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if *blocked.borrow() {
            drop(inbound);
            continue;
        }
        let rate = *rate.borrow();
        tokio::spawn(forward(inbound, target_port, blocked.subscribe(), rate));
    }
}

/// Copies bytes both ways until either side closes or the proxy is blocked; at most `rate`
/// bytes per second into the target, if given.
async fn forward(
    mut inbound: TcpStream,
    target_port: u16,
    mut blocked: watch::Receiver<bool>,
    rate: Option<u64>,
) {
    let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", target_port)).await else {
        return;
    };
    let _ = inbound.set_nodelay(true);
    let _ = outbound.set_nodelay(true);
    // `wait_for` looks at the current value first, so a block that raced the connect still wins.
    match rate {
        None => tokio::select! {
            _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
            _ = blocked.wait_for(|b| *b) => {}
        },
        Some(rate) => {
            let (mut in_read, mut in_write) = inbound.split();
            let (mut out_read, mut out_write) = outbound.split();
            tokio::select! {
                _ = paced_copy(&mut in_read, &mut out_write, rate) => {}
                _ = tokio::io::copy(&mut out_read, &mut in_write) => {}
                _ = blocked.wait_for(|b| *b) => {}
            }
        }
    }
}

/// Copies `from` to `to` at `rate` bytes per second at most, until `from` ends or fails.
async fn paced_copy(
    from: &mut (impl tokio::io::AsyncRead + Unpin),
    to: &mut (impl tokio::io::AsyncWrite + Unpin),
    rate: u64,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let started = tokio::time::Instant::now();
    let mut copied = 0u64;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
        copied += n as u64;
        // Not before the time `copied` bytes take at `rate`.
        let due = started + Duration::from_secs_f64(copied as f64 / rate as f64);
        tokio::time::sleep_until(due).await;
    }
}

/// The members of a new cluster (not yet started), each advertising the port of a proxy that
/// forwards to its real peer port; `proxies[i]` stands in front of `members[i]`.
pub fn proxied_cluster(size: usize, extra: &[&str]) -> (Vec<Server>, Vec<Proxy>) {
    let mut members = Server::cluster(size, extra);
    let mut proxies = Vec::new();
    for m in &mut members {
        let proxy = Proxy::start(free_port(), m.peer_port);
        m.advertise_peer_port = Some(proxy.listen_port);
        proxies.push(proxy);
    }
    Server::set_initial_cluster(&mut members);
    (members, proxies)
}
