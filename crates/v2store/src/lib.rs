//! etcd's v2 keys store: a tree of directories and keys with created/modified indexes, TTLs,
//! hidden keys, in-order keys, the history of the last 1000 changes and its watchers, as etcd 3.4
//! serves it on `/v2/keys`. Pure data structure: no I/O, no clock of its own except the one it is
//! given (TTLs shown to readers); expirations are decided by the caller's deterministic cutoff so
//! every member of a cluster applies the same changes.

pub mod error;
mod etcd_json;
pub mod event;
mod history;
mod node;
pub mod path;
pub mod record;
mod stats;
pub mod store;
mod tree;
pub mod watcher;

#[cfg(test)]
mod tests;

pub use error::V2Error;
pub use event::{Action, Event, NodeExtern};
pub use record::{Change, NodeRecord};
pub use store::{Store, TtlOptions};
pub use watcher::Watcher;
