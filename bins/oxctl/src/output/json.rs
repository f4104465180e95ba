//! `-w json`: Go's `encoding/json` of etcd's generated response structs (snake_case or camelCase
//! names as their json tags say, `omitempty` everywhere, bytes in base64, oneofs by Go type name).

use oxcd_proto::authpb::Permission;
use oxcd_proto::etcdserverpb::{
    response_op, AuthRoleGetResponse, AuthRoleListResponse, AuthStatusResponse,
    AuthUserGetResponse, AuthUserListResponse, DeleteRangeResponse, MemberListResponse,
    PutResponse, RangeResponse, ResponseHeader, StatusResponse, TxnResponse, WatchResponse,
};

use super::gojson::{kv, member, Object};
use super::{EndpointHealth, EndpointStatus};

pub use oxcd_client::go_json_string as string;

pub(super) fn header(h: &Option<ResponseHeader>) -> Option<String> {
    h.as_ref().map(|h| {
        Object::new()
            .uint("cluster_id", h.cluster_id)
            .uint("member_id", h.member_id)
            .int("revision", h.revision)
            .uint("raft_term", h.raft_term)
            .finish()
    })
}

pub fn range(r: &RangeResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .array("kvs", r.kvs.iter().map(kv).collect())
        .bool("more", r.more)
        .int("count", r.count)
        .finish()
}

pub fn put(r: &PutResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .object("prev_kv", r.prev_kv.as_ref().map(kv))
        .finish()
}

pub fn delete(r: &DeleteRangeResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .int("deleted", r.deleted)
        .array("prev_kvs", r.prev_kvs.iter().map(kv).collect())
        .finish()
}

pub fn txn(r: &TxnResponse) -> String {
    let responses = r
        .responses
        .iter()
        .map(|op| {
            let inner = match &op.response {
                Some(response_op::Response::ResponseRange(r)) => {
                    Object::new().raw("ResponseRange", &range(r)).finish()
                }
                Some(response_op::Response::ResponsePut(r)) => {
                    Object::new().raw("ResponsePut", &put(r)).finish()
                }
                Some(response_op::Response::ResponseDeleteRange(r)) => Object::new()
                    .raw("ResponseDeleteRange", &delete(r))
                    .finish(),
                Some(response_op::Response::ResponseTxn(r)) => {
                    Object::new().raw("ResponseTxn", &txn(r)).finish()
                }
                None => "null".to_string(),
            };
            Object::new().raw("Response", &inner).finish()
        })
        .collect();
    Object::new()
        .object("header", header(&r.header))
        .bool("succeeded", r.succeeded)
        .array("responses", responses)
        .finish()
}

pub fn member_list(r: &MemberListResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .array("members", r.members.iter().map(member).collect())
        .finish()
}

fn status(r: &StatusResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .string("version", &r.version)
        .int("dbSize", r.db_size)
        .uint("leader", r.leader)
        .uint("raftIndex", r.raft_index)
        .uint("raftTerm", r.raft_term)
        .uint("raftAppliedIndex", r.raft_applied_index)
        .strings("errors", &r.errors)
        .int("dbSizeInUse", r.db_size_in_use)
        .bool("isLearner", r.is_learner)
        .string("storageVersion", &r.storage_version)
        .int("dbSizeQuota", r.db_size_quota)
        .object(
            "downgradeInfo",
            r.downgrade_info.as_ref().map(|d| {
                Object::new()
                    .bool("enabled", d.enabled)
                    .string("targetVersion", &d.target_version)
                    .finish()
            }),
        )
        .finish()
}

pub fn endpoint_status(list: &[EndpointStatus]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|s| {
            let mut object = Object::new();
            object.raw("Endpoint", &string(s.endpoint.as_bytes()));
            object.raw("Status", &status(&s.response));
            object.finish()
        })
        .collect();
    format!("[{}]", items.join(","))
}

pub fn endpoint_health(list: &[EndpointHealth]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|h| {
            let mut object = Object::new();
            object.raw("endpoint", &string(h.endpoint.as_bytes()));
            object.raw("health", if h.health { "true" } else { "false" });
            object.raw("took", &string(h.took.as_bytes()));
            object.string("error", &h.error);
            object.finish()
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// `encoding/json` of clientv3's `WatchResponse` (exported fields in declaration order; events
/// as `mvccpb.Event`, whose type is a number).
pub fn watch(r: &WatchResponse) -> String {
    let events: Vec<String> = r
        .events
        .iter()
        .map(|e| {
            Object::new()
                .int("type", e.r#type as i64)
                .object("kv", e.kv.as_ref().map(kv))
                .object("prev_kv", e.prev_kv.as_ref().map(kv))
                .finish()
        })
        .collect();
    let header = header(&r.header).unwrap_or_else(|| "{}".to_string());
    format!(
        "{{\"Header\":{header},\"Events\":[{}],\"CompactRevision\":{},\"Canceled\":{},\"Created\":{}}}",
        events.join(","),
        r.compact_revision,
        r.canceled,
        r.created
    )
}

/// An Auth response that carries nothing but its header.
pub fn header_only(h: &Option<ResponseHeader>) -> String {
    Object::new().object("header", header(h)).finish()
}

pub fn user_get(r: &AuthUserGetResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .strings("roles", &r.roles)
        .finish()
}

pub fn auth_status(r: &AuthStatusResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .bool("enabled", r.enabled)
        .uint("authRevision", r.auth_revision)
        .finish()
}

pub fn user_list(r: &AuthUserListResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .strings("users", &r.users)
        .finish()
}

pub fn role_list(r: &AuthRoleListResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .strings("roles", &r.roles)
        .finish()
}

fn permission(p: &Permission) -> String {
    Object::new()
        .int("permType", i64::from(p.perm_type))
        .bytes("key", &p.key)
        .bytes("range_end", &p.range_end)
        .finish()
}

pub fn role_get(r: &AuthRoleGetResponse) -> String {
    Object::new()
        .object("header", header(&r.header))
        .array("perm", r.perm.iter().map(permission).collect())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxcd_proto::mvccpb::KeyValue;

    #[test]
    fn escapes_like_go() {
        assert_eq!(
            string(b"a<b>&\"\\\n\x01"),
            "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\""
        );
        assert_eq!(string(b"\xff"), "\"\u{fffd}\"");
    }

    #[test]
    fn omits_zero_fields() {
        let r = RangeResponse {
            header: Some(ResponseHeader {
                revision: 3,
                ..Default::default()
            }),
            kvs: vec![KeyValue {
                key: b"foo".to_vec().into(),
                version: 1,
                ..Default::default()
            }],
            more: false,
            count: 1,
        };
        assert_eq!(
            range(&r),
            r#"{"header":{"revision":3},"kvs":[{"key":"Zm9v","version":1}],"count":1}"#
        );
    }
}
