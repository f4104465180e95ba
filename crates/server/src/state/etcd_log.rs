//! etcd's raft log entries as oxcd's: the payloads etcd 3.4-3.7 write (`InternalRaftRequest`,
//! v2 `Request`s, v1 `ConfChange`s with a JSON member) turned into oxcd's `InternalRequest`s and
//! conf changes, so an imported etcd data dir replays what its backend had not stored yet.

use base64::Engine;
use oxcd_proto::etcdserverpb::{InternalRaftRequest, Member as MemberPb, Request as V2Req};
use oxcd_proto::oxcdpb::{
    internal_request::Op, member_change, InternalRequest, MemberChange, V2Request,
};
use prost::Message;

use super::etcd_format::member_from_json;

/// raft's entry types.
pub const ENTRY_NORMAL: i32 = 0;
pub const ENTRY_CONF_CHANGE: i32 = 1;
pub const ENTRY_CONF_CHANGE_V2: i32 = 2;

/// One converted entry: its type and payload in oxcd's encodings (an empty normal entry for
/// what oxcd has no use for: logins, reads, cluster version records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub entry_type: i32,
    pub data: Vec<u8>,
    /// Whether the entry carried something oxcd does not apply.
    pub dropped: bool,
}

impl Converted {
    fn normal(op: Option<Op>) -> Converted {
        match op {
            Some(op) => Converted {
                entry_type: ENTRY_NORMAL,
                data: InternalRequest {
                    op: Some(op),
                    ..Default::default()
                }
                .encode_to_vec(),
                dropped: false,
            },
            None => Converted {
                entry_type: ENTRY_NORMAL,
                data: Vec::new(),
                dropped: true,
            },
        }
    }
}

/// The request of an etcd normal entry, told apart as etcd's `applyEntryNormal` does: an
/// `InternalRaftRequest`, or else a bare v2 `Request` (etcd 3.4 proposes its v2 writes, its
/// member attributes and its TTL expiry rounds that way; a v2 request wrapped in an
/// `InternalRaftRequest` is one too).
#[derive(Debug, Clone, PartialEq)]
pub enum EtcdRequest {
    Internal(Box<InternalRaftRequest>),
    V2(V2Req),
}

/// Decodes a non-empty normal entry; what is neither is an error naming the index. (A bare
/// `Request` never decodes as an `InternalRaftRequest`: its method, field 2, is read as the
/// nested v2 request and is no valid message, as in etcd.)
pub fn decode_request(index: u64, data: &[u8]) -> Result<EtcdRequest, String> {
    match InternalRaftRequest::decode(data) {
        Ok(mut req) => Ok(match req.v2.take() {
            Some(v2) => EtcdRequest::V2(v2),
            None => EtcdRequest::Internal(Box::new(req)),
        }),
        Err(internal) => V2Req::decode(data)
            .map(EtcdRequest::V2)
            .map_err(|_| format!("entry {index}: undecodable request: {internal}")),
    }
}

/// Converts one etcd entry; an undecodable payload is an error naming the index.
pub fn convert_entry(index: u64, entry_type: i32, data: &[u8]) -> Result<Converted, String> {
    match entry_type {
        ENTRY_NORMAL if data.is_empty() => Ok(Converted {
            entry_type: ENTRY_NORMAL,
            data: Vec::new(),
            dropped: false,
        }),
        ENTRY_NORMAL => match decode_request(index, data)? {
            EtcdRequest::Internal(req) => normal(*req).map(Converted::normal),
            EtcdRequest::V2(req) => Ok(Converted::normal(v2_request(req))),
        },
        ENTRY_CONF_CHANGE => conf_change(index, data),
        _ => Err(format!("entry {index}: unknown entry type {entry_type}")),
    }
}

