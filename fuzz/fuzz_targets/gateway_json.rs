//! A `/v3/` gateway request body: JSON decoded for the route's message, then read as the
//! message the service gets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxcd_proto::etcdserverpb::{
    AuthenticateRequest, LeaseGrantRequest, PutRequest, RangeRequest, TxnRequest, WatchRequest,
};
use oxcd_server::api::json::request_json_to_protobuf;
use prost::Message;

fn read<M: Message + Default>(name: &str, body: &[u8]) {
    if let Ok(encoded) = request_json_to_protobuf(name, body) {
        let _ = M::decode(encoded.as_slice());
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the route's message.
    let Some((&pick, body)) = data.split_first() else { return };
    match pick % 7 {
        0 => read::<RangeRequest>("etcdserverpb.RangeRequest", body),
        1 => read::<PutRequest>("etcdserverpb.PutRequest", body),
        2 => read::<TxnRequest>("etcdserverpb.TxnRequest", body),
        3 => read::<WatchRequest>("etcdserverpb.WatchRequest", body),
        4 => read::<LeaseGrantRequest>("etcdserverpb.LeaseGrantRequest", body),
        5 => read::<AuthenticateRequest>("etcdserverpb.AuthenticateRequest", body),
        _ => read::<oxcd_proto::oxcd::v1::ListRequest>("oxcd.v1.ListRequest", body),
    }
});
