//! Serving accepted connections. On each `--listen-client-urls` socket gRPC and HTTP share the
//! port, as in etcd: a request whose content type is `application/grpc*` goes to the gRPC
//! handler, anything else to the HTTP router. TCP and unix sockets are accepted, in plaintext for
//! `http://`/`unix://` URLs and only over TLS for `https://`/`unixs://`; every connection then
//! passes the HTTP/2 `:authority` repair.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tonic::server::NamedService;
use tower::{Service, ServiceExt};

use super::h2_authority::AuthorityFixer;
use super::listen::{Listener, Socket};
use crate::config::url_host_port;

/// Answers the gRPC requests of client listeners: every service's calls, dispatched by the
/// API layer without a router's layers between the connection and the service, since every
/// call of every client passes through it.
pub type GrpcHandler =
    Arc<dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// How long a client may take to finish the TLS handshake before it is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// TLS handshakes in progress per listener, at most: beyond it, accepting waits, so idle
/// connections cannot take every file descriptor of the process.
const MAX_PENDING_HANDSHAKES: usize = 1024;

/// Concurrent HTTP/2 streams one peer connection may open.
const PEER_STREAMS_PER_CONNECTION: u32 = 64;

/// The pause after a failed accept (out of file descriptors, say), instead of spinning.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// Serves the peer protocol (raft messages) on the peer listeners; secure ones speak only TLS,
/// and none is served without `tls`.
pub fn serve_peers<S>(
    service: S,
    listeners: Vec<Listener>,
    tls: Option<Arc<ServerConfig>>,
) -> Result<(), String>
where
    S: Service<
            Request<tonic::body::Body>,
            Response = axum::http::Response<tonic::body::Body>,
            Error = Infallible,
        > + NamedService
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    let mut sockets = Vec::new();
    for listener in listeners {
        let Socket::Tcp(socket) = listener.socket else {
            return Err(format!("peer URL {} must be http or https", listener.url));
        };
        let acceptor = match (listener.secure, &tls) {
            (false, _) => None,
            (true, Some(config)) => Some(TlsAcceptor::from(config.clone())),
            (true, None) => {
                return Err(format!(
                    "cannot listen on TLS for {}: KeyFile and CertFile are not presented",
                    url_host_port(&listener.url)
                ))
            }
        };
        sockets.push((socket, acceptor));
    }
    for (socket, acceptor) in sockets {
        let service = service.clone();
        // A member needs a handful of streams per peer (raft, snapshot, forwarded lease calls):
        // the bounds keep a stranger on the peer port from holding memory with many of them,
        // and keepalives close connections whose other end is gone.
        let server = tonic::transport::Server::builder()
            .tcp_nodelay(true)
            .max_concurrent_streams(Some(PEER_STREAMS_PER_CONNECTION))
            .http2_keepalive_interval(Some(Duration::from_secs(30)))
            .http2_keepalive_timeout(Some(Duration::from_secs(10)))
            .add_service(service);
        tokio::spawn(async move {
            let result = match acceptor {
                None => {
                    let incoming = tokio_stream::wrappers::TcpListenerStream::new(socket);
                    server.serve_with_incoming(incoming).await
                }
                Some(acceptor) => {
                    let (tx, rx) = tokio::sync::mpsc::channel(16);
                    tokio::spawn(accept_tls_peers(socket, acceptor, tx));
                    let incoming = tokio_stream::wrappers::ReceiverStream::new(rx);
                    server.serve_with_incoming(incoming).await
                }
            };
            if let Err(e) = result {
                tracing::error!(error = %e, "peer listener stopped");
            }
        });
    }
    Ok(())
}

type PeerTlsStream = tokio_rustls::server::TlsStream<TcpStream>;

/// Accepts peer connections and hands those whose handshake succeeds to the gRPC server.
async fn accept_tls_peers(
    socket: TcpListener,
    acceptor: TlsAcceptor,
    ready: tokio::sync::mpsc::Sender<std::io::Result<PeerTlsStream>>,
) {
    let pending = Arc::new(Semaphore::new(MAX_PENDING_HANDSHAKES));
    loop {
        let (stream, remote) = match socket.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(ACCEPT_RETRY).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let Ok(permit) = pending.clone().acquire_owned().await else {
            return;
        };
        let (acceptor, server) = (acceptor.clone(), ready.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
            if let Some(stream) = handshake(&acceptor, stream, &remote.to_string(), deadline).await
            {
                let _ = server.send(Ok(stream)).await;
            }
        });
        if ready.is_closed() {
            return;
        }
    }
}