fn normal(req: InternalRaftRequest) -> Result<Option<Op>, String> {
    Ok(if let Some(put) = req.put {
        Some(Op::Put(put))
    } else if let Some(del) = req.delete_range {
        Some(Op::DeleteRange(del))
    } else if let Some(txn) = req.txn {
        Some(Op::Txn(txn))
    } else if let Some(c) = req.compaction {
        Some(Op::Compaction(c))
    } else if let Some(g) = req.lease_grant {
        Some(Op::LeaseGrant(g))
    } else if let Some(r) = req.lease_revoke {
        Some(Op::LeaseRevoke(r))
    } else if let Some(c) = req.lease_checkpoint {
        Some(Op::LeaseCheckpoint(c))
    } else if let Some(a) = req.alarm {
        Some(Op::Alarm(a))
    } else if let Some(a) = req.auth_enable {
        Some(Op::AuthEnable(a))
    } else if let Some(a) = req.auth_disable {
        Some(Op::AuthDisable(a))
    } else if let Some(mut a) = req.auth_user_add {
        // etcd before 3.5 logged the password itself; oxcd's log carries only hashes.
        if a.hashed_password.is_empty() && !a.password.is_empty() {
            a.hashed_password = hash(&std::mem::take(&mut a.password))?;
        }
        a.password.clear();
        Some(Op::UserAdd(a))
    } else if let Some(mut a) = req.auth_user_change_password {
        if a.hashed_password.is_empty() && !a.password.is_empty() {
            a.hashed_password = hash(&std::mem::take(&mut a.password))?;
        }
        a.password.clear();
        Some(Op::UserChangePassword(a))
    } else if let Some(a) = req.auth_user_delete {
        Some(Op::UserDelete(a))
    } else if let Some(a) = req.auth_user_grant_role {
        Some(Op::UserGrantRole(a))
    } else if let Some(a) = req.auth_user_revoke_role {
        Some(Op::UserRevokeRole(a))
    } else if let Some(a) = req.auth_role_add {
        Some(Op::RoleAdd(a))
    } else if let Some(a) = req.auth_role_delete {
        Some(Op::RoleDelete(a))
    } else if let Some(a) = req.auth_role_grant_permission {
        Some(Op::RoleGrantPermission(a))
    } else if let Some(a) = req.auth_role_revoke_permission {
        Some(Op::RoleRevokePermission(a))
    } else if let Some(attrs) = req.cluster_member_attr_set {
        let a = attrs.member_attributes.unwrap_or_default();
        Some(Op::MemberAttributes(MemberPb {
            id: attrs.member_id,
            name: a.name,
            client_ur_ls: a.client_urls,
            ..Default::default()
        }))
    } else {
        // Logins (tokens do not outlive a restart), linearizable reads, the cluster version.
        None
    })
}

/// etcd 3.4's v2 requests: member attributes published through the v2 store, user keys under
/// `/1` (and v2 auth's records under `/2`), and the leader's TTL expiry.
fn v2_request(r: V2Req) -> Option<Op> {
    if let Some(member) = published_attributes(&r.path, &r.val) {
        return Some(Op::MemberAttributes(member));
    }
    // etcd's store takes every other path as it is: user keys under /1, v2 auth's users and
    // roles under /2. What is left under /0 is the cluster version, which oxcd records itself.
    let cleaned = oxcd_v2store::path::go_clean(&format!("/{}", r.path));
    let stored = cleaned != "/0" && !cleaned.starts_with("/0/");
    match r.method.as_str() {
        "SYNC" => Some(Op::V2(v2_write(r))),
        "PUT" | "POST" | "DELETE" if stored => Some(Op::V2(v2_write(r))),
        _ => None,
    }
}

/// The member whose attributes (name, client URLs) a write to `/0/members/<id>/attributes`
/// publishes, etcd 3.4's way: `None` for any other path. An unreadable value publishes empty
/// attributes.
pub fn published_attributes(path: &str, value: &str) -> Option<MemberPb> {
    #[derive(serde::Deserialize, Default)]
    struct Attributes {
        #[serde(default)]
        name: String,
        #[serde(rename = "clientURLs", default)]
        client_urls: Vec<String>,
    }
    let id = path
        .strip_prefix("/0/members/")
        .and_then(|p| p.strip_suffix("/attributes"))?;
    let id = u64::from_str_radix(id, 16).ok()?;
    let attrs: Attributes = serde_json::from_str(value).unwrap_or_default();
    Some(MemberPb {
        id,
        name: attrs.name,
        client_ur_ls: attrs.client_urls,
        ..Default::default()
    })
}

/// etcd's v2 request as oxcd's, field for field (the expiration is the proposer's, in Unix
/// nanoseconds; the time is kept only as a SYNC's cutoff).
pub fn v2_write(r: V2Req) -> V2Request {
    let time = if r.method == "SYNC" { r.time } else { 0 };
    V2Request {
        method: r.method,
        path: r.path,
        value: r.val,
        dir: r.dir,
        prev_value: r.prev_value,
        prev_index: r.prev_index,
        prev_exist: r.prev_exist,
        expiration: r.expiration,
        recursive: r.recursive,
        refresh: r.refresh.unwrap_or(false),
        time,
    }
}

