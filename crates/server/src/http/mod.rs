//! The HTTP surfaces of the client URL, each its own router: health and metrics, and the JSON
//! gateway (later v2 and the dashboard join here); `router` puts them together. Requests that
//! are not gRPC arrive here.

pub mod gateway;
pub mod health;
pub mod metrics;
pub mod plain;
pub mod probes;
pub mod router;
