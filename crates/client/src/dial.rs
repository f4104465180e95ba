//! From an endpoint (`host:port` or a URL) to an open HTTP/2 connection: the one place where
//! connections are dialled, so every transport setting (timeouts, TLS) lives here only.
//!
//! Every connection goes through our own connector ([`open`]): TCP or a Unix socket, then TLS
//! when the endpoint asks for it. One code path for plain and TLS (tonic's `ClientTlsConfig`
//! cannot skip verification, and could not tell a plain server from a TLS one), and one place
//! that recognises the wrong protocol on the other end:
//! - a TLS client reaching a plain HTTP/2 server fails the handshake on bytes that are not TLS;
//! - a plain client reaching a TLS server reads a TLS record (`\x15\x03` alert, `\x16\x03`
//!   handshake) where HTTP/2 frames belong. To see it while still connecting (not as a broken
//!   pipe in the first call), the connector sends the HTTP/2 preface itself and reads the
//!   server's first bytes ([`ReadAhead`]); the same read shows, over TLS 1.3, the alert of a
//!   server that refused our certificate after the handshake.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpStream, UnixStream};
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tonic::transport::{Channel, Endpoint, Uri};

use rustls_pki_types::ServerName;

use crate::tls::{ClientTls, TlsFiles};

/// How long a new connection waits for the server's first bytes (its HTTP/2 SETTINGS, a TLS
/// alert) before handing the connection over anyway: HTTP/2 servers send SETTINGS at once, so
/// only a server that does not costs this wait.
const FIRST_BYTES_WAIT: Duration = Duration::from_millis(500);

/// The HTTP/2 client connection preface (RFC 9113, 3.4), which the connector sends itself on
/// plain connections.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// How many of the server's first bytes are read ahead (then replayed to HTTP/2).
const FIRST_BYTES_MAX: usize = 16 * 1024;

/// How to open a connection to one endpoint. Every transport setting belongs here, so that a
/// setting reaches every caller of [`connect_channel`] and every [`Client`].
///
/// Which endpoints speak TLS is etcdctl's rule: `https://` and `unixs://` always, `http://`
/// and `unix://` never, an endpoint without a scheme when [`DialConfig::tls_without_scheme`].
///
/// [`Client`]: crate::Client
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialConfig {
    /// How long to wait for the connection to be established (TLS handshake included).
    pub timeout: Duration,
    /// A limit on every request over the connection, on top of each request's own deadline;
    /// `None`: requests are bounded by their own deadlines only.
    pub request_timeout: Option<Duration>,
    /// The TLS settings of endpoints that speak TLS; `None`: the system's CAs, no client
    /// certificate.
    pub tls: Option<ClientTls>,
    /// Whether an endpoint without a scheme speaks TLS (etcdctl: when `--cacert`, `--cert` or
    /// `--key` is given, or `--insecure-transport=false`).
    pub tls_without_scheme: bool,
}

impl DialConfig {
    /// Dial within `timeout`, with no connection-wide request limit, in plain text unless the
    /// endpoint says `https://`.
    pub fn new(timeout: Duration) -> Self {
        DialConfig {
            timeout,
            request_timeout: None,
            tls: None,
            tls_without_scheme: false,
        }
    }
}

/// Why [`connect_channel`] could not open a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// The endpoint is not an address that can be dialled.
    BadEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The connection could not be established within the dial timeout.
    Unreachable {
        /// The endpoint as given.
        endpoint: String,
        /// The transport's error and its causes.
        reason: String,
    },
    /// The TLS handshake failed: the server's certificate was not trusted, or the server
    /// refused ours. Retrying may help (a rotated certificate), so callers retry as for
    /// [`ConnectError::Unreachable`].
    Handshake {
        /// The endpoint as given.
        endpoint: String,
        /// rustls' reason.
        reason: String,
    },
    /// The server speaks the other protocol: TLS where plain text was dialled, or the
    /// reverse. Retrying cannot help.
    WrongProtocol {
        /// The endpoint as given.
        endpoint: String,
        /// Whether the server speaks TLS (and the client did not).
        server_speaks_tls: bool,
    },
}

