use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::record::{Change, NodeRecord};

fn rec(dir: bool, value: &str, c: u64, m: u64, e: Option<i64>) -> NodeRecord {
    NodeRecord {
        dir,
        value: value.into(),
        created_index: c,
        modified_index: m,
        expire_at: e,
    }
}

/// What a backend holding the changes would hold.
fn apply(db: &mut BTreeMap<String, NodeRecord>, changes: Vec<Change>) {
    for ch in changes {
        match ch {
            Change::Put(p, r) => {
                db.insert(p, r);
            }
            Change::Delete(p) => {
                assert!(db.remove(&p).is_some(), "delete of an unknown {p}");
            }
        }
    }
}

#[test]
fn every_write_records_the_nodes_it_touched() {
    let (mut s, _) = store_with(&["/0", "/1"]);
    s.set("/1/a/b/c", false, "v", perm()).unwrap();
    assert_eq!(
        s.take_changes(),
        [
            Change::Put("/1/a".into(), rec(true, "", 1, 1, None)),
            Change::Put("/1/a/b".into(), rec(true, "", 1, 1, None)),
            Change::Put("/1/a/b/c".into(), rec(false, "v", 1, 1, None)),
        ]
    );
    assert!(s.take_changes().is_empty());
    s.create("/1/q", false, "x", true, expire(T0 + SEC))
        .unwrap();
    assert_eq!(
        s.take_changes(),
        [
            Change::Put("/1/q".into(), rec(true, "", 2, 2, None)),
            Change::Put(
                "/1/q/00000000000000000002".into(),
                rec(false, "x", 2, 2, Some(T0 + SEC))
            ),
        ]
    );
    s.update("/1/a", "", expire(T0 + 5 * SEC)).unwrap();
    s.compare_and_swap("/1/a/b/c", "v", 0, "w", perm()).unwrap();
    assert_eq!(
        s.take_changes(),
        [
            // A directory's modified index does not move on update (etcd's `Write` refuses).
            Change::Put("/1/a".into(), rec(true, "", 1, 1, Some(T0 + 5 * SEC))),
            Change::Put("/1/a/b/c".into(), rec(false, "w", 1, 4, None)),
        ]
    );
    // Failures change nothing.
    let _ = s.create("/1/a/b/c", false, "", false, perm());
    let _ = s.create("/1/a/b/c/d", false, "", false, perm());
    let _ = s.delete("/1/a", false, false);
    let _ = s.delete("/1", true, true);
    let _ = s.compare_and_delete("/1/a/b/c", "zz", 0);
    assert!(s.take_changes().is_empty());
    s.set("/1/a/b/d", false, "", perm()).unwrap();
    s.take_changes();
    s.delete("/1/a", true, true).unwrap();
    assert_eq!(
        s.take_changes(),
        [
            Change::Delete("/1/a/b/c".into()),
            Change::Delete("/1/a/b/d".into()),
            Change::Delete("/1/a/b".into()),
            Change::Delete("/1/a".into()),
        ]
    );
    s.set("/1/k", false, "1", perm()).unwrap();
    s.compare_and_delete("/1/k", "1", 0).unwrap();
    assert_eq!(
        s.take_changes(),
        [
            Change::Put("/1/k".into(), rec(false, "1", 7, 7, None)),
            Change::Delete("/1/k".into()),
        ]
    );
}

#[test]
fn a_store_rebuilt_from_its_records_is_the_same_store() {
    let (mut s, c) = store_with(&["/0", "/1"]);
    let mut db = BTreeMap::new();
    s.set("/0/members/abc/attributes", false, "{}", perm())
        .unwrap();
    s.set("/1/a/b/c", false, "v", perm()).unwrap();
    s.set("/1/a/_hidden", false, "h", perm()).unwrap();
    s.create("/1/q", false, "x", true, perm()).unwrap();
    s.create("/1/q", false, "y", true, expire(T0 + 20 * SEC))
        .unwrap();
    s.create("/1/tmp", true, "", false, expire(T0 + 3 * SEC))
        .unwrap();
    s.set("/1/tmp/x", false, "1", expire(T0 + 30 * SEC))
        .unwrap();
    s.set("/1/gone/x", false, "1", perm()).unwrap();
    s.delete("/1/gone", true, true).unwrap();
    s.update("/1/a/b/c", "w", expire(T0 + 10 * SEC)).unwrap();
    s.set("/1/e", false, "", perm()).unwrap();
    apply(&mut db, s.take_changes());
    c.advance(4 * SEC);
    assert_eq!(s.delete_expired_keys(c.now()).len(), 1);
    apply(&mut db, s.take_changes());
    assert_eq!(db.len(), s.records().len());
    assert_eq!(db, s.records().into_iter().collect::<BTreeMap<_, _>>());

    // Children before parents, as a backend scan in another order might give them.
    let mut records: Vec<_> = db.clone().into_iter().collect();
    records.reverse();
    let t = Arc::new(std::sync::atomic::AtomicI64::new(c.now()));
    let t2 = t.clone();
    let clock: crate::store::Clock = Arc::new(move || t2.load(std::sync::atomic::Ordering::SeqCst));
    let mut r = Store::from_records(&["/0", "/1"], clock, s.index(), records).unwrap();
    assert_eq!(r.index(), s.index());
    assert_eq!(r.records(), s.records());
    assert!(r.take_changes().is_empty());
    for key in ["/", "/1", "/1/a", "/0/members", "/1/a/_hidden"] {
        assert_eq!(
            json(&r.get(key, true, true).unwrap()),
            json(&s.get(key, true, true).unwrap())
        );
    }
    assert_eq!(r.next_expiration(), s.next_expiration());
    assert_eq!(r.next_expiration(), Some(T0 + 10 * SEC));

    // The history starts empty: an old index waits for the next change.
    let mut w = r.watch("/1", true, false, 1).unwrap();
    assert!(w.events.try_recv().is_err());
    // And both go on the same way, expiries included.
    for st in [&mut s, &mut r] {
        st.set("/1/e", false, "again", perm()).unwrap();
    }
    assert_eq!(w.events.try_recv().unwrap().node.key, "/1/e");
    let a = s.delete_expired_keys(T0 + 40 * SEC);
    let b = r.delete_expired_keys(T0 + 40 * SEC);
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);
    assert_eq!(s.take_changes(), r.take_changes());
}

#[test]
fn records_that_do_not_fit_together_are_errors() {
    let clock: crate::store::Clock = Arc::new(|| T0);
    let f = || rec(false, "v", 1, 1, None);
    let d = || rec(true, "", 1, 1, None);
    assert!(Store::from_records(&["/1"], clock.clone(), 1, [("/1/a/b".into(), f())]).is_err());
    assert!(Store::from_records(
        &["/1"],
        clock.clone(),
        1,
        [("/1/a".into(), f()), ("/1/a/b".into(), f())]
    )
    .is_err());
    assert!(Store::from_records(&["/1"], clock.clone(), 1, [("/1//a".into(), f())]).is_err());
    assert!(Store::from_records(
        &["/1"],
        clock.clone(),
        1,
        [("/1/a".into(), d()), ("/1/a".into(), f())]
    )
    .is_err());
    // The namespaces are the store's own.
    let s = Store::from_records(&["/1"], clock, 1, [("/1".into(), d())]).unwrap();
    assert!(s.records().is_empty());
}
