//! Watchers in the simulation. Each life of a member runs the production watch hub, fed by its
//! applier; the simulator runs the hub's sync rounds on the member's ticks instead of its thread.
//! Watchers are created on random members, on all keys, one key or the leased keys' prefix,
//! from now, from a past revision (maybe compacted) or a future one. Their queues are drained
//! at random, so slow consumers fill them, are set aside and caught up from the backend. At the
//! end each watcher's events must be the store's history for its keys from its start, in order,
//! with nothing missing or repeated: all of it for a watcher whose member is up and caught up,
//! a prefix of it for one whose member crashed or that was told its start was compacted.

use std::sync::Arc;

use oxcd_proto::mvccpb::Event;
use oxcd_storage::mvcc::MvccStore;
use rand::rngs::StdRng;
use rand::Rng;

use super::leases::leased_keys;
use super::member::SimMember;
use crate::watch::outbox::{Outbox, Outgoing};
use crate::watch::selection::{Filters, KeySpan};

struct SimWatcher {
    member: usize,
    incarnation: u64,
    span: KeySpan,
    /// The first revision it must be sent.
    from: i64,
    outbox: Arc<Outbox>,
    received: Vec<Event>,
    /// Its member crashed (or left the cluster): it got a prefix of the history.
    ended: bool,
    /// The hub told it its start revision was compacted.
    compacted: bool,
}

#[derive(Default)]
pub(super) struct Watchers {
    list: Vec<SimWatcher>,
    pub events: usize,
}

impl Watchers {
    pub fn count(&self) -> usize {
        self.list.len()
    }

    /// A new watcher on member `m` (in its life `incarnation`).
    pub fn create(&mut self, m: usize, incarnation: u64, members: &[SimMember], rng: &mut StdRng) {
        let Some(running) = &members[m].running else {
            return;
        };
        let (key, range_end) = match rng.gen_range(0..3) {
            0 => (b"\0".to_vec(), b"\0".to_vec()),
            1 => (b"k0".to_vec(), Vec::new()),
            _ => leased_keys(),
        };
        let Some(span) = KeySpan::new(&key, &range_end) else {
            return;
        };
        let current = running.store.current_revision();
        let start_rev = match rng.gen_range(0..4) {
            0 | 1 => 0,
            2 => (running.store.compact_revision() - 3 + rng.gen_range(0..20)).max(1),
            _ => current + rng.gen_range(1..4),
        };
        let outbox = Arc::new(Outbox::default());
        let watch_id = self.list.len() as i64;
        let (_, created) = running.watch_hub.watch(
            span.clone(),
            Filters::default(),
            start_rev,
            watch_id,
            &outbox,
        );
        self.list.push(SimWatcher {
            member: m,
            incarnation,
            span,
            from: if start_rev == 0 {
                created + 1
            } else {
                start_rev
            },
            outbox,
            received: Vec::new(),
            ended: false,
            compacted: false,
        });
    }

    /// Member `m` ticked: its hub catches watchers up, and each of its watchers' consumers
    /// reads its queue, or not (a slow consumer).
    pub fn tick(&mut self, m: usize, members: &[SimMember], rng: &mut StdRng) {
        if let Some(running) = &members[m].running {
            running.watch_hub.sync_round();
        }
        for w in self.list.iter_mut().filter(|w| w.member == m && !w.ended) {
            if rng.gen_bool(0.7) {
                w.drain();
            }
        }
    }

    /// Member `m`'s life ended (a crash, its removal): its watchers' streams broke.
    pub fn member_down(&mut self, m: usize) {
        for w in self.list.iter_mut().filter(|w| w.member == m) {
            w.ended = true;
        }
    }

