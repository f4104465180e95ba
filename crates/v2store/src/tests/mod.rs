//! Tests of the store against the behaviour of etcd 3.4.23 (its `store_test.go`,
//! `store_ttl_test.go`, `watcher_hub_test.go`, and answers of a real etcd for the cases those
//! leave open).

mod etcd_json;
mod ops;
mod records;
mod ttl;
mod watch;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use crate::error::V2Error;
use crate::event::Event;
use crate::store::{Store, TtlOptions};

pub(crate) const SEC: i64 = 1_000_000_000;
pub(crate) const MS: i64 = 1_000_000;
/// The fake clock's start, well after etcd's 2000-01-01 cut-off.
pub(crate) const T0: i64 = 1_700_000_000 * SEC;

pub(crate) struct Clock(Arc<AtomicI64>);

impl Clock {
    pub fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
    pub fn advance(&self, by: i64) {
        self.0.fetch_add(by, Ordering::SeqCst);
    }
}

pub(crate) fn store_with(namespaces: &[&str]) -> (Store, Clock) {
    let t = Arc::new(AtomicI64::new(T0));
    let t2 = t.clone();
    (
        Store::new(namespaces, Arc::new(move || t2.load(Ordering::SeqCst))),
        Clock(t),
    )
}

pub(crate) fn store() -> (Store, Clock) {
    store_with(&[])
}

pub(crate) fn perm() -> TtlOptions {
    TtlOptions::default()
}

pub(crate) fn expire(at: i64) -> TtlOptions {
    TtlOptions {
        expire_at: Some(at),
        refresh: false,
    }
}

pub(crate) fn refresh(at: i64) -> TtlOptions {
    TtlOptions {
        expire_at: Some(at),
        refresh: true,
    }
}

/// The error's code, cause and index.
pub(crate) fn err(r: Result<Event, V2Error>) -> (u32, String, u64) {
    match r {
        Ok(e) => panic!("expected an error, got {e:?}"),
        Err(e) => (e.code, e.cause, e.index),
    }
}

pub(crate) fn json(e: &Event) -> String {
    serde_json::to_string(e).unwrap()
}

pub(crate) fn value(s: &mut Store, key: &str) -> Option<String> {
    s.get(key, false, false).ok().and_then(|e| e.node.value)
}
