//! How a command ends: etcdctl's exit codes and its `Error: ...` line.

use std::fmt::Display;

use oxcd_client::CallError;

use crate::goformat;

/// etcdctl's exit codes (`pkg/cobrautl/error.go`).
pub const EXIT_ERROR: i32 = 1;
pub const EXIT_BAD_CONNECTION: i32 = 2;
pub const EXIT_INVALID_INPUT: i32 = 3;
pub const EXIT_BAD_FEATURE: i32 = 4;
pub const EXIT_INTERRUPTED: i32 = 5;
pub const EXIT_BAD_ARGS: i32 = 128;

/// A failed command: the exact text for stderr and the process exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtlError {
    pub code: i32,
    /// Printed to stderr as is; empty when everything was already printed.
    pub stderr: String,
    /// Printed to stdout before `stderr` (cobra's usage on a flag error).
    pub stdout: String,
}

impl CtlError {
    /// etcdctl's `ExitWithError(code, err)`: `Error: <err>` on stderr.
    pub fn new(code: i32, message: impl Display) -> Self {
        CtlError {
            code,
            stderr: format!("Error: {message}\n"),
            stdout: String::new(),
        }
    }

    /// Exit with `code`, printing nothing more.
    pub fn silent(code: i32) -> Self {
        CtlError {
            code,
            stderr: String::new(),
            stdout: String::new(),
        }
    }

    /// Exit with `code` after printing `text` verbatim.
    pub fn raw(code: i32, text: impl Into<String>) -> Self {
        CtlError {
            code,
            stderr: text.into(),
            stdout: String::new(),
        }
    }

    /// What a Go panic inside etcdctl looks like to a script: the message and exit code 2.
    pub fn panic(message: &str) -> Self {
        CtlError::raw(2, format!("panic: {message}\n"))
    }
}

pub type CtlResult<T> = Result<T, CtlError>;

/// A failed call as etcdctl reports it: its message, exit code 2 when the client could not be
/// built (authentication failed), 1 otherwise. When no endpoint could be reached, the last
/// endpoint's failure comes first, as a warning line in the shape of clientv3's log lines
/// (etcdctl's own says only "all SubConns are in TransientFailure").
impl From<CallError> for CtlError {
    fn from(err: CallError) -> Self {
        let code = if matches!(err, CallError::Authenticate(_)) {
            EXIT_BAD_CONNECTION
        } else {
            EXIT_ERROR
        };
        let mut failed = CtlError::new(code, err.message());
        if let CallError::Unreachable(cause) = &err {
            failed.stderr = format!(
                "{{\"level\":\"warn\",\"msg\":\"cannot connect\",\"error\":{}}}\n{}",
                goformat::quote_str(&cause.to_string()),
                failed.stderr
            );
        }
        failed
    }
}
