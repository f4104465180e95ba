//! The store etcd 3.4.23 saved in a raft snapshot, read back. The fixture is the `data` of a
//! `.snap` file of a real etcd 3.4.23 (`--snapshot-count=5 --enable-v2=true`, run with
//! `TZ=Asia/Kolkata` so its expiration times carry a zone offset) after these writes through
//! `/v2/keys`: `a=1`, `dir/b=2`, `dir/_hidden=h`, `ttl=t` (ttl 3600), `emptydir` (dir), `ttldir`
//! (dir, ttl 7200), `a` compare-and-swapped to `1b`, `gone=x` then deleted, a POST into `queue`,
//! `_top`, `ttldir/inner=i`, `esc` (quotes, a backslash, non-ASCII and a newline), `last=l`,
//! `a` updated (prevExist) to `upd`: etcd index 18.

use super::*;
use crate::store::Clock as StoreClock;

const FIXTURE: &[u8] = include_bytes!("../../tests/testdata/etcd-3.4.23-v2store.json");
/// 2026-12-05T03:18:39.687482548+05:30 and 2026-12-05T04:18:39.706166654+05:30.
const TTL_EXPIRES: i64 = 1_796_420_919_687_482_548;
const TTLDIR_EXPIRES: i64 = 1_796_424_519_706_166_654;

fn clock() -> StoreClock {
    Arc::new(|| T0)
}

fn load(json: &[u8]) -> Result<Store, String> {
    Store::from_etcd_json(&["/0", "/1"], clock(), json)
}

fn node(s: &mut Store, key: &str) -> (Option<String>, bool, u64, u64, Option<i64>) {
    let n = s.get(key, false, false).expect(key).node;
    (
        n.value,
        n.dir,
        n.created_index,
        n.modified_index,
        n.expiration,
    )
}

#[test]
fn etcds_saved_store_loads_with_its_indexes_values_and_ttls() {
    let mut s = load(FIXTURE).expect("fixture loads");
    assert_eq!(s.index(), 18);
    let file = |v: &str, c, m| (Some(v.to_string()), false, c, m, None);
    assert_eq!(node(&mut s, "/1/a"), file("upd", 4, 18));
    assert_eq!(node(&mut s, "/1/dir/b"), file("2", 5, 5));
    assert_eq!(node(&mut s, "/1/dir/_hidden"), file("h", 6, 6));
    assert_eq!(node(&mut s, "/1/_top"), file("hidden-top", 14, 14));
    assert_eq!(
        node(&mut s, "/1/esc"),
        file("quote \" back \\ uni é ☃ nl\nx", 16, 16)
    );
    assert_eq!(
        node(&mut s, "/1/queue/00000000000000000013"),
        file("q1", 13, 13)
    );
    assert_eq!(
        node(&mut s, "/1/ttl"),
        (Some("t".into()), false, 7, 7, Some(TTL_EXPIRES))
    );
    assert_eq!(
        node(&mut s, "/1/ttldir"),
        (None, true, 9, 9, Some(TTLDIR_EXPIRES))
    );
    assert_eq!(node(&mut s, "/1/ttldir/inner"), file("i", 15, 15));
    assert_eq!(node(&mut s, "/1/emptydir"), (None, true, 8, 8, None));
    assert_eq!(err(s.get("/1/gone", false, false)).0, 100);
    // etcd's membership records under /0.
    assert_eq!(
        node(&mut s, "/0/members/bdae9bbc11dd390d/raftAttributes"),
        file("{\"peerURLs\":[\"http://127.0.0.1:23801\"]}", 1, 1)
    );
    assert_eq!(node(&mut s, "/0/version"), file("3.4.0", 3, 3));

    // Listings leave the hidden keys out, as etcd's do.
    let listed = |s: &mut Store, key: &str| -> Vec<String> {
        let e = s.get(key, false, true).expect(key);
        e.node
            .nodes
            .unwrap_or_default()
            .into_iter()
            .map(|n| n.key)
            .collect()
    };
    assert_eq!(
        listed(&mut s, "/1"),
        [
            "/1/a",
            "/1/dir",
            "/1/emptydir",
            "/1/esc",
            "/1/last",
            "/1/queue",
            "/1/ttl",
            "/1/ttldir"
        ]
    );
    assert_eq!(listed(&mut s, "/1/dir"), ["/1/dir/b"]);
    assert!(listed(&mut s, "/1/emptydir").is_empty());
    assert_eq!(
        json(&s.get("/1/ttl", false, false).expect("ttl")),
        format!(
            "{{\"action\":\"get\",\"node\":{{\"key\":\"/1/ttl\",\"value\":\"t\",\
             \"expiration\":\"2026-12-04T21:48:39.687482548Z\",\"ttl\":{},\
             \"modifiedIndex\":7,\"createdIndex\":7}}}}",
            (TTL_EXPIRES - T0) / SEC + 1
        )
    );

    // It goes on from etcd's index; the TTLs expire in order, a directory with its children.
    assert_eq!(s.next_expiration(), Some(TTL_EXPIRES));
    let e = s
        .create("/1/queue", false, "q2", true, perm())
        .expect("post");
    assert_eq!(e.node.key, "/1/queue/00000000000000000019");
    let expired = s.delete_expired_keys(TTLDIR_EXPIRES);
    let keys: Vec<(&str, u64)> = expired
        .iter()
        .map(|e| (e.node.key.as_str(), e.node.modified_index))
        .collect();
    assert_eq!(keys, [("/1/ttl", 20), ("/1/ttldir", 21)]);
    assert_eq!(err(s.get("/1/ttldir/inner", false, false)).0, 100);
    assert_eq!(s.next_expiration(), None);
}

