//! `snapshot restore`: etcdutl's flags and checks, then oxcd's own restore
//! (`oxcd_server::member::restore::restore_snapshot`), which writes an oxcd data dir.
//! Like etcdutl it prints nothing on stdout; its two info lines go to stderr in the shape of
//! etcdutl's console log, and a progress bar is drawn there when stderr is a terminal.

use std::path::PathBuf;

use oxcd_server::member::restore::{restore_snapshot, RestoreOptions};

use crate::cli::Invocation;
use crate::error::{log_info, Failure, EXIT_BAD_ARGS, EXIT_ERROR};
use crate::progress::tracked;

pub fn run(inv: &Invocation) -> Result<(), Failure> {
    let [snapshot] = inv.args.as_slice() else {
        return Err(Failure::error(
            EXIT_BAD_ARGS,
            "snapshot restore requires exactly one argument",
        ));
    };
    let bump_revision = inv.uint("bump-revision");
    let mark_compacted = inv.bool("mark-compacted");
    if (bump_revision == 0 && mark_compacted) || (bump_revision > 0 && !mark_compacted) {
        return Err(Failure::error(
            EXIT_BAD_ARGS,
            "--mark-compacted required if --revision-bump > 0",
        ));
    }
    let name = inv.string("name");
    let data_dir = match inv.string("data-dir") {
        dir if dir.is_empty() => format!("{name}.etcd"),
        dir => dir,
    };
    let wal_dir = Some(inv.string("wal-dir")).filter(|d| !d.is_empty());
    let shown_wal = wal_dir
        .clone()
        .unwrap_or_else(|| format!("{data_dir}/member/wal"));
    let fields = format!(
        "{{\"path\": {snapshot:?}, \"wal-dir\": {shown_wal:?}, \"data-dir\": {data_dir:?}, \"snap-dir\": {:?}}}",
        format!("{data_dir}/member/snap")
    );
    let opts = RestoreOptions {
        snapshot: PathBuf::from(snapshot),
        name,
        data_dir: PathBuf::from(&data_dir),
        wal_dir: wal_dir.map(PathBuf::from),
        initial_cluster: inv.string("initial-cluster"),
        initial_cluster_token: inv.string("initial-cluster-token"),
        initial_advertise_peer_urls: inv.string("initial-advertise-peer-urls"),
        skip_hash_check: inv.bool("skip-hash-check"),
        mark_compacted,
        bump_revision,
        refuse_existing_data_dir: false,
    };
    log_info("snapshot/v3_snapshot.go:251", "restoring snapshot", &fields);
    let result = tracked("restoring", |progress| restore_snapshot(&opts, progress));
    result.map_err(|e| Failure::error(EXIT_ERROR, e))?;
    log_info("snapshot/v3_snapshot.go:272", "restored snapshot", &fields);
    Ok(())
}
