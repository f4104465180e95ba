//! The key index rebuilt from the backend's `key` table when a store opens.

use redb::{ReadableTable, ReadableTableMetadata};

use super::key_index::{sort_changes, IndexEntry, IndexKey, KeyIndex};
use super::read::decode_key_and_value_len;
use super::revision::{Revision, RevisionKey};
use crate::backend::{Backend, StorageError};

/// The `key` table as redb opens it.
type KeyTable = redb::ReadOnlyTable<&'static [u8], &'static [u8]>;

/// What reading the whole `key` table yields.
pub(super) struct KeyTableIndex {
    pub(super) index: KeyIndex,
    /// The table's last revision (`None`: an empty table).
    pub(super) last: Option<Revision>,
    /// Bytes of its records, keys and values.
    pub(super) live_bytes: i64,
    /// Its records.
    pub(super) revisions: usize,
}

impl KeyTableIndex {
    /// Reads `keys`, checking that its keys are revision keys in increasing order and that each
    /// value decodes; errors name `backend`. Two halves of the table by revision are read and
    /// sorted at once on two threads where there are two cores and enough to read: this is the
    /// longest step of a start.
    pub(super) fn read(keys: &KeyTable, backend: &Backend) -> Result<KeyTableIndex, StorageError> {
        let parts = match table_split(keys)? {
            Some(split) => std::thread::scope(|scope| {
                let later = scope.spawn(|| KeyTablePart::read(keys, split.as_bytes().., backend));
                let earlier = KeyTablePart::read(keys, ..split.as_bytes(), backend);
                let later = later
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                Ok::<_, StorageError>(vec![earlier?, later?])
            })?,
            None => vec![KeyTablePart::read(keys, .., backend)?],
        };
        Ok(KeyTableIndex {
            last: parts.iter().rev().find_map(|part| part.last),
            live_bytes: parts.iter().map(|part| part.live_bytes).sum(),
            revisions: parts.iter().map(|part| part.changes.len()).sum(),
            index: KeyIndex::from_sorted_runs(parts.into_iter().map(|p| p.changes).collect()),
        })
    }
}

/// Below this many revisions the key table is read on one thread.
const PARALLEL_READ_MIN: u64 = 100_000;

/// Where to split the key table for reading it in two halves: the first key of the revision
/// halfway between its first and last; `None` when a second thread would not help (a small
/// table, one core).
fn table_split(keys: &KeyTable) -> Result<Option<RevisionKey>, StorageError> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores < 2 || keys.len()? < PARALLEL_READ_MIN {
        return Ok(None);
    }
    let main_of = |key: &[u8]| RevisionKey::decode(key).map(|(rev, _)| rev.main);
    let first = keys.first()?.and_then(|(key, _)| main_of(key.value()));
    let last = keys.last()?.and_then(|(key, _)| main_of(key.value()));
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(None); // a malformed key: the one-thread read reports it
    };
    Ok((first < last).then(|| RevisionKey::first_of(first + (last - first) / 2 + 1)))
}

/// The changes of one span of the `key` table, sorted by [`sort_changes`], for
/// [`KeyIndex::from_sorted_runs`].
struct KeyTablePart {
    changes: Vec<(IndexKey, IndexEntry)>,
    /// The span's last revision.
    last: Option<Revision>,
    /// Bytes of its records, keys and values.
    live_bytes: i64,
}

impl KeyTablePart {
    /// Reads the records of `span` of the table: revision keys in increasing order, each
    /// value's key and length (what the index needs of it).
    fn read<'a>(
        keys: &KeyTable,
        span: impl std::ops::RangeBounds<&'a [u8]>,
        backend: &Backend,
    ) -> Result<KeyTablePart, StorageError> {
        let mut part = KeyTablePart {
            changes: Vec::new(),
            last: None,
            live_bytes: 0,
        };
        for entry in keys.range(span)? {
            let (key, value) = entry?;
            let (rev, tombstone) = RevisionKey::decode(key.value())
                .filter(|(rev, _)| part.last.is_none_or(|last| last < *rev))
                .ok_or_else(|| backend.corrupt(format!("bad key table key {:?}", key.value())))?;
            let (user_key, value_len) = decode_key_and_value_len(backend, rev, value.value())?;
            let entry = match tombstone {
                true => IndexEntry::tombstone(rev),
                false => IndexEntry::put(rev, value_len),
            };
            part.changes.push((IndexKey::from(user_key), entry));
            part.live_bytes += (key.value().len() + value.value().len()) as i64;
            part.last = Some(rev);
        }
        sort_changes(&mut part.changes);
        Ok(part)
    }
}
