//! Reads and writes bbolt database files: the format of etcd's backend (`member/snap/db`) and of
//! `etcdctl snapshot save`, so that oxcd can exchange snapshots with etcd.
//!
//! Written from the format's documented layout, not from bbolt's code. Only the amd64 layout is
//! supported: bbolt stores its structures in the machine's native byte order and alignment, and
//! every file etcd ships in practice is little-endian.
//!
//! - [`read`] / [`Db::from_bytes`] validate the whole file up front (meta checksums, page bounds,
//!   element bounds, key order), so iterating a [`Bucket`] afterwards cannot fail.
//! - [`Writer`] builds a fresh, compact file from sorted buckets.

mod error;
mod layout;
mod read;
mod write;

pub use error::BoltError;
pub use layout::Meta;
pub use read::{read, Bucket, Db};
pub use write::Writer;
