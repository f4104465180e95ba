//! Starting a member: open or bootstrap the data dir (or join an existing cluster), then start
//! the node loop, the applier, the compactor, the watch hub and the lease loop.

use std::path::PathBuf;
use std::sync::mpsc::{channel, sync_channel};
use std::sync::Arc;
use std::time::Duration;

use oxcd_proto::etcdserverpb::MemberListResponse;
use oxcd_proto::oxcdpb::{peer_client::PeerClient, RaftAck};
use oxcd_storage::mvcc::MvccStore;
use oxcd_wal::{Wal, WalOptions, WalState};
use tokio::sync::watch;

use super::auto_compaction;
use super::bootstrap::create_wal;
use super::etcd_import;
use super::lease::run_expiry;
use super::request_ids::RequestIds;
use super::v2;
use super::Member;
use crate::config::MAX_QUOTA_BYTES;
use crate::config::{parse_urls, Config};
use crate::consensus::dial::PeerDialer;
use crate::consensus::incoming::{finish_interrupted_install, IncomingSnapshots};
use crate::consensus::node::{self, NodeSetup};
use crate::consensus::node_io::PeerIo;
use crate::consensus::snapshot::{remove_leftover_copies, SnapshotSender, SnapshotTransfers};
use crate::consensus::transport::{ConnectedPeers, Transport};
use crate::identity;
use crate::messages::NodeMsg;
use crate::metrics::ServerMetrics;
use crate::state::alarms::Alarms;
use crate::state::apply::Applier;
use crate::state::auth::tokens::Tokens;
use crate::state::auth::AuthStore;
use crate::state::compactor::run_compactor;
use crate::state::lessor::{min_ttl, Lessor};
use crate::state::membership::Membership;
use crate::state::v2::V2Store;
use crate::state::waits::Waits;
use crate::status::RaftStatus;
use crate::transport::auto_tls;
use crate::watch::WatchHub;

/// Bound of the queue into the node loop; beyond it clients get "too many requests".
const NODE_QUEUE: usize = 16 * 1024;

impl Member {
    /// Opens (or bootstraps) the data dir and starts the member's threads. Call inside a tokio runtime.
    pub fn start(config: Config) -> Result<Arc<Member>, String> {
        let data_dir = PathBuf::from(config.data_dir());
        if etcd_import::is_etcd_data_dir(&data_dir) {
            let report = etcd_import::import_etcd_data_dir(&data_dir, false, &mut |_, _| {})
                .map_err(|e| format!("importing the etcd data dir {}: {e}", data_dir.display()))?;
            tracing::warn!(
                local_member_id = %format!("{:x}", report.member_id),
                cluster_id = %format!("{:x}", report.cluster_id),
                keys = report.keys,
                applied_index = report.applied_index,
                replayed_entries = report.replayed,
                dropped_entries = report.dropped,
                v2_keys = report.v2_keys,
                v2_index = report.v2_index,
                backup = %report.backup.display(),
                "imported an etcd data dir; the original is kept as the backup"
            );
        }
        let wal_dir = data_dir.join("member").join("wal");
        let snap_dir = data_dir.join("member").join("snap");
        for dir in [&wal_dir, &snap_dir] {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        // The WAL is read while the backend opens (its pages checked, the key index rebuilt):
        // neither needs the other, and both stand between a restart and the first request.
        let wal_opening = Wal::exists(&wal_dir).then(|| {
            let dir = wal_dir.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                Wal::open(&dir, WalOptions::default()).map(|opened| (opened, started.elapsed()))
            })
        });
        let db_path = snap_dir.join("db");
        let store = Arc::new(MvccStore::open(&db_path).map_err(|e| e.to_string())?);
        let peer_security = config.tls.peer();
        let auto_peer_cert = peer_security
            .auto_tls
            .then(|| auto_tls::files(&data_dir.join("fixtures").join("peer")))
            .filter(|(cert, key)| cert.exists() && key.exists());
        let peer_dialer = PeerDialer::new(&peer_security, auto_peer_cert);

