//! The protobuf messages etcd writes into its WAL and `.snap` files, declared by field number
//! only: decoding skips fields we do not name, so one set serves 3.4 through 3.7.

#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Record {
    #[prost(int64, tag = "1")]
    pub record_type: i64,
    #[prost(uint32, tag = "2")]
    pub crc: u32,
    #[prost(bytes = "vec", tag = "3")]
    pub data: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Entry {
    #[prost(int32, tag = "1")]
    pub entry_type: i32,
    #[prost(uint64, tag = "2")]
    pub term: u64,
    #[prost(uint64, tag = "3")]
    pub index: u64,
    #[prost(bytes = "vec", tag = "4")]
    pub data: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct HardState {
    #[prost(uint64, tag = "1")]
    pub term: u64,
    #[prost(uint64, tag = "2")]
    pub vote: u64,
    #[prost(uint64, tag = "3")]
    pub commit: u64,
}

/// `walpb.Snapshot`; 3.5+ adds the conf state as field 3, which we do not need from the WAL.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct WalSnapshot {
    #[prost(uint64, tag = "1")]
    pub index: u64,
    #[prost(uint64, tag = "2")]
    pub term: u64,
}

/// `etcdserverpb.Metadata`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Metadata {
    #[prost(uint64, tag = "1")]
    pub node_id: u64,
    #[prost(uint64, tag = "2")]
    pub cluster_id: u64,
}

/// `snappb.Snapshot`: the envelope of a `.snap` file.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct SnapFile {
    #[prost(uint32, tag = "1")]
    pub crc: u32,
    #[prost(bytes = "vec", tag = "2")]
    pub data: Vec<u8>,
}

/// `raftpb.Snapshot`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct RaftSnapshot {
    #[prost(bytes = "vec", tag = "1")]
    pub data: Vec<u8>,
    #[prost(message, optional, tag = "2")]
    pub metadata: Option<SnapshotMetadata>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct SnapshotMetadata {
    #[prost(message, optional, tag = "1")]
    pub conf_state: Option<ConfState>,
    #[prost(uint64, tag = "2")]
    pub index: u64,
    #[prost(uint64, tag = "3")]
    pub term: u64,
}

/// `raftpb.ConfState`; gogo writes the repeated ids unpacked, later encoders may pack them, and
/// prost's decoder takes either.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ConfState {
    #[prost(uint64, repeated, tag = "1")]
    pub voters: Vec<u64>,
    #[prost(uint64, repeated, tag = "2")]
    pub learners: Vec<u64>,
}
