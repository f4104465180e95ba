//! etcd's raft snapshot files, `<data-dir>/member/snap/%016x-%016x.snap` (term, index).

use std::path::{Path, PathBuf};

use prost::Message;

use crate::error::EtcdWalError;
use crate::pb;

/// A decoded `raftpb.Snapshot`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RaftSnapshot {
    /// The last log index the snapshot covers.
    pub index: u64,
    /// The term of that entry.
    pub term: u64,
    /// The voting members at that index.
    pub voters: Vec<u64>,
    /// The learners at that index.
    pub learners: Vec<u64>,
    /// The state machine's snapshot: the v2 store as JSON (the v3 keyspace lives in the backend).
    pub data: Vec<u8>,
}

/// Reads and checks one `.snap` file.
pub fn read_snap(path: &Path) -> Result<RaftSnapshot, EtcdWalError> {
    let bytes = std::fs::read(path).map_err(|e| EtcdWalError::io(path, e))?;
    let undecodable = |what, e: prost::DecodeError| EtcdWalError::Undecodable {
        path: path.to_path_buf(),
        offset: 0,
        what,
        reason: e.to_string(),
    };
    let file =
        pb::SnapFile::decode(bytes.as_slice()).map_err(|e| undecodable("snappb.Snapshot", e))?;
    // etcd refuses these too: a zero CRC is what a never-written envelope holds.
    if file.data.is_empty() || file.crc == 0 {
        return Err(EtcdWalError::EmptySnapshot {
            path: path.to_path_buf(),
        });
    }
    let computed = crc32c::crc32c(&file.data);
    if computed != file.crc {
        return Err(EtcdWalError::CrcMismatch {
            path: path.to_path_buf(),
            offset: 0,
            stored: file.crc,
            computed,
        });
    }
    let snap = pb::RaftSnapshot::decode(file.data.as_slice())
        .map_err(|e| undecodable("raftpb.Snapshot", e))?;
    let meta = snap.metadata.unwrap_or_default();
    let conf = meta.conf_state.unwrap_or_default();
    Ok(RaftSnapshot {
        index: meta.index,
        term: meta.term,
        voters: conf.voters,
        learners: conf.learners,
        data: snap.data,
    })
}

/// The newest `.snap` file in `dir` (`<data-dir>/member/snap`) that decodes and checks, with
/// its path; `None` when there is none.
///
/// Broken files are skipped (and logged) the way etcd skips them, but left in place: etcd
/// renames them to `.broken`, and a read-only import must not change the directory.
pub fn read_latest_snap(dir: &Path) -> Result<Option<(PathBuf, RaftSnapshot)>, EtcdWalError> {
    let mut names = Vec::new();
    for item in std::fs::read_dir(dir).map_err(|e| EtcdWalError::io(dir, e))? {
        let item = item.map_err(|e| EtcdWalError::io(dir, e))?;
        if let Some(name) = item.file_name().to_str() {
            if name.ends_with(".snap") {
                names.push(name.to_string());
            }
        }
    }
    // Fixed-width hex term then index, so the name order is the snapshot order.
    names.sort_unstable_by(|a, b| b.cmp(a));
    for name in names {
        let path = dir.join(&name);
        match read_snap(&path) {
            Ok(snap) => return Ok(Some((path, snap))),
            Err(err) => tracing::warn!(%err, "skipping broken etcd snapshot file"),
        }
    }
    Ok(None)
}
