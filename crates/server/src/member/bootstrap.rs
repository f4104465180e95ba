//! A member's first WAL: its identity and the cluster's first configuration.

use std::path::Path;

use oxcd_wal::{SnapshotMark, Wal, WalOptions, WalState};

/// Creates the WAL of a new member: its IDs as metadata, and for a bootstrapping member (with
/// `voters`) the initial configuration.
pub(crate) fn create_wal(
    wal_dir: &Path,
    id: u64,
    cluster_id: u64,
    voters: &[u64],
    opts: WalOptions,
) -> Result<(Wal, WalState, u64, u64), String> {
    let mut metadata = id.to_be_bytes().to_vec();
    metadata.extend_from_slice(&cluster_id.to_be_bytes());
    let mut wal = Wal::create(wal_dir, &metadata, opts).map_err(|e| e.to_string())?;
    // A bootstrapping member starts from a snapshot at index 1 holding the initial
    // configuration, so the log proper starts at 2 and a member that joins later (with an empty
    // log and no configuration) is always sent a snapshot, which carries the configuration. A
    // joining member starts empty, at index 0.
    let (mark, hard_state) = if voters.is_empty() {
        (SnapshotMark::default(), oxcd_wal::HardState::default())
    } else {
        let mark = SnapshotMark {
            index: 1,
            term: 1,
            voters: voters.to_vec(),
            ..Default::default()
        };
        (
            mark,
            oxcd_wal::HardState {
                term: 1,
                vote: 0,
                commit: 1,
            },
        )
    };
    wal.save_snapshot(&mark).map_err(|e| e.to_string())?;
    wal.save(Some(&hard_state), &[])
        .map_err(|e| e.to_string())?;
    let state = WalState {
        metadata,
        snapshot: Some(mark),
        hard_state,
        entries: vec![],
    };
    Ok((wal, state, id, cluster_id))
}
