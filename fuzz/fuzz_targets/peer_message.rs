//! A raft message from a peer, as the peer service decodes it before raft sees it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prost::Message as _;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = oxcd_proto::oxcdpb::RaftMessage::decode(data) {
        let _ = oxcd_server::consensus::wire::from_wire(message);
    }
});
