//! The v2 client's errors, below both the client that raises them and the keys and members
//! APIs that decode them from answers.

use std::fmt;

use super::http::TransportError;

/// The member request that failed an exchange, in etcd's client's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V2Error {
    /// Every endpoint failed (`client.ClusterError`): one error per endpoint.
    Cluster(Vec<TransportError>),
    /// One endpoint failed a one-shot request (create, delete), which is not retried.
    Single(TransportError),
    /// etcd answered with a v2 error (`client.Error`).
    Keys(KeysError),
    /// Anything else, with whether etcdctl would count it as a connection error.
    Other { message: String, connection: bool },
}

impl V2Error {
    pub fn other(message: impl Into<String>) -> Self {
        V2Error::Other {
            message: message.into(),
            connection: false,
        }
    }

    pub(super) fn deadline() -> Self {
        V2Error::Other {
            message: "context deadline exceeded".to_string(),
            connection: true,
        }
    }

    /// etcdctl's `isConnectionError`.
    pub fn is_connection(&self) -> bool {
        match self {
            V2Error::Cluster(errors) => errors.iter().all(|e| e.connection),
            V2Error::Single(e) => e.connection,
            V2Error::Keys(_) => false,
            V2Error::Other { connection, .. } => *connection,
        }
    }

    /// `ClusterError.Detail()`, which etcdctl prints after the error line.
    pub fn detail(&self) -> Option<String> {
        let V2Error::Cluster(errors) = self else {
            return None;
        };
        Some(
            errors
                .iter()
                .enumerate()
                .map(|(i, e)| format!("error #{i}: {}\n", e.message))
                .collect(),
        )
    }
}

impl fmt::Display for V2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            V2Error::Cluster(errors) => {
                write!(f, "client: etcd cluster is unavailable or misconfigured")?;
                for (i, e) in errors.iter().enumerate() {
                    writeln!(f, "; error #{i}: {}", e.message)?;
                }
                Ok(())
            }
            V2Error::Single(e) => f.write_str(&e.message),
            V2Error::Keys(e) => write!(f, "{e}"),
            V2Error::Other { message, .. } => f.write_str(message),
        }
    }
}

/// etcd's v2 error (`client.Error`): `100: Key not found (/foo) [3]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysError {
    pub code: i64,
    pub message: String,
    pub cause: String,
    pub index: u64,
}

impl fmt::Display for KeysError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({}) [{}]",
            self.code, self.message, self.cause, self.index
        )
    }
}
