use tokio::sync::mpsc::error::TryRecvError;

use super::*;
use crate::error::EVENT_INDEX_CLEARED;
use crate::event::Action;
use crate::watcher::Watcher;

fn next(w: &mut Watcher) -> Event {
    match w.events.try_recv() {
        Ok(e) => e,
        Err(e) => panic!("expected an event, got {e:?}"),
    }
}

/// Nothing waiting, and the watcher still registered.
fn quiet(w: &mut Watcher) {
    assert_eq!(w.events.try_recv().err(), Some(TryRecvError::Empty));
}

/// Nothing waiting, and nothing more will come.
fn closed(w: &mut Watcher) {
    assert_eq!(w.events.try_recv().err(), Some(TryRecvError::Disconnected));
}

#[test]
fn a_watch_gets_the_next_change_once() {
    let (mut s, _) = store();
    let mut w = s.watch("/foo", false, false, 0).unwrap();
    assert_eq!(w.start_index, 0);
    assert_eq!(s.watcher_count(), 1);
    s.create("/foo", false, "bar", false, perm()).unwrap();
    let e = next(&mut w);
    assert_eq!(
        (e.etcd_index, e.action, e.node.key.as_str()),
        (1, Action::Create, "/foo")
    );
    closed(&mut w);
    assert_eq!(s.watcher_count(), 0);
}

#[test]
fn watches_see_every_kind_of_change() {
    let (mut s, _) = store();
    s.create("/foo", false, "bar", false, perm()).unwrap();
    s.create("/dir/bar", false, "baz", false, perm()).unwrap();
    type Op = fn(&mut Store);
    let cases: [(&str, bool, Op, Action, &str); 6] = [
        (
            "/foo",
            false,
            |s| drop(s.update("/foo", "baz", perm())),
            Action::Update,
            "/foo",
        ),
        (
            "/dir",
            true,
            |s| drop(s.update("/dir/bar", "q", perm())),
            Action::Update,
            "/dir/bar",
        ),
        (
            "/foo",
            false,
            |s| drop(s.compare_and_swap("/foo", "baz", 0, "x", perm())),
            Action::CompareAndSwap,
            "/foo",
        ),
        (
            "/dir",
            true,
            |s| drop(s.compare_and_swap("/dir/bar", "q", 0, "r", perm())),
            Action::CompareAndSwap,
            "/dir/bar",
        ),
        (
            "/dir",
            true,
            |s| drop(s.delete("/dir/bar", false, false)),
            Action::Delete,
            "/dir/bar",
        ),
        (
            "/foo",
            false,
            |s| drop(s.compare_and_delete("/foo", "x", 0)),
            Action::CompareAndDelete,
            "/foo",
        ),
    ];
    for (key, recursive, op, action, changed) in cases {
        let mut w = s.watch(key, recursive, false, 0).unwrap();
        assert_eq!(w.start_index, s.index());
        op(&mut s);
        let e = next(&mut w);
        assert_eq!(
            (e.action, e.node.key.as_str(), e.etcd_index),
            (action, changed, s.index())
        );
    }
}

#[test]
fn a_plain_watch_does_not_see_below() {
    let (mut s, _) = store();
    let mut plain = s.watch("/foo", false, false, 0).unwrap();
    let mut rec = s.watch("/foo", true, false, 0).unwrap();
    let mut root = s.watch("/", true, false, 0).unwrap();
    s.create("/foo/bar", false, "baz", false, perm()).unwrap();
    quiet(&mut plain);
    assert_eq!(next(&mut rec).node.key, "/foo/bar");
    assert_eq!(next(&mut root).node.key, "/foo/bar");
    // The parent directory was made by that write, but the event is the key's.
    s.delete("/foo", true, true).unwrap();
    let e = next(&mut plain);
    assert_eq!(
        (e.action, e.node.key.as_str(), e.node.dir),
        (Action::Delete, "/foo", true)
    );
}

#[test]
fn a_stream_watch_keeps_receiving() {
    let (mut s, _) = store();
    let mut w = s.watch("/foo", false, true, 0).unwrap();
    s.create("/foo", false, "bar", false, perm()).unwrap();
    let e = next(&mut w);
    assert_eq!((e.etcd_index, e.node.value.as_deref()), (1, Some("bar")));
    quiet(&mut w);
    s.update("/foo", "baz", perm()).unwrap();
    let e = next(&mut w);
    assert_eq!(
        (e.etcd_index, e.action, e.node.value.as_deref()),
        (2, Action::Update, Some("baz"))
    );
    quiet(&mut w);
    assert_eq!(s.watcher_count(), 1);
}

