//! The Rust client of oxcd (and of etcd): connections to a cluster's client URLs and typed calls
//! on etcd's v3 services, behaving from the outside as etcd's clientv3 does. `oxctl`, `oxbench`
//! and the tests share it.
//!
//! - [`connect_channel`] turns one endpoint into one connection, with the settings of a
//!   [`DialConfig`]: the one place where connections are opened, plain or TLS (etcdctl's rule:
//!   `https://`, `unixs://`, or no scheme with TLS settings given).
//! - [`TlsFiles`] names the CA bundle, client certificate and key (etcdctl's `--cacert --cert
//!   --key --insecure-skip-tls-verify`); [`ClientTls::load`] reads them, once, into the
//!   configuration a [`DialConfig`] dials with, or a [`TlsConfigError`] in etcdctl's words.
//! - [`Client`] serves calls over the endpoints of a [`ClientConfig`]: it connects to the first
//!   endpoint that answers, retrying until the call's deadline, authenticates with the config's
//!   [`Credentials`] and sends the token in each request's `token` metadata, and bounds each call
//!   by the command timeout. Callers that drive etcd's services themselves (oxbench) take its
//!   authenticated connection from [`Client::connection`] and their requests from
//!   [`Client::authorized`].
//! - [`Client`]'s typed calls, one module per etcd service: KV, Lease, Cluster, Maintenance,
//!   Auth (users, roles, their key permissions, `AuthEnable`), Lock and Election; and oxcd's own
//!   Hierarchy (one level of the key hierarchy with per-child totals).
//! - [`CallError`] is why a call failed; [`status_message`] prints a gRPC status as etcdctl does.
//! - [`ask_password`] is etcdctl's password prompt, for `--user NAME` without a password.

#![warn(missing_docs)]

mod auth;
mod client;
mod cluster;
mod dial;
mod election;
mod error;
mod hierarchy;
mod keys;
mod kv;
mod lease;
mod lock;
mod maintenance;
mod pages;
mod prompt;
mod tls;

pub use client::{Client, ClientConfig, Credentials};
pub use dial::{connect_channel, endpoint_url, ConnectError, DialConfig};
pub use error::{code_name, status_message, CallError, DEADLINE_EXCEEDED};
pub use hierarchy::LevelPager;
pub use keys::prefix_end;
pub use oxcd_proto::go_json::go_json_string;
pub use pages::RangePager;
pub use prompt::ask_password;
pub use tls::{
    go_io_reason, read_ca_bundle, read_certificates, read_file, read_private_key, ClientTls,
    TlsConfigError, TlsFiles,
};
