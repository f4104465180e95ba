//! The raft write-ahead log: the durability point of an oxcd member.
//!
//! Raft's entries, hard state and snapshot marks are appended to numbered segment files
//! (`{seq:016x}-{first_index:016x}.wal`, as etcd names them) and made durable with one
//! `fdatasync` per [`Wal::save`]. [`Wal::open`] replays every segment into a [`WalState`],
//! truncating a torn tail left by a crash and refusing (with [`WalError::Corrupt`]) anything
//! else that fails its checksum. See `record.rs` for the on-disk framing and `codec.rs` for
//! the payloads.

mod codec;
mod error;
mod record;
mod segment;
mod types;
mod wal;

#[cfg(test)]
mod tests;

pub use error::WalError;
pub use types::{Entry, HardState, SnapshotMark, WalOptions, WalState};
pub use wal::{Wal, WriteTimes};
