//! The peer wire format: raft-rs's messages converted to and from our own prost types, so that
//! bytes from the network are never parsed by raft-rs's protobuf 2 (RUSTSEC-2024-0437).

use oxcd_proto::oxcdpb::{RaftConfState, RaftEntry, RaftMessage, RaftSnapshot};
use raft::prelude::{
    ConfState, Entry, EntryType, Message, MessageType, Snapshot, SnapshotMetadata,
};

/// Bytes of messages a sender puts in one batch on the stream before starting another; a single
/// message may exceed it alone.
pub const BATCH_TARGET_BYTES: usize = 8 << 20;

/// Largest message a peer RPC accepts (a batch on the stream, a snapshot chunk, a request),
/// given the largest client request (`--max-request-bytes`). A batch holds at most
/// `BATCH_TARGET_BYTES` of messages or a single message; a message's entries are bounded by
/// raft's `max_size_per_msg` (1 MiB) except that one entry always goes, and an entry's data is a
/// proposal of at most `max_request_bytes`. Twice the target leaves room for field overhead.
pub fn max_peer_message_bytes(max_request_bytes: usize) -> usize {
    2 * BATCH_TARGET_BYTES + max_request_bytes
}

pub fn to_wire(m: &Message) -> RaftMessage {
    RaftMessage {
        msg_type: m.get_msg_type() as i32,
        to: m.to,
        from: m.from,
        term: m.term,
        log_term: m.log_term,
        index: m.index,
        entries: m.entries.iter().map(entry_to_wire).collect(),
        commit: m.commit,
        commit_term: m.commit_term,
        snapshot: m.snapshot.as_ref().map(|s| RaftSnapshot {
            index: s.get_metadata().index,
            term: s.get_metadata().term,
            conf_state: Some(conf_state_to_wire(s.get_metadata().get_conf_state())),
            data: s.data.to_vec(),
        }),
        request_snapshot: m.request_snapshot,
        reject: m.reject,
        reject_hint: m.reject_hint,
        context: m.context.to_vec(),
        priority: m.priority,
    }
}

/// Decodes a message from the network; `None` for a message type raft-rs does not know.
pub fn from_wire(w: RaftMessage) -> Option<Message> {
    let mut m = Message {
        msg_type: message_type(w.msg_type)?,
        to: w.to,
        from: w.from,
        term: w.term,
        log_term: w.log_term,
        index: w.index,
        commit: w.commit,
        commit_term: w.commit_term,
        request_snapshot: w.request_snapshot,
        reject: w.reject,
        reject_hint: w.reject_hint,
        context: w.context.into(),
        priority: w.priority,
        ..Default::default()
    };
    m.entries = w
        .entries
        .into_iter()
        .map(entry_from_wire)
        .collect::<Vec<_>>()
        .into();
    if let Some(s) = w.snapshot {
        let mut meta = SnapshotMetadata {
            index: s.index,
            term: s.term,
            ..Default::default()
        };
        meta.set_conf_state(conf_state_from_wire(s.conf_state.unwrap_or_default()));
        let mut snap = Snapshot {
            data: s.data.into(),
            ..Default::default()
        };
        snap.set_metadata(meta);
        m.set_snapshot(snap);
    }
    Some(m)
}

fn entry_to_wire(e: &Entry) -> RaftEntry {
    RaftEntry {
        entry_type: e.get_entry_type() as i32,
        term: e.term,
        index: e.index,
        data: e.data.to_vec(),
        context: e.context.to_vec(),
    }
}

fn entry_from_wire(e: RaftEntry) -> Entry {
    Entry {
        entry_type: entry_type(e.entry_type),
        term: e.term,
        index: e.index,
        data: e.data.into(),
        context: e.context.into(),
        ..Default::default()
    }
}

pub fn entry_type(t: i32) -> EntryType {
    match t {
        1 => EntryType::EntryConfChange,
        2 => EntryType::EntryConfChangeV2,
        _ => EntryType::EntryNormal,
    }
}

fn conf_state_to_wire(cs: &ConfState) -> RaftConfState {
    RaftConfState {
        voters: cs.voters.clone(),
        learners: cs.learners.clone(),
        voters_outgoing: cs.voters_outgoing.clone(),
        learners_next: cs.learners_next.clone(),
        auto_leave: cs.auto_leave,
    }
}

fn conf_state_from_wire(w: RaftConfState) -> ConfState {
    ConfState {
        voters: w.voters,
        learners: w.learners,
        voters_outgoing: w.voters_outgoing,
        learners_next: w.learners_next,
        auto_leave: w.auto_leave,
        ..Default::default()
    }
}

fn message_type(t: i32) -> Option<MessageType> {
    use MessageType::*;
    Some(match t {
        0 => MsgHup,
        1 => MsgBeat,
        2 => MsgPropose,
        3 => MsgAppend,
        4 => MsgAppendResponse,
        5 => MsgRequestVote,
        6 => MsgRequestVoteResponse,
        7 => MsgSnapshot,
        8 => MsgHeartbeat,
        9 => MsgHeartbeatResponse,
        10 => MsgUnreachable,
        11 => MsgSnapStatus,
        12 => MsgCheckQuorum,
        13 => MsgTransferLeader,
        14 => MsgTimeoutNow,
        15 => MsgReadIndex,
        16 => MsgReadIndexResp,
        17 => MsgRequestPreVote,
        18 => MsgRequestPreVoteResponse,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_the_wire_format() {
        let mut m = Message {
            msg_type: MessageType::MsgAppend,
            to: 2,
            from: 1,
            term: 5,
            log_term: 4,
            index: 9,
            commit: 8,
            reject_hint: 3,
            priority: -1,
            ..Default::default()
        };
        m.context = b"ctx".to_vec().into();
        m.entries = vec![Entry {
            entry_type: EntryType::EntryConfChangeV2,
            term: 5,
            index: 10,
            data: b"d".to_vec().into(),
            ..Default::default()
        }]
        .into();
        let mut meta = SnapshotMetadata {
            index: 7,
            term: 3,
            ..Default::default()
        };
        meta.set_conf_state(ConfState {
            voters: vec![1, 2],
            learners: vec![3],
            ..Default::default()
        });
        let mut snap = Snapshot {
            data: b"db".to_vec().into(),
            ..Default::default()
        };
        snap.set_metadata(meta);
        m.set_snapshot(snap);
        let back = from_wire(to_wire(&m)).unwrap();
        assert_eq!(back, m);
        assert!(from_wire(RaftMessage {
            msg_type: 99,
            ..Default::default()
        })
        .is_none());
    }
}