        let initial = config.initial_members()?;
        let token = &config.initial_cluster_token;
        let member_ids: Vec<u64> = initial
            .iter()
            .map(|(_, urls)| identity::member_id(urls, token))
            .collect();
        let mut joined = None;
        let (wal, wal_state, id, cluster_id) = if let Some(opening) = wal_opening {
            let ((wal, state), took) = opening
                .join()
                .map_err(|_| format!("{}: reading the WAL panicked", wal_dir.display()))?
                .map_err(|e| e.to_string())?;
            tracing::info!(entries = state.entries.len(), ?took, "read the WAL");
            let (id, cluster_id) = decode_ids(&state.metadata).ok_or_else(|| {
                format!(
                    "{}: WAL metadata is not an oxcd member record",
                    wal_dir.display()
                )
            })?;
            (wal, state, id, cluster_id)
        } else if config.initial_cluster_state == "existing" {
            // Joining: the cluster, not the flags, says who we are (our ID was made by MemberAdd).
            let own_urls = parse_urls(&config.initial_advertise_peer_urls)?;
            let remote = tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(fetch_remote_members(
                    &initial,
                    &own_urls,
                    &peer_dialer,
                ))
            })?;
            let cluster_id = remote.header.as_ref().map_or(0, |h| h.cluster_id);
            let me = remote
                .members
                .iter()
                .find(|m| m.peer_ur_ls.iter().any(|u| own_urls.contains(u)))
                .ok_or_else(|| {
                    format!(
                        "member with peer URLs {} has not been added to cluster {cluster_id:x}; run 'member add' first",
                        own_urls.join(",")
                    )
                })?;
            let id = me.id;
            joined = Some(remote.members.clone());
            // No voters: raft learns the configuration from the leader's log or snapshot.
            create_wal(&wal_dir, id, cluster_id, &[], WalOptions::default())?
        } else {
            let own_urls = parse_urls(&config.initial_advertise_peer_urls)?;
            let id = identity::member_id(&own_urls, token);
            let cluster_id = identity::cluster_id(&member_ids);
            create_wal(&wal_dir, id, cluster_id, &member_ids, WalOptions::default())?
        };
        release_freed_memory();
        let recorded = wal_state
            .snapshot
            .as_ref()
            .map(|mark| (mark.index, mark.term));
        if let Some(file) =
            finish_interrupted_install(&snap_dir, recorded, store.consistent_index())?
        {
            tracing::warn!(file = %file.display(), "finishing a snapshot install a crash interrupted");
            store.restore_from(&file).map_err(|e| e.to_string())?;
        }
        if store.consistent_index() > wal_state.hard_state.commit.max(last_index(&wal_state)) {
            tracing::warn!("backend is ahead of the WAL's committed entries; trusting the backend");
        }

        // A joining member starts with no v2 store: the snapshot it is sent carries the cluster's.
        let joining = joined.is_some();
        let membership = Arc::new(match joined {
            Some(list) => Membership::from_list(list),
            None => Membership::load(&store, &initial, token)?,
        });
        let v2_seed = if joining {
            Vec::new()
        } else {
            membership.list()
        };
        let v2 = Arc::new(V2Store::load(&store, &v2_seed)?);
        let alarms = Arc::new(Alarms::load(&store)?);
        match config.backend_quota() {
            None => tracing::info!(
                quota_size_bytes = config.quota_backend_bytes,
                "disabled backend quota"
            ),
            Some(quota) if quota > MAX_QUOTA_BYTES => tracing::warn!(
                quota_size_bytes = quota,
                quota_maximum_size_bytes = MAX_QUOTA_BYTES,
                "quota exceeds the maximum value"
            ),
            Some(quota) => tracing::info!(quota_size_bytes = quota, "enabled backend quota"),
        }
        let tokens = Tokens::from_flag(
            &config.auth.auth_token,
            Duration::from_secs(config.auth.auth_token_ttl),
        )?;
        let auth = Arc::new(AuthStore::load(&store, tokens, config.auth.bcrypt_cost)?);
        let lessor = Arc::new(Lessor::restore(
            &store,
            id,
            min_ttl(&config),
            config.experimental_lease_checkpoint_interval,
        )?);

        let incoming = IncomingSnapshots::open(&snap_dir);
        let (node_tx, node_rx) = sync_channel(NODE_QUEUE);
        // Unbounded, as etcd's apply FIFO: the node loop never waits on a busy applier, so it
        // keeps ticking, heartbeating and persisting; proposals are refused instead once the
        // applier lags raft's commit by too much (propose.rs).
        let (apply_tx, apply_rx) = channel();
        let raft = Arc::new(RaftStatus::default());
        let metrics = Arc::new(ServerMetrics::new(config.metrics == "extensive"));
        let waits = Arc::new(Waits::default());
        let (applied_tx, applied_rx) = watch::channel(store.consistent_index());
        let (compact_req_tx, compact_req_rx) = watch::channel(store.compact_revision());
        let (compacted_tx, compacted_rx) = watch::channel(store.finished_compact_revision());

        let peers: Vec<(u64, Vec<String>)> = membership
            .list()
            .into_iter()
            .map(|m| (m.id, m.peer_ur_ls))
            .collect();
        let runtime = tokio::runtime::Handle::current();
        let transport = Transport::start(
            id,
            cluster_id,
            &peers,
            node_tx.clone(),
            &runtime,
            peer_dialer.clone(),
            metrics.clone(),
        );
        if config.initial_election_tick_advance {
            tokio::spawn(advance_election_ticks(
                transport.connected_peers(),
                config.election_ticks(),
                node_tx.clone(),
            ));
        } else {
            tracing::info!(
                election_ticks = config.election_ticks(),
                "skipping initial election tick advance"
            );
        }
        let request_ids = RequestIds::start(&data_dir.join("member"), id)?;
        let setup = NodeSetup {
            id,
            voters: member_ids.clone(),
            election_ticks: config.election_ticks(),
            heartbeat: config.heartbeat(),
            max_election_ticks: 0,
            // Entries after the snapshot are handed out again so raft re-learns the conf changes
            // among them; the applier skips those the backend already holds.
            applied: wal_state.snapshot.as_ref().map_or(0, |s| s.index),
            catchup_entries: config.snapshot_catchup_entries,
            boot: request_ids.boot(),
            store: store.clone(),
            membership: membership.clone(),
            incoming: incoming.clone(),
            metrics: metrics.clone(),
        };
        remove_leftover_copies(&snap_dir);
        let transfers = SnapshotTransfers {
            store: store.clone(),
            snap_dir: snap_dir.clone(),
            sender: SnapshotSender::new(
                transport.cluster_id(),
                transport.urls(),
                transport.dialer(),
            ),
            runtime: runtime.clone(),
            node: node_tx.clone(),
            metrics: metrics.clone(),
        };
        let io = PeerIo {
            transport,
            transfers,
            apply_tx,
        };
        let raft_for_node = raft.clone();
        std::thread::Builder::new()
            .name("raft-node".into())
            .spawn(move || {
                let run = node::run(setup, wal, wal_state, node_rx, raft_for_node, io);
                if let Err(e) = run {
                    fatal(&format!("raft node stopped: {e}"));
                }
            })
            .map_err(|e| e.to_string())?;
        let watch_hub = WatchHub::start(
            store.clone(),
            config.experimental_watch_progress_notify_interval,
        );
        let (removed_tx, mut removed_rx) = watch::channel(false);
        tokio::spawn(async move {
            // etcd stops a member that a committed change removed from the cluster.
            if removed_rx.wait_for(|removed| *removed).await.is_ok() {
                tokio::time::sleep(Duration::from_millis(500)).await;
                fatal("the member has been permanently removed from the cluster");
            }
        });
        let over_quota = Arc::new(tokio::sync::Notify::new());
        let applier = Applier {
            store: store.clone(),
            waits: waits.clone(),
            applied: applied_tx,
            node: node_tx.clone(),
            snapshot_count: config.snapshot_count.max(1),
            compaction_requested: compact_req_tx,
            event_sinks: vec![watch_hub.clone()],
            membership: membership.clone(),
            lessor: lessor.clone(),
            alarms: alarms.clone(),
            auth: auth.clone(),
            v2: v2.clone(),
            local_id: id,
            removed: removed_tx,
            metrics: metrics.clone(),
            quota: config.backend_quota(),
            over_quota: over_quota.clone(),
        };
        std::thread::Builder::new()
            .name("apply".into())
            .spawn(move || {
                if let Err(e) = applier.run(apply_rx) {
                    fatal(&format!("applier stopped: {e}"));
                }
            })
            .map_err(|e| e.to_string())?;
        tokio::spawn(run_compactor(
            store.clone(),
            compact_req_rx,
            compacted_tx,
            metrics.clone(),
        ));

        let request_timeout =
            Duration::from_secs(5) + 2 * Duration::from_millis(config.election_timeout);
        let member = Arc::new(Member {
            config,
            id,
            cluster_id,
            membership: membership.clone(),
            alarms,
            auth,
            v2,
            store,
            raft,
            metrics,
            node: node_tx,
            waits,
            applied: applied_rx,
            compacted: compacted_rx,
            request_ids,
            free_space: Default::default(),
            request_timeout,
            lessor,
            watch_hub,
            incoming,
            leader_peer_channel: tokio::sync::Mutex::new(None),
            peer_dialer,
        });
        tokio::spawn(raise_nospace_when_over_quota(
            Arc::downgrade(&member),
            over_quota,
        ));
        tokio::spawn(run_expiry(Arc::downgrade(&member)));
        tokio::spawn(v2::run_expiry(Arc::downgrade(&member)));
        if let Some(mode) = member.config.auto_compaction()? {
            tokio::spawn(auto_compaction::run(Arc::downgrade(&member), mode));
        }
        Ok(member)
    }
}

