//! The data dir's state machine storage: the redb backend and etcd's MVCC model on top of it.

#![warn(missing_docs)]

pub mod backend;
pub mod mvcc;
