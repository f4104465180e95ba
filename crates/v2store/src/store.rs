//! The tree and its operations, following etcd 3.4's `v2store.store` rule for rule.
//!
//! Where etcd counts a failure as a success in its stats (an error returned without being
//! assigned to the variable its deferred counter reads), so do we: `/v2/stats/store` answers
//! as etcd's does.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use crate::error::{
    V2Error, DIR_NOT_EMPTY, KEY_NOT_FOUND, NODE_EXIST, NOT_FILE, ROOT_READ_ONLY, TEST_FAILED,
};
use crate::event::{Action, Event, NodeExtern};
use crate::node::Node;
use crate::path::{clean_key, split};
use crate::record::{Change, NodeRecord};
use crate::stats::{count, Stats};
use crate::tree;
use crate::watcher::{Watcher, WatcherHub};

/// A clock in Unix nanoseconds: only used to show the remaining TTL of a node to readers.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// 2000-01-01T00:00:00Z in Unix nanoseconds: etcd takes anything earlier for "no TTL" (a zero
/// time that went through a JavaScript client).
const MIN_EXPIRE_TIME: i64 = 946_684_800_000_000_000;

/// etcd's `TTLOptionSet`: the expiration (Unix nanoseconds, decided by whoever proposed the
/// request so every member applies the same one; `None` or anything before 2000-01-01 means
/// permanent) and whether this is a refresh (TTL renewed, value kept, watchers not told).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TtlOptions {
    pub expire_at: Option<i64>,
    pub refresh: bool,
}

impl TtlOptions {
    fn expire_time(&self) -> Option<i64> {
        self.expire_at.filter(|at| *at >= MIN_EXPIRE_TIME)
    }
}

pub struct Store {
    clock: Clock,
    root: Node,
    index: u64,
    read_only: HashSet<String>,
    /// Nodes with a TTL in expiration order (etcd's TTL heap); ties go by path so every member
    /// expires them in the same order.
    ttl_index: BTreeSet<(i64, String)>,
    hub: WatcherHub,
    stats: Stats,
    /// Recursive gets, which etcd's read metric tells apart (its JSON stats do not).
    recursive_gets: u64,
    changes: Vec<Change>,
}

impl Store {
    /// A store holding only the root and the given namespaces (directories made at index 0 and
    /// read-only, as etcd's `New("/0", "/1")`).
    pub fn new(namespaces: &[&str], clock: Clock) -> Store {
        let mut root = Node::new_dir("/".to_string(), 0, None);
        let mut read_only = HashSet::from(["/".to_string()]);
        for ns in namespaces {
            let path = clean_key(ns);
            let name = split(&path).1.to_string();
            if let (false, Some(children)) = (name.is_empty(), root.children_mut()) {
                children.insert(name, Node::new_dir(path.clone(), 0, None));
            }
            read_only.insert(path);
        }
        Store {
            clock,
            root,
            index: 0,
            read_only,
            ttl_index: BTreeSet::new(),
            hub: WatcherHub::new(),
            stats: Stats::default(),
            recursive_gets: 0,
            changes: Vec::new(),
        }
    }