/// Serves gRPC and HTTP on every listener until the process ends. A secure listener is served
/// only over TLS, and none is served without `tls`: the caller has refused to start by then.
/// Without a gRPC handler, gRPC requests are not found.
pub fn serve_clients(
    listeners: Vec<Listener>,
    tls: Option<Arc<ServerConfig>>,
    grpc: Option<GrpcHandler>,
    http: Router,
) -> Result<(), String> {
    let mut ready = Vec::new();
    for listener in listeners {
        let acceptor = match (listener.secure, &tls) {
            (false, _) => None,
            (true, Some(config)) => Some(TlsAcceptor::from(config.clone())),
            (true, None) => {
                return Err(format!(
                    "TLS key/cert (--cert-file, --key-file) must be provided for client url {} with HTTPS scheme",
                    listener.url
                ))
            }
        };
        ready.push((listener, acceptor));
    }
    for (listener, acceptor) in ready {
        let (grpc, http) = (grpc.clone(), http.clone());
        match &acceptor {
            Some(_) => tracing::info!(address = %listener.url, "serving client traffic securely"),
            None if matches!(listener.socket, Socket::Unix(_)) => {
                tracing::info!(address = %listener.url, "serving client traffic on a unix socket")
            }
            None => {
                tracing::info!(address = %listener.url, "serving client traffic insecurely; this is strongly discouraged!")
            }
        }
        tokio::spawn(accept_clients(listener.socket, acceptor, grpc, http));
    }
    Ok(())
}

async fn accept_clients(
    socket: Socket,
    acceptor: Option<TlsAcceptor>,
    grpc: Option<GrpcHandler>,
    http: Router,
) {
    let pending = Arc::new(Semaphore::new(MAX_PENDING_HANDSHAKES));
    loop {
        let accepted = match &socket {
            Socket::Tcp(l) => l.accept().await.map(|(s, remote)| {
                let _ = s.set_nodelay(true);
                (Stream::Tcp(s), remote.to_string())
            }),
            Socket::Unix(l) => l
                .accept()
                .await
                .map(|(s, _)| (Stream::Unix(s), "unix".to_string())),
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(ACCEPT_RETRY).await;
                continue;
            }
        };
        let (grpc, http) = (grpc.clone(), http.clone());
        let Some(acceptor) = acceptor.clone() else {
            match stream {
                Stream::Tcp(s) => spawn_connection(AuthorityFixer::new(s), grpc, http),
                Stream::Unix(s) => spawn_connection(AuthorityFixer::new(s), grpc, http),
            }
            continue;
        };
        let Ok(permit) = pending.clone().acquire_owned().await else {
            return;
        };
        tokio::spawn(async move {
            let _permit = permit;
            // Sniffing and the handshake share one deadline.
            let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
            match stream {
                Stream::Tcp(mut s) => {
                    if refused_plaintext(&mut s, deadline).await {
                        return;
                    }
                    if let Some(tls) = handshake(&acceptor, s, &remote, deadline).await {
                        let (h2, client) = (negotiated_h2(&tls), verified_client(&tls));
                        spawn_connection_as(AuthorityFixer::new(tls), grpc, http, h2, client);
                    }
                }
                Stream::Unix(s) => {
                    if let Some(tls) = handshake(&acceptor, s, &remote, deadline).await {
                        let (h2, client) = (negotiated_h2(&tls), verified_client(&tls));
                        spawn_connection_as(AuthorityFixer::new(tls), grpc, http, h2, client);
                    }
                }
            }
        });
    }
}

enum Stream {
    Tcp(TcpStream),
    Unix(tokio::net::UnixStream),
}

/// The TLS handshake, bounded in time; a refused client is logged as etcd logs it.
async fn handshake<S>(
    acceptor: &TlsAcceptor,
    stream: S,
    remote: &str,
    deadline: Instant,
) -> Option<tokio_rustls::server::TlsStream<S>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    match tokio::time::timeout_at(deadline, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => Some(tls),
        Ok(Err(e)) => {
            log_rejection(remote, &e.to_string());
            None
        }
        Err(_) => {
            log_rejection(remote, "TLS handshake timed out");
            None
        }
    }
}

/// Logs a refused handshake, at most once a second: anyone who reaches the port can cause them,
/// so they must not be able to flood the log. The next line counts those left out.
fn log_rejection(remote: &str, error: &str) {
    static LAST_SECOND: AtomicU64 = AtomicU64::new(0);
    static SUPPRESSED: AtomicU64 = AtomicU64::new(0);
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if LAST_SECOND.swap(second, Ordering::Relaxed) == second {
        SUPPRESSED.fetch_add(1, Ordering::Relaxed);
        return;
    }
    let suppressed = SUPPRESSED.swap(0, Ordering::Relaxed);
    tracing::warn!(remote_addr = %remote, error = %error, suppressed, "rejected connection");
}

