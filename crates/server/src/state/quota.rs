//! What a write costs against the backend quota (etcd's `storage/quota.go`): a put its key and
//! value plus a fixed overhead, a txn its costlier branch, a lease grant a fixed overhead;
//! everything else nothing. A write that costs something is what a NOSPACE alarm refuses.

use oxcd_proto::etcdserverpb::{request_op::Request, PutRequest, TxnRequest};
use oxcd_proto::oxcdpb::internal_request::Op;

/// etcd's `kvOverhead`.
const KV_OVERHEAD: usize = 256;
/// etcd's `leaseOverhead`.
const LEASE_OVERHEAD: usize = 64;

pub fn write_cost(op: &Op) -> usize {
    match op {
        Op::Put(put) => put_cost(put),
        Op::Txn(txn) => txn_cost(txn),
        Op::LeaseGrant(_) => LEASE_OVERHEAD,
        // etcd 3.4 never checked v2 writes against the quota; a full disk hurts v2 keys as much
        // as v3 ones, so they are charged as a put
        Op::V2(v2) if v2.method == "PUT" || v2.method == "POST" => {
            KV_OVERHEAD + v2.path.len() + v2.value.len()
        }
        _ => 0,
    }
}

/// etcd's `Available` turned round: whether a write costing `cost` would take a backend of
/// `backend_bytes` to or past `quota` (None: no quota).
pub fn exceeds_quota(quota: Option<i64>, backend_bytes: u64, cost: usize) -> bool {
    cost > 0
        && quota.is_some_and(|quota| (backend_bytes as i64).saturating_add(cost as i64) >= quota)
}

fn put_cost(put: &PutRequest) -> usize {
    KV_OVERHEAD + put.key.len() + put.value.len()
}

fn txn_cost(txn: &TxnRequest) -> usize {
    let branch = |ops: &[oxcd_proto::etcdserverpb::RequestOp]| -> usize {
        ops.iter()
            .map(|op| match &op.request {
                Some(Request::RequestPut(put)) => put_cost(put),
                Some(Request::RequestTxn(inner)) => txn_cost(inner),
                _ => 0,
            })
            .sum()
    };
    branch(&txn.success).max(branch(&txn.failure))
}

#[cfg(test)]
mod tests {
    use oxcd_proto::etcdserverpb::{
        CompactionRequest, DeleteRangeRequest, LeaseGrantRequest, RequestOp,
    };

    use super::*;

    fn put(key: &str, value: &str) -> PutRequest {
        PutRequest {
            key: key.into(),
            value: value.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_write_reaching_the_quota_exceeds_it_and_free_ones_never_do() {
        assert!(exceeds_quota(Some(1000), 900, 100));
        assert!(!exceeds_quota(Some(1000), 899, 100));
        assert!(!exceeds_quota(Some(1000), 5000, 0));
        assert!(!exceeds_quota(None, u64::MAX, 100));
    }

    #[test]
    fn costs_are_etcds() {
        assert_eq!(write_cost(&Op::Put(put("ab", "cde"))), 256 + 5);
        assert_eq!(
            write_cost(&Op::LeaseGrant(LeaseGrantRequest::default())),
            64
        );
        assert_eq!(
            write_cost(&Op::DeleteRange(DeleteRangeRequest::default())),
            0
        );
        assert_eq!(write_cost(&Op::Compaction(CompactionRequest::default())), 0);
        let op = |request| RequestOp {
            request: Some(request),
        };
        let nested = TxnRequest {
            success: vec![op(Request::RequestPut(put("k", "v")))],
            ..Default::default()
        };
        let txn = TxnRequest {
            compare: vec![],
            success: vec![
                op(Request::RequestPut(put("a", "1"))),
                op(Request::RequestDeleteRange(DeleteRangeRequest::default())),
            ],
            failure: vec![
                op(Request::RequestPut(put("b", "22"))),
                op(Request::RequestTxn(nested)),
            ],
        };
        // The costlier branch: the failure's two puts.
        assert_eq!(write_cost(&Op::Txn(txn)), (256 + 3) + (256 + 2));
        let reads_only = TxnRequest {
            success: vec![op(Request::RequestDeleteRange(
                DeleteRangeRequest::default(),
            ))],
            ..Default::default()
        };
        assert_eq!(write_cost(&Op::Txn(reads_only)), 0);
    }
}
