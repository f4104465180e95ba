use super::*;
use crate::error::*;
use crate::event::Action;

#[test]
fn namespaces_are_made_at_index_zero_and_listed() {
    let (mut s, _) = store_with(&["/0", "/1"]);
    let e = s.get("/0", false, false).unwrap();
    assert!(e.node.dir);
    assert_eq!((e.node.created_index, e.node.modified_index), (0, 0));
    assert_eq!(s.index(), 0);
    let root = s.get("/", false, false).unwrap();
    assert_eq!(
        json(&root),
        r#"{"action":"get","node":{"key":"/","dir":true,"nodes":[{"key":"/0","dir":true},{"key":"/1","dir":true}]}}"#
    );
    assert!(s.take_changes().is_empty());
}

#[test]
fn root_and_namespaces_are_read_only() {
    let (mut s, _) = store_with(&["/0"]);
    for p in ["/", "/0", "//0/", "/x/../0"] {
        let ro = (ROOT_READ_ONLY, "/".to_string(), 0);
        assert_eq!(err(s.set(p, true, "", perm())), ro);
        assert_eq!(err(s.delete(p, true, true)), ro);
        assert_eq!(err(s.create(p, true, "", false, perm())), ro);
        assert_eq!(err(s.update(p, "", perm())), ro);
        assert_eq!(err(s.compare_and_swap(p, "", 0, "", perm())), ro);
    }
    // etcd does not check compareAndDelete against the read-only set: they are directories.
    assert_eq!(
        err(s.compare_and_delete("/", "", 0)),
        (NOT_FILE, "/".into(), 0)
    );
    assert_eq!(
        err(s.compare_and_delete("/0", "", 0)),
        (NOT_FILE, "/0".into(), 0)
    );
    assert_eq!(s.index(), 0);
    assert!(s.take_changes().is_empty());
    s.set("/0/x", false, "v", perm()).unwrap();
    assert_eq!(s.index(), 1);
}

#[test]
fn get_value_and_missing_key_causes() {
    let (mut s, _) = store_with(&["/0", "/1"]);
    s.create("/1/foo", false, "bar", false, perm()).unwrap();
    let e = s.get("/1/foo", false, false).unwrap();
    assert_eq!((e.action, e.etcd_index), (Action::Get, 1));
    assert_eq!(
        json(&e),
        r#"{"action":"get","node":{"key":"/1/foo","value":"bar","modifiedIndex":1,"createdIndex":1}}"#
    );
    assert_eq!(
        err(s.get("/1/nothing/here", false, false)),
        (KEY_NOT_FOUND, "/1/nothing".into(), 1)
    );
    assert_eq!(
        err(s.get("/nothing", false, false)),
        (KEY_NOT_FOUND, "/nothing".into(), 1)
    );
    // A key is not a directory: the cause is the key met on the way.
    assert_eq!(
        err(s.get("/1/foo/x/y", false, false)),
        (NOT_DIR, "/1/foo".into(), 1)
    );
    // Keys are cleaned as path.Clean(path.Join("/", key)).
    assert_eq!(s.get("1//foo/", false, false).unwrap().node.key, "/1/foo");
}

