//! The MVCC layer's errors.

use crate::backend::StorageError;

/// Errors of the MVCC layer. `Display` strings are etcd's, which clients match on.
#[derive(Debug, thiserror::Error)]
pub enum MvccError {
    /// The revision asked for is below the compacted revision.
    #[error("mvcc: required revision has been compacted")]
    Compacted,
    /// The revision asked for is above the current revision.
    #[error("mvcc: required revision is a future revision")]
    FutureRevision,
    /// `ignore_value` / `ignore_lease` on a key that does not exist.
    #[error("etcdserver: key not found")]
    KeyNotFound,
    /// A put names a lease the server does not know.
    #[error("etcdserver: requested lease not found")]
    LeaseNotFound,
    /// A range request's `sort_order` or `sort_target` is not a known value.
    #[error("etcdserver: invalid sort option")]
    InvalidSortOption,
    /// The backend failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

macro_rules! mvcc_from_redb_errors {
    ($($ty:ty),*) => {$(
        impl From<$ty> for MvccError {
            fn from(err: $ty) -> Self {
                MvccError::Storage(err.into())
            }
        }
    )*};
}
mvcc_from_redb_errors!(
    redb::StorageError,
    redb::TransactionError,
    redb::TableError,
    redb::CommitError,
    redb::SetDurabilityError
);