#[test]
fn a_loaded_store_persists_as_records_and_comes_back_the_same() {
    let s = load(FIXTURE).expect("fixture loads");
    let records = s.records();
    assert!(records.iter().any(|(p, r)| p == "/1/emptydir" && r.dir));
    assert!(records
        .iter()
        .all(|(p, _)| p != "/" && p != "/0" && p != "/1"));
    let back = Store::from_records(&["/0", "/1"], clock(), s.index(), records.clone())
        .expect("records load");
    assert_eq!(back.records(), records);
    assert_eq!(back.index(), 18);
}

#[test]
fn the_zero_time_in_any_zone_is_permanent() {
    let json = |expire: &str| {
        format!(
            r#"{{"Root":{{"Path":"/","CreatedIndex":0,"ModifiedIndex":0,
            "ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{{
            "1":{{"Path":"/1","Children":{{"k":{{"Path":"/1/k","CreatedIndex":4,
            "ModifiedIndex":5,"ExpireTime":"{expire}","Value":"v","Children":null}}}}}}}}}},
            "CurrentIndex":5}}"#
        )
    };
    for zero in ["0001-01-01T00:00:00Z", "0001-01-01T05:30:00+05:30"] {
        let mut s = load(json(zero).as_bytes()).expect(zero);
        assert_eq!(node(&mut s, "/1/k"), (Some("v".into()), false, 4, 5, None));
        assert_eq!(s.next_expiration(), None);
    }
    let mut s = load(json("2024-01-02T03:04:05.5-01:00").as_bytes()).expect("offset");
    // 2024-01-02T04:04:05.5Z
    assert_eq!(node(&mut s, "/1/k").4, Some(1_704_168_245_500_000_000));
}

#[test]
fn bad_json_is_an_error_not_a_panic() {
    let fixture = std::str::from_utf8(FIXTURE).expect("utf-8");
    let bad: Vec<String> = vec![
        String::new(),
        "null".into(),
        "[]".into(),
        "{\"CurrentIndex\":3}".into(),
        String::from_utf8_lossy(&FIXTURE[..FIXTURE.len() / 2]).into_owned(),
        fixture.replacen("\"CurrentIndex\":18", "\"CurrentIndex\":-1", 1),
        fixture.replacen("\"CurrentIndex\":18", "\"CurrentIndex\":\"18\"", 1),
        fixture.replacen("\"Path\":\"/1/a\"", "\"Path\":\"/1/elsewhere\"", 1),
        fixture.replacen(r#""a":{"Path":"/1/a""#, r#""a/b":{"Path":"/1/a/b""#, 1),
        fixture.replacen(r#""a":{"Path":"/1/a""#, r#""..":{"Path":"/1/..""#, 1),
        fixture.replacen("2026-12-05T03:18:39", "2026-13-05T03:18:39", 1),
        fixture.replacen("2026-12-05T03:18:39", "9999-12-31T23:59:59", 1),
        fixture.replacen("\"Path\":\"/\"", "\"Path\":\"/x\"", 1),
        fixture.replacen("\"Value\":\"upd\"", "\"Value\":7", 1),
        // A root that is a key.
        r#"{"Root":{"Path":"/","Children":null},"CurrentIndex":1}"#.into(),
        // Nested deeper than serde_json reads.
        nested(200),
    ];
    assert!(load(nested(40).as_bytes()).is_ok());
    for json in bad {
        let short: String = json.chars().take(60).collect();
        assert!(load(json.as_bytes()).is_err(), "accepted {short:?}");
    }
}

/// A store of `levels` directories, each the only child of the one above, down to a key.
fn nested(levels: usize) -> String {
    let mut json = String::from(r#"{"Root":"#);
    let mut path = String::new();
    for _ in 0..levels {
        let shown = if path.is_empty() { "/" } else { &path };
        json.push_str(&format!(r#"{{"Path":"{shown}","Children":{{"d":"#));
        path.push_str("/d");
    }
    json.push_str(&format!(r#"{{"Path":"{path}","Children":null}}"#));
    json.push_str(&"}}".repeat(levels));
    json.push_str(r#","CurrentIndex":1}"#);
    json
}
