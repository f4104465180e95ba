//! etcd's v2 store as an import finds it. etcd keeps its v2 store only in memory and in the
//! JSON of its raft snapshots (`member/snap/*.snap`); when it restarts it loads the latest one
//! (or starts empty) and applies every entry of its WAL after it, whatever its backend holds.
//! So the v2 state of an etcd member is that JSON with the entries up to the backend's
//! consistent index applied here, the way etcd 3.4 applies them; the entries after that index
//! go through oxcd's log like the rest (converted by `etcd_log`).
//!
//! What changes the v2 store, per entry:
//! - a v2 request (bare, as etcd 3.4 proposes them, or in an `InternalRaftRequest`): PUT,
//!   POST, DELETE with etcd's semantics, SYNC expiring the TTL keys due at its time; a plain
//!   PUT of `/0/members/<id>/attributes` records that member's attributes (only while it is a
//!   member), one of `/0/version` the cluster version. Reads change nothing.
//! - etcd 3.5's member attributes and cluster version requests, which it records there too;
//! - a conf change etcd's `ValidateConfigurationChange` accepts (checked against the
//!   membership under `/0`, as etcd checks it): a member's raft attributes created or updated,
//!   a removed member's records replaced by its ID under `/0/removed_members`.

use oxcd_proto::etcdserverpb::{InternalRaftRequest, Member as MemberPb, Request as V2Req};
use oxcd_proto::oxcdpb::member_change::Kind;

use super::etcd_log::{
    decode_conf_change, decode_request, published_attributes, v2_write, EtcdConfChange,
    EtcdRequest, ENTRY_CONF_CHANGE, ENTRY_NORMAL,
};
use super::v2::V2Store;

/// etcd 3.4's limit on learners (`maxLearners`).
const MAX_LEARNERS: usize = 1;
const VERSION_KEY: &str = "/0/version";

/// The v2 store of an etcd member: its snapshot's JSON (`None` without a snapshot) with
/// `entries` (index, raft entry type, data), the log right after the snapshot up to the
/// backend's consistent index, applied. An undecodable entry or JSON is an error.
pub fn etcd_v2_store<'a>(
    snapshot: Option<&[u8]>,
    entries: impl IntoIterator<Item = (u64, i32, &'a [u8])>,
) -> Result<V2Store, String> {
    let v2 = V2Store::from_etcd_snapshot(snapshot)?;
    apply_etcd_entries(&v2, entries)?;
    Ok(v2)
}

/// Applies etcd's log `entries` (index, raft entry type, data) to `v2` as etcd 3.4 does.
pub fn apply_etcd_entries<'a>(
    v2: &V2Store,
    entries: impl IntoIterator<Item = (u64, i32, &'a [u8])>,
) -> Result<(), String> {
    for (index, entry_type, data) in entries {
        match entry_type {
            ENTRY_NORMAL if data.is_empty() => {}
            ENTRY_NORMAL => match decode_request(index, data)? {
                EtcdRequest::V2(req) => apply_v2(v2, req),
                EtcdRequest::Internal(req) => apply_internal(v2, &req),
            },
            ENTRY_CONF_CHANGE => apply_conf_change(v2, decode_conf_change(index, data)?),
            other => return Err(format!("entry {index}: unknown entry type {other}")),
        }
    }
    Ok(())
}

/// etcd's `applierV2store`: a failed write (a compare that fails, a key that is not there)
/// changes nothing, as in etcd.
fn apply_v2(v2: &V2Store, req: V2Req) {
    let plain_put = req.method == "PUT"
        && req.prev_exist.is_none()
        && req.prev_index == 0
        && req.prev_value.is_empty();
    if plain_put {
        if let Some(member) = published_attributes(&req.path, &req.val) {
            attributes(v2, &member);
            return;
        }
        if req.path == VERSION_KEY {
            v2.version_set(&req.val);
            return;
        }
    }
    if matches!(req.method.as_str(), "PUT" | "POST" | "DELETE" | "SYNC") {
        let _ = v2.apply(&v2_write(req));
    }
}

/// etcd 3.5's membership requests, which it records in the v2 store too.
fn apply_internal(v2: &V2Store, req: &InternalRaftRequest) {
    if let Some(set) = &req.cluster_member_attr_set {
        let a = set.member_attributes.clone().unwrap_or_default();
        attributes(
            v2,
            &MemberPb {
                id: set.member_id,
                name: a.name,
                client_ur_ls: a.client_urls,
                ..Default::default()
            },
        );
    } else if let Some(set) = &req.cluster_version_set {
        v2.version_set(&set.ver);
    }
}