impl ConnectError {
    /// Whether retrying the same endpoint with the same settings cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, ConnectError::WrongProtocol { .. })
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::BadEndpoint { endpoint, reason } => {
                write!(f, "{endpoint}: bad endpoint: {reason}")
            }
            ConnectError::Unreachable { endpoint, reason } => {
                write!(f, "{endpoint}: cannot connect: {reason}")
            }
            ConnectError::Handshake { endpoint, reason } => {
                write!(f, "{endpoint}: TLS handshake failed: {reason}")
            }
            ConnectError::WrongProtocol {
                endpoint,
                server_speaks_tls: true,
            } => write!(
                f,
                "the server at {endpoint} speaks TLS: use https:// and --cacert"
            ),
            ConnectError::WrongProtocol {
                endpoint,
                server_speaks_tls: false,
            } => write!(
                f,
                "the server at {endpoint} does not speak TLS: use http:// without --cacert, --cert and --key"
            ),
        }
    }
}

impl std::error::Error for ConnectError {}

/// Where an endpoint is and whether it speaks TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    address: Address,
    tls: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Address {
    /// `host:port`, as dialled.
    Tcp { host: String, port: u16 },
    /// A Unix socket's path.
    Unix(PathBuf),
}

/// etcdctl's reading of an endpoint: its scheme says whether it speaks TLS (see
/// [`DialConfig`]); a missing port is 2379 for TCP.
fn target(endpoint: &str, dial: &DialConfig) -> Result<Target, String> {
    let (rest, tls, unix) = if let Some(rest) = endpoint.strip_prefix("https://") {
        (rest, true, false)
    } else if let Some(rest) = endpoint.strip_prefix("http://") {
        (rest, false, false)
    } else if let Some(rest) = endpoint.strip_prefix("unixs://") {
        (rest, true, true)
    } else if let Some(rest) = endpoint.strip_prefix("unix://") {
        (rest, false, true)
    } else if endpoint.contains("://") {
        return Err("unsupported scheme (http, https, unix, unixs)".to_string());
    } else {
        (endpoint, dial.tls_without_scheme, false)
    };
    if unix {
        if rest.is_empty() {
            return Err("no socket path".to_string());
        }
        return Ok(Target {
            address: Address::Unix(PathBuf::from(rest)),
            tls,
        });
    }
    let authority = rest.trim_end_matches('/');
    let uri: Uri = format!("http://{authority}/")
        .parse()
        .map_err(|e| format!("{e}"))?;
    if uri.path() != "/" || authority.contains('/') {
        return Err("a path is not allowed".to_string());
    }
    let host = uri.host().ok_or("no host")?.to_string();
    Ok(Target {
        address: Address::Tcp {
            host,
            port: uri.port_u16().unwrap_or(2379),
        },
        tls,
    })
}

/// The URL the HTTP/2 layer is given for `endpoint`: its authority under `http://`, since TLS,
/// when spoken, is our connector's business.
pub fn endpoint_url(endpoint: &str) -> String {
    let rest = ["https://", "http://", "unixs://", "unix://"]
        .iter()
        .find_map(|scheme| endpoint.strip_prefix(scheme));
    match rest {
        Some(_) if endpoint.starts_with("unix") => "http://localhost".to_string(),
        Some(rest) => format!("http://{rest}"),
        None => format!("http://{endpoint}"),
    }
}

