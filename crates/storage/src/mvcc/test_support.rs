//! Writes the store's unit tests share.

use oxcd_proto::etcdserverpb::PutRequest;

use super::MvccStore;

/// The lease check of a write batch in a store without leases.
pub(crate) fn no_leases(_: i64) -> bool {
    false
}

/// Puts `key` in a batch of its own, committed at raft index `index`.
pub(crate) fn put(store: &MvccStore, key: &str, value: &str, index: u64) {
    let mut batch = store.write_batch().unwrap();
    let req = PutRequest {
        key: key.into(),
        value: value.into(),
        ..PutRequest::default()
    };
    batch.put(&req, &no_leases).unwrap();
    batch.set_consistent_index(index, 2).unwrap();
    batch.commit(false).unwrap();
}
