//! From an endpoint (`host:port` or a URL) to an open HTTP/2 connection: the one place where
//! connections are dialled, so transport settings (the timeouts now, TLS next) live here only.

use std::fmt;
use std::time::Duration;

use tonic::transport::{Channel, Endpoint};

/// How to open a connection to one endpoint. Every transport setting belongs here, so that a
/// setting added later (TLS) reaches every caller of [`connect_channel`] and every [`Client`].
///
/// [`Client`]: crate::Client
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialConfig {
    /// How long to wait for the connection to be established.
    pub timeout: Duration,
    /// A limit on every request over the connection, on top of each request's own deadline;
    /// `None`: requests are bounded by their own deadlines only.
    pub request_timeout: Option<Duration>,
}

impl DialConfig {
    /// Dial within `timeout`, with no connection-wide request limit.
    pub fn new(timeout: Duration) -> Self {
        DialConfig {
            timeout,
            request_timeout: None,
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
        }
    }
}

impl std::error::Error for ConnectError {}

/// Turns `127.0.0.1:2379` or `http://127.0.0.1:2379` into the URL that is dialled.
pub fn endpoint_url(endpoint: &str) -> String {
    if let Some(rest) = endpoint.strip_prefix("https://") {
        // TLS is not implemented: dial the same address in plain text.
        format!("http://{rest}")
    } else if endpoint.starts_with("http://") {
        endpoint.to_string()
    } else {
        format!("http://{endpoint}")
    }
}

/// Opens one HTTP/2 connection to `endpoint` (see [`endpoint_url`]), with Nagle's algorithm off.
pub async fn connect_channel(endpoint: &str, dial: &DialConfig) -> Result<Channel, ConnectError> {
    let target = Endpoint::from_shared(endpoint_url(endpoint))
        .map_err(|e| ConnectError::BadEndpoint {
            endpoint: endpoint.to_string(),
            reason: e.to_string(),
        })?
        .connect_timeout(dial.timeout)
        .tcp_nodelay(true);
    let target = match dial.request_timeout {
        Some(limit) => target.timeout(limit),
        None => target,
    };
    target
        .connect()
        .await
        .map_err(|e| ConnectError::Unreachable {
            endpoint: endpoint.to_string(),
            reason: with_causes(&e),
        })
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
