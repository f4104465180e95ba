//! etcd's auto-compaction (`v3compactor`): every member keeps the schedule, the leader alone
//! proposes the compactions, through raft like a client's `Compact`.
//!
//! Periodic (keep a duration of history): the revision is recorded every tenth of the period
//! (a tenth of an hour at most); once a period has passed since the start or the last
//! compaction (an hour at most after the first), the store is compacted to the revision recorded
//! one period ago. Revision (keep N revisions): every five minutes, to the current revision
//! less N.

use std::collections::VecDeque;
use std::sync::Weak;
use std::time::{Duration, Instant};

use oxcd_proto::etcdserverpb::CompactionRequest;
use oxcd_proto::oxcdpb::internal_request::Op;
use oxcd_storage::mvcc::MvccError;

use super::Member;
use crate::config::AutoCompaction;
use crate::error::ServerError;

const HOUR: Duration = Duration::from_secs(3600);
/// etcd's `revInterval`.
const REVISION_INTERVAL: Duration = Duration::from_secs(300);

/// The periodic compactor's schedule, driven by [`Periodic::tick`] every
/// [`Periodic::retry_interval`].
pub struct Periodic {
    period: Duration,
    /// Revisions recorded a retry interval apart; the first is the one a period ago.
    revisions: VecDeque<i64>,
    last_revision: i64,
    last_success: Instant,
    /// A whole period before the first compaction, at most an hour between later ones.
    wait: Duration,
}

impl Periodic {
    pub fn new(period: Duration, now: Instant, revision: i64) -> Periodic {
        Periodic {
            period,
            revisions: VecDeque::from([revision]),
            last_revision: 0,
            last_success: now,
            wait: period,
        }
    }

    /// A tenth of the period (of an hour at most), and never under a millisecond, so a tiny
    /// period cannot make the compactor spin.
    pub fn retry_interval(&self) -> Duration {
        (self.period.min(HOUR) / 10).max(Duration::from_millis(1))
    }

    fn retentions(&self) -> usize {
        (self.period.as_nanos() / self.retry_interval().as_nanos().max(1)) as usize + 1
    }

    /// One retry interval later, at revision `current`: the revision to compact to now, if it is
    /// time and this member leads.
    pub fn tick(&mut self, now: Instant, current: i64, leading: bool) -> Option<i64> {
        let due = self.revisions[0];
        let decision = (leading
            && now.duration_since(self.last_success) >= self.wait
            && due != self.last_revision)
            .then_some(due);
        if decision.is_some() {
            self.wait = self.period.min(HOUR);
        }
        self.revisions.push_back(current);
        if self.revisions.len() > self.retentions() {
            self.revisions.pop_front();
        }
        decision
    }

    pub fn compacted(&mut self, revision: i64, now: Instant) {
        self.last_revision = revision;
        self.last_success = now;
    }
}

/// The revision compactor's schedule: one decision every five minutes.
pub struct Revisions {
    retention: i64,
    last: i64,
}

impl Revisions {
    pub fn new(retention: i64) -> Revisions {
        Revisions { retention, last: 0 }
    }

    pub fn tick(&self, current: i64, leading: bool) -> Option<i64> {
        let revision = current - self.retention;
        (leading && revision > 0 && revision != self.last).then_some(revision)
    }

    pub fn compacted(&mut self, revision: i64) {
        self.last = revision;
    }
}

enum Schedule {
    Periodic(Periodic),
    Revisions(Revisions),
}

