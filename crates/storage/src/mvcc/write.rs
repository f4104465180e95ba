//! [`WriteBatch`]: puts, deletes, txns and compactions applied in one backend transaction.

use std::cmp::Ordering;

use oxcd_proto::etcdserverpb::compare::{CompareResult, CompareTarget, TargetUnion};
use oxcd_proto::etcdserverpb::request_op::Request;
use oxcd_proto::etcdserverpb::response_op::Response;
use oxcd_proto::etcdserverpb::{
    Compare, DeleteRangeRequest, DeleteRangeResponse, PutRequest, PutResponse, RangeRequest,
    RangeResponse, RequestOp, ResponseHeader, ResponseOp, TxnRequest, TxnResponse,
};
use oxcd_proto::mvccpb::{event::EventType, Event, KeyValue};
use prost::Message;
use redb::{Durability, ReadableTable, Table, TableDefinition, WriteTransaction};

use super::error::MvccError;
use super::key_index::{IndexEntry, IndexView, KeyRange, Overlay};
use super::read::{header, read_revision, read_value, request_range, RangePlan};
use super::revision::Revision;
use super::revision::RevisionKey;
use super::store::{MvccStore, Published, WriterGuard};
use crate::backend::{
    bucket_table_name, encode_u64, set_durable, StorageError, KEY_TABLE, META_CONSISTENT_INDEX,
    META_SCHEDULED_COMPACT, META_TABLE, META_TERM, SERVER_META_TABLE,
};

type KeyTable<'t> = Table<'t, &'static [u8], &'static [u8]>;

self_cell::self_cell!(
    /// A batch's backend transaction with its key table open: every put, delete and txn of the
    /// batch writes through the one table, instead of opening it for each request (a lookup in
    /// redb's table tree, and its root staged again when it closes: about 5% of a put's
    /// instructions).
    struct TxnWithKeys {
        owner: WriteTransaction,
        #[not_covariant]
        dependent: KeyTable,
    }
);

/// Applies write requests in one backend transaction, holding the store's writer lock.
///
/// Each request that changes something consumes one new main revision (all writes of a txn
/// share it, numbered by sub revision). A request that fails changes nothing. Reads through the
/// batch see its own writes; readers of the [`MvccStore`] see none of them until
/// [`commit`](Self::commit), and then all at once. Dropping a batch discards it.
///
/// A request failing with [`MvccError::Storage`] may leave part of its writes in the batch:
/// drop the batch then (the server stops applying and recovers by replay).
pub struct WriteBatch<'a> {
    txn: TxnWithKeys,
    state: BatchState<'a>,
    _writer: WriterGuard<'a>,
}

/// The batch's own view of the store, apart from the backend transaction so that tables opened
/// from the transaction can be passed alongside it.
struct BatchState<'a> {
    store: &'a MvccStore,
    /// The revision after the requests applied so far.
    rev: i64,
    /// Writes made so far by the request in progress, at main revision `rev + 1`.
    sub: i64,
    compact_rev: i64,
    compaction: Option<i64>,
    consistent: Option<(u64, u64)>,
    overlay: Overlay,
    events: Vec<Event>,
    added_bytes: i64,
}

impl MvccStore {
    /// Starts a write batch: one backend transaction for any number of requests. Blocks while
    /// another batch (or a compaction step) is in progress.
    pub fn write_batch(&self) -> Result<WriteBatch<'_>, StorageError> {
        let guard = self.writer.enter();
        let txn = self.backend.begin_write()?;
        let (current_rev, compact_rev) = {
            let state = self.read_state();
            (state.current_rev, state.compact_rev)
        };
        WriteBatch::new(self, guard, txn, current_rev, compact_rev)
    }
}

