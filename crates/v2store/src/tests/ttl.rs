use super::*;
use crate::error::*;
use crate::event::Action;
use crate::record::Change;

#[test]
fn expirations_before_2000_are_permanent() {
    let (mut s, c) = store();
    // 1970 plus three seconds: a zero time that went through JavaScript, for etcd.
    let e = s
        .create("/foo", false, "Y", false, expire(3 * SEC))
        .unwrap();
    assert_eq!((e.node.expiration, e.node.ttl), (None, 0));
    c.advance(5 * SEC);
    assert!(s.delete_expired_keys(c.now()).is_empty());
    let e = s.get("/foo", true, false).unwrap();
    assert_eq!((e.node.ttl, e.etcd_index), (0, 1));
    assert_eq!(s.next_expiration(), None);
}

#[test]
fn ttl_is_shown_rounded_up_and_counts_down() {
    let (mut s, c) = store();
    let e = s.set("/foo", false, "bar", expire(T0 + 500 * MS)).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"set","node":{"key":"/foo","value":"bar","expiration":"2023-11-14T22:13:20.5Z","ttl":1,"modifiedIndex":1,"createdIndex":1}}"#
    );
    s.set("/long", false, "x", expire(T0 + 100 * SEC)).unwrap();
    c.advance(30 * SEC + 1);
    assert_eq!(s.get("/long", false, false).unwrap().node.ttl, 70);
    // Past its time but not yet expired by the leader: etcd shows what the division gives.
    let e = s.get("/foo", false, false).unwrap();
    assert_eq!((e.node.expiration, e.node.ttl), (Some(T0 + 500 * MS), -29));
}

