//! The state machine: everything applied from the raft log, in log order, on every member. The
//! applier drives the MVCC store and the lessor, membership and alarm tables; it talks back to
//! the node loop only through [`crate::messages`].

pub mod alarms;
pub mod apply;
pub mod auth;
pub mod compactor;
pub mod etcd_format;
pub mod etcd_log;
pub mod etcd_v2;
pub mod events;
pub mod lessor;
pub mod membership;
pub mod quota;
pub mod v2;
pub mod waits;
