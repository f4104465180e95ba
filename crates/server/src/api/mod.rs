//! The API layer: one module per etcd service (and per oxcd extension: `hierarchy`, `values`), each
//! owning its gRPC handlers and its JSON gateway routes; `json` is the gateway's transcoding below them all, `gateway` the dispatcher
//! and `grpc` the router above them all.

pub mod auth;
pub mod caller;
pub mod cluster;
pub mod election;
pub mod gateway;
pub mod grpc;
mod grpc_metrics;
pub mod health;
pub mod hierarchy;
pub mod json;
pub mod kv;
pub mod lease;
pub mod lock;
pub mod maintenance;
pub mod recipe;
pub mod validate;
pub mod values;
pub mod watch;
