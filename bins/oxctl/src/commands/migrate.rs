//! `migrate` (oxctl only): copies the v2 keys below a prefix into v3 while the cluster runs,
//! reading `GET /v2/keys<prefix>?recursive=true&sorted=true` on the first endpoint and writing
//! through the v3 gRPC API.
//!
//! etcd 3.4's `etcdctl migrate` works offline on a stopped member's data dir; its mapping is
//! kept: a v2 file's key path is the v3 key byte for byte, its value the v3 value, and
//! directories are left out (v3 has none). That tool writes TTL keys as permanent keys, having
//! no lease to give them offline; online we can, so a TTL key is attached to a lease granted
//! with the TTL it has left, and still expires when v2 would have expired it. Keys that expire
//! in the same second share one lease: their deadline is the same, and a big tree of TTL keys
//! does not become as many leases.
//!
//! As etcd's `Get` (and hence etcd's migrate) does, the v2 listing leaves out hidden nodes
//! (a name starting with `_`); one is migrated only when `--prefix` names it.
//!
//! Idempotent: each key is written by a txn that first compares the v3 value with the v2 one,
//! so a key already equal is left alone (no new revision), and a lease is granted only for a
//! key whose v3 value differs.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use oxcd_client::{Client, ClientConfig};
use oxcd_proto::etcdserverpb::compare::{CompareResult, CompareTarget, TargetUnion};
use oxcd_proto::etcdserverpb::{
    request_op, response_op, Compare, PutRequest, RangeRequest, RequestOp, TxnRequest,
};
use oxcd_server::member::migrate::migrate_v2_offline;

use super::{no_args, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};
use crate::progress::Progress;
use crate::v2::client::Client as V2Client;
use crate::v2::error::V2Error;
use crate::v2::http::{tls_config, Transport};
use crate::v2::keys::{self, Node};
use crate::v2::url::parse_endpoint;

/// Keys whose v3 values one read-only txn fetches: below etcd's default `--max-txn-ops` (128).
const READ_BATCH: usize = 64;

/// etcd's v2 error code for a missing key: an empty prefix, nothing to migrate.
const ECODE_KEY_NOT_FOUND: i64 = 100;

/// A v2 file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V2Key {
    pub key: String,
    pub value: String,
    /// Seconds left when the tree was read; 0: permanent.
    pub ttl: i64,
}

/// The v2 tree, flattened: its files in key order and how many directories it holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tree {
    pub keys: Vec<V2Key>,
    pub directories: u64,
}

impl Tree {
    pub fn from_node(node: &Node) -> Tree {
        let mut tree = Tree::default();
        tree.add(node);
        tree
    }