    /// The store rebuilt from its records and index (any order of records; parents may come
    /// after children).
    pub fn from_records(
        namespaces: &[&str],
        clock: Clock,
        index: u64,
        records: impl IntoIterator<Item = (String, NodeRecord)>,
    ) -> Result<Store, String> {
        let mut store = Store::new(namespaces, clock);
        store.index = index;
        let mut records: Vec<(String, NodeRecord)> = records.into_iter().collect();
        // A parent's path is a prefix of its children's, so it sorts before them.
        records.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, record) in records {
            if clean_key(&path) != path {
                return Err(format!("v2 store record with an unclean path {path:?}"));
            }
            if store.read_only.contains(&path) {
                continue;
            }
            let (dir, name) = split(&path);
            let parent = tree::lookup_mut(&mut store.root, dir)
                .ok_or_else(|| format!("v2 store record {path:?} has no parent directory"))?;
            let children = parent
                .children_mut()
                .ok_or_else(|| format!("v2 store record {path:?} is under a key"))?;
            if children.contains_key(name) {
                return Err(format!("v2 store record {path:?} appears twice"));
            }
            children.insert(name.to_string(), Node::from_record(path.clone(), &record));
            if let Some(at) = record.expire_at {
                store.ttl_index.insert((at, path));
            }
        }
        Ok(store)
    }

    /// Every node's record but the root's and the namespaces', parents before children: the
    /// whole store as `from_records` takes it back (for a snapshot).
    pub fn records(&self) -> Vec<(String, NodeRecord)> {
        let mut out = Vec::new();
        let mut stack = vec![&self.root];
        while let Some(n) = stack.pop() {
            if !self.read_only.contains(&n.path) {
                out.push((n.path.clone(), n.record()));
            }
            if let Some(children) = n.children() {
                stack.extend(children.values().rev());
            }
        }
        out
    }

    /// The current etcd index.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// Changes made since the last call, in order, for the backend.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    pub fn get(&mut self, path: &str, recursive: bool, _sorted: bool) -> Result<Event, V2Error> {
        let path = clean_key(path);
        let now = self.now();
        let result = tree::lookup(&self.root, &path, self.index).map(|n| {
            let mut e = new_event(Action::Get, &path, n.modified_index, n.created_index);
            e.node = n.load(path.clone(), recursive, now);
            e.etcd_index = self.index;
            e
        });
        count(
            result.is_ok(),
            &mut self.stats.get_success,
            &mut self.stats.get_fail,
        );
        self.recursive_gets += recursive as u64;
        result
    }

    pub fn set(
        &mut self,
        path: &str,
        dir: bool,
        value: &str,
        ttl: TtlOptions,
    ) -> Result<Event, V2Error> {
        let result = self.set_inner(path, dir, value, ttl);
        count(
            result.is_ok(),
            &mut self.stats.set_success,
            &mut self.stats.set_fail,
        );
        result
    }

    fn set_inner(
        &mut self,
        path: &str,
        dir: bool,
        value: &str,
        ttl: TtlOptions,
    ) -> Result<Event, V2Error> {
        let mut value = value.to_string();
        match tree::lookup(&self.root, &clean_key(path), self.index) {
            Ok(n) if ttl.refresh => value = n.value().to_string(),
            Ok(_) => {}
            Err(e) if e.code != KEY_NOT_FOUND || ttl.refresh => return Err(e),
            Err(_) => {}
        }
        let mut e = self.internal_create(path, dir, value, false, true, ttl, Action::Set)?;
        e.etcd_index = self.index;
        self.publish(&mut e, ttl.refresh);
        Ok(e)
    }

    pub fn create(
        &mut self,
        path: &str,
        dir: bool,
        value: &str,
        unique: bool,
        ttl: TtlOptions,
    ) -> Result<Event, V2Error> {
        let result = self
            .internal_create(
                path,
                dir,
                value.to_string(),
                unique,
                false,
                ttl,
                Action::Create,
            )
            .map(|mut e| {
                e.etcd_index = self.index;
                self.hub.notify(&e);
                e
            });
        count(
            result.is_ok(),
            &mut self.stats.create_success,
            &mut self.stats.create_fail,
        );
        result
    }

    pub fn update(&mut self, path: &str, value: &str, ttl: TtlOptions) -> Result<Event, V2Error> {
        let path = clean_key(path);
        let (result, counted) = self.update_inner(&path, value, ttl);
        count(
            counted,
            &mut self.stats.update_success,
            &mut self.stats.update_fail,
        );
        result
    }

    /// The outcome, and whether etcd counts it as a success.
    fn update_inner(
        &mut self,
        path: &str,
        value: &str,
        ttl: TtlOptions,
    ) -> (Result<Event, V2Error>, bool) {
        let curr = self.index;
        let next = curr + 1;
        if self.read_only.contains(path) {
            return (Err(V2Error::new(ROOT_READ_ONLY, "/", curr)), true);
        }
        let now = self.now();
        let n = match tree::lookup(&self.root, path, curr) {
            Ok(n) => n,
            Err(e) => return (Err(e), false),
        };
        if n.is_dir() && !value.is_empty() {
            return (Err(V2Error::new(NOT_FILE, path, curr)), true);
        }
        let value = if ttl.refresh { n.value() } else { value }.to_string();
        let mut e = new_event(Action::Update, path, next, n.created_index);
        e.etcd_index = next;
        e.prev_node = Some(n.repr(false, now));
        let old_expire = n.expire_at;
        let new_expire = ttl.expire_time();
        let Some(n) = tree::lookup_mut(&mut self.root, path) else {
            return (Err(V2Error::new(KEY_NOT_FOUND, path, curr)), false);
        };
        // A directory has no value to write: etcd's `Write` refuses, so its modified index
        // stays where it was even though the event carries the new one.
        if let crate::node::Kind::File(v) = &mut n.kind {
            *v = value.clone();
            n.modified_index = next;
            e.node.value = Some(value);
        } else {
            e.node.dir = true;
        }
        n.expire_at = new_expire;
        (e.node.expiration, e.node.ttl) = n.expiration_and_ttl(now);
        let record = n.record();
        self.retime(path, old_expire, new_expire);
        self.changes.push(Change::Put(path.to_string(), record));
        self.publish(&mut e, ttl.refresh);
        self.index = next;
        (Ok(e), true)
    }

    pub fn compare_and_swap(
        &mut self,
        path: &str,
        prev_value: &str,
        prev_index: u64,
        value: &str,
        ttl: TtlOptions,
    ) -> Result<Event, V2Error> {
        let path = clean_key(path);
        let (result, counted) =
            self.compare_and_swap_inner(&path, prev_value, prev_index, value, ttl);
        count(
            counted,
            &mut self.stats.compare_and_swap_success,
            &mut self.stats.compare_and_swap_fail,
        );
        result
    }

    fn compare_and_swap_inner(
        &mut self,
        path: &str,
        prev_value: &str,
        prev_index: u64,
        value: &str,
        ttl: TtlOptions,
    ) -> (Result<Event, V2Error>, bool) {
        if self.read_only.contains(path) {
            return (Err(V2Error::new(ROOT_READ_ONLY, "/", self.index)), true);
        }
        let now = self.now();
        let n = match tree::lookup(&self.root, path, self.index) {
            Ok(n) => n,
            Err(e) => return (Err(e), false),
        };
        if n.is_dir() {
            return (Err(V2Error::new(NOT_FILE, path, self.index)), false);
        }
        if let Some(cause) = compare_fail_cause(n, prev_value, prev_index) {
            return (Err(V2Error::new(TEST_FAILED, cause, self.index)), false);
        }
        let value = if ttl.refresh { n.value() } else { value }.to_string();
        self.index += 1;
        let mut e = new_event(Action::CompareAndSwap, path, self.index, n.created_index);
        e.etcd_index = self.index;
        e.prev_node = Some(n.repr(false, now));
        let old_expire = n.expire_at;
        let new_expire = ttl.expire_time();
        let Some(n) = tree::lookup_mut(&mut self.root, path) else {
            return (Err(V2Error::new(KEY_NOT_FOUND, path, self.index)), false);
        };
        n.kind = crate::node::Kind::File(value.clone());
        n.modified_index = self.index;
        n.expire_at = new_expire;
        e.node.value = Some(value);
        (e.node.expiration, e.node.ttl) = n.expiration_and_ttl(now);
        let record = n.record();
        self.retime(path, old_expire, new_expire);
        self.changes.push(Change::Put(path.to_string(), record));
        self.publish(&mut e, ttl.refresh);
        (Ok(e), true)
    }

    pub fn delete(&mut self, path: &str, dir: bool, recursive: bool) -> Result<Event, V2Error> {
        let path = clean_key(path);
        let (result, counted) = self.delete_inner(&path, dir || recursive, recursive);
        count(
            counted,
            &mut self.stats.delete_success,
            &mut self.stats.delete_fail,
        );
        result
    }

    fn delete_inner(
        &mut self,
        path: &str,
        dir: bool,
        recursive: bool,
    ) -> (Result<Event, V2Error>, bool) {
        let curr = self.index;
        if self.read_only.contains(path) {
            return (Err(V2Error::new(ROOT_READ_ONLY, "/", curr)), true);
        }
        let now = self.now();
        let n = match tree::lookup(&self.root, path, curr) {
            Ok(n) => n,
            Err(e) => return (Err(e), false),
        };
        if let Some(children) = n.children() {
            if !dir {
                return (Err(V2Error::new(NOT_FILE, n.path.clone(), curr)), false);
            }
            if !children.is_empty() && !recursive {
                return (
                    Err(V2Error::new(DIR_NOT_EMPTY, n.path.clone(), curr)),
                    false,
                );
            }
        }
        let next = curr + 1;
        let mut e = new_event(Action::Delete, path, next, n.created_index);
        e.etcd_index = next;
        e.prev_node = Some(n.repr(false, now));
        e.node.dir = n.is_dir();
        self.remove_subtree(path, &e);
        self.index = next;
        self.hub.notify(&e);
        (Ok(e), true)
    }

    pub fn compare_and_delete(
        &mut self,
        path: &str,
        prev_value: &str,
        prev_index: u64,
    ) -> Result<Event, V2Error> {
        let path = clean_key(path);
        let (result, counted) = self.compare_and_delete_inner(&path, prev_value, prev_index);
        count(
            counted,
            &mut self.stats.compare_and_delete_success,
            &mut self.stats.compare_and_delete_fail,
        );
        result
    }

    /// etcd has no read-only check here: the root and namespaces are directories, so 102.
    fn compare_and_delete_inner(
        &mut self,
        path: &str,
        prev_value: &str,
        prev_index: u64,
    ) -> (Result<Event, V2Error>, bool) {
        let now = self.now();
        let n = match tree::lookup(&self.root, path, self.index) {
            Ok(n) => n,
            Err(e) => return (Err(e), false),
        };
        if n.is_dir() {
            return (Err(V2Error::new(NOT_FILE, path, self.index)), true);
        }
        if let Some(cause) = compare_fail_cause(n, prev_value, prev_index) {
            return (Err(V2Error::new(TEST_FAILED, cause, self.index)), true);
        }
        let index = self.index + 1;
        let mut e = new_event(Action::CompareAndDelete, path, index, n.created_index);
        e.etcd_index = index;
        e.prev_node = Some(n.repr(false, now));
        self.index = index;
        self.remove_subtree(path, &e);
        self.hub.notify(&e);
        (Ok(e), true)
    }

    /// Expires every node whose expiration is at or before `cutoff` (Unix nanoseconds), each
    /// with an `expire` event of its own index, as etcd's `DeleteExpiredKeys`.
    pub fn delete_expired_keys(&mut self, cutoff: i64) -> Vec<Event> {
        let now = self.now();
        let mut events = Vec::new();
        while let Some((at, path)) = self.ttl_index.first().cloned() {
            if at > cutoff {
                break;
            }
            self.ttl_index.remove(&(at, path.clone()));
            let Ok(n) = tree::lookup(&self.root, &path, self.index) else {
                continue;
            };
            self.index += 1;
            let mut e = new_event(Action::Expire, &path, self.index, n.created_index);
            e.etcd_index = self.index;
            e.prev_node = Some(n.repr(false, now));
            e.node.dir = n.is_dir();
            self.remove_subtree(&path, &e);
            self.stats.expire_count += 1;
            self.hub.notify(&e);
            events.push(e);
        }
        events
    }

    /// The earliest expiration of any node, if one has a TTL (the leader proposes an expiry
    /// once the clock passes it).
    pub fn next_expiration(&self) -> Option<i64> {
        self.ttl_index.first().map(|(at, _)| *at)
    }

    /// A watcher on `key` (and below, if recursive), from `since_index` (0: the next change),
    /// served from the history when it is old enough, else an `EVENT_INDEX_CLEARED` error.
    pub fn watch(
        &mut self,
        key: &str,
        recursive: bool,
        stream: bool,
        since_index: u64,
    ) -> Result<Watcher, V2Error> {
        let key = clean_key(key);
        let since = if since_index == 0 {
            self.index + 1
        } else {
            since_index
        };
        self.hub.watch(&key, recursive, stream, since, self.index)
    }

    /// etcd's `/v2/stats/store` counters as JSON.
    pub fn stats_json(&self) -> String {
        let mut stats = self.stats.clone();
        stats.watchers = self.hub.count() as u64;
        serde_json::to_string(&stats).unwrap_or_default()
    }

    /// Writes by etcd's action name (successes and failures), for
    /// `etcd_debugging_store_writes_total`.
    pub fn write_counts(&self) -> [(&'static str, u64); 6] {
        let s = &self.stats;
        [
            ("set", s.set_success + s.set_fail),
            ("delete", s.delete_success + s.delete_fail),
            ("update", s.update_success + s.update_fail),
            ("create", s.create_success + s.create_fail),
            (
                "compareAndSwap",
                s.compare_and_swap_success + s.compare_and_swap_fail,
            ),
            (
                "compareAndDelete",
                s.compare_and_delete_success + s.compare_and_delete_fail,
            ),
        ]
    }

    /// Reads by etcd's action name, for `etcd_debugging_store_reads_total`.
    pub fn read_counts(&self) -> [(&'static str, u64); 2] {
        let gets = self.stats.get_success + self.stats.get_fail;
        [
            ("get", gets - self.recursive_gets),
            ("getRecursive", self.recursive_gets),
        ]
    }

    /// Keys removed by TTL expiry.
    pub fn expire_count(&self) -> u64 {
        self.stats.expire_count
    }

    /// The number of registered watchers whose reader is still there (etcd's watcher count).
    pub fn watcher_count(&self) -> usize {
        self.hub.count()
    }

    fn now(&self) -> i64 {
        (self.clock)()
    }

    /// etcd's `internalCreate`: makes the key (or the in-order key below it when `unique`) and
    /// the directories above it; `replace` lets it take the place of an existing key.
    #[allow(clippy::too_many_arguments)]
    fn internal_create(
        &mut self,
        path: &str,
        dir: bool,
        value: String,
        unique: bool,
        replace: bool,
        ttl: TtlOptions,
        action: Action,
    ) -> Result<Event, V2Error> {
        let curr = self.index;
        let next = curr + 1;
        let path = if unique {
            clean_key(&format!("{path}/{next:020}"))
        } else {
            clean_key(path)
        };
        if self.read_only.contains(&path) {
            return Err(V2Error::new(ROOT_READ_ONLY, "/", curr));
        }
        let expire = ttl.expire_time();
        let now = self.now();
        let (dir_path, name) = split(&path);
        if let Some(file) = tree::first_file_on_path(&self.root, dir_path) {
            // etcd counts this as a failed set whatever the operation, on top of its own count.
            self.stats.set_fail += 1;
            return Err(V2Error::new(crate::error::NOT_DIR, file.path.clone(), curr));
        }
        let internal = || V2Error::new(crate::error::NOT_DIR, dir_path, curr);
        let (parent, made) =
            tree::make_dirs(&mut self.root, dir_path, next).ok_or_else(internal)?;
        let children = parent.children_mut().ok_or_else(internal)?;
        let mut prev_node = None;
        let mut prev_expire = None;
        if let Some(existing) = children.get(name) {
            if !replace {
                return Err(V2Error::new(NODE_EXIST, path.clone(), curr));
            }
            if existing.is_dir() {
                return Err(V2Error::new(NOT_FILE, path.clone(), curr));
            }
            prev_node = Some(existing.repr(false, now));
            prev_expire = existing.expire_at;
            children.remove(name);
        }
        let node = if dir {
            Node::new_dir(path.clone(), next, expire)
        } else {
            Node::new_file(path.clone(), value.clone(), next, expire)
        };
        let mut e = new_event(action, &path, next, next);
        e.prev_node = prev_node;
        if dir {
            e.node.dir = true;
        } else {
            e.node.value = Some(value);
        }
        (e.node.expiration, e.node.ttl) = node.expiration_and_ttl(now);
        let record = node.record();
        children.insert(name.to_string(), node);
        self.retime(&path, prev_expire, expire);
        for (p, r) in made {
            self.changes.push(Change::Put(p, r));
        }
        self.changes.push(Change::Put(path, record));
        self.index = next;
        Ok(e)
    }

    /// Tells the watchers of a change, or, for a refresh, only keeps it in the history.
    fn publish(&mut self, e: &mut Event, refresh: bool) {
        if refresh {
            e.refresh = true;
            self.hub.add(e);
        } else {
            self.hub.notify(e);
        }
    }

    /// Moves a node in the TTL index from one expiration to another.
    fn retime(&mut self, path: &str, old: Option<i64>, new: Option<i64>) {
        if let Some(at) = old {
            self.ttl_index.remove(&(at, path.to_string()));
        }
        if let Some(at) = new {
            self.ttl_index.insert((at, path.to_string()));
        }
    }

    /// Unlinks the node at `path` and everything below it; the watchers of each removed path
    /// hear `e` (even when not recursive), as etcd's `Remove` callback tells them.
    fn remove_subtree(&mut self, path: &str, e: &Event) {
        let Some(node) = tree::unlink(&mut self.root, path) else {
            return;
        };
        let mut removed = Vec::new();
        node.subtree_post_order(&mut removed);
        for (p, expire) in removed {
            self.hub.notify_watchers(e, &p, true);
            if let Some(at) = expire {
                self.ttl_index.remove(&(at, p.clone()));
            }
            self.changes.push(Change::Delete(p));
        }
    }
}

fn new_event(action: Action, key: &str, modified_index: u64, created_index: u64) -> Event {
    Event {
        action,
        node: NodeExtern {
            key: key.to_string(),
            modified_index,
            created_index,
            ..Default::default()
        },
        prev_node: None,
        etcd_index: 0,
        refresh: false,
    }
}

/// etcd's `Compare` and `getCompareFailCause`: an empty value or a zero index is not compared.
fn compare_fail_cause(n: &Node, prev_value: &str, prev_index: u64) -> Option<String> {
    let index_ok = prev_index == 0 || n.modified_index == prev_index;
    let value_ok = prev_value.is_empty() || n.value() == prev_value;
    match (value_ok, index_ok) {
        (true, true) => None,
        (false, true) => Some(format!("[{} != {}]", prev_value, n.value())),
        (true, false) => Some(format!("[{} != {}]", prev_index, n.modified_index)),
        (false, false) => Some(format!(
            "[{} != {}] [{} != {}]",
            prev_value,
            n.value(),
            prev_index,
            n.modified_index
        )),
    }
}