/// etcd's `UpdateAttributes`: recorded for a member; a removed member's are ignored.
fn attributes(v2: &V2Store, member: &MemberPb) {
    let (members, _) = v2.recorded_members();
    if members.iter().any(|m| m.id == member.id) {
        v2.attributes_set(member);
    }
}

fn apply_conf_change(v2: &V2Store, change: EtcdConfChange) {
    let (members, removed) = v2.recorded_members();
    let id = match &change {
        EtcdConfChange::Member(_, m) | EtcdConfChange::Update(m) => m.id,
    };
    if removed.contains(&id) {
        return;
    }
    let current = members.iter().find(|m| m.id == id);
    let urls_taken = |urls: &[String]| {
        members
            .iter()
            .filter(|m| m.id != id)
            .any(|m| m.peer_ur_ls.iter().any(|u| urls.contains(u)))
    };
    match change {
        // The member JSON says whether it is a learner, as etcd reads it.
        EtcdConfChange::Member(Kind::Add | Kind::AddLearner, m) => {
            let learners = members.iter().filter(|m| m.is_learner).count();
            if current.is_none()
                && !urls_taken(&m.peer_ur_ls)
                && !(m.is_learner && learners >= MAX_LEARNERS)
            {
                v2.member_added(&raft_attributes(&m));
            }
        }
        EtcdConfChange::Member(Kind::Promote, _) => {
            if let Some(m) = current.filter(|m| m.is_learner) {
                v2.raft_attributes_changed(&MemberPb {
                    is_learner: false,
                    ..raft_attributes(m)
                });
            }
        }
        EtcdConfChange::Member(Kind::Remove, _) => {
            if current.is_some() {
                v2.member_removed(id);
            }
        }
        // etcd 3.4 takes the raft attributes of the change's member as they come, learner flag
        // included.
        EtcdConfChange::Update(m) => {
            if current.is_some() && !urls_taken(&m.peer_ur_ls) {
                v2.raft_attributes_changed(&raft_attributes(&m));
            }
        }
    }
}

