//! The consensus layer: the raft node loop around raft-rs, its WAL persistence, the peer
//! transport (sending and receiving), and snapshots sent to and installed from other members.
//! It drives the state machine by handing committed entries to the applier, and hears back only
//! through [`crate::messages`].

pub mod dial;
pub mod incoming;
pub mod log;
pub mod node;
pub mod node_io;
pub mod peer_service;
pub mod snapshot;
pub mod transport;
pub mod wire;
