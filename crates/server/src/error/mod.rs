//! The server's errors and their one mapping to gRPC statuses with etcd's exact messages.

mod auth;

use oxcd_storage::mvcc::MvccError;
use tonic::{Code, Status};

pub use auth::AuthError;

/// Everything a client request can fail with after it reached the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("etcdserver: key is not provided")]
    EmptyKey,
    #[error("etcdserver: value is provided")]
    ValueProvided,
    #[error("etcdserver: lease is provided")]
    LeaseProvided,
    #[error("etcdserver: too many operations in txn request")]
    TooManyOps,
    #[error("etcdserver: duplicate key given in txn request")]
    DuplicateKey,
    #[error("etcdserver: invalid sort option")]
    InvalidSortOption,
    #[error("etcdserver: request is too large")]
    RequestTooLarge,
    #[error("etcdserver: too many requests")]
    TooManyRequests,
    #[error("etcdserver: no leader")]
    NoLeader,
    #[error("etcdserver: leader changed")]
    LeaderChanged,
    #[error("etcdserver: not leader")]
    NotLeader,
    #[error("etcdserver: corrupt cluster")]
    Corrupt,
    #[error("etcdserver: mvcc: database space exceeded")]
    NoSpace,
    /// oxcd's own: Defragment writes a copy of the backend, and the file system lacks room.
    #[error("etcdserver: not enough free disk space to defragment ({free} bytes free, about {needed} needed)")]
    DefragNoRoom { free: u64, needed: u64 },
    #[error("etcdserver: member not found")]
    MemberNotFound,
    #[error("etcdserver: member ID already exist")]
    MemberExists,
    #[error("etcdserver: Peer URLs already exists")]
    PeerUrlExists,
    #[error("etcdserver: too many learner members in cluster")]
    TooManyLearners,
    #[error("etcdserver: can only promote a learner member")]
    MemberNotLearner,
    #[error("etcdserver: can only promote a learner member which is in sync with leader")]
    LearnerNotReady,
    #[error("etcdserver: rpc not supported for learner")]
    NotSupportedForLearner,
    #[error("etcdserver: bad leader transferee")]
    BadLeaderTransferee,
    #[error("etcdserver: request timed out, leader transfer took too long")]
    TimeoutLeaderTransfer,
    #[error("etcdserver: request timed out")]
    Timeout,
    #[error("etcdserver: server stopped")]
    Stopped,
    #[error("etcdserver: requested lease not found")]
    LeaseNotFound,
    #[error("etcdserver: lease already exists")]
    LeaseExists,
    #[error("etcdserver: too large lease TTL")]
    LeaseTtlTooLarge,
    /// etcd's Election service passes the concurrency recipe's errors on as plain errors.
    #[error("election: no leader")]
    ElectionNoLeader,
    #[error("election: not leader")]
    ElectionNotLeader,
    #[error("\"leader\" field must be provided")]
    MissingLeaderKey,
    #[error(transparent)]
    Mvcc(#[from] MvccError),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

impl From<ServerError> for Status {
    fn from(err: ServerError) -> Status {
        let code = match &err {
            ServerError::EmptyKey
            | ServerError::ValueProvided
            | ServerError::LeaseProvided
            | ServerError::TooManyOps
            | ServerError::DuplicateKey
            | ServerError::InvalidSortOption
            | ServerError::RequestTooLarge => Code::InvalidArgument,
            ServerError::TooManyRequests
            | ServerError::NoSpace
            | ServerError::DefragNoRoom { .. } => Code::ResourceExhausted,
            ServerError::NotLeader
            | ServerError::BadLeaderTransferee
            | ServerError::MemberExists
            | ServerError::PeerUrlExists
            | ServerError::TooManyLearners
            | ServerError::MemberNotLearner
            | ServerError::LearnerNotReady => Code::FailedPrecondition,
            ServerError::MemberNotFound => Code::NotFound,
            ServerError::Corrupt => Code::DataLoss,
            ServerError::NotSupportedForLearner => Code::Unavailable,
            ServerError::TimeoutLeaderTransfer => Code::DeadlineExceeded,
            ServerError::NoLeader
            | ServerError::LeaderChanged
            | ServerError::Timeout
            | ServerError::Stopped => Code::Unavailable,
            ServerError::LeaseNotFound => Code::NotFound,
            ServerError::LeaseExists => Code::FailedPrecondition,
            ServerError::LeaseTtlTooLarge => Code::OutOfRange,
            ServerError::ElectionNoLeader
            | ServerError::ElectionNotLeader
            | ServerError::MissingLeaderKey => Code::Unknown,
            ServerError::Mvcc(e) => return mvcc_status(e),
            ServerError::Auth(e) => return e.into(),
        };
        Status::new(code, err.to_string())
    }
}

/// etcd prefixes the storage layer's messages with "etcdserver: " on the wire.
fn mvcc_status(err: &MvccError) -> Status {
    match err {
        MvccError::Compacted => {
            Status::out_of_range("etcdserver: mvcc: required revision has been compacted")
        }
        MvccError::FutureRevision => {
            Status::out_of_range("etcdserver: mvcc: required revision is a future revision")
        }
        MvccError::KeyNotFound => Status::invalid_argument("etcdserver: key not found"),
        MvccError::LeaseNotFound => Status::not_found("etcdserver: requested lease not found"),
        MvccError::InvalidSortOption => Status::invalid_argument("etcdserver: invalid sort option"),
        MvccError::Storage(e) => Status::internal(e.to_string()),
    }
}
