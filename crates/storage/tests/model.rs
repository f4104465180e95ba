//! Property test: range results at every reachable revision match a naive model that keeps a
//! full copy of the key space per revision, across random puts, deletes, txns, compactions,
//! backend compaction steps, batches and reopens.

use std::collections::BTreeMap;

use oxcd_proto::etcdserverpb::request_op::Request;
use oxcd_proto::etcdserverpb::{
    DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest,
};
use oxcd_proto::mvccpb::KeyValue;
use oxcd_storage::mvcc::{MvccError, MvccStore, WriteBatch};
use proptest::prelude::*;

const KEYS: &[&str] = &["a", "ab", "b", "c", "cc", "d"];

#[derive(Clone, Debug)]
enum Op {
    Put(usize, u8),
    Delete(usize, Option<usize>),
    /// Writes to distinct keys in one txn: (key, Some(value) = put / None = delete).
    Txn(Vec<(usize, Option<u8>)>),
    /// Compact at a revision picked from the reachable ones by this seed.
    Compact(u16),
    CompactionStep(u8),
    /// Several puts in one batch.
    Batch(Vec<(usize, u8)>),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0..KEYS.len();
    prop_oneof![
        6 => (key.clone(), any::<u8>()).prop_map(|(k, v)| Op::Put(k, v)),
        2 => (key.clone(), proptest::option::of(0..KEYS.len() + 1)).prop_map(|(k, e)| Op::Delete(k, e)),
        2 => proptest::collection::btree_map(key.clone(), proptest::option::of(any::<u8>()), 1..4)
            .prop_map(|m| Op::Txn(m.into_iter().collect())),
        1 => any::<u16>().prop_map(Op::Compact),
        1 => (1u8..4).prop_map(Op::CompactionStep),
        1 => proptest::collection::vec((key, any::<u8>()), 1..4).prop_map(Op::Batch),
        1 => Just(Op::Reopen),
    ]
}

/// The key space after each revision: `states[r]` is the state at revision `r`.
struct Model {
    states: Vec<BTreeMap<Vec<u8>, KeyValue>>,
    compacted: i64,
}

impl Model {
    fn current(&self) -> i64 {
        self.states.len() as i64 - 1
    }

    /// Applies one request's writes; a request that changes nothing consumes no revision.
    fn apply(&mut self, writes: &[(Vec<u8>, Option<Vec<u8>>)]) {
        let rev = self.current() + 1;
        let mut next = self.states.last().unwrap().clone();
        let mut changed = false;
        for (key, value) in writes {
            match value {
                Some(value) => {
                    let (create, version) = match next.get(key) {
                        Some(kv) => (kv.create_revision, kv.version + 1),
                        None => (rev, 1),
                    };
                    next.insert(
                        key.clone(),
                        KeyValue {
                            key: key.clone().into(),
                            create_revision: create,
                            mod_revision: rev,
                            version,
                            value: value.clone().into(),
                            lease: 0,
                        },
                    );
                    changed = true;
                }
                None => changed |= next.remove(key).is_some(),
            }
        }
        if changed {
            self.states.push(next);
        }
    }

    fn keys_in(&self, start: &[u8], end: &[u8]) -> Vec<Vec<u8>> {
        self.states
            .last()
            .unwrap()
            .keys()
            .filter(|k| in_range(k, start, end))
            .cloned()
            .collect()
    }
}

fn in_range(key: &[u8], start: &[u8], end: &[u8]) -> bool {
    if end.is_empty() {
        key == start
    } else if end == [0] {
        key >= start
    } else {
        key >= start && key < end
    }
}

fn key(i: usize) -> Vec<u8> {
    KEYS[i].as_bytes().to_vec()
}

/// `None` = single key, `Some(KEYS.len())` = from-key, else up to that key.
fn end_of(end: Option<usize>) -> Vec<u8> {
    match end {
        None => Vec::new(),
        Some(i) if i == KEYS.len() => vec![0],
        Some(i) => key(i),
    }
}

fn no_leases(_: i64) -> bool {
    false
}

fn put_req(k: usize, v: u8) -> PutRequest {
    PutRequest {
        key: key(k),
        value: vec![v],
        ..PutRequest::default()
    }
}

fn apply_txn(batch: &mut WriteBatch<'_>, writes: &[(usize, Option<u8>)]) {
    let success = writes
        .iter()
        .map(|&(k, v)| RequestOp {
            request: Some(match v {
                Some(v) => Request::RequestPut(put_req(k, v)),
                None => Request::RequestDeleteRange(DeleteRangeRequest {
                    key: key(k),
                    ..DeleteRangeRequest::default()
                }),
            }),
        })
        .collect();
    let req = TxnRequest {
        success,
        ..TxnRequest::default()
    };
    batch.txn(&req, &no_leases).unwrap();
}