#[test]
fn get_lists_directories_without_hidden_keys() {
    let (mut s, c) = store();
    s.create("/foo", true, "", false, perm()).unwrap();
    s.create("/foo/x", false, "0", false, perm()).unwrap();
    s.create("/foo/z", false, "0", false, perm()).unwrap();
    s.create("/foo/y", true, "", false, perm()).unwrap();
    s.create("/foo/y/b", false, "0", false, perm()).unwrap();
    s.create("/foo/y/a", false, "0", false, perm()).unwrap();
    s.create("/foo/_hidden", false, "*", false, perm()).unwrap();
    s.create("/foo/y/ttl", false, "Y", false, expire(c.now() + 3 * SEC))
        .unwrap();
    let e = s.get("/foo", true, true).unwrap();
    assert_eq!(e.etcd_index, 8);
    let keys: Vec<_> = e
        .node
        .nodes
        .iter()
        .flatten()
        .map(|n| n.key.clone())
        .collect();
    assert_eq!(keys, ["/foo/x", "/foo/y", "/foo/z"]);
    let y = &e.node.nodes.as_ref().unwrap()[1];
    let ykeys: Vec<_> = y
        .nodes
        .iter()
        .flatten()
        .map(|n| (n.key.clone(), n.ttl))
        .collect();
    assert_eq!(
        ykeys,
        [
            ("/foo/y/a".to_string(), 0),
            ("/foo/y/b".to_string(), 0),
            ("/foo/y/ttl".to_string(), 3)
        ]
    );
    // Not recursive: children are listed without theirs.
    let e = s.get("/foo", false, false).unwrap();
    let y = &e.node.nodes.as_ref().unwrap()[1];
    assert!(y.dir && y.nodes.is_none());
    assert_eq!(
        json(&s.get("/foo/y", false, true).unwrap()),
        r#"{"action":"get","node":{"key":"/foo/y","dir":true,"nodes":[{"key":"/foo/y/a","value":"0","modifiedIndex":6,"createdIndex":6},{"key":"/foo/y/b","value":"0","modifiedIndex":5,"createdIndex":5},{"key":"/foo/y/ttl","value":"Y","expiration":"2023-11-14T22:13:23Z","ttl":3,"modifiedIndex":8,"createdIndex":8}],"modifiedIndex":4,"createdIndex":4}}"#
    );
    // A hidden key is still there by name.
    assert_eq!(value(&mut s, "/foo/_hidden").as_deref(), Some("*"));
}

#[test]
fn set_creates_replaces_and_reports_the_previous_node() {
    let (mut s, _) = store();
    let e = s.set("/foo", false, "", perm()).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"set","node":{"key":"/foo","value":"","modifiedIndex":1,"createdIndex":1}}"#
    );
    assert!(e.is_created());
    let e = s.set("/foo", false, "bar", perm()).unwrap();
    assert_eq!(e.etcd_index, 2);
    assert!(!e.is_created());
    assert_eq!(
        json(&e),
        r#"{"action":"set","node":{"key":"/foo","value":"bar","modifiedIndex":2,"createdIndex":2},"prevNode":{"key":"/foo","value":"","modifiedIndex":1,"createdIndex":1}}"#
    );
    let e = s.set("/a/b/c/d", false, "efg", perm()).unwrap();
    assert_eq!((e.node.key.as_str(), e.etcd_index), ("/a/b/c/d", 3));
    // The directories above were made by the same write.
    let b = s.get("/a/b", false, false).unwrap();
    assert_eq!((b.node.created_index, b.node.modified_index), (3, 3));
    let e = s.set("/dir", true, "", perm()).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"set","node":{"key":"/dir","dir":true,"modifiedIndex":4,"createdIndex":4}}"#
    );
    // A file may be replaced by a directory, never a directory by anything.
    assert_eq!(
        err(s.set("/dir", false, "x", perm())),
        (NOT_FILE, "/dir".into(), 4)
    );
    assert_eq!(
        err(s.set("/dir", true, "", perm())),
        (NOT_FILE, "/dir".into(), 4)
    );
    let e = s.set("/foo", true, "", perm()).unwrap();
    assert!(e.node.dir && e.prev_node.as_ref().unwrap().value.as_deref() == Some("bar"));
    // Below a key.
    s.set("/f", false, "x", perm()).unwrap();
    assert_eq!(
        err(s.set("/f/g", false, "x", perm())),
        (NOT_DIR, "/f".into(), 6)
    );
    assert_eq!(
        err(s.set("/f/g/h", false, "x", perm())),
        (NOT_DIR, "/f".into(), 6)
    );
    assert_eq!(s.index(), 6);
}