/// Runs the compactor of `mode` until the member is gone.
pub async fn run(member: Weak<Member>, mode: AutoCompaction) {
    let Some(first) = member.upgrade() else {
        return;
    };
    let mut schedule = match mode {
        AutoCompaction::Periodic(period) => Schedule::Periodic(Periodic::new(
            period,
            Instant::now(),
            first.store.current_revision(),
        )),
        AutoCompaction::Revision(retention) => Schedule::Revisions(Revisions::new(retention)),
    };
    drop(first);
    loop {
        let interval = match &schedule {
            Schedule::Periodic(periodic) => periodic.retry_interval(),
            Schedule::Revisions(_) => REVISION_INTERVAL,
        };
        tokio::time::sleep(interval).await;
        let Some(member) = member.upgrade() else {
            return;
        };
        let current = member.store.current_revision();
        // A cluster flagged corrupt keeps its history for the investigation (etcd's corrupt
        // applier refuses compactions too).
        let leading = member.leader() == member.id && !member.alarms.corrupt();
        let due = match &mut schedule {
            Schedule::Periodic(periodic) => periodic.tick(Instant::now(), current, leading),
            Schedule::Revisions(revisions) => revisions.tick(current, leading),
        };
        let Some(revision) = due else { continue };
        let kind = match mode {
            AutoCompaction::Periodic(_) => "periodic",
            AutoCompaction::Revision(_) => "revision",
        };
        tracing::info!(revision, ?mode, "starting auto {kind} compaction");
        let started = Instant::now();
        let request = CompactionRequest {
            revision,
            physical: false,
        };
        match member.propose(Op::Compaction(request)).await {
            // Someone compacted further already: the history is gone either way.
            Ok(_) | Err(ServerError::Mvcc(MvccError::Compacted)) => {
                tracing::info!(
                    revision,
                    took = ?started.elapsed(),
                    "completed auto {kind} compaction"
                );
                match &mut schedule {
                    Schedule::Periodic(periodic) => periodic.compacted(revision, Instant::now()),
                    Schedule::Revisions(revisions) => revisions.compacted(revision),
                }
            }
            Err(e) => {
                tracing::warn!(revision, error = %e, retry_interval = ?interval, "failed auto {kind} compaction");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// etcd's periodic_test: with a 1 h period, revisions are recorded every 6 minutes; nothing
    /// is compacted during the first hour; then each tick compacts to the revision of an hour
    /// before, at most once an hour.
    #[test]
    fn periodic_keeps_a_period_of_history_and_compacts_hourly() {
        let start = Instant::now();
        let mut p = Periodic::new(HOUR, start, 1);
        assert_eq!(p.retry_interval(), Duration::from_secs(360));
        let tick = |n: u32| start + Duration::from_secs(360) * n;
        // The revision grows by 10 every tick.
        for n in 1..10 {
            assert_eq!(p.tick(tick(n), 1 + 10 * n as i64, true), None, "tick {n}");
        }
        // An hour in: compact to the revision recorded at the start.
        assert_eq!(p.tick(tick(10), 101, true), Some(1));
        p.compacted(1, tick(10));
        for n in 11..20 {
            assert_eq!(p.tick(tick(n), 1 + 10 * n as i64, true), None, "tick {n}");
        }
        // Another hour: to the oldest revision kept, eleven records back (as etcd's window).
        assert_eq!(p.tick(tick(20), 201, true), Some(91));
    }

    #[test]
    fn periodic_only_the_leader_compacts_and_a_failure_is_retried_next_tick() {
        let start = Instant::now();
        let period = Duration::from_secs(10);
        let mut p = Periodic::new(period, start, 5);
        let at = |ms: u64| start + Duration::from_millis(ms);
        for n in 1..=10 {
            assert_eq!(p.tick(at(1000 * n), 5 + n as i64, false), None);
        }
        // Leading now, a period has passed: the oldest revision kept.
        let first = p.tick(at(11_000), 20, true);
        assert_eq!(first, Some(5));
        // Not marked compacted (the proposal failed): the next tick tries again.
        assert!(p.tick(at(12_000), 21, true).is_some());
    }

    #[test]
    fn periodic_periods_over_an_hour_record_every_six_minutes_and_compact_hourly_after_the_first() {
        let start = Instant::now();
        let day = HOUR * 24;
        let mut p = Periodic::new(day, start, 1);
        assert_eq!(p.retry_interval(), Duration::from_secs(360));
        assert_eq!(p.retentions(), 241);
        let mut compactions = Vec::new();
        for n in 1..=(240 + 20) {
            let now = start + Duration::from_secs(360) * n;
            if let Some(revision) = p.tick(now, 1 + n as i64, true) {
                p.compacted(revision, now);
                compactions.push((n, revision));
            }
        }
        // A day in, then every hour: each to the revision of a day before.
        assert_eq!(compactions, vec![(240, 1), (250, 10), (260, 20)]);
    }

    #[test]
    fn revision_keeps_the_last_n_revisions_and_never_compacts_twice_to_one() {
        let mut r = Revisions::new(100);
        assert_eq!(r.tick(50, true), None);
        assert_eq!(r.tick(150, false), None);
        assert_eq!(r.tick(150, true), Some(50));
        r.compacted(50);
        assert_eq!(r.tick(150, true), None);
        assert_eq!(r.tick(1150, true), Some(1050));
    }
}
