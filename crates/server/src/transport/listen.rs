//! Binding the listen URLs, before raft starts, so a busy port fails fast.

use crate::config::{parse_urls, url_host_port};

/// Binds every `--listen-peer-urls` URL.
pub async fn bind_peer_urls(urls: &str) -> Result<Vec<tokio::net::TcpListener>, String> {
    let mut listeners = Vec::new();
    for url in parse_urls(urls)? {
        let l = tokio::net::TcpListener::bind(url_host_port(&url))
            .await
            .map_err(|e| format!("listen on {url}: {e}"))?;
        listeners.push(l);
    }
    Ok(listeners)
}

/// The bound client listeners, ready to serve.
pub struct ClientListeners {
    pub(super) tcp: Vec<(String, tokio::net::TcpListener)>,
    pub(super) unix: Vec<(String, tokio::net::UnixListener)>,
}

/// Binds every `--listen-client-urls` URL, failing fast (before raft starts) on a busy port.
pub async fn bind_client_urls(urls: &str) -> Result<ClientListeners, String> {
    let mut listeners = ClientListeners {
        tcp: vec![],
        unix: vec![],
    };
    for url in parse_urls(urls)? {
        if let Some(path) = url
            .strip_prefix("unix://")
            .or_else(|| url.strip_prefix("unixs://"))
        {
            let _ = std::fs::remove_file(path);
            let l = tokio::net::UnixListener::bind(path)
                .map_err(|e| format!("listen on {url}: {e}"))?;
            listeners.unix.push((url, l));
            continue;
        }
        let addr = url_host_port(&url);
        let l = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("listen on {url}: {e}"))?;
        listeners.tcp.push((url, l));
    }
    Ok(listeners)
}
