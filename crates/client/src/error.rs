//! Why a call failed, and the words etcdctl uses for it.

use std::fmt;

use tonic::{Code, Status};

use crate::dial::ConnectError;

/// The text etcdctl prints when its context runs out.
pub const DEADLINE_EXCEEDED: &str = "context deadline exceeded";

/// A gRPC error as etcdctl prints it: etcd's own errors by their message, a deadline as
/// [`DEADLINE_EXCEEDED`], anything else as Go's `rpc error: code = ... desc = ...`.
pub fn status_message(status: &Status) -> String {
    let message = status.message();
    if message.starts_with("etcdserver: ") {
        return message.to_string();
    }
    if matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled) {
        return DEADLINE_EXCEEDED.to_string();
    }
    format!(
        "rpc error: code = {} desc = {message}",
        code_name(status.code())
    )
}

/// A gRPC code by grpc-go's name for it (`Canceled`, `DeadlineExceeded`, ...).
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "Canceled",
        Code::Unknown => "Unknown",
        Code::InvalidArgument => "InvalidArgument",
        Code::DeadlineExceeded => "DeadlineExceeded",
        Code::NotFound => "NotFound",
        Code::AlreadyExists => "AlreadyExists",
        Code::PermissionDenied => "PermissionDenied",
        Code::ResourceExhausted => "ResourceExhausted",
        Code::FailedPrecondition => "FailedPrecondition",
        Code::Aborted => "Aborted",
        Code::OutOfRange => "OutOfRange",
        Code::Unimplemented => "Unimplemented",
        Code::Internal => "Internal",
        Code::Unavailable => "Unavailable",
        Code::DataLoss => "DataLoss",
        Code::Unauthenticated => "Unauthenticated",
    }
}

/// Why a call failed, before it is turned into etcdctl's error line.
#[derive(Debug, Clone)]
pub enum CallError {
    /// The server (or the transport) answered with an error.
    Status(Status),
    /// The call's deadline passed, connecting included.
    DeadlineExceeded,
    /// Authenticating the new connection failed (its message): etcdctl cannot build its client.
    Authenticate(String),
    /// The deadline passed while no endpoint could be connected to; the last endpoint's
    /// failure says why. Printed as etcdctl prints a deadline ([`DEADLINE_EXCEEDED`]).
    Unreachable(ConnectError),
    /// An endpoint speaks the other protocol (TLS or plain text): retrying cannot help, so the
    /// call fails at once.
    WrongProtocol(ConnectError),
}

impl CallError {
    /// The error as etcdctl prints it (see [`status_message`]).
    pub fn message(&self) -> String {
        match self {
            CallError::Status(s) => status_message(s),
            CallError::DeadlineExceeded => DEADLINE_EXCEEDED.to_string(),
            CallError::Authenticate(message) => message.clone(),
            CallError::Unreachable(_) => DEADLINE_EXCEEDED.to_string(),
            CallError::WrongProtocol(error) => error.to_string(),
        }
    }

    /// Whether the server does not have the method called (an oxcd extension asked of etcd).
    pub fn is_unimplemented(&self) -> bool {
        matches!(self, CallError::Status(status) if status.code() == Code::Unimplemented)
    }

    /// Why the endpoints could not be reached, when that is why the call failed.
    pub fn connect_error(&self) -> Option<&ConnectError> {
        match self {
            CallError::Unreachable(error) | CallError::WrongProtocol(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the server refused the call for lack of permission.
    pub fn is_permission_denied(&self) -> bool {
        matches!(self, CallError::Status(s) if s.message() == "etcdserver: permission denied")
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for CallError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etcd_errors_print_their_message() {
        let status = Status::out_of_range("etcdserver: mvcc: required revision has been compacted");
        assert_eq!(
            status_message(&status),
            "etcdserver: mvcc: required revision has been compacted"
        );
        let status = Status::unavailable("connection refused");
        assert_eq!(
            status_message(&status),
            "rpc error: code = Unavailable desc = connection refused"
        );
    }
}
