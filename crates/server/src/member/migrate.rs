//! etcd 3.4's offline `migrate`: the v2 keys of a stopped member's data dir written as v3 keys
//! of the same names and values (directories skipped; TTL keys kept as plain keys, or left out
//! with `no_ttl`, as etcd does), in one durable backend transaction. Running it again finds
//! every key already there and changes nothing.
//!
//! Like etcd's, it must run on every member's data dir of a stopped cluster: each member gets the
//! same new revisions only if all stopped at the same applied index, which the summary reports.

use std::path::Path;

use oxcd_proto::etcdserverpb::{PutRequest, RangeRequest};
use oxcd_storage::mvcc::MvccStore;
use oxcd_v2store::NodeExtern;
use oxcd_wal::{Wal, WalOptions};

use crate::state::v2::{V2Store, KEYS_PREFIX};

/// What a migration did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrateSummary {
    /// Keys written to v3.
    pub migrated: u64,
    /// Keys v3 already held with the same value.
    pub unchanged: u64,
    /// Directories (not keys in v3) and, with `no_ttl`, TTL keys.
    pub skipped: u64,
    /// The raft index the data dir was stopped at.
    pub applied_index: u64,
    /// The v3 revision after the migration.
    pub revision: i64,
}

/// Migrates the v2 keys of the data dir; `progress(done, total)` follows the keys.
pub fn migrate_v2_offline(
    data_dir: &Path,
    wal_dir: Option<&Path>,
    no_ttl: bool,
    dry_run: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<MigrateSummary, String> {
    let wal_dir = wal_dir.map_or_else(|| data_dir.join("member").join("wal"), Path::to_path_buf);
    // Opening the WAL takes its lock: a running member keeps it, and migrating under it would
    // race its writes.
    let (_wal, wal_state) = Wal::open(&wal_dir, WalOptions::default())
        .map_err(|e| format!("{}: {e}", wal_dir.display()))?;
    let db = data_dir.join("member").join("snap").join("db");
    if !db.exists() {
        return Err(format!("{}: no backend in this data dir", db.display()));
    }
    let store = MvccStore::open(&db).map_err(|e| e.to_string())?;
    let applied = store.consistent_index();
    // The WAL's hard state lags the commit index (raft persists it lazily), so the entries
    // themselves say what the backend may be missing.
    let last = wal_state
        .entries
        .last()
        .map_or(wal_state.hard_state.commit, |e| e.index);
    if last > applied {
        return Err(format!(
            "the WAL holds entries up to index {last} that the backend has not stored (applied \
             index {applied}); start the member and stop it with SIGTERM, then migrate"
        ));
    }
    let v2 = V2Store::load(&store, &[])?;
    let mut leaves = Vec::new();
    let mut summary = MigrateSummary {
        applied_index: applied,
        ..Default::default()
    };
    if let Ok(root) = v2.get(KEYS_PREFIX, true, true) {
        collect(&root.node, no_ttl, &mut leaves, &mut summary.skipped);
    }
    let total = leaves.len() as u64;
    let mut batch = store.write_batch().map_err(|e| e.to_string())?;
    for (done, (key, value)) in leaves.into_iter().enumerate() {
        let current = batch
            .range(&RangeRequest {
                key: key.clone().into_bytes(),
                ..Default::default()
            })
            .map_err(|e| e.to_string())?;
        if current
            .kvs
            .first()
            .is_some_and(|kv| kv.value == value.as_bytes())
        {
            summary.unchanged += 1;
        } else {
            summary.migrated += 1;
            if !dry_run {
                let put = PutRequest {
                    key: key.into_bytes(),
                    value: value.into_bytes(),
                    ..Default::default()
                };
                batch.put(&put, &|_| false).map_err(|e| e.to_string())?;
            }
        }
        progress(done as u64 + 1, total);
    }
    summary.revision = batch.revision();
    if dry_run {
        summary.revision = store.current_revision();
        return Ok(summary);
    }
    batch.commit(true).map_err(|e| e.to_string())?;
    Ok(summary)
}

/// The keys (not directories) below `node`, named as etcd's migrate names them (the `/1`
/// namespace removed), in key order.
fn collect(node: &NodeExtern, no_ttl: bool, out: &mut Vec<(String, String)>, skipped: &mut u64) {
    if node.dir {
        if !node.key.is_empty() && node.key != KEYS_PREFIX {
            *skipped += 1;
        }
        for child in node.nodes.iter().flatten() {
            collect(child, no_ttl, out, skipped);
        }
        return;
    }
    if no_ttl && node.ttl != 0 {
        *skipped += 1;
        return;
    }
    let key = node.key.strip_prefix(KEYS_PREFIX).unwrap_or(&node.key);
    out.push((key.to_string(), node.value.clone().unwrap_or_default()));
}
