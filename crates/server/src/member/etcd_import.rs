//! oxcd started on an etcd data dir: the etcd member (bbolt backend, WAL, `.snap` files) is
//! imported in place on first start. The original `member` directory is kept beside it as
//! `member.etcd-backup`; the backend's data, leases, users, roles, members and IDs are taken
//! over, and the WAL entries the backend had not stored yet (a kill -9 leaves some) are put in
//! oxcd's WAL to be applied as any committed entry is. The v2 store, which etcd keeps only in
//! its `.snap` files and its log, is rebuilt as etcd rebuilds it at a restart (the latest
//! snapshot's JSON, then the entries after it up to the backend's index; `state::etcd_v2`) and
//! stored in the new backend. Nothing is changed if anything fails.

use std::path::{Path, PathBuf};

use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_storage::mvcc::StoreMarks;
use oxcd_wal::{Entry, HardState, SnapshotMark, Wal, WalOptions};

use crate::state::etcd_format::{read_etcd_backend, Imported};
use crate::state::etcd_log::convert_entry;
use crate::state::etcd_v2::etcd_v2_store;
use crate::state::membership::{self, Membership};
use crate::state::v2::V2Store;

/// bbolt's meta page magic, at offset 16 of the file (after the page header).
const BOLT_MAGIC: u32 = 0xED0C_DAED;
const BACKUP_NAME: &str = "member.etcd-backup";

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub member_id: u64,
    pub cluster_id: u64,
    pub keys: u64,
    /// The raft index the backend held.
    pub applied_index: u64,
    /// WAL entries after it, to be applied at start.
    pub replayed: u64,
    /// Of those, entries whose payload oxcd does not apply (logins, cluster version records).
    pub dropped: u64,
    /// The v2 store's keys and directories under `/v2/keys`, before the replayed entries.
    pub v2_keys: u64,
    /// The v2 store's index (`X-Etcd-Index`), before the replayed entries.
    pub v2_index: u64,
    pub backup: PathBuf,
}

/// Whether `data_dir` holds an etcd member: its backend is a bbolt file.
pub fn is_etcd_data_dir(data_dir: &Path) -> bool {
    let db = data_dir.join("member").join("snap").join("db");
    let mut head = [0u8; 20];
    std::fs::File::open(db)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| head[16..20] == BOLT_MAGIC.to_le_bytes())
}