/// A membership change in etcd's log (a v1 `ConfChange`: type 2, node 3, context 4, the member
/// as JSON).
#[derive(Debug, Clone, PartialEq)]
pub enum EtcdConfChange {
    /// A member added (as a voter or a learner), a learner promoted, or a member removed.
    Member(member_change::Kind, MemberPb),
    /// A member's peer URLs (and learner flag) replaced: `ConfChangeUpdateNode`.
    Update(MemberPb),
}

/// raftpb's v1 `ConfChange`: its type, node and context (the member as JSON).
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ConfChangeV1 {
    #[prost(int32, tag = "2")]
    pub change_type: i32,
    #[prost(uint64, tag = "3")]
    pub node_id: u64,
    #[prost(bytes = "vec", tag = "4")]
    pub context: Vec<u8>,
}

/// Decodes a v1 conf change entry; an undecodable one is an error naming the index.
pub fn decode_conf_change(index: u64, data: &[u8]) -> Result<EtcdConfChange, String> {
    /// etcd's `ConfigChangeContext`: the member, and whether an AddNode promotes a learner.
    #[derive(serde::Deserialize, Default)]
    struct Promotes {
        #[serde(rename = "isPromote", default)]
        is_promote: bool,
    }
    let cc = ConfChangeV1::decode(data)
        .map_err(|e| format!("entry {index}: undecodable conf change: {e}"))?;
    let (mut member, promotes) = if cc.context.is_empty() {
        (MemberPb::default(), Promotes::default())
    } else {
        let bad = |e: String| format!("entry {index}: conf change member: {e}");
        let member = member_from_json(&cc.context).map_err(bad)?;
        let promotes = serde_json::from_slice(&cc.context).map_err(|e| bad(e.to_string()))?;
        (member, promotes)
    };
    if member.id == 0 {
        member.id = cc.node_id;
    }
    let kind = match cc.change_type {
        0 if promotes.is_promote => member_change::Kind::Promote,
        0 => member_change::Kind::Add,
        1 => member_change::Kind::Remove,
        3 => member_change::Kind::AddLearner,
        2 => return Ok(EtcdConfChange::Update(member)),
        other => return Err(format!("entry {index}: unknown conf change type {other}")),
    };
    Ok(EtcdConfChange::Member(kind, member))
}

/// A v1 conf change as oxcd's (an update of peer URLs, which raft's v2 changes cannot say,
/// becomes a member update request).
fn conf_change(index: u64, data: &[u8]) -> Result<Converted, String> {
    use raft::prelude::{ConfChangeSingle, ConfChangeType, ConfChangeV2};
    let (kind, member) = match decode_conf_change(index, data)? {
        EtcdConfChange::Member(kind, member) => (kind, member),
        EtcdConfChange::Update(member) => {
            return Ok(Converted::normal(Some(Op::MemberUpdate(MemberPb {
                id: member.id,
                peer_ur_ls: member.peer_ur_ls,
                ..Default::default()
            }))))
        }
    };
    let change_type = match kind {
        member_change::Kind::Add | member_change::Kind::Promote => ConfChangeType::AddNode,
        member_change::Kind::Remove => ConfChangeType::RemoveNode,
        member_change::Kind::AddLearner => ConfChangeType::AddLearnerNode,
    };
    let context = MemberChange {
        request_id: 0,
        member: Some(member.clone()),
        kind: kind as i32,
    }
    .encode_to_vec();
    let mut v2 = ConfChangeV2 {
        context: context.into(),
        ..Default::default()
    };
    v2.mut_changes().push(ConfChangeSingle {
        change_type,
        node_id: member.id,
        ..Default::default()
    });
    let data = protobuf::Message::write_to_bytes(&v2).map_err(|e| format!("entry {index}: {e}"))?;
    Ok(Converted {
        entry_type: ENTRY_CONF_CHANGE_V2,
        data,
        dropped: false,
    })
}

/// etcd's bcrypt hash of a password as its `hashedPassword` field carries it.
fn hash(password: &str) -> Result<String, String> {
    let hashed = bcrypt::hash_with_result(password, bcrypt::DEFAULT_COST)
        .map(|h| h.format_for_version(bcrypt::Version::TwoA))
        .map_err(|e| e.to_string())?;
    Ok(base64::engine::general_purpose::STANDARD.encode(hashed))
}
