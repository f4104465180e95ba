//! Corruption checks between members (etcd's initial and periodic corrupt checks): members
//! compare HashKV at the same revision; a member whose hash differs with the same compaction has
//! diverged. At start-up the member refuses to serve; periodically the leader raises a CORRUPT
//! alarm for the divergent member, which stops the cluster from taking writes.

use std::sync::Arc;
use std::time::Duration;

use oxcd_proto::etcdserverpb::{
    alarm_request::AlarmAction, AlarmRequest, AlarmType, HashKvResponse,
};
use oxcd_proto::oxcdpb::{internal_request::Op, peer_client::PeerClient, PeerHashKvRequest};

use crate::member::Member;

/// (member ID, its answer) for every other member that could answer at `revision`.
async fn peer_hashes(member: &Member, revision: i64) -> Vec<(u64, HashKvResponse)> {
    let mut out = Vec::new();
    for peer in member
        .membership
        .list()
        .into_iter()
        .filter(|m| m.id != member.id)
    {
        let Some(url) = peer.peer_ur_ls.first() else {
            continue;
        };
        let connected = member
            .peer_dialer
            .connect(url, Duration::from_secs(2), Some(Duration::from_secs(5)))
            .await;
        let Ok(channel) = connected else {
            continue;
        };
        // A peer that has not reached the revision yet (or compacted past it) cannot be compared.
        if let Ok(resp) = PeerClient::new(channel)
            .hash_kv(PeerHashKvRequest {
                revision,
                cluster_id: member.cluster_id,
                from: member.id,
            })
            .await
        {
            out.push((peer.id, resp.into_inner()));
        }
    }
    out
}

/// The members whose hash at `revision` differs from ours under the same compaction.
async fn divergent(member: &Member, revision: i64) -> Result<Vec<u64>, String> {
    let store = member.store.clone();
    let (hash, compact, _) = tokio::task::spawn_blocking(move || store.hash_kv(revision))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(peer_hashes(member, revision)
        .await
        .into_iter()
        .filter(|(_, resp)| resp.compact_revision == compact && resp.hash != hash)
        .map(|(id, _)| id)
        .collect())
}

/// Before serving: compare with the peers at our current revision.
pub async fn initial_check(member: &Member) -> Result<(), String> {
    let revision = member.store.current_revision();
    let bad = divergent(member, revision).await?;
    if bad.is_empty() {
        tracing::info!(
            revision,
            "initial corruption checking passed; no corruption"
        );
        return Ok(());
    }
    let peers: Vec<String> = bad.iter().map(|id| format!("{id:x}")).collect();
    Err(format!(
        "found data inconsistency with peers (local member {:x}, peers {}, revision {revision})",
        member.id,
        peers.join(",")
    ))
}

/// While this member leads, compare with every member at the leader's revision each `interval`
/// and raise a CORRUPT alarm for any that diverged.
pub async fn run_periodic(member: Arc<Member>, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        if member.leader() != member.id || member.alarms.corrupt() {
            continue;
        }
        let revision = member.store.current_revision();
        let bad = match divergent(&member, revision).await {
            Ok(bad) => bad,
            Err(e) => {
                tracing::warn!(error = %e, "corruption check failed");
                continue;
            }
        };
        for id in bad {
            tracing::error!(revision, member = %format!("{id:x}"), "found data inconsistency with a member; raising a CORRUPT alarm");
            let alarm = AlarmRequest {
                action: AlarmAction::Activate as i32,
                member_id: id,
                alarm: AlarmType::Corrupt as i32,
            };
            if let Err(e) = member.propose(Op::Alarm(alarm)).await {
                tracing::warn!(error = %e, "raising the CORRUPT alarm failed");
            }
        }
    }
}