/// Asks the members listed in `--initial-cluster` (other than this one) for the current
/// membership, as etcd does when a member joins with `--initial-cluster-state existing`.
async fn fetch_remote_members(
    initial: &[(String, Vec<String>)],
    own_urls: &[String],
    dialer: &PeerDialer,
) -> Result<MemberListResponse, String> {
    let mut errors = Vec::new();
    for (_, urls) in initial {
        for url in urls.iter().filter(|u| !own_urls.contains(u)) {
            let connected = dialer
                .connect(url, Duration::from_secs(2), Some(Duration::from_secs(5)))
                .await;
            match connected {
                Ok(channel) => {
                    let mut client = PeerClient::new(channel);
                    match client.members(RaftAck {}).await {
                        Ok(resp) => return Ok(resp.into_inner()),
                        Err(status) => errors.push(format!("{url}: {}", status.message())),
                    }
                }
                Err(e) => errors.push(format!("{url}: {e}")),
            }
        }
    }
    Err(format!(
        "cannot fetch cluster info from peer URLs: {}",
        errors.join("; ")
    ))
}

fn decode_ids(metadata: &[u8]) -> Option<(u64, u64)> {
    let id = u64::from_be_bytes(metadata.get(0..8)?.try_into().ok()?);
    let cluster = u64::from_be_bytes(metadata.get(8..16)?.try_into().ok()?);
    Some((id, cluster))
}