/// Opens one HTTP/2 connection to `endpoint` (see [`DialConfig`] for when it is TLS), with
/// Nagle's algorithm off, within the dial timeout.
pub async fn connect_channel(endpoint: &str, dial: &DialConfig) -> Result<Channel, ConnectError> {
    let bad = |reason: String| ConnectError::BadEndpoint {
        endpoint: endpoint.to_string(),
        reason,
    };
    let target = target(endpoint, dial).map_err(bad)?;
    let tls = match (target.tls, &dial.tls) {
        (false, _) => None,
        (true, Some(tls)) => Some(tls.clone()),
        (true, None) => Some(ClientTls::system_default()),
    };
    let uri = Endpoint::from_shared(endpoint_url(endpoint))
        .map_err(|e| bad(e.to_string()))?
        .connect_timeout(dial.timeout);
    let uri = match dial.request_timeout {
        Some(limit) => uri.timeout(limit),
        None => uri,
    };
    let name = endpoint.to_string();
    let connector = tower::service_fn(move |_: Uri| {
        let (target, tls, name) = (target.clone(), tls.clone(), name.clone());
        async move { open(&name, &target, tls.as_ref()).await.map(TokioIo::new) }
    });
    uri.connect_with_connector(connector)
        .await
        .map_err(|e| classify(endpoint, &e))
}

/// The connect error behind tonic's, by what our connector reported.
fn classify(endpoint: &str, error: &tonic::transport::Error) -> ConnectError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(ours) = e.downcast_ref::<ConnectError>() {
            return ours.clone();
        }
        if let Some(ours) = e
            .downcast_ref::<io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<ConnectError>())
        {
            return ours.clone();
        }
        source = e.source();
    }
    ConnectError::Unreachable {
        endpoint: endpoint.to_string(),
        reason: with_causes(error),
    }
}

/// Our connector: the socket, then TLS if the target speaks it. Errors are [`ConnectError`]s
/// inside `io::Error`s, for [`classify`].
async fn open(endpoint: &str, target: &Target, tls: Option<&ClientTls>) -> io::Result<Connection> {
    let unreachable = |e: io::Error| {
        io::Error::other(ConnectError::Unreachable {
            endpoint: endpoint.to_string(),
            reason: with_causes(&e),
        })
    };
    let socket = socket(target).await.map_err(unreachable)?;
    let Some(tls) = tls else {
        let mut socket = socket;
        socket.write_all(PREFACE).await.map_err(unreachable)?;
        let first = match first_bytes(&mut socket).await {
            // A Go TLS server closes without a word on a plain preface: ask it in TLS.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && speaks_tls(target).await => {
                vec![0x15, 0x03]
            }
            other => other.map_err(unreachable)?,
        };
        if looks_like_tls(&first) {
            return Err(io::Error::other(ConnectError::WrongProtocol {
                endpoint: endpoint.to_string(),
                server_speaks_tls: true,
            }));
        }
        return Ok(Connection::Plain(Box::new(ReadAhead::new(
            first,
            socket,
            PREFACE.len(),
        ))));
    };
    let host = match &target.address {
        Address::Tcp { host, .. } => host.as_str(),
        Address::Unix(_) => "localhost",
    };
    let server_name = tls.server_name(host).map_err(|reason| {
        io::Error::other(ConnectError::BadEndpoint {
            endpoint: endpoint.to_string(),
            reason,
        })
    })?;
    let mut stream = match TlsConnector::from(tls.config())
        .connect(server_name, socket)
        .await
    {
        Ok(stream) => stream,
        // A Go plain server closes without a word on a ClientHello: ask it in HTTP/2.
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && speaks_plain_http2(target).await => {
            return Err(io::Error::other(ConnectError::WrongProtocol {
                endpoint: endpoint.to_string(),
                server_speaks_tls: false,
            }))
        }
        Err(e) => return Err(io::Error::other(handshake_error(endpoint, &e))),
    };
    // HTTP/2 SETTINGS, or (TLS 1.3) the alert of a server that refused our certificate.
    let first = first_bytes(&mut stream)
        .await
        .map_err(|e| io::Error::other(handshake_error(endpoint, &e)))?;
    Ok(Connection::Tls(Box::new(ReadAhead::new(first, stream, 0))))
}

/// A fresh socket to `target`.
async fn socket(target: &Target) -> io::Result<Socket> {
    Ok(match &target.address {
        Address::Tcp { host, port } => {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let stream = TcpStream::connect((host, *port)).await?;
            stream.set_nodelay(true)?;
            Socket::Tcp(stream)
        }
        Address::Unix(path) => Socket::Unix(UnixStream::connect(path).await?),
    })
}