    /// After the run: the hubs of the members up catch every watcher up, and every consumer
    /// reads all it was sent. `in_cluster`: the members caught up with the leader.
    pub fn finish(&mut self, members: &[SimMember], incarnations: &[u64], in_cluster: &[usize]) {
        for w in &mut self.list {
            let live = in_cluster.contains(&w.member) && incarnations[w.member] == w.incarnation;
            if !live {
                w.ended = true;
            }
        }
        for &m in in_cluster {
            let Some(running) = &members[m].running else {
                continue;
            };
            // Each round serves a bounded number of watchers and events.
            for _ in 0..10_000 {
                for w in self.list.iter_mut().filter(|w| w.member == m && !w.ended) {
                    w.drain();
                }
                if !running.watch_hub.sync_round() {
                    break;
                }
            }
            for w in self.list.iter_mut().filter(|w| w.member == m && !w.ended) {
                w.drain();
            }
        }
        self.events = self.list.iter().map(|w| w.received.len()).sum();
    }

    /// Every watcher saw `store`'s history for its keys, from its start, in order: all of it
    /// if its member is up and caught up, else a prefix.
    pub fn check(&self, store: &MvccStore) -> Result<(), String> {
        let compacted = store.compact_revision();
        for (i, w) in self.list.iter().enumerate() {
            let describe = || {
                format!(
                    "watcher {i} on member {} (life {}, keys {:?}, from revision {})",
                    w.member, w.incarnation, w.span, w.from
                )
            };
            let mut last = (w.from - 1, Vec::new());
            for e in &w.received {
                let (rev, key) = (revision_of(e), key_of(e));
                if (rev, &key) <= (last.0, &last.1) || !w.span.contains(&key) {
                    return Err(format!(
                        "{} got {:?} at revision {rev} after {:?} at {}",
                        describe(),
                        String::from_utf8_lossy(&key),
                        String::from_utf8_lossy(&last.1),
                        last.0
                    ));
                }
                last = (rev, key);
            }
            // The part of the history the store still holds.
            let checked_from = w.from.max(compacted + 1);
            let (history, _) = store
                .events_since(checked_from, usize::MAX)
                .map_err(|e| format!("reading the history from {checked_from}: {e}"))?;
            let expected: Vec<&Event> = history
                .iter()
                .filter(|e| w.span.contains(&key_of(e)))
                .collect();
            let got: Vec<&Event> = w
                .received
                .iter()
                .filter(|e| revision_of(e) >= checked_from)
                .collect();
            let complete = !w.ended && !w.compacted;
            let n = got.len().min(expected.len());
            let same = got.len() <= expected.len()
                && got.iter().zip(&expected).all(|(a, b)| same_event(a, b))
                && (!complete || got.len() == expected.len());
            if !same {
                let first_difference = (0..n)
                    .find(|&k| !same_event(got[k], expected[k]))
                    .unwrap_or(n);
                let show = |e: Option<&&Event>| {
                    e.map(|e| {
                        (
                            revision_of(e),
                            String::from_utf8_lossy(&key_of(e)).into_owned(),
                        )
                    })
                };
                return Err(format!(
                    "{} got {} events from revision {checked_from}, the history has {}{}; \
                     first difference at event {first_difference}: got {:?}, history {:?}",
                    describe(),
                    got.len(),
                    expected.len(),
                    if complete {
                        ""
                    } else {
                        " (a prefix is enough)"
                    },
                    show(got.get(first_difference)),
                    show(expected.get(first_difference)),
                ));
            }
        }
        Ok(())
    }
}

impl SimWatcher {
    /// The consumer reads what was queued for it.
    fn drain(&mut self) {
        for message in self.outbox.take_all() {
            if let Outgoing::Compacted { .. } = message {
                self.compacted = true;
                self.ended = true;
            } else if let Some(events) = message.into_events() {
                self.received.extend(events);
            }
        }
    }
}

fn revision_of(event: &Event) -> i64 {
    event.kv.as_ref().map_or(0, |kv| kv.mod_revision)
}

fn key_of(event: &Event) -> Vec<u8> {
    event.kv.as_ref().map_or(Vec::new(), |kv| kv.key.to_vec())
}

/// The same change (a live event carries `prev_kv` only when asked; these watchers do not ask).
fn same_event(a: &Event, b: &Event) -> bool {
    a.r#type == b.r#type && a.kv == b.kv
}
