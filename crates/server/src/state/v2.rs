//! The v2 keys store as the applier keeps it: etcd 3.4's store (`oxcd-v2store`) behind a lock,
//! changed only in log order, its changed nodes written in the applier's backend transaction
//! (bucket `v2store`, index in meta `v2_index`) so a restart or a snapshot brings it back.
//!
//! As in etcd 3.4, the cluster's membership is mirrored under the hidden `/0` namespace (member
//! raft attributes, published attributes, removed members, the cluster version): those writes
//! advance the store's index exactly as etcd's do, so a client sees etcd's `X-Etcd-Index` values
//! (a fresh single member's first key is at index 4). User keys live under `/1`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_proto::oxcdpb::V2Request;
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::{MvccStore, WriteBatch};
use oxcd_v2store::store::Clock;
use oxcd_v2store::{Change, Event, NodeRecord, Store, TtlOptions, V2Error, Watcher};

use crate::version::CLUSTER_VERSION;

const BUCKET: &str = "v2store";
const INDEX_META: &str = "v2_index";
const NAMESPACES: [&str; 2] = ["/0", "/1"];
/// Where the keys API's paths live in the store.
pub const KEYS_PREFIX: &str = "/1";
const MEMBERS_DIR: &str = "/0/members";
const REMOVED_MEMBERS_DIR: &str = "/0/removed_members";
const VERSION_KEY: &str = "/0/version";

pub struct V2Store {
    store: Mutex<Store>,
    clock: Clock,
    /// Watches asked for since the start (etcd's `etcd_debugging_store_watch_requests_total`).
    watch_requests: AtomicU64,
}

