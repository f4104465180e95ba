//! Reads the raft state of an etcd 3.4–3.7 data dir: the write-ahead log
//! (`<data-dir>/member/wal/*.wal`) and the raft snapshot files (`<data-dir>/member/snap/*.snap`),
//! so that oxcd can start on a data dir etcd left behind.
//!
//! Written from the file formats, not from etcd's code. Reading only: nothing here repairs,
//! truncates or renames, so a failed import leaves the data dir as etcd can still use it.
//!
//! - [`read_latest_snap`] finds the newest snapshot that checks.
//! - [`read_wal`] replays the log after that snapshot's mark into [`WalContents`].

mod error;
mod frame;
mod pb;
mod snap;
mod wal;

pub use error::EtcdWalError;
pub use snap::{read_latest_snap, read_snap, RaftSnapshot};
pub use wal::{read_wal, Entry, HardState, SnapshotMark, WalContents};

#[cfg(test)]
mod tests;