fn last_index(state: &WalState) -> u64 {
    state
        .entries
        .last()
        .map(|e| e.index)
        .or(state.snapshot.as_ref().map(|s| s.index))
        .unwrap_or(0)
}

/// A failure the member cannot run past (its storage broke): log it and exit, as etcd does.
pub(super) fn fatal(msg: &str) -> ! {
    tracing::error!("{msg}");
    // Not eprintln!, which panics when stderr cannot be written (its file system may be the
    // full one that stops the member), leaving the process running without this thread.
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "oxcd: {msg}");
    std::process::exit(1);
}

/// Raises NOSPACE whenever the applier found a write past this member's quota (a write
/// proposed through another member, whose own check passed), until the member is gone.
async fn raise_nospace_when_over_quota(
    member: std::sync::Weak<Member>,
    over_quota: std::sync::Arc<tokio::sync::Notify>,
) {
    loop {
        over_quota.notified().await;
        let Some(member) = member.upgrade() else {
            return;
        };
        member.raise_nospace().await;
    }
}

/// etcd's initial election tick advance: once this member is connected to more than one other
/// member (within 5 s of starting, polled every 50 ms, as etcd does), raft is ticked an election
/// timeout less two heartbeats at once, so a cluster started or restarted together campaigns
/// two heartbeats to one election timeout later (raft's random part) instead of one to two
/// election timeouts later. A member that advanced while the others have a leader disturbs
/// nobody: they refuse its pre-vote while their leader's lease (check quorum) holds.
async fn advance_election_ticks(
    connected: ConnectedPeers,
    election_ticks: usize,
    node: std::sync::mpsc::SyncSender<NodeMsg>,
) {
    const WAIT: Duration = Duration::from_secs(5);
    const POLL: Duration = Duration::from_millis(50);
    for _ in 0..WAIT.as_millis() / POLL.as_millis() {
        tokio::time::sleep(POLL).await;
        let peers = connected.count();
        if peers > 1 {
            let ticks = election_ticks.saturating_sub(2);
            if node.try_send(NodeMsg::AdvanceTicks(ticks)).is_ok() {
                tracing::info!(
                    forward_ticks = ticks,
                    election_ticks,
                    active_remote_members = peers,
                    "initialized peer connections; fast-forwarding election ticks"
                );
            }
            return;
        }
    }
}

/// Gives the memory the start's threads freed back to the system. The backend's page check, the
/// key index rebuild's halves and the WAL read each allocate in an arena of their own, which
/// glibc keeps when they end (about 50 MiB at a million keys); nothing else would use it.
fn release_freed_memory() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim takes a plain integer and only returns free heap memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
