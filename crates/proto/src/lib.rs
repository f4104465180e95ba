//! etcd's v3 wire types and gRPC services, generated from our own definitions of etcd's protos.
//!
//! Package, service, method and field names and numbers match etcd v3.6 (plus v3.7's
//! `KV.RangeStream`), so any etcd client speaks to oxcd unchanged. oxcd's own extensions live
//! in packages of their own (`oxcd.v1`: the key hierarchy), never in etcd's.

#![allow(clippy::all, missing_docs)]

pub mod go_json;
pub mod watch_frame;

pub mod mvccpb {
    tonic::include_proto!("mvccpb");
}
pub mod authpb {
    tonic::include_proto!("authpb");
}
pub mod etcdserverpb {
    tonic::include_proto!("etcdserverpb");
}
pub mod v3lockpb {
    tonic::include_proto!("v3lockpb");
}
pub mod v3electionpb {
    tonic::include_proto!("v3electionpb");
}
pub mod health {
    tonic::include_proto!("grpc.health.v1");
}
pub mod oxcdpb {
    tonic::include_proto!("oxcdpb");
}
/// oxcd's extensions to etcd's API: services etcd does not have.
pub mod oxcd {
    /// Package `oxcd.v1`: the key hierarchy.
    pub mod v1 {
        tonic::include_proto!("oxcd.v1");
    }
}

/// The server side of `etcdserverpb.Watch` answering with [`watch_frame::WatchFrame`]s.
pub mod watch_frames {
    include!(concat!(env!("OUT_DIR"), "/etcdserverpb.Watch.rs"));
}

/// Descriptors of every message above, for the JSON gateway's reflection-based transcoding.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptors.bin"));
