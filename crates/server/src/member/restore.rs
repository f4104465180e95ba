//! etcd's `snapshot restore` for oxcd: a new data dir made from a snapshot file in etcd's bbolt
//! format (saved from etcd or from oxcd), holding every key, revision, lease, user and role, with
//! a new membership from the `--initial-cluster` flags. Starting oxcd on it serves the data.

use std::path::{Path, PathBuf};

use oxcd_client::go_io_reason;
use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_storage::mvcc::StoreMarks;
use sha2::Digest;

use super::bootstrap::create_wal;
use crate::config::Config;
use crate::identity;
use crate::state::etcd_format::read_etcd_backend;
use crate::state::membership::Membership;
use oxcd_wal::WalOptions;

/// etcdutl's `snapshot restore` flags.
#[derive(Debug, Clone)]
pub struct RestoreOptions {
    pub snapshot: PathBuf,
    pub name: String,
    pub data_dir: PathBuf,
    pub wal_dir: Option<PathBuf>,
    pub initial_cluster: String,
    pub initial_cluster_token: String,
    pub initial_advertise_peer_urls: String,
    pub skip_hash_check: bool,
    pub mark_compacted: bool,
    pub bump_revision: u64,
    /// etcdctl 3.4 refuses a data dir that exists at all; etcdutl 3.5 only one that is not empty.
    pub refuse_existing_data_dir: bool,
}

/// What a restore made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    pub revision: i64,
    pub keys: u64,
    pub member_id: u64,
    pub cluster_id: u64,
}

/// The index the restored backend and the new WAL start from (the bootstrap snapshot mark).
const RESTORED_INDEX: u64 = 1;