    fn add(&mut self, node: &Node) {
        if node.dir {
            // The root (keyless in etcd's answer) is not a directory anybody made.
            if !node.key.is_empty() && node.key != "/" {
                self.directories += 1;
            }
            for child in node.nodes.iter().flatten() {
                self.add(child);
            }
        } else {
            self.keys.push(V2Key {
                key: node.key.clone(),
                value: node.value.clone(),
                ttl: node.ttl,
            });
        }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub migrated: u64,
    pub skipped: u64,
    pub directories: u64,
    pub leases: u64,
}

impl Summary {
    pub fn line(&self, dry_run: bool) -> String {
        let Summary {
            migrated,
            skipped,
            directories,
            leases,
        } = self;
        if dry_run {
            format!(
                "dry run: would migrate {migrated} keys, skip {skipped} keys (same value in v3), \
                 skip {directories} directories, create {leases} leases"
            )
        } else {
            format!(
                "migrated {migrated} keys, skipped {skipped} keys (same value in v3), \
                 skipped {directories} directories, created {leases} leases"
            )
        }
    }
}

/// The TTL to grant now for a key that had `ttl` seconds left at `read_at`: never below one
/// second, as a lease of 0 would take the server's minimum instead of expiring at once.
fn ttl_left(ttl: i64, read_at: Instant) -> i64 {
    let elapsed = i64::try_from(read_at.elapsed().as_secs()).unwrap_or(i64::MAX);
    ttl.saturating_sub(elapsed).max(1)
}

pub async fn migrate(ctx: &mut Ctx) -> CtlResult<()> {
    no_args(ctx, "migrate command does not take arguments")?;
    let prefix = ctx.inv.flags.string("prefix");
    let dry_run = ctx.inv.flags.bool("dry-run");
    let data_dir = ctx.inv.flags.string("data-dir");
    if !data_dir.is_empty() {
        return migrate_offline(ctx, &data_dir, dry_run);
    }
    let config = ctx.client_config()?;
    let read_at = Instant::now();
    let Some(root) = read_tree(ctx, &config, &prefix).await? else {
        println!("no v2 keys to migrate");
        println!("{}", Summary::default().line(dry_run));
        return Ok(());
    };
    let tree = Tree::from_node(&root);
    let mut client = Client::new(config);
    let current = current_values(&mut client, &tree.keys).await?;
    let mut summary = Summary {
        directories: tree.directories,
        ..Summary::default()
    };
    if dry_run {
        let mut ttls = BTreeSet::new();
        for (key, value) in tree.keys.iter().zip(&current) {
            if value.as_deref() == Some(key.value.as_bytes()) {
                summary.skipped += 1;
                println!("skip {} (same value in v3)", key.key);
            } else if key.ttl > 0 {
                summary.migrated += 1;
                if ttls.insert(key.ttl) {
                    summary.leases += 1;
                }
                println!("put {} with a lease of {}s", key.key, key.ttl);
            } else {
                summary.migrated += 1;
                println!("put {}", key.key);
            }
        }
        println!("{}", summary.line(true));
        return Ok(());
    }
    let mut writer = Writer {
        client: &mut client,
        leases: BTreeMap::new(),
        read_at,
    };
    let mut progress = Progress::new("migrating", tree.keys.len() as u64);
    for (key, value) in tree.keys.iter().zip(&current) {
        let written = if value.as_deref() == Some(key.value.as_bytes()) {
            false
        } else {
            match writer.write(key).await {
                Ok(written) => written,
                Err(err) => {
                    progress.finish();
                    return Err(err);
                }
            }
        };
        if written {
            summary.migrated += 1;
        } else {
            summary.skipped += 1;
        }
        progress.step();
    }
    progress.finish();
    summary.leases = writer.finish().await?;
    println!("{}", summary.line(false));
    Ok(())
}

/// etcd's offline migrate of a stopped member's data dir, done by the server's own code.
fn migrate_offline(ctx: &Ctx, data_dir: &str, dry_run: bool) -> CtlResult<()> {
    let wal_dir = ctx.inv.flags.string("wal-dir");
    let no_ttl = ctx.inv.flags.bool("no-ttl");
    let mut progress: Option<Progress> = None;
    let result = migrate_v2_offline(
        std::path::Path::new(data_dir),
        (!wal_dir.is_empty()).then(|| std::path::Path::new(&wal_dir)),
        no_ttl,
        dry_run,
        &mut |_, total| {
            progress
                .get_or_insert_with(|| Progress::new("migrating", total))
                .step();
        },
    );
    if let Some(p) = progress.as_mut() {
        p.finish();
    }
    let summary = result.map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    let done = if dry_run { "would migrate" } else { "migrated" };
    println!(
        "{done} {} keys ({} already in v3, {} skipped) at raft index {}, v3 revision {}",
        summary.migrated,
        summary.unchanged,
        summary.skipped,
        summary.applied_index,
        summary.revision
    );
    Ok(())
}

/// The v2 node at `prefix` with everything below it, or `None` when there is no such key.
async fn read_tree(ctx: &Ctx, config: &ClientConfig, prefix: &str) -> CtlResult<Option<Node>> {
    let flags = &ctx.inv.flags;
    let first = config.endpoints.first().cloned().unwrap_or_default();
    // The same rule as the gRPC dial: without a scheme, TLS when TLS settings were given.
    let url = if first.contains("://") {
        first
    } else if config.dial.tls_without_scheme {
        format!("https://{first}")
    } else {
        format!("http://{first}")
    };
    let endpoint = parse_endpoint(&url).map_err(|e| CtlError::new(EXIT_BAD_ARGS, e))?;
    if endpoint.scheme == "https" && flags.bool("insecure-skip-tls-verify") {
        // The v2 transport verifies every certificate; failing beats verifying silently.
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "migrate: --insecure-skip-tls-verify is not supported for reading the v2 keys",
        ));
    }
    let tls = tls_config(
        &flags.string("cacert"),
        &flags.string("cert"),
        &flags.string("key"),
    )
    .map_err(|e| CtlError::new(EXIT_BAD_ARGS, e))?;
    let transport = Transport {
        tls,
        dial_timeout: config.dial.timeout,
    };
    let mut v2 = V2Client::new(
        vec![endpoint],
        transport,
        config.command_timeout,
        None,
        false,
    );
    let deadline = Instant::now() + config.command_timeout;
    let answer = v2
        .call(&keys::get(prefix, true, true, false), Some(deadline))
        .await;
    match answer.and_then(|a| keys::parse_answer(&a)) {
        Ok(response) => Ok(response.node),
        Err(V2Error::Keys(e)) if e.code == ECODE_KEY_NOT_FOUND => Ok(None),
        Err(err) => Err(CtlError::new(
            EXIT_ERROR,
            // etcd's cluster error ends in a newline of its own.
            format!("reading the v2 keys: {}", err.to_string().trim_end()),
        )),
    }
}

