//! The simulated network between members: every message is delivered after a random delay (a
//! few of them much later, which reorders them), or lost, or delivered twice, unless a partition
//! blocks its direction. The rates are drawn per run from the seed.

use std::collections::BTreeSet;
use std::time::Duration;

use raft::prelude::{Message, MessageType};
use rand::rngs::StdRng;
use rand::Rng;

pub(super) struct Network {
    ids: Vec<u64>,
    /// Directions (from, to) that drop everything.
    blocked: BTreeSet<(usize, usize)>,
    loss: f64,
    duplicate: f64,
    /// Share of messages held back for long (reordered behind later ones).
    slow: f64,
}

impl Network {
    pub fn new(rng: &mut StdRng, ids: Vec<u64>, faults: bool) -> Network {
        let rate = |rng: &mut StdRng, max: f64| if faults { rng.gen_range(0.0..max) } else { 0.0 };
        Network {
            ids,
            blocked: BTreeSet::new(),
            loss: rate(rng, 0.15),
            duplicate: rate(rng, 0.05),
            slow: rate(rng, 0.1),
        }
    }

    /// A member added to the cluster.
    pub fn add(&mut self, id: u64) {
        self.ids.push(id);
    }

    pub fn loss(&self) -> f64 {
        self.loss
    }

    pub fn blocked(&self, from: usize, to: usize) -> bool {
        self.blocked.contains(&(from, to))
    }

    /// When and to whom `message` from member `from` arrives: none, once, or twice.
    pub fn send(
        &self,
        from: usize,
        message: Message,
        rng: &mut StdRng,
    ) -> Vec<(Duration, usize, Message)> {
        let Some(to) = self.ids.iter().position(|id| *id == message.to) else {
            return Vec::new();
        };
        if self.blocked(from, to) || rng.gen_bool(self.loss) {
            return Vec::new();
        }
        // A forwarded proposal delivered twice is two proposals (raft has no way to tell them
        // apart, nor does etcd): the peer transport sends each message at most once, so only
        // the messages raft itself tolerates twice are duplicated.
        let duplicated =
            rng.gen_bool(self.duplicate) && message.get_msg_type() != MessageType::MsgPropose;
        let copies = if duplicated { 2 } else { 1 };
        (0..copies)
            .map(|_| {
                let delay = if rng.gen_bool(self.slow) {
                    Duration::from_millis(rng.gen_range(10..400))
                } else {
                    Duration::from_micros(rng.gen_range(100..2_000))
                };
                (delay, to, message.clone())
            })
            .collect()
    }

    /// A new partition in place of the last: one member cut off both ways, one direction of
    /// one member, or the members split in two groups.
    pub fn partition(&mut self, rng: &mut StdRng) {
        self.blocked.clear();
        let n = self.ids.len();
        let m = rng.gen_range(0..n);
        match rng.gen_range(0..3) {
            0 => {
                for other in (0..n).filter(|o| *o != m) {
                    self.blocked.insert((m, other));
                    self.blocked.insert((other, m));
                }
            }
            1 => {
                let outgoing = rng.gen_bool(0.5);
                for other in (0..n).filter(|o| *o != m) {
                    self.blocked
                        .insert(if outgoing { (m, other) } else { (other, m) });
                }
            }
            _ => {
                let side: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.5)).collect();
                for a in 0..n {
                    for b in (0..n).filter(|b| side[*b] != side[a]) {
                        self.blocked.insert((a, b));
                    }
                }
            }
        }
    }

    pub fn blocked_links(&self) -> Vec<(usize, usize)> {
        self.blocked.iter().copied().collect()
    }

    pub fn heal_all(&mut self) {
        self.blocked.clear();
    }
}
