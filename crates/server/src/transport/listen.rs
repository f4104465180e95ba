//! Binding the listen URLs, before raft starts, so a busy port fails fast.

use crate::config::{parse_urls, url_host_port};

/// A bound socket of one listen URL.
pub enum Socket {
    Tcp(tokio::net::TcpListener),
    Unix(tokio::net::UnixListener),
}

/// One bound listen URL; `secure` for `https://` and `unixs://`, which speak only TLS.
pub struct Listener {
    pub url: String,
    pub secure: bool,
    pub socket: Socket,
}

/// Whether a URL's scheme says TLS.
pub fn is_secure(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("unixs://")
}

/// The host part of each URL, for the certificate `--auto-tls` generates.
pub fn hosts(urls: &[String]) -> Vec<String> {
    let mut hosts: Vec<String> = urls
        .iter()
        .filter(|u| !u.starts_with("unix"))
        .map(|u| {
            let host_port = url_host_port(u);
            let host = match host_port.rsplit_once(':') {
                Some((host, _)) => host,
                None => host_port,
            };
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_string()
        })
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// Binds every URL of a comma-separated list, failing fast on a busy port.
pub async fn bind_urls(urls: &str) -> Result<Vec<Listener>, String> {
    let mut listeners = Vec::new();
    for url in parse_urls(urls)? {
        let secure = is_secure(&url);
        if let Some(path) = url
            .strip_prefix("unix://")
            .or_else(|| url.strip_prefix("unixs://"))
        {
            let _ = std::fs::remove_file(path);
            let l = tokio::net::UnixListener::bind(path)
                .map_err(|e| format!("listen on {url}: {e}"))?;
            listeners.push(Listener {
                url,
                secure,
                socket: Socket::Unix(l),
            });
            continue;
        }
        let l = tokio::net::TcpListener::bind(url_host_port(&url))
            .await
            .map_err(|e| format!("listen on {url}: {e}"))?;
        listeners.push(Listener {
            url,
            secure,
            socket: Socket::Tcp(l),
        });
    }
    Ok(listeners)
}