#[test]
fn hidden_keys_are_seen_only_by_name() {
    let (mut s, _) = store();
    let mut w = s.watch("/_foo", false, false, 0).unwrap();
    s.create("/_foo", false, "bar", false, perm()).unwrap();
    let e = next(&mut w);
    assert_eq!((e.etcd_index, e.node.key.as_str()), (1, "/_foo"));

    let mut w = s.watch("/foo", true, false, 0).unwrap();
    s.create("/foo/_bar", false, "baz", false, perm()).unwrap();
    s.create("/foo/_baz", true, "", false, perm()).unwrap();
    s.create("/foo/_baz/quux", false, "quux", false, perm())
        .unwrap();
    s.update("/foo/_bar", "q", perm()).unwrap();
    s.delete("/foo/_bar", false, false).unwrap();
    quiet(&mut w);

    let mut w = s.watch("/_foo", false, false, 0).unwrap();
    s.update("/_foo", "baz", perm()).unwrap();
    assert_eq!(next(&mut w).action, Action::Update);
    let mut w = s.watch("/_foo", false, false, 0).unwrap();
    s.delete("/_foo", false, false).unwrap();
    assert_eq!(next(&mut w).action, Action::Delete);

    // Below a hidden name, watching from inside it.
    let mut w = s.watch("/_x/bar", true, false, 0).unwrap();
    s.create("/_x/bar/baz", false, "baz", false, perm())
        .unwrap();
    let e = next(&mut w);
    assert_eq!(
        (e.node.key.as_str(), e.etcd_index),
        ("/_x/bar/baz", s.index())
    );
}

#[test]
fn deleting_a_directory_tells_the_watchers_below_it() {
    let (mut s, _) = store();
    s.create("/foo/bar", false, "1", false, perm()).unwrap();
    s.create("/foo/_h", false, "1", false, perm()).unwrap();
    let mut bar = s.watch("/foo/bar", false, false, 0).unwrap();
    let mut hidden = s.watch("/foo/_h", false, false, 0).unwrap();
    let mut gone = s.watch("/foo/nothing", false, false, 0).unwrap();
    s.delete("/foo", true, true).unwrap();
    for w in [&mut bar, &mut hidden] {
        let e = next(w);
        assert_eq!(
            (e.action, e.node.key.as_str(), e.etcd_index),
            (Action::Delete, "/foo", 3)
        );
    }
    quiet(&mut gone);
}

#[test]
fn a_stream_watch_on_a_deleted_key_hears_it_twice_as_in_etcd() {
    // etcd tells it once as a removed node and once as the key of the event (seen on a real
    // etcd 3.4.23 with `?wait=true&stream=true`).
    let (mut s, _) = store();
    s.set("/foo", false, "1", perm()).unwrap();
    let mut w = s.watch("/foo", false, true, 0).unwrap();
    s.delete("/foo", false, false).unwrap();
    assert_eq!(next(&mut w).action, Action::Delete);
    assert_eq!(next(&mut w).action, Action::Delete);
    quiet(&mut w);
}

#[test]
fn a_slow_stream_watcher_is_dropped_after_100_events() {
    let (mut s, _) = store();
    let mut w = s.watch("/foo", true, true, 0).unwrap();
    for i in 1..=102 {
        s.set("/foo", false, &i.to_string(), perm()).unwrap();
    }
    assert_eq!(s.watcher_count(), 0);
    for i in 1..=100u64 {
        assert_eq!(next(&mut w).index(), i);
    }
    closed(&mut w);
}

#[test]
fn a_dropped_watcher_is_forgotten() {
    let (mut s, _) = store();
    let w = s.watch("/foo", false, true, 0).unwrap();
    let mut other = s.watch("/foo", false, true, 0).unwrap();
    assert_eq!(s.watcher_count(), 2);
    drop(w);
    assert_eq!(s.watcher_count(), 1);
    s.set("/foo", false, "1", perm()).unwrap();
    assert_eq!(next(&mut other).index(), 1);
    assert_eq!(s.watcher_count(), 1);
}

#[test]
fn a_future_index_waits_for_it() {
    let (mut s, _) = store();
    let mut w = s.watch("/foo", false, false, 3).unwrap();
    s.set("/foo", false, "1", perm()).unwrap();
    s.set("/foo", false, "2", perm()).unwrap();
    quiet(&mut w);
    s.set("/foo", false, "3", perm()).unwrap();
    assert_eq!(next(&mut w).index(), 3);
}

