//! etcd 3.4's v2 store as the JSON its `store.Save()` writes: the `data` of the raft snapshots
//! in `member/snap/*.snap`. Read into a store when oxcd imports an etcd data dir.
//!
//! The JSON is Go's encoding of etcd's `store` struct: `Root` (the tree), `CurrentIndex`,
//! `Stats`, `CurrentVersion` and `WatcherHub` (the event history). Each node is
//! `{"Path","CreatedIndex","ModifiedIndex","ExpireTime","Value","Children"}`, where a key has
//! `"Children":null` and a directory a map of its children by name (`{}` when empty), and
//! `ExpireTime` is a Go `time.Time` in RFC 3339 with the zone of the etcd process (the zero time
//! `0001-01-01T00:00:00Z` for a permanent node). Only the tree and the index are taken: etcd
//! itself brings back its stats and history too, but oxcd keeps neither across a restart.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::path::child_path;
use crate::record::NodeRecord;
use crate::store::{Clock, Store};

/// Go's zero `time.Time` (January 1, year 1, UTC) in Unix seconds: a permanent node.
const GO_ZERO_TIME_UNIX: i64 = -62_135_596_800;

#[derive(Deserialize)]
struct SavedStore {
    #[serde(rename = "Root")]
    root: SavedNode,
    #[serde(rename = "CurrentIndex")]
    current_index: u64,
}

#[derive(Deserialize)]
struct SavedNode {
    #[serde(rename = "Path")]
    path: String,
    #[serde(rename = "CreatedIndex", default)]
    created_index: u64,
    #[serde(rename = "ModifiedIndex", default)]
    modified_index: u64,
    #[serde(rename = "ExpireTime", default)]
    expire_time: Option<String>,
    #[serde(rename = "Value", default)]
    value: String,
    /// `null` (or absent) for a key, a map (maybe empty) for a directory: etcd's `IsDir`.
    #[serde(rename = "Children", default)]
    children: Option<BTreeMap<String, SavedNode>>,
}

impl Store {
    /// The store etcd saved as `json`, with `namespaces` read-only as in [`Store::new`]. Bad
    /// JSON, a node whose path is not its parent's plus its name, or a time that is not Go's
    /// RFC 3339 is an error naming what is wrong. Nodes already past their expiration are kept,
    /// as etcd keeps them until its next expiry round.
    ///
    /// serde_json's nesting limit (128) bounds the depth of a tree it reads to about 60 levels
    /// of directories: a deeper one is an error, never a stack overflow.
    pub fn from_etcd_json(namespaces: &[&str], clock: Clock, json: &[u8]) -> Result<Store, String> {
        let saved: SavedStore = serde_json::from_slice(json)
            .map_err(|e| format!("etcd's v2 store JSON is not readable: {e}"))?;
        if saved.root.path != "/" || saved.root.children.is_none() {
            return Err(format!(
                "etcd's v2 store JSON: the root is {:?}, not the directory \"/\"",
                saved.root.path
            ));
        }
        let mut records = Vec::new();
        let mut stack = vec![&saved.root];
        while let Some(dir) = stack.pop() {
            for (name, child) in dir.children.iter().flatten() {
                let path = child_path(&dir.path, name);
                if name.is_empty() || name.contains('/') || child.path != path {
                    return Err(format!(
                        "etcd's v2 store JSON: the node {:?} under {:?} has the path {:?}",
                        name, dir.path, child.path
                    ));
                }
                records.push((path, record(child)?));
                stack.push(child);
            }
        }
        Store::from_records(namespaces, clock, saved.current_index, records)
    }
}

fn record(n: &SavedNode) -> Result<NodeRecord, String> {
    let expire_at = match &n.expire_time {
        None => None,
        Some(t) => go_time_unix_nanos(t).map_err(|e| format!("{}: {e}", n.path))?,
    };
    Ok(NodeRecord {
        dir: n.children.is_some(),
        value: if n.children.is_some() {
            String::new()
        } else {
            n.value.clone()
        },
        created_index: n.created_index,
        modified_index: n.modified_index,
        expire_at,
    })
}

/// A Go `time.Time` as its JSON holds it (RFC 3339, any zone): `None` for the zero time (a
/// permanent node), else Unix nanoseconds.
fn go_time_unix_nanos(s: &str) -> Result<Option<i64>, String> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("bad expiration time {s:?}: {e}"))?;
    if t.unix_timestamp() == GO_ZERO_TIME_UNIX && t.nanosecond() == 0 {
        return Ok(None);
    }
    i64::try_from(t.unix_timestamp_nanos())
        .map(Some)
        .map_err(|_| format!("expiration time {s:?} is out of range"))
}