impl<'a> WriteBatch<'a> {
    pub(super) fn new(
        store: &'a MvccStore,
        writer: WriterGuard<'a>,
        txn: WriteTransaction,
        current_rev: i64,
        compact_rev: i64,
    ) -> Result<WriteBatch<'a>, StorageError> {
        let txn = TxnWithKeys::try_new(txn, |txn| txn.open_table(KEY_TABLE))?;
        Ok(WriteBatch {
            txn,
            state: BatchState {
                store,
                rev: current_rev,
                sub: 0,
                compact_rev,
                compaction: None,
                consistent: None,
                overlay: Overlay::new(),
                events: Vec::new(),
                added_bytes: 0,
            },
            _writer: writer,
        })
    }

    /// The revision after the requests applied so far in this batch.
    pub fn revision(&self) -> i64 {
        self.state.rev
    }

    /// A range read that sees this batch's writes (header: the batch's revision).
    pub fn range(&self, req: &RangeRequest) -> Result<RangeResponse, MvccError> {
        self.txn
            .with_dependent(|_, table| self.state.range(req, table))
    }

    /// etcd's Put. `lease_exists` tells whether a lease id is granted.
    pub fn put(
        &mut self,
        req: &PutRequest,
        lease_exists: &dyn Fn(i64) -> bool,
    ) -> Result<PutResponse, MvccError> {
        let response = self
            .txn
            .with_dependent_mut(|_, table| self.state.put(req, table, lease_exists))?;
        self.state.end_request();
        Ok(response)
    }

    /// etcd's DeleteRange; deleting nothing consumes no revision.
    pub fn delete_range(
        &mut self,
        req: &DeleteRangeRequest,
    ) -> Result<DeleteRangeResponse, MvccError> {
        let response = self
            .txn
            .with_dependent_mut(|_, table| self.state.delete_range(req, table))?;
        self.state.end_request();
        Ok(response)
    }

    /// etcd's Txn: all compares (nested txns' too) against the state before the txn, the chosen
    /// branch validated, then executed in order. The server checks duplicate keys and the
    /// operation limit before proposing.
    pub fn txn(
        &mut self,
        req: &TxnRequest,
        lease_exists: &dyn Fn(i64) -> bool,
    ) -> Result<TxnResponse, MvccError> {
        let mut response = self
            .txn
            .with_dependent_mut(|_, table| self.state.txn(req, table, lease_exists))?;
        self.state.end_request();
        response.header = header(self.state.rev);
        Ok(response)
    }

    /// Compacts the history at `rev`: reads below it fail from now on. The key index is
    /// compacted when the batch commits; the backend deletions happen later, in
    /// [`MvccStore::compaction_step`]. Consumes no revision.
    pub fn compact(&mut self, rev: i64) -> Result<(), MvccError> {
        if rev <= self.state.compact_rev {
            return Err(MvccError::Compacted);
        }
        if rev > self.state.rev {
            return Err(MvccError::FutureRevision);
        }
        let mut meta = self.txn.borrow_owner().open_table(META_TABLE)?;
        meta.insert(META_SCHEDULED_COMPACT, &encode_u64(rev as u64)[..])?;
        self.state.compact_rev = rev;
        self.state.compaction = Some(rev);
        Ok(())
    }

    /// Records the raft index and term of the last entry this batch applies; committed
    /// atomically with the batch's data.
    pub fn set_consistent_index(&mut self, index: u64, term: u64) -> Result<(), StorageError> {
        let mut meta = self.txn.borrow_owner().open_table(META_TABLE)?;
        meta.insert(META_CONSISTENT_INDEX, &encode_u64(index)[..])?;
        meta.insert(META_TERM, &encode_u64(term)[..])?;
        self.state.consistent = Some((index, term));
        Ok(())
    }

    /// The changes made so far (since the last call), in order, each with its `prev_kv`
    /// (what the key held before, if anything): for watchers and the lessor. Delete events
    /// carry a `KeyValue` with only the key and `mod_revision`, as etcd's.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.state.events)
    }

    /// Stores an opaque server value under `name`, in this batch.
    pub fn put_meta(&mut self, name: &str, value: &[u8]) -> Result<(), StorageError> {
        let mut table = self.txn.borrow_owner().open_table(SERVER_META_TABLE)?;
        table.insert(name, value)?;
        Ok(())
    }

    /// Stores `key -> value` in the server bucket `bucket` (created on first use).
    pub fn bucket_put(
        &mut self,
        bucket: &str,
        key: &[u8],
        value: &[u8],
    ) -> Result<(), StorageError> {
        let name = bucket_table_name(bucket)?;
        let mut table = self
            .txn
            .borrow_owner()
            .open_table(TableDefinition::<&[u8], &[u8]>::new(&name))?;
        table.insert(key, value)?;
        Ok(())
    }

    /// Removes `key` from the server bucket `bucket`; returns whether it was there.
    pub fn bucket_delete(&mut self, bucket: &str, key: &[u8]) -> Result<bool, StorageError> {
        let name = bucket_table_name(bucket)?;
        let mut table = self
            .txn
            .borrow_owner()
            .open_table(TableDefinition::<&[u8], &[u8]>::new(&name))?;
        let removed = table.remove(key)?.is_some();
        Ok(removed)
    }

    /// One entry of a server bucket, as this batch sees it.
    pub fn bucket_get(&self, bucket: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        let name = bucket_table_name(bucket)?;
        let table = self
            .txn
            .borrow_owner()
            .open_table(TableDefinition::<&[u8], &[u8]>::new(&name))?;
        let value = table.get(key)?.map(|v| v.value().to_vec());
        Ok(value)
    }

    /// Commits the backend transaction, then makes the batch visible to readers.
    ///
    /// `durable = false` skips the fsync (redb `Durability::None`): the raft WAL is the
    /// durability point, and after a crash the server replays entries after the last durably
    /// committed consistent index. `durable = true` (redb `Immediate`) makes this and every
    /// earlier commit durable.
    pub fn commit(self, durable: bool) -> Result<(), StorageError> {
        let WriteBatch {
            txn,
            state,
            _writer,
        } = self;
        let mut txn = txn.into_owner();
        if durable {
            set_durable(&mut txn)?;
        } else {
            txn.set_durability(Durability::None)?;
        }
        txn.commit()?;
        let store = state.store;
        store.backend.refresh_size();
        store.publish(Published {
            overlay: state.overlay,
            current_rev: state.rev,
            compact_rev: state.compact_rev,
            compaction: state.compaction,
            consistent: state.consistent,
            added_bytes: state.added_bytes,
        });
        drop(_writer);
        Ok(())
    }
}

