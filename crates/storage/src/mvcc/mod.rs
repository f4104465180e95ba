//! etcd's multi-version key-value model on top of the [`crate::backend`].
//!
//! Every change gets a [`Revision`]; the backend's `key` table keeps each revision's
//! `KeyValue`, and an in-memory [`key index`](key_index) maps user keys to their revisions.
//! Reads go through [`MvccStore::range`] at any revision not yet compacted; writes go through a
//! [`WriteBatch`], which applies any number of requests in one backend transaction and makes
//! them visible to readers all at once when it commits. [`MvccStore::list_level`] lists one
//! level of the '/'-separated key hierarchy with per-child totals, from directory totals the
//! index keeps once a listing asked for them (`dirs`, `hierarchy`).
//!
//! Invariants:
//! - The key index holds exactly the revisions in the `key` table that reads can still reach;
//!   the table may also hold revisions a compaction has dropped from the index but
//!   [`MvccStore::compaction_step`] has not yet deleted.
//! - The index and the revision counters change only when a batch commits, after its backend
//!   transaction has committed; a dropped batch leaves no trace.
//! - `meta.consistent_index` is written in the same backend transaction as the data produced by
//!   the raft entries up to it.

#[cfg(test)]
mod crash_consistency;
mod defrag;
mod dirs;
mod error;
mod gate;
mod hierarchy;
mod import;
mod key_index;
mod key_table;
mod read;
mod revision;
mod store;
#[cfg(test)]
mod test_support;
mod view;
mod write;

pub use error::MvccError;
pub use hierarchy::{level_range, HierarchyChild, HierarchyLevel};
pub use import::create_backend;
pub use revision::Revision;
pub use store::{BucketEntries, MvccStore};
pub use view::{BackendView, StoreMarks};
pub use write::WriteBatch;

#[cfg(test)]
mod tests {
    /// The server shares the store as an `Arc` across threads and may hand a batch to a
    /// blocking task.
    #[test]
    fn store_is_shareable_and_batches_can_move() {
        fn shared<T: Send + Sync>() {}
        fn movable<T: Send>() {}
        shared::<super::MvccStore>();
        movable::<super::WriteBatch<'static>>();
    }
}
