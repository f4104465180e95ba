//! A point-in-time view of the whole backend (one read transaction): what an export into another
//! format (etcd's bbolt snapshot) reads while writes go on.

use redb::{ReadableTableMetadata, TableDefinition};

use super::store::{BucketEntries, MvccStore};
use crate::backend::{
    bucket_table_name, decode_u64, Backend, ReadTxn, StorageError, KEY_TABLE,
    META_CONSISTENT_INDEX, META_FINISHED_COMPACT, META_SCHEDULED_COMPACT, META_TABLE, META_TERM,
    SERVER_META_TABLE,
};

/// The store's own bookkeeping at the view's moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreMarks {
    /// Raft index of the last applied entry.
    pub consistent_index: u64,
    /// Raft term of the last applied entry.
    pub term: u64,
    /// 0 when no compaction was ever requested.
    pub scheduled_compact: u64,
    /// 0 when no compaction finished.
    pub finished_compact: u64,
}

/// One read transaction over every table; see [`MvccStore::view`].
pub struct BackendView<'a> {
    txn: ReadTxn,
    backend: &'a Backend,
}

impl MvccStore {
    /// A consistent view of everything the backend holds now; writers are not blocked.
    pub fn view(&self) -> Result<BackendView<'_>, StorageError> {
        Ok(BackendView {
            txn: self.backend().begin_read()?,
            backend: self.backend(),
        })
    }
}

impl BackendView<'_> {
    /// Hands `f` every `key` table entry in revision order, as an iterator that reads as it
    /// goes: the 17- or 18-byte revision key and the encoded `mvccpb.KeyValue`, both exactly as
    /// etcd's `key` bucket holds them. A read error ends the iteration and is returned after `f`.
    pub fn with_keys<T>(
        &self,
        f: impl FnOnce(&mut dyn Iterator<Item = (Vec<u8>, Vec<u8>)>) -> T,
    ) -> Result<T, StorageError> {
        let table = self.txn.open_table(KEY_TABLE)?;
        let mut failed = None;
        let mut entries = table.range::<&[u8]>(..)?.map_while(|entry| match entry {
            Ok((k, v)) => Some((k.value().to_vec(), v.value().to_vec())),
            Err(e) => {
                failed = Some(StorageError::from(e));
                None
            }
        });
        let out = f(&mut entries);
        drop(entries);
        match failed {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// How many entries the `key` table holds.
    pub fn key_count(&self) -> Result<u64, StorageError> {
        let table = self.txn.open_table(KEY_TABLE)?;
        Ok(table.len()?)
    }

    /// The consistent index, term and compaction marks.
    pub fn marks(&self) -> Result<StoreMarks, StorageError> {
        let table = self.txn.open_table(META_TABLE)?;
        let read = |name: &str| -> Result<u64, StorageError> {
            match table.get(name)? {
                None => Ok(0),
                Some(v) => decode_u64(v.value()).ok_or_else(|| {
                    self.backend
                        .corrupt(format!("meta value {name} is not 8 bytes"))
                }),
            }
        };
        Ok(StoreMarks {
            consistent_index: read(META_CONSISTENT_INDEX)?,
            term: read(META_TERM)?,
            scheduled_compact: read(META_SCHEDULED_COMPACT)?,
            finished_compact: read(META_FINISHED_COMPACT)?,
        })
    }

    /// A value the server stored with `WriteBatch::put_meta`.
    pub fn server_meta(&self, name: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let table = self.txn.open_table(SERVER_META_TABLE)?;
        Ok(table.get(name)?.map(|v| v.value().to_vec()))
    }

    /// Every entry of a server bucket, in key order (empty if it was never written).
    pub fn bucket_entries(&self, bucket: &str) -> Result<BucketEntries, StorageError> {
        let name = bucket_table_name(bucket)?;
        let table = match self
            .txn
            .open_table(TableDefinition::<&[u8], &[u8]>::new(&name))
        {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(err) => return Err(err.into()),
        };
        let mut out = Vec::new();
        for entry in table.range::<&[u8]>(..)? {
            let (key, value) = entry?;
            out.push((key.value().to_vec(), value.value().to_vec()));
        }
        Ok(out)
    }
}
