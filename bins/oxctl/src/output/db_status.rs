//! What `snapshot status` prints: etcdctl 3.4's and etcdutl 3.5's printers agree, so oxutl
//! includes this file too (with `table` and `goformat` beside it).

use oxcd_server::member::restore::SnapshotStatus;

use super::table;
use crate::goformat::humanize_bytes;

/// The text for output format `format` (`simple`, `json`, `fields` or `table`); `None` for the
/// others, which the tools refuse as not supported.
pub fn render(format: &str, s: &SnapshotStatus) -> Option<String> {
    let row = vec![
        format!("{:x}", s.hash),
        s.revision.to_string(),
        s.total_key.to_string(),
        humanize_bytes(s.total_size),
    ];
    Some(match format {
        "simple" => format!("{}\n", row.join(", ")),
        "json" => format!(
            "{{\"hash\":{},\"revision\":{},\"totalKey\":{},\"totalSize\":{}}}\n",
            s.hash, s.revision, s.total_key, s.total_size
        ),
        "fields" => format!(
            "\"Hash\" : {}\n\"Revision\" : {}\n\"Keys\" : {}\n\"Size\" : {}\n",
            s.hash, s.revision, s.total_key, s.total_size
        ),
        "table" => table::render(&["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"], &[row]),
        _ => return None,
    })
}