/// What the v2 store records of a member's raft side.
fn raft_attributes(m: &MemberPb) -> MemberPb {
    MemberPb {
        id: m.id,
        peer_ur_ls: m.peer_ur_ls.clone(),
        is_learner: m.is_learner,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use oxcd_proto::oxcdpb::internal_request::Op;
    use prost::Message;

    use super::*;
    use crate::state::etcd_log::{convert_entry, ENTRY_CONF_CHANGE_V2};

    /// Entries 1-38 of a real etcd 3.4.23's WAL (`--snapshot-count=5 --enable-v2=true`): its
    /// bootstrap conf change, publish and cluster version, the v2 writes of the v2store crate's
    /// fixture (sets, a TTL key and directory, a compare-and-swap, a delete, a POST, hidden
    /// keys, an update), and the SYNC rounds its leader proposed meanwhile.
    const LOG: &str = include_str!("../../tests/testdata/etcd-3.4.23-v2-log.txt");
    /// The same etcd's snapshot at raft index 18 (etcd index 16).
    const SNAP_AT_18: &[u8] = include_bytes!("../../tests/testdata/etcd-3.4.23-v2-snap-18.json");
    /// Its snapshot at raft index 24 (etcd index 18): the v2store crate's fixture.
    const SNAP_AT_24: &[u8] =
        include_bytes!("../../../v2store/tests/testdata/etcd-3.4.23-v2store.json");
    const MEMBER: u64 = 0xbdae_9bbc_11dd_390d;
    /// When the fixture's TTL directory expires (its TTL key expires an hour before).
    const TTLDIR_EXPIRES: i64 = 1_796_424_519_706_166_654;

    fn log() -> Vec<(u64, i32, Vec<u8>)> {
        LOG.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let mut f = l.split(' ');
                let index = f.next().and_then(|i| i.parse().ok()).expect("index");
                let kind = f.next().and_then(|t| t.parse().ok()).expect("type");
                let hex = f.next().unwrap_or_default();
                let data = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                    .collect();
                (index, kind, data)
            })
            .collect()
    }

    /// The entries in (after, upto].
    fn between(log: &[(u64, i32, Vec<u8>)], after: u64, upto: u64) -> Vec<(u64, i32, &[u8])> {
        log.iter()
            .filter(|(i, _, _)| *i > after && *i <= upto)
            .map(|(i, t, d)| (*i, *t, d.as_slice()))
            .collect()
    }

    fn saved(json: &[u8]) -> V2Store {
        V2Store::from_etcd_snapshot(Some(json)).expect("snapshot loads")
    }

    fn value(v2: &V2Store, path: &str) -> Option<String> {
        v2.get(path, false, false).ok().and_then(|e| e.node.value)
    }

    fn bare(req: V2Req) -> Vec<u8> {
        req.encode_to_vec()
    }

    #[test]
    fn etcds_log_rebuilds_the_store_etcd_saved() {
        let log = log();
        let at_24 = saved(SNAP_AT_24);
        assert_eq!(at_24.index(), 18);
        // From nothing, as etcd without a .snap file.
        let from_start = etcd_v2_store(None, between(&log, 0, 24)).expect("replay");
        assert_eq!(from_start.index(), 18);
        assert_eq!(from_start.records(), at_24.records());
        // From an earlier snapshot.
        let from_18 = etcd_v2_store(Some(SNAP_AT_18), between(&log, 18, 24)).expect("replay");
        assert_eq!(from_18.index(), 18);
        assert_eq!(from_18.records(), at_24.records());
        // The SYNC rounds that follow expire nothing yet.
        let synced = etcd_v2_store(Some(SNAP_AT_24), between(&log, 24, 38)).expect("replay");
        assert_eq!(synced.index(), 18);
        assert_eq!(synced.records(), at_24.records());
        assert_eq!(at_24.key_count(), 13);
    }

    #[test]
    fn etcd_34s_bare_v2_requests_convert_for_oxcds_log() {
        let log = log();
        let converted = |index: u64| {
            let (_, kind, data) = &log[index as usize - 1];
            let c = convert_entry(index, *kind, data).expect("converts");
            (
                c.entry_type,
                c.dropped,
                oxcd_proto::oxcdpb::InternalRequest::decode(c.data.as_slice())
                    .ok()
                    .and_then(|r| r.op),
            )
        };
        assert_eq!(converted(1).0, ENTRY_CONF_CHANGE_V2);
        match converted(3) {
            (ENTRY_NORMAL, false, Some(Op::MemberAttributes(m))) => {
                assert_eq!((m.id, m.name.as_str()), (MEMBER, "e1"));
            }
            other => panic!("publish: {other:?}"),
        }
        // The cluster version, which oxcd records itself.
        assert_eq!(converted(4), (ENTRY_NORMAL, true, None));
        match converted(5) {
            (ENTRY_NORMAL, false, Some(Op::V2(r))) => {
                assert_eq!((r.method.as_str(), r.path.as_str()), ("PUT", "/1/a"));
                assert_eq!((r.value.as_str(), r.time), ("1", 0));
            }
            other => panic!("put: {other:?}"),
        }
        match converted(18) {
            (ENTRY_NORMAL, false, Some(Op::V2(r))) => {
                assert_eq!(r.method, "SYNC");
                assert!(r.time > 1_700_000_000_000_000_000, "{}", r.time);
            }
            other => panic!("sync: {other:?}"),
        }
        assert!(matches!(
            decode_request(5, &log[4].2),
            Ok(EtcdRequest::V2(_))
        ));
        assert!(decode_request(5, b"\xff\xff\xff").is_err());
    }

    #[test]
    fn v2_writes_apply_with_etcds_semantics() {
        let put = |path: &str, val: &str| V2Req {
            method: "PUT".into(),
            path: path.into(),
            val: val.into(),
            ..Default::default()
        };
        let wrapped = InternalRaftRequest {
            v2: Some(put("/1/wrapped", "w")),
            ..Default::default()
        }
        .encode_to_vec();
        let entries = [
            // A compare that fails and a read change nothing.
            bare(V2Req {
                prev_value: "nope".into(),
                ..put("/1/a", "x")
            }),
            bare(V2Req {
                method: "QGET".into(),
                ..put("/1/a", "")
            }),
            bare(put("/1/b", "1")),
            wrapped,
            bare(put("/0/version", "3.5.0")),
            // Both TTL nodes are due: each expires with an index of its own.
            bare(V2Req {
                method: "SYNC".into(),
                time: TTLDIR_EXPIRES,
                ..Default::default()
            }),
        ];
        let v2 = etcd_v2_store(
            Some(SNAP_AT_24),
            entries
                .iter()
                .enumerate()
                .map(|(i, d)| (25 + i as u64, ENTRY_NORMAL, d.as_slice())),
        )
        .expect("replay");
        assert_eq!(v2.index(), 18 + 5);
        assert_eq!(value(&v2, "/1/a").as_deref(), Some("upd"));
        let b = v2.get("/1/b", false, false).expect("b").node;
        assert_eq!((b.created_index, b.value.as_deref()), (19, Some("1")));
        assert_eq!(value(&v2, "/1/wrapped").as_deref(), Some("w"));
        assert_eq!(value(&v2, "/0/version").as_deref(), Some("3.5.0"));
        assert!(v2.get("/1/ttl", false, false).is_err());
        assert!(v2.get("/1/ttldir/inner", false, false).is_err());
        assert_eq!(v2.next_expiration(), None);
    }

    #[test]
    fn conf_changes_and_attributes_apply_as_etcd_validates_them() {
        use crate::state::etcd_log::ConfChangeV1;
        let cc = |change_type: i32, node_id: u64, context: &str| {
            let data = ConfChangeV1 {
                change_type,
                node_id,
                context: context.as_bytes().to_vec(),
            }
            .encode_to_vec();
            (ENTRY_CONF_CHANGE, data)
        };
        let member = |id: u64, url: &str, learner: bool| {
            format!(r#"{{"id":{id},"peerURLs":["{url}"],"name":"","isLearner":{learner}}}"#)
        };
        let publish = |id: u64| {
            let data = bare(V2Req {
                method: "PUT".into(),
                path: format!("/0/members/{id:x}/attributes"),
                val: r#"{"name":"n","clientURLs":["http://c:2379"]}"#.into(),
                ..Default::default()
            });
            (ENTRY_NORMAL, data)
        };
        let entries = [
            (cc(0, 2, &member(2, "http://n2:2380", false)), 1),
            (cc(0, 2, &member(2, "http://n2b:2380", false)), 0), // exists
            (cc(0, 3, &member(3, "http://n2:2380", false)), 0),  // URL taken
            (cc(3, 4, &member(4, "http://n4:2380", true)), 1),
            (cc(3, 5, &member(5, "http://n5:2380", true)), 0), // one learner at most
            (
                cc(
                    0,
                    4,
                    r#"{"id":4,"peerURLs":["http://n4:2380"],"isLearner":true,"isPromote":true}"#,
                ),
                1,
            ),
            (cc(0, 4, r#"{"id":4,"isPromote":true}"#), 0), // not a learner any more
            (cc(2, 2, &member(2, "http://n2c:2380", false)), 1),
            (cc(2, 9, &member(9, "http://n9:2380", false)), 0), // unknown
            (publish(2), 1),
            (publish(9), 0), // unknown
            (cc(1, 2, ""), 2),
            (publish(2), 0),                                    // removed
            (cc(0, 2, &member(2, "http://n2:2380", false)), 0), // removed
            (cc(1, 9, ""), 0),                                  // unknown
            (cc(3, 6, &member(6, "http://n6:2380", true)), 1),
        ];
        let v2 = saved(SNAP_AT_24);
        let mut index = v2.index();
        for (i, ((kind, data), writes)) in entries.iter().enumerate() {
            let entry = [(25 + i as u64, *kind, data.as_slice())];
            apply_etcd_entries(&v2, entry).expect("applies");
            index += writes;
            assert_eq!(v2.index(), index, "entry {i}");
        }
        let (members, removed) = v2.recorded_members();
        let ids: Vec<(u64, bool, Vec<String>)> = members
            .into_iter()
            .map(|m| (m.id, m.is_learner, m.peer_ur_ls))
            .collect();
        assert_eq!(
            ids,
            [
                (4, false, vec!["http://n4:2380".to_string()]),
                (6, true, vec!["http://n6:2380".to_string()]),
                (MEMBER, false, vec!["http://127.0.0.1:23801".to_string()]),
            ]
        );
        assert_eq!(removed, [2]);
        // etcd's JSON, fields in Go's order.
        assert_eq!(
            value(&v2, "/0/members/4/raftAttributes").as_deref(),
            Some(r#"{"peerURLs":["http://n4:2380"]}"#)
        );
        assert_eq!(
            value(&v2, "/0/members/6/raftAttributes").as_deref(),
            Some(r#"{"peerURLs":["http://n6:2380"],"isLearner":true}"#)
        );
    }
}
