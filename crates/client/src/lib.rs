//! The Rust client of oxcd (and of etcd): connections to a cluster's client URLs and typed calls
//! on etcd's v3 services, behaving from the outside as etcd's clientv3 does. `oxctl`, `oxbench`
//! and the tests share it.
//!
//! - [`connect_channel`] turns one endpoint into one connection, with the settings of a
//!   [`DialConfig`]: the one place where connections are opened, so TLS joins there.
//! - [`Client`] serves calls over the endpoints of a [`ClientConfig`]: it connects to the first
//!   endpoint that answers, retrying until the call's deadline, authenticates with the config's
//!   [`Credentials`] and sends the token in each request's `token` metadata, and bounds each call
//!   by the command timeout.
//! - [`CallError`] is why a call failed; [`status_message`] prints a gRPC status as etcdctl does.
//!
//! Only plain-text HTTP/2 is spoken for now: an `https://` endpoint is dialled in plain text.

#![warn(missing_docs)]

mod client;
mod cluster;
mod dial;
mod election;
mod error;
mod kv;
mod lease;
mod lock;
mod maintenance;

pub use client::{Client, ClientConfig, Credentials};
pub use dial::{connect_channel, endpoint_url, ConnectError, DialConfig};
pub use error::{code_name, status_message, CallError, DEADLINE_EXCEEDED};