/// The v2 store's counters, as `/metrics` reports them.
pub struct V2Counters {
    pub reads: [(&'static str, u64); 2],
    pub writes: [(&'static str, u64); 6],
    pub expires: u64,
    pub watchers: u64,
    pub watch_requests: u64,
}

impl V2Store {
    /// The store the backend holds; on a data dir that holds none yet, the one etcd 3.4 would
    /// have after adding `members` (the bootstrap configuration, in ID order).
    pub fn load(mvcc: &MvccStore, members: &[MemberPb]) -> Result<V2Store, String> {
        let clock: Clock = Arc::new(now_unix_nanos);
        let store = match read_store(mvcc, clock.clone())? {
            Some(store) => store,
            None => {
                let mut store = Store::new(&NAMESPACES, clock.clone());
                for m in members {
                    write_raft_attributes(&mut store, m);
                    if !m.name.is_empty() {
                        write_attributes(&mut store, m);
                    }
                }
                if !members.is_empty() && members.iter().all(|m| !m.name.is_empty()) {
                    write_version(&mut store);
                }
                store
            }
        };
        Ok(V2Store {
            store: Mutex::new(store),
            clock,
            watch_requests: AtomicU64::new(0),
        })
    }

    /// The store etcd saved in a raft snapshot (the JSON of its `store.Save()`), or, without
    /// one, the empty store etcd starts from; for an import, which applies etcd's log after the
    /// snapshot and persists it with [`V2Store::persist_all`].
    pub fn from_etcd_snapshot(json: Option<&[u8]>) -> Result<V2Store, String> {
        let clock: Clock = Arc::new(now_unix_nanos);
        let store = match json {
            Some(json) => Store::from_etcd_json(&NAMESPACES, clock.clone(), json)?,
            None => Store::new(&NAMESPACES, clock.clone()),
        };
        Ok(V2Store {
            store: Mutex::new(store),
            clock,
            watch_requests: AtomicU64::new(0),
        })
    }

    /// Re-reads the store after the backend was replaced by a snapshot.
    pub fn reload(&self, mvcc: &MvccStore) -> Result<(), String> {
        if let Some(store) = read_store(mvcc, self.clock.clone())? {
            *self.lock() = store;
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies a committed v2 write (etcd's `applierV2store`): the event (none for an expiry
    /// round), or the store's error.
    pub fn apply(&self, req: &V2Request) -> Result<Option<Event>, V2Error> {
        let ttl = TtlOptions {
            expire_at: (req.expiration != 0).then_some(req.expiration),
            refresh: req.refresh,
        };
        let mut store = self.lock();
        let s = &mut *store;
        if req.method == "SYNC" {
            s.delete_expired_keys(req.time);
            return Ok(None);
        }
        let event = match req.method.as_str() {
            "POST" => s.create(&req.path, req.dir, &req.value, true, ttl),
            "PUT" => match req.prev_exist {
                Some(true) if req.prev_index == 0 && req.prev_value.is_empty() => {
                    s.update(&req.path, &req.value, ttl)
                }
                Some(true) => {
                    s.compare_and_swap(&req.path, &req.prev_value, req.prev_index, &req.value, ttl)
                }
                Some(false) => s.create(&req.path, req.dir, &req.value, false, ttl),
                None if req.prev_index > 0 || !req.prev_value.is_empty() => {
                    s.compare_and_swap(&req.path, &req.prev_value, req.prev_index, &req.value, ttl)
                }
                None => s.set(&req.path, req.dir, &req.value, ttl),
            },
            "DELETE" if req.prev_index > 0 || !req.prev_value.is_empty() => {
                s.compare_and_delete(&req.path, &req.prev_value, req.prev_index)
            }
            "DELETE" => s.delete(&req.path, req.dir, req.recursive),
            other => Err(V2Error::request(
                oxcd_v2store::error::INVALID_FIELD,
                format!("unknown method {other}"),
            )),
        };
        event.map(Some)
    }

    /// A member added by a conf change: etcd 3.4 records its raft attributes.
    pub fn member_added(&self, member: &MemberPb) {
        write_raft_attributes(&mut self.lock(), member);
    }

    /// A member's peer URLs changed or it was promoted.
    pub fn raft_attributes_changed(&self, member: &MemberPb) {
        write_raft_attributes(&mut self.lock(), member);
    }

    /// A member removed: its records go, and its ID is remembered as removed.
    pub fn member_removed(&self, id: u64) {
        let mut store = self.lock();
        let _ = store.delete(&format!("{MEMBERS_DIR}/{id:x}"), true, true);
        let _ = store.create(
            &format!("{REMOVED_MEMBERS_DIR}/{id:x}"),
            false,
            "",
            false,
            TtlOptions::default(),
        );
    }

    /// A member published its name and client URLs; once every member has, the cluster
    /// version is recorded (etcd's leader decides it then).
    pub fn attributes_published(&self, member: &MemberPb, all_published: bool) {
        let mut store = self.lock();
        write_attributes(&mut store, member);
        if all_published && store.get(VERSION_KEY, false, false).is_err() {
            write_version(&mut store);
        }
    }

    /// A member's published attributes recorded as they are (etcd's `UpdateAttributes`).
    pub fn attributes_set(&self, member: &MemberPb) {
        write_attributes(&mut self.lock(), member);
    }

    /// The cluster version recorded as etcd's `SetVersion` does.
    pub fn version_set(&self, version: &str) {
        if let Err(e) = self
            .lock()
            .set(VERSION_KEY, false, version, TtlOptions::default())
        {
            tracing::warn!(error = %e, "could not record the cluster version in the v2 store");
        }
    }

    /// The membership recorded under `/0`, as etcd's `membersFromStore` reads it: the members
    /// with their raft attributes (peer URLs, learner), and the IDs of removed members.
    pub fn recorded_members(&self) -> (Vec<MemberPb>, Vec<u64>) {
        #[derive(serde::Deserialize, Default)]
        struct RaftAttributes {
            #[serde(rename = "peerURLs", default)]
            peer_urls: Vec<String>,
            #[serde(rename = "isLearner", default)]
            is_learner: bool,
        }
        let mut store = self.lock();
        let children = |store: &mut Store, dir: &str| {
            store
                .get(dir, true, true)
                .ok()
                .and_then(|e| e.node.nodes)
                .unwrap_or_default()
        };
        let id_of = |key: &str| {
            key.rsplit('/')
                .next()
                .and_then(|id| u64::from_str_radix(id, 16).ok())
        };
        let mut members = Vec::new();
        for m in children(&mut store, MEMBERS_DIR) {
            let Some(id) = id_of(&m.key) else { continue };
            let attrs = m
                .nodes
                .iter()
                .flatten()
                .find(|n| n.key.ends_with("/raftAttributes"))
                .and_then(|n| n.value.as_deref())
                .and_then(|v| serde_json::from_str::<RaftAttributes>(v).ok())
                .unwrap_or_default();
            members.push(MemberPb {
                id,
                peer_ur_ls: attrs.peer_urls,
                is_learner: attrs.is_learner,
                ..Default::default()
            });
        }
        let removed = children(&mut store, REMOVED_MEMBERS_DIR)
            .iter()
            .filter_map(|n| id_of(&n.key))
            .collect();
        (members, removed)
    }

    /// Every node but the root and the namespaces, parents first, as the backend stores them.
    pub fn records(&self) -> Vec<(String, NodeRecord)> {
        self.lock().records()
    }

    /// The keys and directories under the keys API's namespace.
    pub fn key_count(&self) -> u64 {
        let prefix = format!("{KEYS_PREFIX}/");
        let records = self.records();
        records
            .iter()
            .filter(|(p, _)| p.starts_with(&prefix))
            .count() as u64
    }

    /// Writes the whole store and its index into `batch`, for a backend that holds none yet
    /// (an import); what changed before is included.
    pub fn persist_all(&self, batch: &mut WriteBatch<'_>) -> Result<(), StorageError> {
        let mut store = self.lock();
        store.take_changes();
        for (path, record) in store.records() {
            batch.bucket_put(BUCKET, path.as_bytes(), &record.encode())?;
        }
        batch.put_meta(INDEX_META, &store.index().to_be_bytes())
    }

    /// Writes what changed since the last call into the applier's transaction.
    pub fn persist(&self, batch: &mut WriteBatch<'_>) -> Result<(), StorageError> {
        let mut store = self.lock();
        let changes = store.take_changes();
        if changes.is_empty() {
            return Ok(());
        }
        for change in changes {
            match change {
                Change::Put(path, record) => {
                    batch.bucket_put(BUCKET, path.as_bytes(), &record.encode())?
                }
                Change::Delete(path) => {
                    batch.bucket_delete(BUCKET, path.as_bytes())?;
                }
            }
        }
        batch.put_meta(INDEX_META, &store.index().to_be_bytes())
    }

    pub fn index(&self) -> u64 {
        self.lock().index()
    }

    pub fn get(&self, path: &str, recursive: bool, sorted: bool) -> Result<Event, V2Error> {
        self.lock().get(path, recursive, sorted)
    }

    pub fn watch(
        &self,
        path: &str,
        recursive: bool,
        stream: bool,
        since_index: u64,
    ) -> Result<Watcher, V2Error> {
        self.watch_requests.fetch_add(1, Ordering::Relaxed);
        self.lock().watch(path, recursive, stream, since_index)
    }

    pub fn counters(&self) -> V2Counters {
        let store = self.lock();
        V2Counters {
            reads: store.read_counts(),
            writes: store.write_counts(),
            expires: store.expire_count(),
            watchers: store.watcher_count() as u64,
            watch_requests: self.watch_requests.load(Ordering::Relaxed),
        }
    }

    /// The earliest expiration of a TTL key, for the leader's expiry proposals.
    pub fn next_expiration(&self) -> Option<i64> {
        self.lock().next_expiration()
    }

    pub fn stats_json(&self) -> String {
        self.lock().stats_json()
    }
}

pub fn now_unix_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
}

fn read_store(mvcc: &MvccStore, clock: Clock) -> Result<Option<Store>, String> {
    let Some(index) = mvcc.get_meta(INDEX_META).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let index = <[u8; 8]>::try_from(index.as_slice())
        .map(u64::from_be_bytes)
        .map_err(|_| format!("bad v2 store index in the backend: {index:?}"))?;
    let mut records = Vec::new();
    for (key, value) in mvcc.bucket_entries(BUCKET).map_err(|e| e.to_string())? {
        let path =
            String::from_utf8(key).map_err(|e| format!("bad v2 store path in the backend: {e}"))?;
        let record = NodeRecord::decode(&value).map_err(|e| format!("{path}: {e}"))?;
        records.push((path, record));
    }
    Store::from_records(&NAMESPACES, clock, index, records).map(Some)
}

/// etcd 3.4's `RaftAttributes` JSON, its fields in Go's order (`isLearner` is `omitempty`).
fn write_raft_attributes(store: &mut Store, m: &MemberPb) {
    #[derive(serde::Serialize)]
    struct RaftAttributes<'a> {
        #[serde(rename = "peerURLs")]
        peer_urls: &'a [String],
        #[serde(rename = "isLearner", skip_serializing_if = "std::ops::Not::not")]
        is_learner: bool,
    }
    let attrs = RaftAttributes {
        peer_urls: &m.peer_ur_ls,
        is_learner: m.is_learner,
    };
    let value = serde_json::to_string(&attrs).unwrap_or_default();
    let path = format!("{MEMBERS_DIR}/{:x}/raftAttributes", m.id);
    if let Err(e) = store.set(&path, false, &value, TtlOptions::default()) {
        tracing::warn!(error = %e, "could not record a member in the v2 store");
    }
}

/// etcd 3.4's `Attributes` JSON, its fields in Go's order (both `omitempty`).
fn write_attributes(store: &mut Store, m: &MemberPb) {
    #[derive(serde::Serialize)]
    struct Attributes<'a> {
        #[serde(skip_serializing_if = "str::is_empty")]
        name: &'a str,
        #[serde(rename = "clientURLs", skip_serializing_if = "<[String]>::is_empty")]
        client_urls: &'a [String],
    }
    let attrs = Attributes {
        name: &m.name,
        client_urls: &m.client_ur_ls,
    };
    let value = serde_json::to_string(&attrs).unwrap_or_default();
    let path = format!("{MEMBERS_DIR}/{:x}/attributes", m.id);
    if let Err(e) = store.set(&path, false, &value, TtlOptions::default()) {
        tracing::warn!(error = %e, "could not record a member's attributes in the v2 store");
    }
}

fn write_version(store: &mut Store) {
    if let Err(e) = store.set(VERSION_KEY, false, CLUSTER_VERSION, TtlOptions::default()) {
        tracing::warn!(error = %e, "could not record the cluster version in the v2 store");
    }
}