#[test]
fn keys_expire_in_order_each_with_an_index() {
    let (mut s, _) = store();
    s.create("/b", false, "1", false, expire(T0 + 2 * SEC))
        .unwrap();
    s.create("/a", false, "2", false, expire(T0 + SEC)).unwrap();
    s.create("/d", true, "", false, expire(T0 + 3 * SEC))
        .unwrap();
    s.create("/d/x", false, "3", false, expire(T0 + 10 * SEC))
        .unwrap();
    s.create("/p", false, "4", false, perm()).unwrap();
    assert_eq!(s.next_expiration(), Some(T0 + SEC));
    s.take_changes();
    assert!(s.delete_expired_keys(T0 + SEC - 1).is_empty());
    let evs = s.delete_expired_keys(T0 + 2 * SEC);
    let got: Vec<_> = evs
        .iter()
        .map(|e| (e.node.key.as_str(), e.index()))
        .collect();
    assert_eq!(got, [("/a", 6), ("/b", 7)]);
    assert_eq!(
        json(&evs[0]),
        r#"{"action":"expire","node":{"key":"/a","modifiedIndex":6,"createdIndex":2},"prevNode":{"key":"/a","value":"2","expiration":"2023-11-14T22:13:21Z","ttl":1,"modifiedIndex":2,"createdIndex":2}}"#
    );
    assert_eq!(evs[1].etcd_index, 7);
    // A directory takes its children with it, in one event.
    let evs = s.delete_expired_keys(T0 + 100 * SEC);
    assert_eq!(evs.len(), 1);
    assert_eq!(
        (evs[0].action, evs[0].node.dir, evs[0].index()),
        (Action::Expire, true, 8)
    );
    assert!(evs[0].prev_node.as_ref().unwrap().dir);
    assert_eq!(s.next_expiration(), None);
    assert_eq!(
        err(s.get("/d/x", false, false)),
        (KEY_NOT_FOUND, "/d".into(), 8)
    );
    assert_eq!(s.index(), 8);
    assert!(s.stats_json().contains(r#""expireCount":3"#));
    let changes = s.take_changes();
    assert_eq!(
        changes,
        [
            Change::Delete("/a".into()),
            Change::Delete("/b".into()),
            Change::Delete("/d/x".into()),
            Change::Delete("/d".into()),
        ]
    );
}

#[test]
fn updating_a_ttl_moves_the_expiry() {
    let (mut s, c) = store();
    s.create("/foo", false, "bar", false, perm()).unwrap();
    s.update("/foo", "baz", expire(c.now() + 500 * MS)).unwrap();
    assert_eq!(s.next_expiration(), Some(T0 + 500 * MS));
    assert_eq!(value(&mut s, "/foo").as_deref(), Some("baz"));
    s.update("/foo", "baz", expire(c.now() + 900 * MS)).unwrap();
    c.advance(600 * MS);
    assert!(s.delete_expired_keys(c.now()).is_empty());
    // Back to permanent when no TTL is given.
    s.compare_and_swap("/foo", "baz", 0, "q", perm()).unwrap();
    assert_eq!(s.next_expiration(), None);
    s.update("/foo", "baz", expire(c.now() + 100 * MS)).unwrap();
    c.advance(200 * MS);
    assert_eq!(s.delete_expired_keys(c.now()).len(), 1);
    assert_eq!(err(s.get("/foo", false, false)).0, KEY_NOT_FOUND);
    // Replacing a key with a TTL by set drops the old expiry.
    s.set("/k", false, "1", expire(c.now() + SEC)).unwrap();
    s.set("/k", false, "2", perm()).unwrap();
    assert_eq!(s.next_expiration(), None);
    s.set("/k", false, "3", expire(c.now() + SEC)).unwrap();
    s.delete("/k", false, false).unwrap();
    assert_eq!(s.next_expiration(), None);
}

#[test]
fn a_directory_ttl_expires_what_is_below() {
    let (mut s, c) = store();
    s.create("/foo", true, "", false, perm()).unwrap();
    s.create("/foo/bar", false, "baz", false, perm()).unwrap();
    let e = s.update("/foo", "", expire(c.now() + 500 * MS)).unwrap();
    assert!(e.node.dir);
    assert_eq!(e.etcd_index, 3);
    c.advance(600 * MS);
    s.delete_expired_keys(c.now());
    assert_eq!(
        err(s.get("/foo/bar", false, false)),
        (KEY_NOT_FOUND, "/foo".into(), 4)
    );
}

#[test]
fn deleting_a_directory_forgets_the_ttls_below() {
    let (mut s, c) = store();
    s.create("/d/x", false, "1", false, expire(c.now() + SEC))
        .unwrap();
    s.create("/d/y/z", false, "1", false, expire(c.now() + 2 * SEC))
        .unwrap();
    s.delete("/d", true, true).unwrap();
    assert_eq!(s.next_expiration(), None);
    assert!(s.delete_expired_keys(c.now() + 10 * SEC).is_empty());
}

#[test]
fn refresh_keeps_the_value_and_renews_the_ttl() {
    let (mut s, c) = store();
    s.create("/foo", false, "bar", false, expire(c.now() + 500 * MS))
        .unwrap();
    s.create("/dir", true, "", false, expire(c.now() + 500 * MS))
        .unwrap();
    let e = s.update("/foo", "", refresh(c.now() + 2 * SEC)).unwrap();
    // Marked as a refresh, though etcd never writes the mark in an answer.
    assert!(e.refresh);
    assert_eq!(
        (e.node.value.as_deref(), e.node.ttl, e.etcd_index),
        (Some("bar"), 2, 3)
    );
    assert_eq!(
        json(&e),
        r#"{"action":"update","node":{"key":"/foo","value":"bar","expiration":"2023-11-14T22:13:22Z","ttl":2,"modifiedIndex":3,"createdIndex":1},"prevNode":{"key":"/foo","value":"bar","expiration":"2023-11-14T22:13:20.5Z","ttl":1,"modifiedIndex":1,"createdIndex":1}}"#
    );
    let e = s
        .set("/foo", false, "", refresh(c.now() + 3 * SEC))
        .unwrap();
    assert!(e.refresh);
    assert_eq!(e.node.value.as_deref(), Some("bar"));
    assert_eq!(e.prev_node.unwrap().value.as_deref(), Some("bar"));
    s.update("/dir", "", refresh(c.now() + 3 * SEC)).unwrap();
    let e = s
        .compare_and_swap("/foo", "bar", 0, "", refresh(c.now() + 3 * SEC))
        .unwrap();
    assert_eq!((e.node.value.as_deref(), e.refresh), (Some("bar"), true));
    c.advance(SEC);
    assert!(s.delete_expired_keys(c.now()).is_empty());
    // Refreshing what is not there.
    assert_eq!(
        err(s.set("/nope", false, "", refresh(c.now() + SEC))),
        (KEY_NOT_FOUND, "/nope".into(), 6)
    );
    // Refreshing a directory by set is setting over a directory.
    assert_eq!(
        err(s.set("/dir", false, "", refresh(c.now() + SEC))),
        (NOT_FILE, "/dir".into(), 6)
    );
}
