//! What every `dump` command prints through: the format, stdout, the progress bar, table cells.

use std::io::{BufWriter, ErrorKind, IsTerminal, StdoutLock};

use crate::error::{Failure, EXIT_ERROR};
use crate::goformat::quote_bytes;
use crate::progress::Progress;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Simple,
    Json,
    Table,
}

/// Stdout, buffered: a dump writes many small pieces.
pub type Out<'a> = BufWriter<StdoutLock<'a>>;

/// A failed write to stdout. A reader that went away (`| head`) ends the dump quietly, as
/// SIGPIPE ends etcdctl; anything else is reported.
pub fn write_failure(e: std::io::Error) -> Failure {
    if e.kind() == ErrorKind::BrokenPipe {
        Failure {
            code: EXIT_ERROR,
            stderr: String::new(),
        }
    } else {
        Failure::error(EXIT_ERROR, format!("write to stdout: {e}"))
    }
}

/// A bar over `total` steps on stderr, unless stdout is a terminal too: there the output shows
/// the progress itself, and the bar would tear its lines.
pub fn progress(label: &'static str, total: u64) -> Progress {
    let shown = if std::io::stdout().is_terminal() {
        0
    } else {
        total
    };
    Progress::new(label, shown)
}

/// Bytes as a table cell: as they are when they are printable UTF-8, Go-quoted otherwise (a
/// control character would break the table's lines, or drive the terminal).
pub fn cell(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.chars().any(char::is_control) => text.to_string(),
        _ => quote_bytes(bytes),
    }
}

/// `{"<name>":[<items>]}`, the array left out when empty (Go's `omitempty`, as etcdctl's).
pub fn json_list(name: &str, items: &[String]) -> String {
    if items.is_empty() {
        "{}\n".to_string()
    } else {
        format!("{{\"{name}\":[{}]}}\n", items.join(","))
    }
}
