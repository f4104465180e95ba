//! `snapshot restore`: etcdutl's flags and checks, then oxcd's own restore
//! (`oxcd_server::member::restore::restore_snapshot`), which writes an oxcd data dir.
//! Like etcdutl it prints nothing on stdout; its two info lines go to stderr in the shape of
//! etcdutl's console log, and a progress bar is drawn there when stderr is a terminal.

use std::path::PathBuf;

use oxcd_server::member::restore::{restore_snapshot, RestoreOptions};

use crate::cli::Invocation;
use crate::error::{log_info, Failure, EXIT_BAD_ARGS, EXIT_ERROR};
use crate::progress::Progress;

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
    };
    log_info("snapshot/v3_snapshot.go:251", "restoring snapshot", &fields);
    let mut bar: Option<Progress> = None;
    let mut shown = 0;
    let result = restore_snapshot(&opts, &mut |done, total| {
        let bar = bar.get_or_insert_with(|| Progress::new("restoring", total));
        bar.advance(done.saturating_sub(shown));
        shown = shown.max(done);
    });
    if let Some(bar) = bar.as_mut() {
        bar.finish();
    }
    result.map_err(|e| Failure::error(EXIT_ERROR, go_open_error(snapshot, e)))?;
    log_info("snapshot/v3_snapshot.go:272", "restored snapshot", &fields);
    Ok(())
}

/// etcdutl fails to open a missing or unreadable snapshot with Go's `open PATH: reason`; the
/// library words it its own way, after the same earlier checks (data dir, WAL dir).
fn go_open_error(snapshot: &str, error: String) -> String {
    if !error.starts_with(&format!("{snapshot}: ")) {
        return error;
    }
    match std::fs::File::open(snapshot) {
        Err(e) => format!("open {snapshot}: {}", crate::status::go_io_reason(&e)),
        Ok(_) => error,
    }
}
