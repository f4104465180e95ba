//! `defrag --data-dir`: a stopped member's backend compacted offline, with etcdutl's two log
//! lines (sizes before, and after with the difference and the time taken).

use std::path::Path;
use std::time::Instant;

use oxcd_server::member::etcd_import::is_etcd_data_dir;
use oxcd_storage::backend::Backend;

use crate::cli::Invocation;
use crate::error::{log_info, Failure, EXIT_ERROR};
use crate::goformat::humanize_bytes;

pub fn run(inv: &Invocation) -> Result<(), Failure> {
    let data_dir = inv.string("data-dir");
    if is_etcd_data_dir(Path::new(&data_dir)) {
        return Err(Failure::error(
            EXIT_ERROR,
            format!("{data_dir}: an etcd data dir (bbolt backend): defragment it with etcdutl, or import it with oxutl migrate-from-etcd first"),
        ));
    }
    let db = format!("{data_dir}/member/snap/db");
    if let Err(e) = std::fs::metadata(&db) {
        return Err(Failure::error(
            EXIT_ERROR,
            format!("open {db}: {}", oxcd_client::go_io_reason(&e)),
        ));
    }
    let before = std::fs::metadata(&db).map_or(0, |m| m.len());
    log_info(
        "backend/backend.go:481",
        "defragmenting",
        &format!(
            "{{\"path\": {db:?}, \"current-db-size-bytes\": {before}, \"current-db-size\": {:?}}}",
            humanize_bytes(before)
        ),
    );
    let started = Instant::now();
    let (before, after) =
        Backend::defragment_file(Path::new(&db)).map_err(|e| Failure::error(EXIT_ERROR, e))?;
    log_info(
        "backend/backend.go:539",
        "finished defragmenting directory",
        &format!(
            "{{\"path\": {db:?}, \"current-db-size-bytes-diff\": {}, \"current-db-size-bytes\": {after}, \"current-db-size\": {:?}, \"took\": {}}}",
            after as i64 - before as i64,
            humanize_bytes(after),
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(())
}
