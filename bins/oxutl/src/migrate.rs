//! `migrate-from-etcd`: an etcd member's data dir turned into an oxcd one in place, offline (what
//! oxcd also does by itself when it starts on an etcd data dir), with a dry-run report.

use std::path::Path;

use oxcd_server::member::etcd_import::{import_etcd_data_dir, is_etcd_data_dir};

use crate::cli::Invocation;
use crate::error::{Failure, EXIT_ERROR};
use crate::progress::tracked;

pub fn run(inv: &Invocation) -> Result<(), Failure> {
    let data_dir = inv.string("data-dir");
    let dry_run = inv.bool("dry-run");
    let dir = Path::new(&data_dir);
    if !is_etcd_data_dir(dir) {
        return Err(Failure::error(
            EXIT_ERROR,
            format!("{data_dir}: not an etcd data dir (no bbolt backend in member/snap/db)"),
        ));
    }
    let result = tracked("importing", |progress| {
        import_etcd_data_dir(dir, dry_run, progress)
    });
    let report = result.map_err(|e| Failure::error(EXIT_ERROR, e))?;
    let verb = if dry_run { "would import" } else { "imported" };
    println!(
        "{verb} member {:x} of cluster {:x}: {} keys at raft index {}, {} WAL entries to replay ({} not applied by oxcd)",
        report.member_id,
        report.cluster_id,
        report.keys,
        report.applied_index,
        report.replayed,
        report.dropped
    );
    if !dry_run {
        println!("the etcd member is kept in {}", report.backup.display());
    }
    Ok(())
}
