//! This member's state in etcd's backend layout: the buckets, keys and encodings etcd's bbolt
//! `member/snap/db` holds, so a snapshot oxcd streams restores with etcd's own tools.
//!
//! Most of oxcd's buckets already use etcd's names and encodings (`key`, `lease`, `auth`,
//! `authUsers`, `authRoles`); `meta`, `members`, `members_removed` and `alarm` are converted.

use std::path::Path;

use oxcd_bbolt::Writer;
use oxcd_proto::etcdserverpb::{AlarmMember, Member as MemberPb};
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::{create_backend, BackendView, MvccStore, StoreMarks, WriteBatch};
use prost::Message;

use super::alarms;
use super::auth::{AUTH_BUCKET, ROLES_BUCKET, USERS_BUCKET};
use super::lessor::LEASE_BUCKET;
use super::membership;

/// etcd's bucket of revisions.
pub const KEY_BUCKET: &str = "key";
const META_BUCKET: &str = "meta";
/// The page size etcd's bbolt files use on amd64.
const BOLT_PAGE_SIZE: usize = 4096;
/// The newest storage schema oxcd reads. etcd records its schema in `meta/storageVersion` from
/// 3.6 on (3.4 and 3.5 files have none); a newer etcd may store what oxcd would misread.
const NEWEST_STORAGE_VERSION: (u64, u64) = (3, 7);

/// A bucket's entries in key order.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// Every bucket but `key` (which is streamed from the view as it is), in etcd's encodings.
pub fn etcd_buckets(view: &BackendView<'_>) -> Result<Vec<(&'static str, Entries)>, String> {
    let err = |e: StorageError| e.to_string();
    let marks = view.marks().map_err(err)?;
    let mut meta: Entries = vec![
        (
            b"consistent_index".to_vec(),
            marks.consistent_index.to_be_bytes().to_vec(),
        ),
        (b"term".to_vec(), marks.term.to_be_bytes().to_vec()),
    ];
    // etcd keeps compaction marks as revision keys (main revision, '_', sub revision 0).
    if marks.finished_compact > 0 {
        meta.push((
            b"finishedCompactRev".to_vec(),
            revision_key(marks.finished_compact),
        ));
    }
    if marks.scheduled_compact > 0 {
        meta.push((
            b"scheduledCompactRev".to_vec(),
            revision_key(marks.scheduled_compact),
        ));
    }
    meta.sort();

    let mut members = Vec::new();
    for (key, value) in view.bucket_entries(membership::BUCKET).map_err(err)? {
        let m = MemberPb::decode(value.as_slice())
            .map_err(|e| format!("member record {key:?} does not decode: {e}"))?;
        members.push((
            format!("{:x}", m.id).into_bytes(),
            member_json(&m).into_bytes(),
        ));
    }
    members.sort();

    let mut removed = Vec::new();
    for (key, _) in view
        .bucket_entries(membership::REMOVED_BUCKET)
        .map_err(err)?
    {
        let id = be_u64(&key).ok_or_else(|| format!("bad removed member key {key:?}"))?;
        removed.push((format!("{id:x}").into_bytes(), b"removed".to_vec()));
    }
    removed.sort();

    let mut alarm = Vec::new();
    for (key, _) in view.bucket_entries(alarms::BUCKET).map_err(err)? {
        let (member, kind) = key
            .split_at_checked(8)
            .ok_or_else(|| format!("bad alarm key {key:?}"))?;
        let member_id = be_u64(member).ok_or_else(|| format!("bad alarm key {key:?}"))?;
        let kind: [u8; 4] = kind
            .try_into()
            .map_err(|_| format!("bad alarm key {key:?}"))?;
        let record = AlarmMember {
            member_id,
            alarm: i32::from_be_bytes(kind),
        };
        alarm.push((record.encode_to_vec(), Vec::new()));
    }
    alarm.sort();

    let copied = |name: &'static str| -> Result<(&'static str, Entries), String> {
        Ok((name, view.bucket_entries(name).map_err(err)?))
    };
    Ok(vec![
        copied(LEASE_BUCKET)?,
        (META_BUCKET, meta),
        ("members", members),
        ("members_removed", removed),
        ("alarm", alarm),
        copied(AUTH_BUCKET)?,
        copied(USERS_BUCKET)?,
        copied(ROLES_BUCKET)?,
        ("cluster", Vec::new()),
    ])
}