impl BatchState<'_> {
    /// The revision reads see: the txn in progress counts once it has written.
    fn read_rev(&self) -> i64 {
        if self.sub > 0 {
            self.rev + 1
        } else {
            self.rev
        }
    }

    /// The revision the next write of the request in progress gets.
    fn next_write(&mut self) -> Revision {
        let rev = Revision {
            main: self.rev + 1,
            sub: self.sub,
        };
        self.sub += 1;
        rev
    }

    /// Closes the request in progress: it consumed a revision if it wrote anything.
    fn end_request(&mut self) {
        if self.sub > 0 {
            self.rev += 1;
            self.sub = 0;
        }
    }

    fn with_view<R>(&self, f: impl FnOnce(IndexView<'_>) -> R) -> R {
        let state = self.store.read_state();
        f(IndexView {
            base: &state.index,
            overlay: Some(&self.overlay),
        })
    }

    fn range(&self, req: &RangeRequest, table: &KeyTable<'_>) -> Result<RangeResponse, MvccError> {
        let plan = RangePlan::new(req)?;
        let current = self.read_rev();
        let at = read_revision(req.revision, current, self.compact_rev)?;
        let selection = self.with_view(|view| view.select(request_range(req), at, plan.collect));
        plan.finish(req, selection, table, &self.store.backend, current)
    }

    /// The key's current value, including writes of the request in progress.
    fn current_kv(
        &self,
        key: &[u8],
        table: &KeyTable<'_>,
    ) -> Result<Option<KeyValue>, StorageError> {
        match self.with_view(|view| view.visible(key, i64::MAX)) {
            Some(rev) => read_value(table, &self.store.backend, rev).map(Some),
            None => Ok(None),
        }
    }

    /// Writes one change of `key` to the table and the overlay.
    fn record(
        &mut self,
        table: &mut KeyTable<'_>,
        rev: Revision,
        tombstone: bool,
        stored: &KeyValue,
    ) -> Result<(), StorageError> {
        let key = RevisionKey::new(rev, tombstone);
        let bytes = stored.encode_to_vec();
        table.insert(key.as_bytes(), bytes.as_slice())?;
        self.added_bytes += (key.as_bytes().len() + bytes.len()) as i64;
        self.overlay
            .entry(stored.key.to_vec())
            .or_default()
            .push(match tombstone {
                true => IndexEntry::tombstone(rev),
                false => IndexEntry::put(rev, stored.value.len()),
            });
        Ok(())
    }

    fn put(
        &mut self,
        req: &PutRequest,
        table: &mut KeyTable<'_>,
        lease_exists: &dyn Fn(i64) -> bool,
    ) -> Result<PutResponse, MvccError> {
        let prev = self.current_kv(&req.key, table)?;
        if (req.ignore_value || req.ignore_lease) && prev.is_none() {
            return Err(MvccError::KeyNotFound);
        }
        let lease = match &prev {
            Some(prev) if req.ignore_lease => prev.lease,
            _ => req.lease,
        };
        if !req.ignore_lease && lease != 0 && !lease_exists(lease) {
            return Err(MvccError::LeaseNotFound);
        }
        let value = match &prev {
            Some(prev) if req.ignore_value => prev.value.clone(),
            _ => req.value.clone().into(),
        };
        let rev = self.next_write();
        let (create_revision, version) = match &prev {
            Some(prev) => (prev.create_revision, prev.version + 1),
            None => (rev.main, 1),
        };
        let kv = KeyValue {
            key: req.key.clone().into(),
            create_revision,
            mod_revision: rev.main,
            version,
            value,
            lease,
        };
        self.record(table, rev, false, &kv)?;
        self.events.push(Event {
            r#type: EventType::Put as i32,
            kv: Some(kv),
            prev_kv: prev.clone(),
        });
        Ok(PutResponse {
            header: header(rev.main),
            prev_kv: if req.prev_kv { prev } else { None },
        })
    }

    fn delete_range(
        &mut self,
        req: &DeleteRangeRequest,
        table: &mut KeyTable<'_>,
    ) -> Result<DeleteRangeResponse, MvccError> {
        let at = self.read_rev();
        let targets =
            self.with_view(|view| view.visible_keys(KeyRange::new(&req.key, &req.range_end), at));
        let mut prev_kvs = Vec::with_capacity(targets.len());
        for (_, rev) in &targets {
            prev_kvs.push(read_value(table, &self.store.backend, *rev)?);
        }
        for (key, prev) in targets.into_iter().map(|(key, _)| key).zip(&prev_kvs) {
            let rev = self.next_write();
            // etcd stores a tombstone as a KeyValue holding only the key.
            let stored = KeyValue {
                key: key.into(),
                ..KeyValue::default()
            };
            self.record(table, rev, true, &stored)?;
            self.events.push(Event {
                r#type: EventType::Delete as i32,
                kv: Some(KeyValue {
                    mod_revision: rev.main,
                    ..stored
                }),
                prev_kv: Some(prev.clone()),
            });
        }
        Ok(DeleteRangeResponse {
            header: header(self.read_rev()),
            deleted: prev_kvs.len() as i64,
            prev_kvs: if req.prev_kv { prev_kvs } else { Vec::new() },
        })
    }

    fn txn(
        &mut self,
        req: &TxnRequest,
        table: &mut KeyTable<'_>,
        lease_exists: &dyn Fn(i64) -> bool,
    ) -> Result<TxnResponse, MvccError> {
        debug_assert_eq!(self.sub, 0, "a txn starts a new request");
        // etcd evaluates the compares of the txn and of every nested txn on the chosen paths
        // before any operation runs, in pre-order.
        let mut path = Vec::new();
        self.compare_path(req, table, &mut path)?;
        self.check_ops(branch(req, path[0]), &path, &mut 1, lease_exists)?;
        let events_before = self.events.len();
        let bytes_before = self.added_bytes;
        match self.apply_ops(branch(req, path[0]), &path, &mut 1, table, lease_exists) {
            Ok(responses) => Ok(TxnResponse {
                header: None,
                succeeded: path[0],
                responses,
            }),
            Err(err) => {
                // Only reachable if validation missed a case (the server's duplicate-key
                // check normally rules them out): undo the partial txn.
                self.undo_request(table)?;
                self.events.truncate(events_before);
                self.added_bytes = bytes_before;
                Err(err)
            }
        }
    }

    /// Removes every write of the request in progress.
    fn undo_request(&mut self, table: &mut KeyTable<'_>) -> Result<(), StorageError> {
        let main = self.rev + 1;
        let start = RevisionKey::first_of(main);
        let end = RevisionKey::first_of(main + 1);
        let keys: Vec<Vec<u8>> = table
            .range::<&[u8]>(start.as_bytes()..end.as_bytes())?
            .map(|entry| entry.map(|(k, _)| k.value().to_vec()))
            .collect::<Result<_, _>>()?;
        for key in keys {
            table.remove(key.as_slice())?;
        }
        self.overlay.retain(|_, history| {
            while history.last().is_some_and(|e| e.rev.main == main) {
                history.pop();
            }
            !history.is_empty()
        });
        self.sub = 0;
        Ok(())
    }

    fn compare_path(
        &self,
        req: &TxnRequest,
        table: &KeyTable<'_>,
        path: &mut Vec<bool>,
    ) -> Result<(), MvccError> {
        let mut succeeded = true;
        for compare in &req.compare {
            if !self.compare_holds(compare, table)? {
                succeeded = false;
                break;
            }
        }
        path.push(succeeded);
        for op in branch(req, succeeded) {
            if let Some(Request::RequestTxn(nested)) = &op.request {
                self.compare_path(nested, table, path)?;
            }
        }
        Ok(())
    }

    /// etcd's compare: over a range it must hold for every key; a missing key compares as an
    /// empty KeyValue, except that a value compare on no key fails.
    fn compare_holds(&self, compare: &Compare, table: &KeyTable<'_>) -> Result<bool, MvccError> {
        let at = self.read_rev();
        let keys = self.with_view(|view| {
            view.visible_keys(KeyRange::new(&compare.key, &compare.range_end), at)
        });
        if keys.is_empty() {
            if compare.target == CompareTarget::Value as i32 {
                return Ok(false);
            }
            return Ok(compare_kv(compare, &KeyValue::default()));
        }
        for (_, rev) in keys {
            let kv = read_value(table, &self.store.backend, rev)?;
            if !compare_kv(compare, &kv) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Validates a branch against the state before the txn, as etcd does before applying.
    fn check_ops(
        &self,
        ops: &[RequestOp],
        path: &[bool],
        cursor: &mut usize,
        lease_exists: &dyn Fn(i64) -> bool,
    ) -> Result<(), MvccError> {
        for op in ops {
            match &op.request {
                Some(Request::RequestPut(put)) => {
                    if (put.ignore_value || put.ignore_lease)
                        && self
                            .with_view(|view| view.visible(&put.key, self.rev))
                            .is_none()
                    {
                        return Err(MvccError::KeyNotFound);
                    }
                    if !put.ignore_lease && put.lease != 0 && !lease_exists(put.lease) {
                        return Err(MvccError::LeaseNotFound);
                    }
                }
                Some(Request::RequestRange(range)) => {
                    RangePlan::new(range)?;
                    if range.revision > self.rev {
                        return Err(MvccError::FutureRevision);
                    }
                    if range.revision > 0 && range.revision < self.compact_rev {
                        return Err(MvccError::Compacted);
                    }
                }
                Some(Request::RequestTxn(nested)) => {
                    let succeeded = path[*cursor];
                    *cursor += 1;
                    self.check_ops(branch(nested, succeeded), path, cursor, lease_exists)?;
                }
                Some(Request::RequestDeleteRange(_)) | None => {}
            }
        }
        Ok(())
    }

    fn apply_ops(
        &mut self,
        ops: &[RequestOp],
        path: &[bool],
        cursor: &mut usize,
        table: &mut KeyTable<'_>,
        lease_exists: &dyn Fn(i64) -> bool,
    ) -> Result<Vec<ResponseOp>, MvccError> {
        let mut responses = Vec::with_capacity(ops.len());
        for op in ops {
            let response = match &op.request {
                Some(Request::RequestRange(range)) => {
                    Some(Response::ResponseRange(self.range(range, table)?))
                }
                Some(Request::RequestPut(put)) => {
                    Some(Response::ResponsePut(self.put(put, table, lease_exists)?))
                }
                Some(Request::RequestDeleteRange(delete)) => Some(Response::ResponseDeleteRange(
                    self.delete_range(delete, table)?,
                )),
                Some(Request::RequestTxn(nested)) => {
                    let succeeded = path[*cursor];
                    *cursor += 1;
                    let responses = self.apply_ops(
                        branch(nested, succeeded),
                        path,
                        cursor,
                        table,
                        lease_exists,
                    )?;
                    // etcd leaves a nested txn's header empty.
                    Some(Response::ResponseTxn(TxnResponse {
                        header: Some(ResponseHeader::default()),
                        succeeded,
                        responses,
                    }))
                }
                None => None,
            };
            responses.push(ResponseOp { response });
        }
        Ok(responses)
    }
}

/// The operations a txn runs given the outcome of its compares.
fn branch(req: &TxnRequest, succeeded: bool) -> &[RequestOp] {
    if succeeded {
        &req.success
    } else {
        &req.failure
    }
}

/// One compare against one KeyValue. The operand is taken from `target_union` only if its
/// variant matches the target (else 0 or empty); an unknown result holds, as in etcd.
fn compare_kv(compare: &Compare, kv: &KeyValue) -> bool {
    let number = |n: Option<i64>| n.unwrap_or(0);
    let ordering = match CompareTarget::try_from(compare.target) {
        Ok(CompareTarget::Value) => {
            let operand = match &compare.target_union {
                Some(TargetUnion::Value(v)) => v.as_slice(),
                _ => &[],
            };
            kv.value[..].cmp(operand)
        }
        Ok(CompareTarget::Version) => kv.version.cmp(&number(match compare.target_union {
            Some(TargetUnion::Version(v)) => Some(v),
            _ => None,
        })),
        Ok(CompareTarget::Create) => kv.create_revision.cmp(&number(match compare.target_union {
            Some(TargetUnion::CreateRevision(v)) => Some(v),
            _ => None,
        })),
        Ok(CompareTarget::Mod) => kv.mod_revision.cmp(&number(match compare.target_union {
            Some(TargetUnion::ModRevision(v)) => Some(v),
            _ => None,
        })),
        Ok(CompareTarget::Lease) => kv.lease.cmp(&number(match compare.target_union {
            Some(TargetUnion::Lease(v)) => Some(v),
            _ => None,
        })),
        Err(_) => Ordering::Equal,
    };
    match CompareResult::try_from(compare.result) {
        Ok(CompareResult::Equal) => ordering == Ordering::Equal,
        Ok(CompareResult::NotEqual) => ordering != Ordering::Equal,
        Ok(CompareResult::Greater) => ordering == Ordering::Greater,
        Ok(CompareResult::Less) => ordering == Ordering::Less,
        Err(_) => true,
    }
}