/// Whether the server at `target` answers a TLS handshake (any certificate accepted, none
/// offered): asked only once a plain connection was closed unanswered.
async fn speaks_tls(target: &Target) -> bool {
    let probe = TlsFiles {
        insecure_skip_verify: true,
        ..TlsFiles::default()
    };
    let (Ok(tls), Ok(stream)) = (ClientTls::load(&probe), socket(target).await) else {
        return false;
    };
    let name = ServerName::try_from("localhost").expect("a valid DNS name");
    match TlsConnector::from(tls.config()).connect(name, stream).await {
        Ok(_) => true,
        Err(e) => e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .is_some_and(|e| matches!(e, rustls::Error::AlertReceived(_))),
    }
}

/// Whether the server at `target` answers the HTTP/2 preface with a SETTINGS frame: asked only
/// once a TLS handshake was closed unanswered.
async fn speaks_plain_http2(target: &Target) -> bool {
    /// An empty SETTINGS frame: length 0, type 4, no flags, stream 0.
    const EMPTY_SETTINGS: [u8; 9] = [0, 0, 0, 4, 0, 0, 0, 0, 0];
    let Ok(mut stream) = socket(target).await else {
        return false;
    };
    let sent = async {
        stream.write_all(PREFACE).await?;
        stream.write_all(&EMPTY_SETTINGS).await?;
        first_bytes(&mut stream).await
    };
    matches!(sent.await, Ok(first) if first.get(3) == Some(&4))
}

/// The server's first bytes, waiting at most [`FIRST_BYTES_WAIT`] (none if it sent nothing by
/// then); the server closing the connection instead is an error.
async fn first_bytes<S: AsyncRead + Unpin>(stream: &mut S) -> io::Result<Vec<u8>> {
    let mut first = vec![0; FIRST_BYTES_MAX];
    let read = match tokio::time::timeout(FIRST_BYTES_WAIT, stream.read(&mut first)).await {
        Err(_) => 0,
        Ok(Ok(0)) => {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection at once (does it speak the other protocol, TLS or plain text?)",
            ))
        }
        Ok(read) => read?,
    };
    first.truncate(read);
    Ok(first)
}

/// A failed handshake (or the alert right after it), named by what went wrong.
fn handshake_error(endpoint: &str, error: &io::Error) -> ConnectError {
    let tls_error = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let reason = match tls_error {
        Some(rustls::Error::InvalidMessage(_)) => {
            return ConnectError::WrongProtocol {
                endpoint: endpoint.to_string(),
                server_speaks_tls: false,
            }
        }
        Some(rustls::Error::AlertReceived(alert)) => {
            format!("the server refused the connection: alert {alert:?} (does it require a client certificate: --cert and --key?)")
        }
        Some(rustls::Error::InvalidCertificate(why)) => {
            format!("the server's certificate is not trusted: {why:?} (check --cacert and the endpoint's host name)")
        }
        Some(other) => other.to_string(),
        None if error.kind() == io::ErrorKind::UnexpectedEof => {
            "the server closed the connection during the handshake (does it speak TLS?)".to_string()
        }
        None => with_causes(error),
    };
    ConnectError::Handshake {
        endpoint: endpoint.to_string(),
        reason,
    }
}

/// A connected socket.
enum Socket {
    Tcp(TcpStream),
    Unix(UnixStream),
}

/// A connection as HTTP/2 sees it.
enum Connection {
    Plain(Box<ReadAhead<Socket>>),
    Tls(Box<ReadAhead<TlsStream<Socket>>>),
}

/// A stream whose first bytes from the server were read ahead (and are replayed before the
/// rest), and whose HTTP/2 preface was sent ahead (and is dropped from HTTP/2's writes).
struct ReadAhead<S> {
    first: Vec<u8>,
    /// How many of `first` were replayed.
    replayed: usize,
    /// How many bytes of [`PREFACE`] HTTP/2 has yet to write (and we to drop).
    preface_left: usize,
    inner: S,
}

