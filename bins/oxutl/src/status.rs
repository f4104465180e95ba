//! `snapshot status`: etcdutl's `Status` over a bbolt snapshot file (from etcd or from oxcd),
//! computed by `oxcd_server::member::restore::snapshot_status` and printed by the printer oxctl
//! shares.

use std::path::Path;

use oxcd_server::member::restore::snapshot_status;

use crate::db_status;
use crate::error::{Failure, EXIT_BAD_FEATURE, EXIT_ERROR};

/// The `-w` formats etcdutl knows; another is refused before the file is read, as etcdutl's
/// `initPrinterFromCmd` does.
const FORMATS: [&str; 5] = ["simple", "json", "table", "fields", "protobuf"];

/// Runs `snapshot status <file>`.
pub fn run(path: &str, format: &str) -> Result<(), Failure> {
    if !FORMATS.contains(&format) {
        return Err(Failure::error(
            EXIT_BAD_FEATURE,
            "unsupported output format",
        ));
    }
    let status = snapshot_status(Path::new(path)).map_err(|e| Failure::error(EXIT_ERROR, e))?;
    let text = db_status::render(format, &status).ok_or_else(|| {
        Failure::error(
            EXIT_BAD_FEATURE,
            format!("{format} not supported as output format"),
        )
    })?;
    print!("{text}");
    Ok(())
}