/// Imports the etcd member in `data_dir` in place (see the module doc); with `dry_run`, reads
/// and checks everything and reports what an import would do, changing nothing. `progress`
/// follows the keys written (done, total).
pub fn import_etcd_data_dir(
    data_dir: &Path,
    dry_run: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportReport, String> {
    let member_dir = data_dir.join("member");
    let backup = data_dir.join(BACKUP_NAME);
    if backup.exists() {
        return Err(format!(
            "{}: a backup of an earlier import is in the way; move it away to import again",
            backup.display()
        ));
    }
    let snap_dir = member_dir.join("snap");
    let db_path = snap_dir.join("db");
    let db = oxcd_bbolt::read(&db_path).map_err(|e| format!("{}: {e}", db_path.display()))?;
    let imported = read_etcd_backend(&db).map_err(|e| format!("{}: {e}", db_path.display()))?;
    let snapshot = oxcd_etcdwal::read_latest_snap(&snap_dir)
        .map_err(|e| e.to_string())?
        .map(|(_, s)| s);
    let after = snapshot.as_ref().map(|s| oxcd_etcdwal::SnapshotMark {
        index: s.index,
        term: s.term,
    });
    let wal_dir = member_dir.join("wal");
    let wal = oxcd_etcdwal::read_wal(&wal_dir, after).map_err(|e| e.to_string())?;
    let ci = imported.consistent_index;
    let term = if imported.term > 0 {
        imported.term
    } else {
        wal.entries
            .iter()
            .find(|e| e.index == ci)
            .map(|e| e.term)
            .or(snapshot.as_ref().filter(|s| s.index == ci).map(|s| s.term))
            .unwrap_or(wal.hard_state.term)
    };
    let v2 = import_v2_store(snapshot.as_ref(), &wal, ci)
        .map_err(|e| format!("{}: v2 store: {e}", member_dir.display()))?;
    let mut entries = Vec::new();
    let mut dropped = 0;
    for e in wal.entries.iter().filter(|e| e.index > ci) {
        let converted = convert_entry(e.index, e.entry_type, &e.data)?;
        dropped += u64::from(converted.dropped);
        entries.push(Entry {
            index: e.index,
            term: e.term,
            entry_type: converted.entry_type,
            data: converted.data,
            context: Vec::new(),
        });
    }
    if entries.first().is_some_and(|e| e.index != ci + 1) {
        return Err(format!(
            "{}: the WAL has no entries right after the backend's index {ci}",
            wal_dir.display()
        ));
    }

    // Build the new member directory beside the old one, then swap them.
    let staging = data_dir.join("member.oxcd-import");
    let report = ImportReport {
        member_id: wal.node_id,
        cluster_id: wal.cluster_id,
        keys: imported.key_count(),
        applied_index: ci,
        replayed: entries.len() as u64,
        dropped,
        v2_keys: v2.key_count(),
        v2_index: v2.index(),
        backup: backup.clone(),
    };
    if dry_run {
        return Ok(report);
    }
    let _ = std::fs::remove_dir_all(&staging);
    let built = build(&staging, imported, &v2, (ci, term), &wal, entries, progress);
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    std::fs::rename(&member_dir, &backup).map_err(|e| {
        format!(
            "cannot keep {} as {}: {e}",
            member_dir.display(),
            backup.display()
        )
    })?;
    if let Err(e) = std::fs::rename(&staging, &member_dir) {
        let _ = std::fs::rename(&backup, &member_dir);
        return Err(format!("cannot put the imported member in place: {e}"));
    }
    Ok(report)
}

/// The v2 store etcd would rebuild at a restart, up to the backend's index `ci`: the entries
/// between the snapshot and `ci` must all be in the WAL.
fn import_v2_store(
    snapshot: Option<&oxcd_etcdwal::RaftSnapshot>,
    wal: &oxcd_etcdwal::WalContents,
    ci: u64,
) -> Result<V2Store, String> {
    let snap_index = snapshot.map_or(0, |s| s.index);
    let entries: Vec<_> = wal
        .entries
        .iter()
        .filter(|e| e.index > snap_index && e.index <= ci)
        .collect();
    // The WAL's entries are consecutive after the snapshot; a log that starts later or ends
    // earlier lacks writes etcd had applied.
    if ci > snap_index
        && (entries.len() as u64 != ci - snap_index || entries[0].index != snap_index + 1)
    {
        return Err(format!(
            "the WAL does not hold every entry from the snapshot at {snap_index} to the backend's index {ci}"
        ));
    }
    let data = snapshot.map(|s| s.data.as_slice());
    etcd_v2_store(
        data,
        entries
            .into_iter()
            .map(|e| (e.index, e.entry_type, e.data.as_slice())),
    )
}

fn build(
    dir: &Path,
    mut imported: Imported<'_>,
    v2: &V2Store,
    (ci, term): (u64, u64),
    wal: &oxcd_etcdwal::WalContents,
    entries: Vec<Entry>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(), String> {
    let snap = dir.join("snap");
    std::fs::create_dir_all(&snap).map_err(|e| format!("{}: {e}", snap.display()))?;
    let db = snap.join("db");
    let marks = StoreMarks {
        consistent_index: ci,
        term,
        scheduled_compact: imported.scheduled_compact,
        finished_compact: imported.finished_compact,
    };
    let members = std::mem::take(&mut imported.members);
    let removed = std::mem::take(&mut imported.removed);
    let membership = Membership::from_list(members.clone());
    imported.write_backend(
        &db,
        marks,
        |batch| {
            membership.persist(batch)?;
            for id in &removed {
                batch.bucket_put(membership::REMOVED_BUCKET, &id.to_be_bytes(), &[])?;
            }
            v2.persist_all(batch)
        },
        progress,
    )?;

    let wal_dir = dir.join("wal");
    let mut metadata = wal.node_id.to_be_bytes().to_vec();
    metadata.extend_from_slice(&wal.cluster_id.to_be_bytes());
    let mut out = Wal::create(&wal_dir, &metadata, WalOptions::default())
        .map_err(|e| format!("{}: {e}", wal_dir.display()))?;
    let (voters, learners) = split_members(&members);
    out.save_snapshot(&SnapshotMark {
        index: ci,
        term,
        voters,
        learners,
        ..Default::default()
    })
    .map_err(|e| e.to_string())?;
    let last = entries.last().map_or(ci, |e| e.index);
    let hard_state = HardState {
        term: wal.hard_state.term.max(term),
        vote: wal.hard_state.vote,
        commit: wal.hard_state.commit.clamp(ci, last),
    };
    out.save(Some(&hard_state), &entries)
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn split_members(members: &[MemberPb]) -> (Vec<u64>, Vec<u64>) {
    let voters = members
        .iter()
        .filter(|m| !m.is_learner)
        .map(|m| m.id)
        .collect();
    let learners = members
        .iter()
        .filter(|m| m.is_learner)
        .map(|m| m.id)
        .collect();
    (voters, learners)
}