/// What an etcd backend file holds, in oxcd's layout: the `key` table and compaction marks for
/// the MVCC store, and the server buckets oxcd keeps (members are left out: a restore makes a
/// new cluster, as etcd's does). The `key` table is read from the file as it is written out, not
/// copied first: it is nearly all of a snapshot.
pub struct Imported<'a> {
    keys: Option<&'a oxcd_bbolt::Bucket>,
    /// The latest revision the `key` bucket holds (1 for an empty store).
    pub revision: i64,
    pub scheduled_compact: u64,
    pub finished_compact: u64,
    pub buckets: Vec<(&'static str, Entries)>,
    /// The raft index and term the backend holds (term 0 before etcd 3.5 kept it).
    pub consistent_index: u64,
    pub term: u64,
    /// The members etcd recorded, and the IDs it removed.
    pub members: Vec<MemberPb>,
    pub removed: Vec<u64>,
}

/// Reads etcd's buckets from a bbolt file; anything that does not decode is an error naming the
/// bucket and the entry.
pub fn read_etcd_backend(db: &oxcd_bbolt::Db) -> Result<Imported<'_>, String> {
    check_storage_version(db)?;
    let keys = db.bucket(KEY_BUCKET.as_bytes());
    let revision = keys
        .and_then(|b| b.iter().next_back())
        .and_then(|(k, _)| k.get(..8).and_then(be_u64))
        .map_or(1, |r| r as i64);
    let meta_rev = |name: &[u8]| -> Result<u64, String> {
        let Some(meta) = db.bucket(META_BUCKET.as_bytes()) else {
            return Ok(0);
        };
        match meta.get(name) {
            None => Ok(0),
            Some(v) => v
                .get(..8)
                .and_then(be_u64)
                .ok_or_else(|| format!("meta {}: not a revision", String::from_utf8_lossy(name))),
        }
    };
    let meta_u64 = |name: &[u8]| -> u64 {
        db.bucket(META_BUCKET.as_bytes())
            .and_then(|m| m.get(name))
            .and_then(be_u64)
            .unwrap_or(0)
    };
    let mut members = Vec::new();
    if let Some(b) = db.bucket(b"members") {
        for (k, v) in b.iter() {
            members.push(
                member_from_json(v)
                    .map_err(|e| format!("member {}: {e}", String::from_utf8_lossy(k)))?,
            );
        }
    }
    let mut removed = Vec::new();
    if let Some(b) = db.bucket(b"members_removed") {
        for (k, _) in b.iter() {
            let id = std::str::from_utf8(k)
                .ok()
                .and_then(|s| u64::from_str_radix(s, 16).ok())
                .ok_or_else(|| format!("removed member {k:?} is not a hex ID"))?;
            removed.push(id);
        }
    }
    let scheduled_compact = meta_rev(b"scheduledCompactRev")?;
    let finished_compact = meta_rev(b"finishedCompactRev")?;
    let copied = |name: &'static str| -> (&'static str, Entries) {
        let entries = db.bucket(name.as_bytes()).map_or_else(Vec::new, |b| {
            b.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect()
        });
        (name, entries)
    };
    let mut alarm = Vec::new();
    if let Some(b) = db.bucket(b"alarm") {
        for (k, _) in b.iter() {
            let a = AlarmMember::decode(k).map_err(|e| format!("alarm {k:?}: {e}"))?;
            let mut key = a.member_id.to_be_bytes().to_vec();
            key.extend_from_slice(&a.alarm.to_be_bytes());
            alarm.push((key, Vec::new()));
        }
    }
    Ok(Imported {
        keys,
        revision,
        scheduled_compact,
        finished_compact,
        buckets: vec![
            copied(LEASE_BUCKET),
            copied(AUTH_BUCKET),
            copied(USERS_BUCKET),
            copied(ROLES_BUCKET),
            (alarms::BUCKET, alarm),
        ],
        consistent_index: meta_u64(b"consistent_index"),
        term: meta_u64(b"term"),
        members,
        removed,
    })
}

