//! The HTTP surfaces of the client URL, each its own router: health and metrics, and the JSON
//! gateway, and etcd 3.4's v2 API with `--enable-v2` (`v2keys`, `v2cluster`, `v2auth`; later the dashboard joins here); `router` puts them together. Requests that
//! are not gRPC arrive here.

pub mod cors;
pub mod dashboard;
pub mod gateway;
pub mod health;
pub mod metrics;
pub mod plain;
pub mod probes;
pub mod router;
pub mod v2auth;
pub mod v2authmodel;
pub mod v2authstore;
pub mod v2cluster;
pub mod v2form;
pub mod v2keys;
