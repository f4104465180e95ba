//! One HTTP/1.1 exchange with an etcd member, plain or over TLS: what Go's `http.Transport`
//! does for etcd's v2 client, with its error texts where scripts see them
//! (`dial tcp 127.0.0.1:2379: connect: connection refused`).
//!
//! A new connection per request: etcdctl makes a handful of requests per run, and a watch holds
//! its connection for the whole wait anyway.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::HeaderMap;
use hyper_util::rt::TokioIo;
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::goformat;

/// Why an exchange failed. `connection` marks what etcdctl's `isConnectionError` counts (a
/// failed dial or read), which decides its exit code when syncing the cluster fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    pub message: String,
    pub connection: bool,
}

impl TransportError {
    fn connection(message: String) -> Self {
        TransportError {
            message,
            connection: true,
        }
    }

    fn other(message: String) -> Self {
        TransportError {
            message,
            connection: false,
        }
    }
}

/// A request as etcd's client builds it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    /// The absolute URL, `scheme://host/path?query`, escaped.
    pub url: String,
    pub content_type: Option<&'static str>,
    /// `None`: no body at all (Go's `nil`), which `--debug` shows differently from empty.
    pub body: Option<Vec<u8>>,
    pub basic_auth: Option<(String, String)>,
}

/// A response whose headers have arrived; the body is read by [`Response::body`].
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    body: Incoming,
}

impl Response {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    pub async fn body(self) -> Result<Vec<u8>, TransportError> {
        self.body
            .collect()
            .await
            .map(|c| c.to_bytes().to_vec())
            .map_err(|e| TransportError::other(hyper_error(&e)))
    }
}

/// How to reach members: the TLS settings for `https` URLs and the dial timeout.
#[derive(Clone)]
pub struct Transport {
    pub tls: Arc<rustls::ClientConfig>,
    pub dial_timeout: Duration,
}

impl Transport {
    /// Sends `request` and waits for the response's headers.
    pub async fn round_trip(&self, request: &Request) -> Result<Response, TransportError> {
        let (scheme, rest) = request.url.split_once("://").ok_or_else(|| {
            TransportError::other(format!(
                "unsupported protocol scheme {}",
                goformat::quote_str(request.url.split(':').next().unwrap_or(""))
            ))
        })?;
        let (authority, path) = match rest.find('/') {
            Some(at) => rest.split_at(at),
            None => (rest, "/"),
        };
        let default_port = match scheme {
            "http" => 80,
            "https" => 443,
            other => {
                return Err(TransportError::other(format!(
                    "unsupported protocol scheme {}",
                    goformat::quote_str(other)
                )))
            }
        };
        if authority.is_empty() {
            return Err(TransportError::other(
                "http: no Host in request URL".to_string(),
            ));
        }
        let (host, port) = split_host_port(authority, default_port);
        let tcp = tokio::time::timeout(self.dial_timeout, dial(&host, port))
            .await
            .map_err(|_| {
                TransportError::connection(format!("dial tcp {host}:{port}: i/o timeout"))
            })??;
        let http_request = build(request, authority, path)?;
        if scheme == "https" {
            let name = ServerName::try_from(host.trim_matches(['[', ']']).to_string())
                .map_err(|e| TransportError::other(e.to_string()))?;
            let tls = TlsConnector::from(self.tls.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| TransportError::other(tls_error(&e)))?;
            exchange(TokioIo::new(tls), http_request).await
        } else {
            exchange(TokioIo::new(tcp), http_request).await
        }
    }
}

fn split_host_port(authority: &str, default_port: u16) -> (String, u16) {
    if let Some(at) = authority.rfind(':') {
        if !authority[at..].contains(']') {
            if let Ok(port) = authority[at + 1..].parse() {
                return (authority[..at].to_string(), port);
            }
        }
    }
    (authority.to_string(), default_port)
}