/// etcd's member JSON (see [`member_json`]), as its `members` bucket and its conf change
/// contexts hold it.
pub fn member_from_json(bytes: &[u8]) -> Result<MemberPb, String> {
    #[derive(serde::Deserialize)]
    struct Json {
        #[serde(default)]
        id: u64,
        #[serde(rename = "peerURLs", default)]
        peer_urls: Vec<String>,
        #[serde(rename = "isLearner", default)]
        is_learner: bool,
        #[serde(default)]
        name: String,
        #[serde(rename = "clientURLs", default)]
        client_urls: Vec<String>,
    }
    let j: Json = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(MemberPb {
        id: j.id,
        name: j.name,
        peer_ur_ls: j.peer_urls,
        client_ur_ls: j.client_urls,
        is_learner: j.is_learner,
    })
}

/// Writes a point-in-time copy of `store` to `dest` as etcd's bbolt backend file; returns its
/// size and the revision it holds. Writers go on meanwhile (it reads one view). Not fsynced: the
/// file only lives until it is streamed to a client, who makes its own copy durable.
pub fn write_bbolt(store: &MvccStore, dest: &Path) -> Result<(u64, i64), String> {
    let view = store.view().map_err(|e| e.to_string())?;
    let file = std::fs::File::create(dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    let mut writer = Writer::new(BOLT_PAGE_SIZE, std::io::BufWriter::new(file))
        .map_err(|e| format!("{}: {e}", dest.display()))?;
    // The `key` table goes straight from the view into the file's pages.
    let mut revision = 0;
    view.with_keys(|keys| {
        let keys = keys.inspect(|(k, _)| {
            if let Some(main) = k.get(..8).and_then(be_u64) {
                revision = main as i64;
            }
        });
        writer.add_bucket(KEY_BUCKET.as_bytes(), keys)
    })
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    for (name, entries) in etcd_buckets(&view)? {
        writer
            .add_bucket(name.as_bytes(), entries)
            .map_err(|e| format!("bucket {name}: {e}"))?;
    }
    let (size, _) = writer
        .finish()
        .map_err(|e| format!("{}: {e}", dest.display()))?;
    Ok((size, revision))
}

impl<'a> Imported<'a> {
    /// How many revisions the `key` table holds.
    pub fn key_count(&self) -> u64 {
        self.keys.map_or(0, |b| b.len() as u64)
    }

    /// The `key` table's entries in order, each copied as it is taken.
    fn key_entries(&self) -> impl Iterator<Item = (Vec<u8>, Vec<u8>)> + 'a {
        self.keys
            .into_iter()
            .flat_map(|b| b.iter().map(|(k, v)| (k.to_vec(), v.to_vec())))
    }

    /// Writes a new backend at `db` (which must not exist yet): the `key` table with `marks`,
    /// then in one transaction the copied buckets, what `more` adds (members, a v2 store) and
    /// `marks`' raft index and term. `progress(done, total)` follows the keys; returns how many
    /// were written. (A restore and an import differ only in what `more` adds.)
    pub fn write_backend(
        self,
        db: &Path,
        marks: StoreMarks,
        more: impl FnOnce(&mut WriteBatch<'_>) -> Result<(), StorageError>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, String> {
        let err = |e: StorageError| e.to_string();
        let total = self.key_count();
        let (index, term) = (marks.consistent_index, marks.term);
        let keys = create_backend(db, self.key_entries(), marks, &mut |done| {
            progress(done, total)
        })
        .map_err(err)?;
        let store = MvccStore::open(db).map_err(err)?;
        let mut batch = store.write_batch().map_err(err)?;
        for (bucket, entries) in self.buckets {
            for (k, v) in entries {
                batch.bucket_put(bucket, &k, &v).map_err(err)?;
            }
        }
        more(&mut batch).map_err(err)?;
        batch.set_consistent_index(index, term).map_err(err)?;
        batch.commit(true).map_err(err)?;
        Ok(keys)
    }
}

/// Refuses a backend written by an etcd whose storage schema is newer than oxcd knows.
fn check_storage_version(db: &oxcd_bbolt::Db) -> Result<(), String> {
    let Some(raw) = db
        .bucket(META_BUCKET.as_bytes())
        .and_then(|m| m.get(b"storageVersion"))
    else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(raw);
    let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
    let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) else {
        return Err(format!(
            "meta storageVersion {text:?} is not an etcd version"
        ));
    };
    if (major, minor) > NEWEST_STORAGE_VERSION {
        let (known_major, known_minor) = NEWEST_STORAGE_VERSION;
        return Err(format!(
            "written by etcd with storage version {text}, newer than oxcd reads \
             (etcd 3.4 to {known_major}.{known_minor}); downgrade it with \
             `etcdutl migrate --target-version {known_major}.{known_minor}` first"
        ));
    }
    Ok(())
}

