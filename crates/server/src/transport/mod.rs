//! Transport: binding the listen URLs and serving accepted connections, for the client URLs
//! (gRPC and HTTP on one port) and the peer URLs. It knows nothing of what it serves: the caller
//! hands it routers and services.

pub mod auto_tls;
pub mod h2_authority;
pub mod listen;
pub mod serve;
pub mod tls;