#[test]
fn create_fails_on_existing_and_under_keys() {
    let (mut s, _) = store();
    let e = s.create("/foo", true, "", false, perm()).unwrap();
    assert_eq!(
        (e.action, e.node.dir, e.etcd_index),
        (Action::Create, true, 1)
    );
    assert!(e.is_created());
    assert_eq!(
        err(s.create("/foo", true, "", false, perm())),
        (NODE_EXIST, "/foo".into(), 1)
    );
    assert_eq!(
        err(s.create("/foo", false, "x", false, perm())),
        (NODE_EXIST, "/foo".into(), 1)
    );
    let e = s.create("/empty", false, "", false, perm()).unwrap();
    assert_eq!(e.node.value.as_deref(), Some(""));
    assert_eq!(
        err(s.create("/empty/x", false, "", false, perm())),
        (NOT_DIR, "/empty".into(), 2)
    );
}

#[test]
fn create_unique_makes_in_order_keys() {
    let (mut s, _) = store();
    s.set("/other", false, "x", perm()).unwrap();
    let e = s.create("/q", false, "a", true, perm()).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"create","node":{"key":"/q/00000000000000000002","value":"a","modifiedIndex":2,"createdIndex":2}}"#
    );
    let e = s.create("/q/", true, "", true, perm()).unwrap();
    assert_eq!(
        (e.node.key.as_str(), e.node.dir),
        ("/q/00000000000000000003", true)
    );
    let q = s.get("/q", true, true).unwrap();
    assert_eq!((q.node.created_index, q.node.nodes.unwrap().len()), (2, 2));
    assert_eq!(
        err(s.create("/other", false, "a", true, perm())),
        (NOT_DIR, "/other".into(), 3)
    );
}

#[test]
fn update_values_directories_and_errors() {
    let (mut s, _) = store();
    s.create("/foo", false, "bar", false, perm()).unwrap();
    let e = s.update("/foo", "baz", perm()).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"update","node":{"key":"/foo","value":"baz","modifiedIndex":2,"createdIndex":1},"prevNode":{"key":"/foo","value":"bar","modifiedIndex":1,"createdIndex":1}}"#
    );
    assert_eq!(e.etcd_index, 2);
    let e = s.update("/foo", "", perm()).unwrap();
    assert_eq!((e.node.value.as_deref(), e.etcd_index), (Some(""), 3));
    assert_eq!(value(&mut s, "/foo").as_deref(), Some(""));
    assert_eq!(
        err(s.update("/nope", "x", perm())),
        (KEY_NOT_FOUND, "/nope".into(), 3)
    );

    s.create("/dir", true, "", false, perm()).unwrap();
    s.create("/dir/x", false, "1", false, perm()).unwrap();
    assert_eq!(
        err(s.update("/dir", "baz", perm())),
        (NOT_FILE, "/dir".into(), 5)
    );
    let e = s.update("/dir", "", expire(T0 + 100 * SEC)).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"update","node":{"key":"/dir","dir":true,"expiration":"2023-11-14T22:15:00Z","ttl":100,"modifiedIndex":6,"createdIndex":4},"prevNode":{"key":"/dir","dir":true,"modifiedIndex":4,"createdIndex":4}}"#
    );
    // etcd cannot `Write` a directory, so its modified index stays (a real etcd shows this).
    let d = s.get("/dir", false, false).unwrap();
    assert_eq!(
        (d.node.modified_index, d.node.ttl, d.etcd_index),
        (4, 100, 6)
    );
    assert_eq!(value(&mut s, "/dir/x").as_deref(), Some("1"));
}