/// Go's dialer: every resolved address in turn, its error naming the last address tried.
async fn dial(host: &str, port: u16) -> Result<TcpStream, TransportError> {
    let bare = host.trim_matches(['[', ']']);
    let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((bare, port))
        .await
        .map_err(|_| TransportError::connection(format!("dial tcp: lookup {bare}: no such host")))?
        .collect();
    let mut last = TransportError::connection(format!("dial tcp: lookup {bare}: no such host"));
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok(stream),
            Err(e) => {
                last = TransportError::connection(format!(
                    "dial tcp {addr}: connect: {}",
                    io_reason(&e)
                ))
            }
        }
    }
    Err(last)
}

/// An I/O error in Go's (the C library's) words.
fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        io::ErrorKind::ConnectionReset => "connection reset by peer".to_string(),
        io::ErrorKind::TimedOut => "i/o timeout".to_string(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_string();
            text.to_lowercase()
        }
    }
}

fn tls_error(error: &io::Error) -> String {
    let text = error.to_string();
    if text.contains("UnknownIssuer") {
        "x509: certificate signed by unknown authority".to_string()
    } else if text.contains("NotValidForName") {
        "x509: certificate is not valid for the requested name".to_string()
    } else if text.contains("InvalidContentType") || text.contains("corrupt message") {
        "tls: first record does not look like a TLS handshake".to_string()
    } else {
        format!("remote error: {text}")
    }
}

fn hyper_error(error: &hyper::Error) -> String {
    if error.is_incomplete_message() || error.is_canceled() {
        "EOF".to_string()
    } else {
        error.to_string()
    }
}

fn build(
    request: &Request,
    authority: &str,
    path: &str,
) -> Result<hyper::Request<Full<Bytes>>, TransportError> {
    let mut builder = hyper::Request::builder()
        .method(request.method)
        .uri(path)
        .header("Host", authority)
        .header("User-Agent", "Go-http-client/1.1");
    if let Some(content_type) = request.content_type {
        builder = builder.header("Content-Type", content_type);
    }
    if let Some((user, password)) = &request.basic_auth {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        builder = builder.header("Authorization", format!("Basic {token}"));
    }
    let body = request.body.clone().unwrap_or_default();
    builder
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| TransportError::other(format!("net/http: invalid request: {e}")))
}

async fn exchange<S>(
    io: TokioIo<S>,
    request: hyper::Request<Full<Bytes>>,
) -> Result<Response, TransportError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| TransportError::other(hyper_error(&e)))?;
    // The connection task ends with the exchange; its error, if any, surfaces in the response.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| TransportError::other(hyper_error(&e)))?;
    let (parts, body) = response.into_parts();
    Ok(Response {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    })
}

/// The rustls configuration of etcdctl v2's `--ca-file --cert-file --key-file`, speaking
/// HTTP/1.1. The files are checked by oxcd-client's loader first, so errors read as etcdctl's.
pub fn tls_config(
    ca_file: &str,
    cert_file: &str,
    key_file: &str,
) -> Result<Arc<rustls::ClientConfig>, String> {
    use oxcd_client::{ClientTls, TlsFiles};
    let path = |s: &str| (!s.is_empty()).then(|| std::path::PathBuf::from(s));
    let files = TlsFiles {
        ca_file: path(ca_file),
        cert_file: path(cert_file),
        key_file: path(key_file),
        ..TlsFiles::default()
    };
    ClientTls::load(&files).map_err(|e| e.to_string())?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let roots = match &files.ca_file {
        Some(ca) => oxcd_client::read_ca_bundle(ca).map_err(|e| e.to_string())?,
        None => system_roots(),
    };
    let builder = builder.with_root_certificates(roots);
    let mut config = match (&files.cert_file, &files.key_file) {
        (Some(cert), Some(key)) => {
            let chain = oxcd_client::read_certificates(cert).map_err(|e| e.to_string())?;
            let key = oxcd_client::read_private_key(key).map_err(|e| e.to_string())?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| e.to_string())?
        }
        _ => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The system's CA bundle, for `https` endpoints without `--ca-file` (as Go's default).
fn system_roots() -> rustls::RootCertStore {
    const BUNDLES: [&str; 3] = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/cert.pem",
    ];
    for bundle in BUNDLES {
        if let Ok(roots) = oxcd_client::read_ca_bundle(std::path::Path::new(bundle)) {
            return roots;
        }
    }
    rustls::RootCertStore::empty()
}
