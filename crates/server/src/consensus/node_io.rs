//! Where the node loop's output goes: messages to peers, snapshots to send, committed entries
//! and snapshot installs for the applier. In production that is the peer transport and the
//! applier thread ([`PeerIo`]); the simulator delivers on its own network and applies inline,
//! so it runs the very same loop.

use std::path::Path;
use std::sync::mpsc::Sender;

use raft::prelude::{Entry, Message};

use super::snapshot::SnapshotTransfers;
use super::transport::Transport;
use crate::messages::ApplyMsg;

pub trait NodeIo {
    /// Queues messages for their recipients; returns the members they could not be queued for.
    fn send(&mut self, messages: Vec<Message>) -> Vec<u64>;
    /// Starts sending a snapshot (a MsgSnapshot) with a copy of the backend; how it ended comes
    /// back to the loop as `NodeMsg::SnapshotSent`.
    fn send_snapshot(&mut self, message: Message);
    fn add_peer(&mut self, id: u64, urls: Vec<String>);
    fn remove_peer(&mut self, id: u64);
    fn has_peer(&self, id: u64) -> bool;
    /// Hands committed entries to the applier, in log order.
    fn apply(&mut self, entries: Vec<Entry>) -> Result<(), String>;
    /// Replaces the backend with the snapshot file at `path` once everything handed to the
    /// applier before is applied; returns the new applied index.
    fn restore(&mut self, path: &Path) -> Result<u64, String>;
    /// A WAL save returned; nothing that depends on it has left yet. The simulator cuts power
    /// here (an error ends the loop), to tear the save as a crash during it would.
    fn wal_saved(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// The production side: the peer transport, snapshot transfers in tasks, the applier thread.
pub struct PeerIo {
    pub transport: Transport,
    pub transfers: SnapshotTransfers,
    pub apply_tx: Sender<ApplyMsg>,
}

impl NodeIo for PeerIo {
    fn send(&mut self, messages: Vec<Message>) -> Vec<u64> {
        self.transport.send(messages)
    }

    fn send_snapshot(&mut self, message: Message) {
        self.transfers.start(message);
    }

    fn add_peer(&mut self, id: u64, urls: Vec<String>) {
        self.transport.add_peer(id, urls);
    }

    fn remove_peer(&mut self, id: u64) {
        self.transport.remove_peer(id);
    }

    fn has_peer(&self, id: u64) -> bool {
        self.transport.has_peer(id)
    }

    fn apply(&mut self, entries: Vec<Entry>) -> Result<(), String> {
        self.apply_tx
            .send(ApplyMsg::Entries(entries))
            .map_err(|_| "applier stopped".to_string())
    }

    fn restore(&mut self, path: &Path) -> Result<u64, String> {
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel(1);
        self.apply_tx
            .send(ApplyMsg::Restore {
                path: path.to_path_buf(),
                done: done_tx,
            })
            .map_err(|_| "applier stopped".to_string())?;
        done_rx.recv().map_err(|_| "applier stopped".to_string())?
    }
}