#[test]
fn compare_and_swap() {
    let (mut s, _) = store();
    s.create("/foo", false, "bar", false, perm()).unwrap();
    assert_eq!(
        err(s.compare_and_swap("/foo", "wrong_value", 0, "baz", perm())),
        (TEST_FAILED, "[wrong_value != bar]".into(), 1)
    );
    assert_eq!(
        err(s.compare_and_swap("/foo", "", 100, "baz", perm())),
        (TEST_FAILED, "[100 != 1]".into(), 1)
    );
    assert_eq!(
        err(s.compare_and_swap("/foo", "b", 100, "baz", perm())),
        (TEST_FAILED, "[b != bar] [100 != 1]".into(), 1)
    );
    assert_eq!(value(&mut s, "/foo").as_deref(), Some("bar"));
    let e = s.compare_and_swap("/foo", "bar", 0, "baz", perm()).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"compareAndSwap","node":{"key":"/foo","value":"baz","modifiedIndex":2,"createdIndex":1},"prevNode":{"key":"/foo","value":"bar","modifiedIndex":1,"createdIndex":1}}"#
    );
    let e = s.compare_and_swap("/foo", "", 2, "qux", perm()).unwrap();
    assert_eq!((e.etcd_index, e.node.value.as_deref()), (3, Some("qux")));
    let e = s.compare_and_swap("/foo", "qux", 3, "z", perm()).unwrap();
    assert_eq!(e.etcd_index, 4);
    assert_eq!(
        err(s.compare_and_swap("/missing/x", "a", 0, "b", perm())),
        (KEY_NOT_FOUND, "/missing".into(), 4)
    );
    s.create("/dir", true, "", false, perm()).unwrap();
    assert_eq!(
        err(s.compare_and_swap("/dir", "", 0, "b", perm())),
        (NOT_FILE, "/dir".into(), 5)
    );
}

#[test]
fn delete_keys_and_directories() {
    let (mut s, _) = store();
    s.create("/foo", false, "bar", false, perm()).unwrap();
    let e = s.delete("/foo", false, false).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"delete","node":{"key":"/foo","modifiedIndex":2,"createdIndex":1},"prevNode":{"key":"/foo","value":"bar","modifiedIndex":1,"createdIndex":1}}"#
    );
    assert_eq!(e.etcd_index, 2);
    assert_eq!(
        err(s.delete("/foo", false, false)),
        (KEY_NOT_FOUND, "/foo".into(), 2)
    );

    s.create("/foo", true, "", false, perm()).unwrap();
    assert_eq!(
        err(s.delete("/foo", false, false)),
        (NOT_FILE, "/foo".into(), 3)
    );
    let e = s.delete("/foo", true, false).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"delete","node":{"key":"/foo","dir":true,"modifiedIndex":4,"createdIndex":3},"prevNode":{"key":"/foo","dir":true,"modifiedIndex":3,"createdIndex":3}}"#
    );

    s.create("/foo/bar", true, "", false, perm()).unwrap();
    s.create("/foo/bar/baz", false, "1", false, perm()).unwrap();
    assert_eq!(
        err(s.delete("/foo", true, false)),
        (DIR_NOT_EMPTY, "/foo".into(), 6)
    );
    // recursive implies dir
    let e = s.delete("/foo", false, true).unwrap();
    assert_eq!(
        (e.action, e.node.dir, e.etcd_index),
        (Action::Delete, true, 7)
    );
    assert_eq!(
        err(s.get("/foo/bar/baz", false, false)),
        (KEY_NOT_FOUND, "/foo".into(), 7)
    );
    // A key may be deleted with dir or recursive set.
    s.create("/k", false, "1", false, perm()).unwrap();
    assert!(s.delete("/k", true, true).is_ok());
}