/// Restores `opts.snapshot` into a new data dir; `progress(done, total)` follows the keys. On an
/// error nothing is left in the data dir that would start a member.
pub fn restore_snapshot(
    opts: &RestoreOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<RestoreSummary, String> {
    if opts.bump_revision > 0 && !opts.mark_compacted {
        return Err("--mark-compacted required if --bump-revision > 0".to_string());
    }
    let config = Config::from_args([
        "oxcd",
        "--name",
        &opts.name,
        "--initial-cluster",
        &opts.initial_cluster,
        "--initial-cluster-token",
        &opts.initial_cluster_token,
        "--initial-advertise-peer-urls",
        &opts.initial_advertise_peer_urls,
    ])
    .map_err(|e| e.to_string())?;
    let initial = config.initial_members()?;
    let data_dir = &opts.data_dir;
    if opts.refuse_existing_data_dir && data_dir.exists() {
        return Err(format!(
            "data-dir {:?} exists",
            data_dir.display().to_string()
        ));
    }
    if data_dir.exists() && !dir_is_empty(data_dir) {
        return Err(format!(
            "data-dir {:?} not empty or could not be read",
            data_dir.display().to_string()
        ));
    }
    let wal_dir = match &opts.wal_dir {
        Some(dir) if dir.exists() => {
            return Err(format!("wal-dir {:?} exists", dir.display().to_string()))
        }
        Some(dir) => dir.clone(),
        None => data_dir.join("member").join("wal"),
    };
    let db = read_snapshot(&opts.snapshot, opts.skip_hash_check)?;
    let imported =
        read_etcd_backend(&db).map_err(|e| format!("{}: {e}", opts.snapshot.display()))?;

    let token = &opts.initial_cluster_token;
    let members: Vec<MemberPb> = initial
        .iter()
        .map(|(_, urls)| MemberPb {
            id: identity::member_id(urls, token),
            peer_ur_ls: urls.clone(),
            ..Default::default()
        })
        .collect();
    let member_ids: Vec<u64> = members.iter().map(|m| m.id).collect();
    let own_urls = initial
        .iter()
        .find(|(n, _)| *n == opts.name)
        .map(|(_, urls)| urls.clone())
        .unwrap_or_default();
    let member_id = identity::member_id(&own_urls, token);
    let cluster_id = identity::cluster_id(&member_ids);

    let snap_dir = data_dir.join("member").join("snap");
    std::fs::create_dir_all(&snap_dir)
        .map_err(|e| format!("cannot create {}: {e}", snap_dir.display()))?;
    let result = write_data_dir(
        &snap_dir.join("db"),
        &wal_dir,
        imported,
        opts,
        &members,
        (member_id, cluster_id),
        progress,
    );
    match result {
        Ok((revision, keys)) => Ok(RestoreSummary {
            revision,
            keys,
            member_id,
            cluster_id,
        }),
        Err(e) => {
            let _ = std::fs::remove_dir_all(data_dir.join("member"));
            if opts.wal_dir.is_some() {
                let _ = std::fs::remove_dir_all(&wal_dir);
            }
            Err(e)
        }
    }
}

fn write_data_dir(
    db_path: &Path,
    wal_dir: &Path,
    imported: crate::state::etcd_format::Imported<'_>,
    opts: &RestoreOptions,
    members: &[MemberPb],
    (member_id, cluster_id): (u64, u64),
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(i64, u64), String> {
    let mut revision = imported.revision;
    let (mut scheduled, mut finished) = (imported.scheduled_compact, imported.finished_compact);
    if opts.mark_compacted {
        // etcdutl: the latest revision (bumped) is marked compacted, so watchers from before
        // the restore are told to resync instead of missing what they cannot see.
        revision += opts.bump_revision as i64;
        scheduled = revision as u64;
        finished = revision as u64;
    }
    let marks = StoreMarks {
        consistent_index: RESTORED_INDEX,
        term: 1,
        scheduled_compact: scheduled,
        finished_compact: finished,
    };
    // A restore makes a new cluster: the members are the new ones, not the snapshot's.
    let membership = Membership::from_list(members.to_vec());
    let keys =
        imported.write_backend(db_path, marks, |batch| membership.persist(batch), progress)?;
    let member_ids: Vec<u64> = members.iter().map(|m| m.id).collect();
    std::fs::create_dir_all(wal_dir)
        .map_err(|e| format!("cannot create {}: {e}", wal_dir.display()))?;
    create_wal(
        wal_dir,
        member_id,
        cluster_id,
        &member_ids,
        WalOptions::default(),
    )?;
    Ok((revision, keys))
}

/// What `snapshot status` reports of a snapshot file. The hash is CRC-32C (Castagnoli) over,
/// for each top-level bucket in name order, the bucket's name and then each of its keys and
/// values in key order (a nested bucket counts as a key with an empty value, as bbolt's `ForEach`
/// yields it); "total keys" counts those pairs in every bucket; the revision is the main revision
/// of the last key of the `key` bucket; the size is bbolt's `tx.Size()` (the file's high-water
/// page times the page size, so without the SHA-256 trailer of a saved snapshot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotStatus {
    pub hash: u32,
    pub revision: i64,
    pub total_key: u64,
    pub total_size: u64,
}

/// etcdutl's `v3Manager.Status` (and etcdctl 3.4's `snapshot status`), with their error texts.
pub fn snapshot_status(path: &Path) -> Result<SnapshotStatus, String> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(format!("stat {}: {}", path.display(), go_io_reason(&e)));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| format!("open {}: {}", path.display(), go_io_reason(&e)))?;
    // bolt.Open refuses what is not a bbolt file, or is shorter than its two meta pages, as
    // "invalid database"; a damaged tree is refused by tx.Check, which our reader's validation
    // stands for.
    let page_size = bytes
        .get(24..28)
        .and_then(|b| b.try_into().ok())
        .map_or(4096, |b| u32::from_le_bytes(b).clamp(1024, 65536) as usize);
    let too_short = bytes.len() < 2 * page_size;
    let db = oxcd_bbolt::Db::from_vec(bytes).map_err(|e| match e {
        oxcd_bbolt::BoltError::Corrupt { .. } if !too_short => {
            format!("snapshot file integrity check failed. 1 errors found.\n{e}")
        }
        _ => "invalid database".to_string(),
    })?;
    let meta = db.meta();
    let mut status = SnapshotStatus {
        hash: 0,
        revision: 0,
        total_key: 0,
        total_size: meta.high_water * u64::from(meta.page_size),
    };
    let mut crc = 0u32;
    for (name, bucket) in db.buckets() {
        crc = crc32c::crc32c_append(crc, name);
        let is_key = name == b"key";
        let mut entries: Vec<(&[u8], &[u8])> = bucket.iter().collect();
        entries.extend(bucket.buckets().map(|(k, _)| (k, &[][..])));
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (k, v) in entries {
            crc = crc32c::crc32c_append(crc, k);
            crc = crc32c::crc32c_append(crc, v);
            if is_key {
                if let Some(main) = k.get(..8) {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(main);
                    status.revision = i64::from_be_bytes(word);
                }
            }
            status.total_key += 1;
        }
    }
    status.hash = crc;
    Ok(status)
}

/// The snapshot's bbolt part, its SHA-256 trailer checked as etcd checks it (a file whose size
/// is 32 bytes past a multiple of 512 carries one).
fn read_snapshot(path: &Path, skip_hash_check: bool) -> Result<oxcd_bbolt::Db, String> {
    let mut bytes = std::fs::read(path)
        .map_err(|e| format!("open {}: {}", path.display(), go_io_reason(&e)))?;
    let has_hash = bytes.len() % 512 == 32;
    if has_hash {
        let split = bytes.len() - 32;
        let expected = bytes.split_off(split);
        if !skip_hash_check {
            let actual = sha2::Sha256::digest(&bytes);
            if actual.as_slice() != expected.as_slice() {
                return Err(format!(
                    "expected sha256 {}, got {}",
                    go_bytes(&expected),
                    go_bytes(&actual)
                ));
            }
        }
    } else if !skip_hash_check {
        return Err("snapshot missing hash but --skip-hash-check=false".to_string());
    }
    oxcd_bbolt::Db::from_vec(bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// A byte slice as Go's `%v` prints it.
fn go_bytes(b: &[u8]) -> String {
    let parts: Vec<String> = b.iter().map(u8::to_string).collect();
    format!("[{}]", parts.join(" "))
}

fn dir_is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}