#[test]
fn past_changes_come_from_the_history() {
    let (mut s, c) = store();
    s.create("/foo", false, "bar", false, expire(c.now() + 400 * MS))
        .unwrap();
    s.create(
        "/foofoo",
        false,
        "barbarbar",
        false,
        expire(c.now() + 450 * MS),
    )
    .unwrap();
    s.create("/foodir", true, "", false, expire(c.now() + 500 * MS))
        .unwrap();
    let mut w = s.watch("/", true, false, 0).unwrap();
    assert_eq!(w.start_index, 3);
    quiet(&mut w);
    c.advance(600 * MS);
    s.delete_expired_keys(c.now());
    let e = next(&mut w);
    assert_eq!(
        (e.etcd_index, e.action, e.node.key.as_str()),
        (4, Action::Expire, "/foo")
    );

    let mut w = s.watch("/", true, false, 5).unwrap();
    assert_eq!(w.start_index, 6);
    let e = next(&mut w);
    // An event from the history carries the index of the watch.
    assert_eq!(
        (e.etcd_index, e.action, e.node.key.as_str()),
        (6, Action::Expire, "/foofoo")
    );
    closed(&mut w);
    let mut w = s.watch("/", true, false, 6).unwrap();
    let e = next(&mut w);
    assert_eq!(
        (e.etcd_index, e.node.key.as_str(), e.node.dir),
        (6, "/foodir", true)
    );

    // The first matching event at or after the index.
    let mut w = s.watch("/foofoo", false, false, 1).unwrap();
    assert_eq!(next(&mut w).index(), 2);
    // A watch on a key below a deleted directory sees the directory go.
    let mut w = s.watch("/foodir/x", false, false, 4).unwrap();
    assert_eq!(next(&mut w).node.key, "/foodir");
    // A stream watch answered from the history stays open with nothing more to say, as etcd's.
    let mut w = s.watch("/", true, true, 1).unwrap();
    assert_eq!(next(&mut w).index(), 1);
    quiet(&mut w);
    assert_eq!(s.watcher_count(), 0);
}

#[test]
fn refreshes_are_kept_but_not_told() {
    let (mut s, c) = store();
    s.create("/foo", false, "bar", false, refresh(c.now() + 500 * MS))
        .unwrap();
    s.create(
        "/foofoo",
        false,
        "barbarbar",
        false,
        refresh(c.now() + 1200 * MS),
    )
    .unwrap();
    let mut w = s.watch("/", true, false, 0).unwrap();
    assert_eq!(w.start_index, 2);
    c.advance(600 * MS);
    s.delete_expired_keys(c.now());
    let e = next(&mut w);
    assert_eq!(
        (e.etcd_index, e.action, e.node.key.as_str()),
        (3, Action::Expire, "/foo")
    );

    let mut live = s.watch("/foofoo", false, false, 0).unwrap();
    s.update("/foofoo", "", refresh(c.now() + 500 * MS))
        .unwrap();
    quiet(&mut live);
    // Index 4 is the refresh: the history skips it.
    let mut w = s.watch("/", true, false, 4).unwrap();
    assert_eq!(w.start_index, 4);
    quiet(&mut w);
    c.advance(700 * MS);
    s.delete_expired_keys(c.now());
    let e = next(&mut w);
    assert_eq!(
        (e.etcd_index, e.action, e.node.key.as_str()),
        (5, Action::Expire, "/foofoo")
    );
    assert_eq!(next(&mut live).action, Action::Expire);

    // Without refresh, a TTL update is an update like any other.
    s.create("/k", false, "bar", false, expire(c.now() + 500 * MS))
        .unwrap();
    s.update("/k", "", expire(c.now() + 500 * MS)).unwrap();
    let mut w = s.watch("/", true, false, 7).unwrap();
    let e = next(&mut w);
    assert_eq!(
        (e.action, e.prev_node.unwrap().value.as_deref()),
        (Action::Update, Some("bar"))
    );
}

#[test]
fn hidden_expirations_are_not_told() {
    let (mut s, c) = store();
    s.create("/_foo", false, "bar", false, expire(c.now() + 500 * MS))
        .unwrap();
    s.create(
        "/foofoo",
        false,
        "barbarbar",
        false,
        expire(c.now() + 1000 * MS),
    )
    .unwrap();
    let mut w = s.watch("/", true, false, 0).unwrap();
    c.advance(600 * MS);
    s.delete_expired_keys(c.now());
    quiet(&mut w);
    c.advance(600 * MS);
    s.delete_expired_keys(c.now());
    let e = next(&mut w);
    assert_eq!((e.action, e.node.key.as_str()), (Action::Expire, "/foofoo"));
}

#[test]
fn the_history_keeps_the_last_1000_changes() {
    let (mut s, _) = store();
    for i in 0..1010 {
        s.set("/foo", false, &i.to_string(), perm()).unwrap();
    }
    let e = s.watch("/foo", false, false, 5).err().unwrap();
    assert_eq!(e.code, EVENT_INDEX_CLEARED);
    assert_eq!(e.cause, "the requested history has been cleared [11/5]");
    assert_eq!(e.index, 1010);
    let mut w = s.watch("/foo", false, false, 11).unwrap();
    assert_eq!(next(&mut w).index(), 11);
    let mut w = s.watch("/foo", false, false, 1010).unwrap();
    assert_eq!(next(&mut w).node.value.as_deref(), Some("1009"));
    // Keys are cleaned for watches too.
    let mut w = s.watch("foo/", false, false, 1011).unwrap();
    s.set("/foo", false, "x", perm()).unwrap();
    assert_eq!(next(&mut w).index(), 1011);
}