impl<S> ReadAhead<S> {
    fn new(first: Vec<u8>, inner: S, preface_sent: usize) -> Self {
        ReadAhead {
            first,
            replayed: 0,
            preface_left: preface_sent,
            inner,
        }
    }
}

/// The first bytes of a TLS record from a server: an alert or a handshake, TLS 1.x.
fn looks_like_tls(bytes: &[u8]) -> bool {
    matches!(bytes, [0x15 | 0x16, 0x03, ..])
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_flush(cx),
            Socket::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Socket::Unix(s) => Pin::new(s).poll_write_vectored(cx, bufs),
        }
    }
    fn is_write_vectored(&self) -> bool {
        true
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for ReadAhead<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.replayed < this.first.len() {
            let n = buf.remaining().min(this.first.len() - this.replayed);
            buf.put_slice(&this.first[this.replayed..this.replayed + n]);
            this.replayed += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ReadAhead<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Invariant: HTTP/2 writes the preface before anything else, so the bytes dropped are
        // exactly the ones already sent.
        let dropped = this.preface_left.min(buf.len());
        if dropped > 0 {
            let sent = &PREFACE[PREFACE.len() - this.preface_left..][..dropped];
            if &buf[..dropped] != sent {
                return Poll::Ready(Err(io::Error::other(
                    "HTTP/2 did not start with its connection preface",
                )));
            }
            this.preface_left -= dropped;
            if dropped == buf.len() {
                return Poll::Ready(Ok(dropped));
            }
        }
        match Pin::new(&mut this.inner).poll_write(cx, &buf[dropped..]) {
            Poll::Ready(Ok(n)) => Poll::Ready(Ok(dropped + n)),
            Poll::Pending if dropped > 0 => Poll::Ready(Ok(dropped)),
            other => other,
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// `error: cause: cause`, since transport errors say little at the top level.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_with_or_without_scheme() {
        assert_eq!(endpoint_url("127.0.0.1:2379"), "http://127.0.0.1:2379");
        assert_eq!(
            endpoint_url("http://127.0.0.1:2379"),
            "http://127.0.0.1:2379"
        );
        assert_eq!(
            endpoint_url("https://127.0.0.1:2379"),
            "http://127.0.0.1:2379"
        );
        let plain = DialConfig::new(Duration::from_secs(1));
        let tls_bare = DialConfig {
            tls_without_scheme: true,
            ..plain.clone()
        };
        let tls_of = |e: &str, d: &DialConfig| target(e, d).map(|t| t.tls);
        assert_eq!(tls_of("127.0.0.1:2379", &plain), Ok(false));
        assert_eq!(tls_of("127.0.0.1:2379", &tls_bare), Ok(true));
        assert_eq!(tls_of("http://127.0.0.1:2379", &tls_bare), Ok(false));
        assert_eq!(tls_of("https://127.0.0.1:2379", &plain), Ok(true));
        assert_eq!(tls_of("unixs://sock", &plain), Ok(true));
        assert!(tls_of("ftp://x:1", &plain).is_err());
        assert_eq!(
            target("https://[::1]:2380", &plain).map(|t| t.address),
            Ok(Address::Tcp {
                host: "[::1]".to_string(),
                port: 2380
            })
        );
    }

    #[tokio::test]
    async fn errors_name_the_endpoint() {
        let dial = DialConfig::new(Duration::from_millis(200));
        let bad = connect_channel("not a host:2379", &dial).await;
        assert!(
            matches!(&bad, Err(ConnectError::BadEndpoint { endpoint, .. }) if endpoint == "not a host:2379"),
            "{bad:?}"
        );
        // Port 1 on loopback: nothing listens there in a test environment.
        let refused = connect_channel("127.0.0.1:1", &dial).await.map(|_| ());
        let message = refused.expect_err("nothing listens on port 1").to_string();
        assert!(
            message.starts_with("127.0.0.1:1: cannot connect: "),
            "{message}"
        );
    }
}
