//! Cluster-wide helpers for the fault-injection tests: start every member, find who leads as
//! each member sees it, and check that members converged (same keys, same HashKV).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use etcd_client::{Client, GetOptions};

use super::Server;

/// Every call to a member is bounded: a killed or cut-off member must not hang a test.
const CALL_TIMEOUT: Duration = Duration::from_secs(3);

/// Spawns every member first (a new cluster needs a quorum up to elect), then waits for each.
pub fn start_all(members: &mut [Server]) {
    for m in members.iter_mut() {
        m.spawn();
    }
    for m in members.iter_mut() {
        m.wait_healthy(Duration::from_secs(30));
    }
}

/// Raft as one member sees it (etcd's Status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RaftView {
    pub member: u64,
    /// 0 while the member knows no leader.
    pub leader: u64,
    pub term: u64,
}

impl RaftView {
    pub fn leads(&self) -> bool {
        self.member == self.leader
    }
}

/// A client of one member; connecting is bounded like every other call.
pub async fn connect(m: &Server) -> Client {
    tokio::time::timeout(CALL_TIMEOUT, Client::connect([m.endpoint()], None))
        .await
        .expect("connecting etcd-client timed out")
        .expect("connect etcd-client")
}

/// This member's view of raft, or None if it does not answer in time.
pub async fn status(m: &Server) -> Option<RaftView> {
    tokio::time::timeout(CALL_TIMEOUT, async {
        let mut c = Client::connect([m.endpoint()], None).await.ok()?;
        let s = c.status().await.ok()?;
        Some(RaftView {
            member: s.header()?.member_id(),
            leader: s.leader(),
            term: s.raft_term(),
        })
    })
    .await
    .ok()
    .flatten()
}

/// The index of a member (not in `skip`) that says it leads, with its view.
pub async fn leader_among(members: &[Server], skip: &[usize]) -> Option<(usize, RaftView)> {
    for (i, m) in members.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        if let Some(view) = status(m).await {
            if view.leads() {
                return Some((i, view));
            }
        }
    }
    None
}

/// Waits until a member outside `skip` leads.
pub async fn wait_for_leader(
    members: &[Server],
    skip: &[usize],
    timeout: Duration,
) -> (usize, RaftView) {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = leader_among(members, skip).await {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "no leader among the members outside {skip:?} within {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Keys under `prefix` with their mod revisions, as this member has them locally (serializable;
/// keys only, so that large values do not exceed the client's message size).
pub async fn local_keys(c: &mut Client, prefix: &str) -> Option<BTreeMap<String, i64>> {
    let opts = GetOptions::new()
        .with_prefix()
        .with_serializable()
        .with_keys_only();
    let resp = tokio::time::timeout(CALL_TIMEOUT, c.get(prefix, Some(opts)))
        .await
        .ok()?
        .ok()?;
    Some(
        resp.kvs()
            .iter()
            .map(|kv| {
                (
                    String::from_utf8_lossy(kv.key()).into_owned(),
                    kv.mod_revision(),
                )
            })
            .collect(),
    )
}

/// Waits until every member holds every acknowledged key at the revision its write was
/// acknowledged with; panics naming the member and the first missing key otherwise.
pub async fn wait_all_hold(
    members: &[Server],
    prefix: &str,
    acked: &BTreeMap<String, i64>,
    timeout: Duration,
) {
    let deadline = Instant::now() + timeout;
    for m in members {
        let mut c = connect(m).await;
        loop {
            let stored = local_keys(&mut c, prefix).await.unwrap_or_default();
            let missing = acked.iter().find(|(k, rev)| stored.get(*k) != Some(rev));
            let Some((key, rev)) = missing else { break };
            assert!(
                Instant::now() < deadline,
                "member {} lost or changed acknowledged write {key} (acknowledged at revision \
                 {rev}, stored: {:?}); {} of {} acknowledged writes missing",
                m.name,
                stored.get(key),
                acked
                    .iter()
                    .filter(|(k, r)| stored.get(*k) != Some(r))
                    .count(),
                acked.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The revision the cluster is at, read linearizably through `m`.
pub async fn current_revision(m: &Server) -> i64 {
    let mut c = connect(m).await;
    let opts = GetOptions::new().with_count_only();
    tokio::time::timeout(CALL_TIMEOUT, c.get("\0", Some(opts)))
        .await
        .expect("linearizable read timed out")
        .expect("linearizable read")
        .header()
        .expect("response header")
        .revision()
}

/// Waits until every member has applied revision `rev`, then returns each one's HashKV at `rev`.
pub async fn hash_kv_at(members: &[Server], rev: i64, timeout: Duration) -> Vec<u32> {
    let deadline = Instant::now() + timeout;
    let mut hashes = Vec::new();
    for m in members {
        let mut c = connect(m).await;
        loop {
            let opts = GetOptions::new().with_count_only().with_serializable();
            let at = tokio::time::timeout(CALL_TIMEOUT, c.get("\0", Some(opts)))
                .await
                .ok()
                .and_then(Result::ok)
                .and_then(|r| r.header().map(|h| h.revision()));
            if at.is_some_and(|at| at >= rev) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "member {} stuck at revision {at:?}, below {rev}",
                m.name
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let hash = tokio::time::timeout(CALL_TIMEOUT, c.maintenance_client().hash_kv(rev))
            .await
            .expect("HashKV timed out")
            .expect("HashKV");
        hashes.push(hash.hash());
    }
    hashes
}

/// Waits (20 s at most) until a member holds `count` keys under `prefix` locally, at a
/// revision of at least `min_rev`; `failure` describes it otherwise.
pub async fn wait_local_count(
    c: &mut Client,
    prefix: &str,
    count: i64,
    min_rev: i64,
    failure: impl Fn() -> String,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let opts = GetOptions::new()
            .with_prefix()
            .with_count_only()
            .with_serializable();
        let got = c.get(prefix, Some(opts)).await.unwrap();
        if got.count() == count && got.header().unwrap().revision() >= min_rev {
            return;
        }
        assert!(Instant::now() < deadline, "{}", failure());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The value of the sample `series` (a name, with its labels if it has any) on the member's
/// `/metrics`, or None if the page does not answer or has no such sample.
pub fn metric(m: &Server, series: &str) -> Option<f64> {
    let (status, page) = super::http_get(m.client_port, "/metrics").ok()?;
    if status != 200 {
        return None;
    }
    page.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}