/// etcd's 17-byte revision key of `main` (sub revision 0).
fn revision_key(main: u64) -> Vec<u8> {
    let mut key = main.to_be_bytes().to_vec();
    key.push(b'_');
    key.extend_from_slice(&0u64.to_be_bytes());
    key
}

fn be_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

/// etcd's `membership.Member` JSON: the ID as a number, raft attributes, then attributes (both
/// embedded, `isLearner`, `name` and `clientURLs` left out when empty).
fn member_json(m: &MemberPb) -> String {
    #[derive(serde::Serialize)]
    struct Json<'a> {
        id: u64,
        #[serde(rename = "peerURLs")]
        peer_urls: &'a [String],
        #[serde(rename = "isLearner", skip_serializing_if = "std::ops::Not::not")]
        is_learner: bool,
        #[serde(skip_serializing_if = "str::is_empty")]
        name: &'a str,
        #[serde(rename = "clientURLs", skip_serializing_if = "<[String]>::is_empty")]
        client_urls: &'a [String],
    }
    serde_json::to_string(&Json {
        id: m.id,
        peer_urls: &m.peer_ur_ls,
        is_learner: m.is_learner,
        name: &m.name,
        client_urls: &m.client_ur_ls,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_written_as_etcd_writes_them() {
        let m = MemberPb {
            id: 0x8e9e05c52164694d,
            name: "default".into(),
            peer_ur_ls: vec!["http://localhost:2380".into()],
            client_ur_ls: vec!["http://localhost:2379".into()],
            is_learner: false,
        };
        assert_eq!(
            member_json(&m),
            r#"{"id":10276657743932975437,"peerURLs":["http://localhost:2380"],"name":"default","clientURLs":["http://localhost:2379"]}"#
        );
        assert_eq!(
            revision_key(5),
            b"\0\0\0\0\0\0\0\x05_\0\0\0\0\0\0\0\0".to_vec()
        );
    }

    fn backend_with_storage_version(version: Option<&str>) -> oxcd_bbolt::Db {
        let mut writer =
            Writer::new(BOLT_PAGE_SIZE, std::io::Cursor::new(Vec::new())).expect("writer");
        let mut meta = vec![(b"consistent_index".to_vec(), 9u64.to_be_bytes().to_vec())];
        if let Some(v) = version {
            meta.push((b"storageVersion".to_vec(), v.as_bytes().to_vec()));
        }
        writer.add_bucket(b"meta", meta).expect("meta");
        let file = writer.finish().expect("finish").1.into_inner();
        oxcd_bbolt::Db::from_bytes(&file).expect("valid")
    }

    #[test]
    fn backends_of_etcd_versions_oxcd_does_not_know_are_refused() {
        for known in [None, Some("3.6.0"), Some("3.7.0")] {
            let db = backend_with_storage_version(known);
            let imported = read_etcd_backend(&db).expect("a known version");
            assert_eq!(imported.consistent_index, 9);
        }
        let Err(e) = read_etcd_backend(&backend_with_storage_version(Some("3.8.0"))) else {
            panic!("3.8 accepted");
        };
        assert!(
            e.contains("storage version 3.8.0, newer than oxcd reads"),
            "{e}"
        );
        let Err(e) = read_etcd_backend(&backend_with_storage_version(Some("4.0.0"))) else {
            panic!("4.0 accepted");
        };
        assert!(e.contains("storage version 4.0.0"), "{e}");
        let Err(e) = read_etcd_backend(&backend_with_storage_version(Some("x"))) else {
            panic!("garbage accepted");
        };
        assert!(e.contains("is not an etcd version"), "{e}");
    }
}
