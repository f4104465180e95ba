//! How a command ends (cobrautl's exit codes and `Error:` line), and etcdutl's log lines.

use std::io::Write;
use std::time::SystemTime;

/// cobrautl's exit codes.
pub const EXIT_ERROR: i32 = 1;
pub const EXIT_BAD_FEATURE: i32 = 4;
pub const EXIT_BAD_ARGS: i32 = 128;

/// How a command ends: the text for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub stderr: String,
}

impl Failure {
    /// cobrautl's `ExitWithError`: `Error: <message>`.
    pub fn error(code: i32, message: impl std::fmt::Display) -> Self {
        Failure {
            code,
            stderr: format!("Error: {message}\n"),
        }
    }

    /// An error cobra reports itself (`printed`: its error and usage) before main's
    /// `ExitWithError` prints it again.
    pub fn usage_error(code: i32, message: &str, printed: String) -> Self {
        Failure {
            code,
            stderr: format!("{printed}Error: {message}\n"),
        }
    }
}

/// One of etcdutl's console-encoded zap info lines on stderr (`fields` is their JSON object).
pub fn log_info(caller: &str, msg: &str, fields: &str) {
    let ts = humantime::format_rfc3339_seconds(SystemTime::now());
    let _ = writeln!(
        std::io::stderr().lock(),
        "{ts}\tinfo\t{caller}\t{msg}\t{fields}"
    );
}
