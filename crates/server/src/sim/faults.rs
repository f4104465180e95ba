//! The faults the simulator injects: crashes and power cuts, failed fdatasyncs, partitions,
//! stalls and clock jumps; and snapshot transfers, which the network may lose.

use std::time::Duration;

use raft::prelude::Message;
use rand::Rng;

use super::{Event, Sim};

impl Sim {
    pub(super) fn crash(&mut self, m: usize) -> Result<(), String> {
        self.summary.crashes += 1;
        for client in self.clients.member_crashed(m) {
            self.schedule(Duration::ZERO, Event::ClientTurn { client });
        }
        self.watchers.member_down(m);
        self.members[m].crash(&mut self.rng)?;
        let down = Duration::from_millis(self.rng.gen_range(50..2000));
        self.schedule(down, Event::Restart { member: m });
        Ok(())
    }

    /// The leader copies its backend into the recipient's snapshot directory (as the peer
    /// service would receive it), and the message follows after a transfer time.
    pub(super) fn start_snapshot_transfer(&mut self, from: usize, message: Message) {
        let Some(to) = self
            .members
            .iter()
            .position(|x| x.identity.id == message.to)
        else {
            return;
        };
        let meta = message.get_snapshot().get_metadata();
        let (index, term) = (meta.index, meta.term);
        let arrives = !self.net.blocked(from, to) && !self.rng.gen_bool(self.net.loss());
        let registered = arrives
            && match (&self.members[from].running, &self.members[to].running) {
                (Some(sender), Some(receiver)) => {
                    let store = sender.store.clone();
                    receiver
                        .incoming
                        .adopt(index, term, |path| {
                            store
                                .write_snapshot(path)
                                .map(drop)
                                .map_err(|e| e.to_string())
                        })
                        .is_ok()
                }
                _ => false,
            };
        let mut message = message;
        let mut snap = message.take_snapshot();
        snap.data = Default::default();
        message.set_snapshot(snap);
        let incarnation = if registered {
            self.incarnations[to]
        } else {
            0 // never matches: the sender hears it failed
        };
        let after = Duration::from_millis(self.rng.gen_range(5..200));
        self.schedule(
            after,
            Event::SnapshotArrives {
                from,
                to,
                incarnation,
                message,
            },
        );
    }

    pub(super) fn inject_fault(&mut self) -> Result<(), String> {
        let n = self.members.len();
        let m = self.rng.gen_range(0..n);
        let kinds = if self.generation >= 4 { 11 } else { 10 };
        match self.rng.gen_range(0..kinds) {
            0 | 1 => {
                if self.members[m].running.is_some() {
                    self.crash(m)?;
                }
            }
            3 if self.fsync_errors => self.members[m].arm_fsync_failure(),
            2 | 3 => self.members[m].arm_power_cut(),
            4 | 5 => self.net.partition(&mut self.rng),
            6 | 7 => self.net.heal_all(),
            8 => {
                // A stall: the member is paused for a while, then handles what waited.
                let pause = Duration::from_millis(self.rng.gen_range(100..2500));
                self.stalled_until[m] = self.now + pause;
            }
            10 => self.members[m].arm_power_cut_at_install(),
            _ => {
                // The clock jumps ahead: several ticks at once.
                if let Some(running) = &mut self.members[m].running {
                    for _ in 0..self.rng.gen_range(1..12) {
                        running.node.tick();
                    }
                    self.settle(m)?;
                }
            }
        }
        Ok(())
    }
}