#[test]
fn compare_and_delete() {
    let (mut s, _) = store();
    s.create("/foo", false, "bar", false, perm()).unwrap();
    assert_eq!(
        err(s.compare_and_delete("/foo", "baz", 0)),
        (TEST_FAILED, "[baz != bar]".into(), 1)
    );
    assert_eq!(
        err(s.compare_and_delete("/foo", "", 100)),
        (TEST_FAILED, "[100 != 1]".into(), 1)
    );
    assert_eq!(
        err(s.compare_and_delete("/foo", "b", 1 + 1)),
        (TEST_FAILED, "[b != bar] [2 != 1]".into(), 1)
    );
    let e = s.compare_and_delete("/foo", "bar", 0).unwrap();
    assert_eq!(
        json(&e),
        r#"{"action":"compareAndDelete","node":{"key":"/foo","modifiedIndex":2,"createdIndex":1},"prevNode":{"key":"/foo","value":"bar","modifiedIndex":1,"createdIndex":1}}"#
    );
    s.create("/foo", false, "bar", false, perm()).unwrap();
    let e = s.compare_and_delete("/foo", "", 3).unwrap();
    assert_eq!(e.etcd_index, 4);
    assert_eq!(
        err(s.compare_and_delete("/foo", "", 3)),
        (KEY_NOT_FOUND, "/foo".into(), 4)
    );
    s.create("/dir", true, "", false, perm()).unwrap();
    assert_eq!(
        err(s.compare_and_delete("/dir", "", 0)),
        (NOT_FILE, "/dir".into(), 5)
    );
}

#[test]
fn stats_count_as_etcd_counts() {
    let (mut s, _) = store_with(&["/1"]);
    assert_eq!(
        s.stats_json(),
        r#"{"getsSuccess":0,"getsFail":0,"setsSuccess":0,"setsFail":0,"deleteSuccess":0,"deleteFail":0,"updateSuccess":0,"updateFail":0,"createSuccess":0,"createFail":0,"compareAndSwapSuccess":0,"compareAndSwapFail":0,"compareAndDeleteSuccess":0,"compareAndDeleteFail":0,"expireCount":0,"watchers":0}"#
    );
    s.set("/1/f", false, "x", perm()).unwrap(); // set ok
    let _ = s.set("/1/f/g", false, "x", perm()); // set fail
    let _ = s.set("/1", true, "", perm()); // set fail (107)
    let _ = s.create("/1/f/g", false, "x", false, perm()); // create fail, and set fail
    s.create("/1/d", true, "", false, perm()).unwrap(); // create ok
    let _ = s.get("/1/f", false, false); // get ok
    let _ = s.get("/1/nope", false, false); // get fail
    let _ = s.update("/1/d", "x", perm()); // 102, counted a success by etcd
    let _ = s.update("/1", "", perm()); // 107, counted a success by etcd
    let _ = s.update("/1/nope", "", perm()); // update fail
    let _ = s.compare_and_swap("/1/f", "y", 0, "z", perm()); // cas fail
    let _ = s.compare_and_swap("/1", "y", 0, "z", perm()); // 107, a success for etcd
    let _ = s.compare_and_delete("/1/f", "y", 0); // 101, a success for etcd
    let _ = s.compare_and_delete("/1/nope", "y", 0); // cad fail
    let _ = s.delete("/1", true, true); // 107, a success for etcd
    let _ = s.delete("/1/d", false, false); // delete fail (102)
    let _w = s.watch("/1/x", false, false, 0).unwrap();
    assert_eq!(
        s.stats_json(),
        r#"{"getsSuccess":1,"getsFail":1,"setsSuccess":1,"setsFail":3,"deleteSuccess":1,"deleteFail":1,"updateSuccess":2,"updateFail":1,"createSuccess":1,"createFail":1,"compareAndSwapSuccess":1,"compareAndSwapFail":1,"compareAndDeleteSuccess":1,"compareAndDeleteFail":1,"expireCount":0,"watchers":1}"#
    );
    drop(_w);
    assert!(s.stats_json().ends_with(r#""watchers":0}"#));
}

#[test]
fn errors_carry_the_current_index() {
    let (mut s, _) = store();
    for i in 0..5 {
        s.set(&format!("/k{i}"), false, "v", perm()).unwrap();
    }
    assert_eq!(err(s.get("/zz", false, false)).2, 5);
    assert_eq!(err(s.create("/k1", false, "", false, perm())).2, 5);
    assert_eq!(err(s.delete("/zz", false, false)).2, 5);
}

#[test]
fn the_store_can_sit_behind_a_lock_shared_by_tasks() {
    fn shared<T: Send + Sync>() {}
    shared::<Store>();
    shared::<crate::watcher::Watcher>();
}