/// A client that speaks plain HTTP to a TLS port gets told so, as Go's server tells it, instead
/// of a TLS alert it cannot read; an HTTP/2 (gRPC) client gets the same words in a GOAWAY.
/// True when the connection was answered and closed.
async fn refused_plaintext(stream: &mut TcpStream, deadline: Instant) -> bool {
    let mut head = [0u8; 5];
    let peeked = tokio::time::timeout_at(deadline, stream.peek(&mut head)).await;
    let Ok(Ok(5)) = peeked else {
        return false;
    };
    let reply: Vec<u8> = if head == *b"PRI *" {
        plaintext_h2_goaway()
    } else if [
        b"GET /", b"HEAD ", b"POST ", b"PUT /", b"OPTIO", b"DELET", b"PATCH",
    ]
    .contains(&&head)
    {
        b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
            .to_vec()
    } else {
        return false;
    };
    // Best effort, bounded: read what the client sent (closing with unread bytes would reset the
    // connection and could lose the reply), answer, and close our side.
    let _ = tokio::time::timeout(Duration::from_millis(100), async {
        let mut sent = [0u8; 4096];
        let _ = stream.read(&mut sent).await;
        let _ = stream.write_all(&reply).await;
        let _ = stream.shutdown().await;
    })
    .await;
    true
}

/// An empty SETTINGS frame, then GOAWAY (PROTOCOL_ERROR) whose debug data says what is wrong.
fn plaintext_h2_goaway() -> Vec<u8> {
    let debug =
        b"this port speaks TLS: use https:// and the CA that signed the server's certificate";
    let mut out = vec![0, 0, 0, 0x4, 0, 0, 0, 0, 0];
    let len = 8 + debug.len();
    out.extend_from_slice(&[
        (len >> 16) as u8,
        (len >> 8) as u8,
        len as u8,
        0x7,
        0,
        0,
        0,
        0,
        0,
    ]);
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
    out.extend_from_slice(debug);
    out
}

/// Whether the handshake agreed on HTTP/2 (ALPN `h2`).
fn negotiated_h2<S>(tls: &tokio_rustls::server::TlsStream<S>) -> bool {
    tls.get_ref().1.alpn_protocol() == Some(b"h2".as_slice())
}

/// The verified certificate a TLS client presented, named by its CN: rustls hands out peer
/// certificates only once the client verifier accepted them.
#[derive(Debug, Clone)]
pub struct ClientCommonName(pub String);

fn verified_client<S>(tls: &tokio_rustls::server::TlsStream<S>) -> Option<ClientCommonName> {
    let cert = tls.get_ref().1.peer_certificates()?.first()?;
    super::tls::common_name(cert).map(ClientCommonName)
}

fn spawn_connection<S>(stream: S, grpc: Option<GrpcHandler>, http: Router)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    spawn_connection_as(stream, grpc, http, false, None)
}

/// Serves one connection; `h2` when TLS already agreed on HTTP/2. Then the server speaks first
/// (its SETTINGS), as clients that wait for them before sending their preface expect, instead
/// of first reading the preface to tell HTTP/1 from HTTP/2. gRPC requests carry the client's
/// certificate CN as an extension; gateway requests never do (etcd ignores the CN there).
fn spawn_connection_as<S>(
    stream: S,
    grpc: Option<GrpcHandler>,
    http: Router,
    h2: bool,
    client: Option<ClientCommonName>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
        let (grpc, http, client) = (grpc.clone(), http.clone(), client.clone());
        async move {
            let is_grpc = req
                .headers()
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("application/grpc"));
            let mut req = req.map(Body::new);
            let resp = match (is_grpc, grpc) {
                (true, Some(grpc)) => {
                    if let Some(client) = client {
                        req.extensions_mut().insert(client);
                    }
                    grpc(req).await
                }
                // As a router without routes answers.
                (true, None) => axum::http::StatusCode::NOT_FOUND.into_response(),
                (false, _) => match http.oneshot(req).await {
                    Ok(resp) => resp,
                    Err(never) => match never {},
                },
            };
            Ok::<_, Infallible>(resp)
        }
    });
    tokio::spawn(async move {
        let mut builder = auto::Builder::new(TokioExecutor::new());
        // Go writes header names in canonical case (`X-Etcd-Index`); scripts that grep for
        // them case-sensitively must find them here too.
        builder.http1().title_case_headers(true);
        if h2 {
            builder = builder.http2_only();
        }
        if let Err(e) = builder
            .serve_connection(TokioIo::new(stream), service)
            .await
        {
            tracing::debug!(error = %e, "client connection ended with an error");
        }
    });
}