/// The v3 value of each key (`None`: no such key), read in read-only txns of [`READ_BATCH`]
/// ranges, which leave the revision alone.
async fn current_values(client: &mut Client, keys: &[V2Key]) -> CtlResult<Vec<Option<Vec<u8>>>> {
    let mut values = Vec::with_capacity(keys.len());
    for batch in keys.chunks(READ_BATCH) {
        let success = batch
            .iter()
            .map(|k| RequestOp {
                request: Some(request_op::Request::RequestRange(RangeRequest {
                    key: k.key.as_bytes().to_vec(),
                    ..RangeRequest::default()
                })),
            })
            .collect();
        let response = client
            .txn(TxnRequest {
                compare: Vec::new(),
                success,
                failure: Vec::new(),
            })
            .await?;
        if response.responses.len() != batch.len() {
            return Err(unexpected_answer());
        }
        for op in response.responses {
            match op.response {
                Some(response_op::Response::ResponseRange(range)) => {
                    values.push(range.kvs.into_iter().next().map(|kv| kv.value.to_vec()));
                }
                _ => return Err(unexpected_answer()),
            }
        }
    }
    Ok(values)
}

fn unexpected_answer() -> CtlError {
    CtlError::new(
        EXIT_ERROR,
        "migrate: the server answered a txn of ranges with other responses",
    )
}

/// Writes keys, granting the leases of TTL keys as they are first needed.
struct Writer<'a> {
    client: &'a mut Client,
    /// TTL when read → (lease ID, keys attached to it).
    leases: BTreeMap<i64, (i64, u64)>,
    read_at: Instant,
}

impl Writer<'_> {
    /// Puts `key` unless v3 already holds its value; whether it was written.
    async fn write(&mut self, key: &V2Key) -> CtlResult<bool> {
        let lease = if key.ttl > 0 {
            match self.leases.get(&key.ttl) {
                Some((id, _)) => *id,
                None => {
                    let granted = self
                        .client
                        .lease_grant(ttl_left(key.ttl, self.read_at), true)
                        .await?;
                    self.leases.insert(key.ttl, (granted.id, 0));
                    granted.id
                }
            }
        } else {
            0
        };
        let value = key.value.as_bytes().to_vec();
        // The compare makes a rerun (or a race with another writer of the same value) a no-op.
        let response = self
            .client
            .txn(TxnRequest {
                compare: vec![Compare {
                    result: CompareResult::Equal as i32,
                    target: CompareTarget::Value as i32,
                    key: key.key.as_bytes().to_vec(),
                    range_end: Vec::new(),
                    target_union: Some(TargetUnion::Value(value.clone())),
                }],
                success: Vec::new(),
                failure: vec![RequestOp {
                    request: Some(request_op::Request::RequestPut(PutRequest {
                        key: key.key.as_bytes().to_vec(),
                        value,
                        lease,
                        ..PutRequest::default()
                    })),
                }],
            })
            .await?;
        let written = !response.succeeded;
        if written && key.ttl > 0 {
            if let Some((_, count)) = self.leases.get_mut(&key.ttl) {
                *count += 1;
            }
        }
        Ok(written)
    }

    /// Revokes the leases no key ended up on (their key got its value from elsewhere between
    /// our read and our txn); the number of leases that carry keys.
    async fn finish(self) -> CtlResult<u64> {
        let mut kept = 0;
        for (id, count) in self.leases.values() {
            if *count == 0 {
                self.client.lease_revoke(*id).await?;
            } else {
                kept += 1;
            }
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(key: &str, value: &str, ttl: i64) -> Node {
        Node {
            key: key.to_string(),
            value: value.to_string(),
            ttl,
            ..Node::default()
        }
    }

    fn dir(key: &str, nodes: Vec<Node>) -> Node {
        Node {
            key: key.to_string(),
            dir: true,
            nodes: Some(nodes),
            ..Node::default()
        }
    }

    #[test]
    fn the_tree_flattens_to_its_files_in_order_and_counts_directories() {
        let root = dir(
            "",
            vec![
                dir(
                    "/a",
                    vec![file("/a/x", "1", 0), dir("/a/empty", Vec::new())],
                ),
                file("/b", "2", 30),
            ],
        );
        let tree = Tree::from_node(&root);
        assert_eq!(tree.directories, 2);
        let keys: Vec<(&str, i64)> = tree.keys.iter().map(|k| (k.key.as_str(), k.ttl)).collect();
        assert_eq!(keys, [("/a/x", 0), ("/b", 30)]);
    }

    #[test]
    fn a_prefix_naming_a_file_is_that_one_key() {
        let tree = Tree::from_node(&file("/only", "v", 0));
        assert_eq!(tree.directories, 0);
        assert_eq!(tree.keys.len(), 1);
    }

    #[test]
    fn the_ttl_left_shrinks_with_time_but_stays_positive() {
        let long_ago = Instant::now() - std::time::Duration::from_secs(10);
        assert_eq!(ttl_left(100, long_ago), 90);
        assert_eq!(ttl_left(5, long_ago), 1);
    }
}