/// Compares every range shape at every revision (reachable or not) with the model.
fn check_reads(store: &MvccStore, model: &Model) -> Result<(), TestCaseError> {
    prop_assert_eq!(store.current_revision(), model.current());
    prop_assert_eq!(store.compact_revision(), model.compacted);
    for rev in 0..=model.current() + 1 {
        for start in 0..KEYS.len() {
            for end in [None, Some(start + 1), Some(KEYS.len())] {
                let (start_key, end_key) = (key(start), end_of(end));
                let req = RangeRequest {
                    key: start_key.clone(),
                    range_end: end_key.clone(),
                    revision: rev,
                    ..RangeRequest::default()
                };
                let got = store.range(&req);
                let at = if rev == 0 { model.current() } else { rev };
                if rev > model.current() {
                    prop_assert!(matches!(got, Err(MvccError::FutureRevision)));
                } else if at < model.compacted {
                    prop_assert!(matches!(got, Err(MvccError::Compacted)));
                } else {
                    let got = got.unwrap();
                    let want: Vec<KeyValue> = model.states[at as usize]
                        .values()
                        .filter(|kv| in_range(&kv.key, &start_key, &end_key))
                        .cloned()
                        .collect();
                    prop_assert_eq!(got.count, want.len() as i64);
                    prop_assert_eq!(got.kvs, want);
                    prop_assert_eq!(got.header.unwrap().revision, model.current());
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn ranges_match_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut store = MvccStore::open(&path).unwrap();
        let mut model = Model { states: vec![BTreeMap::new(), BTreeMap::new()], compacted: 0 };
        for op in ops {
            match op {
                Op::Put(k, v) => {
                    let mut batch = store.write_batch().unwrap();
                    batch.put(&put_req(k, v), &no_leases).unwrap();
                    batch.commit(false).unwrap();
                    model.apply(&[(key(k), Some(vec![v]))]);
                }
                Op::Delete(k, end) => {
                    let req = DeleteRangeRequest { key: key(k), range_end: end_of(end), prev_kv: false };
                    let doomed = model.keys_in(&req.key, &req.range_end);
                    let mut batch = store.write_batch().unwrap();
                    let resp = batch.delete_range(&req).unwrap();
                    batch.commit(false).unwrap();
                    prop_assert_eq!(resp.deleted, doomed.len() as i64);
                    let writes: Vec<_> = doomed.into_iter().map(|k| (k, None)).collect();
                    model.apply(&writes);
                }
                Op::Txn(writes) => {
                    let mut batch = store.write_batch().unwrap();
                    apply_txn(&mut batch, &writes);
                    batch.commit(false).unwrap();
                    let writes: Vec<_> = writes.iter().map(|&(k, v)| (key(k), v.map(|v| vec![v]))).collect();
                    model.apply(&writes);
                }
                Op::Compact(seed) => {
                    let lowest = model.compacted + 1;
                    if lowest <= model.current() {
                        let rev = lowest + i64::from(seed) % (model.current() - lowest + 1);
                        let mut batch = store.write_batch().unwrap();
                        batch.compact(rev).unwrap();
                        batch.commit(seed % 2 == 0).unwrap();
                        model.compacted = rev;
                    }
                }
                Op::CompactionStep(limit) => {
                    store.compaction_step(usize::from(limit)).unwrap();
                }
                Op::Batch(puts) => {
                    let mut batch = store.write_batch().unwrap();
                    for &(k, v) in &puts {
                        batch.put(&put_req(k, v), &no_leases).unwrap();
                    }
                    batch.commit(false).unwrap();
                    for (k, v) in puts {
                        model.apply(&[(key(k), Some(vec![v]))]);
                    }
                }
                Op::Reopen => {
                    drop(store);
                    store = MvccStore::open(&path).unwrap();
                }
            }
            check_reads(&store, &model)?;
        }
        // Finishing the compaction deletes exactly what reads can no longer reach.
        while store.compaction_step(2).unwrap() {}
        check_reads(&store, &model)?;
        let live = store.dump_key_table().unwrap().into_iter().filter(|(rev, _, _)| rev.main <= model.compacted).count();
        let reachable = model.states[model.compacted.max(1) as usize].len();
        prop_assert_eq!(live, reachable);
    }
}
