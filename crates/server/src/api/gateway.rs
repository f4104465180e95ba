//! The JSON gateway's dispatcher: every service module lists its own routes; this finds the one
//! a `POST /v3/<path>` names.

use std::sync::Arc;

use axum::response::Response;

use crate::api::json::{GatewayCall, GatewayRoute};
use crate::api::{auth, cluster, election, hierarchy, kv, lease, lock, maintenance, values, watch};
use crate::member::Member;

/// Every service's gateway routes.
const SERVICES: &[&[GatewayRoute]] = &[
    kv::GATEWAY,
    maintenance::GATEWAY,
    cluster::GATEWAY,
    watch::GATEWAY,
    lease::GATEWAY,
    lock::GATEWAY,
    election::GATEWAY,
    auth::GATEWAY,
    hierarchy::GATEWAY,
    values::GATEWAY,
];

fn route(path: &str) -> Option<&'static GatewayRoute> {
    SERVICES
        .iter()
        .flat_map(|routes| routes.iter())
        .find(|route| route.path == path)
}

/// Whether `path` (below `/v3/`) names a gateway method.
pub fn is_route(path: &str) -> bool {
    route(path).is_some()
}

/// Serves one gateway call; `None` when the path names no gateway method (the caller answers 404).
pub async fn handle(member: &Arc<Member>, path: &str, call: GatewayCall) -> Option<Response> {
    let route = route(path)?;
    Some((route.serve)(member.clone(), call).await)
}
