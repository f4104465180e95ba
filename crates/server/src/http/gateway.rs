//! The JSON gateway's HTTP side: `/v3/<service>/<method>` (and `/v3beta/`), POST only, dispatched by
//! `api::gateway`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::any;
use axum::Router;

use crate::api::gateway;
use crate::api::json::GatewayCall;
use crate::http::plain::text;
use crate::member::Member;

/// `/v3/*`, and `/v3beta/*`, which etcd 3.4 still serves for older clients (its `/v3alpha/` is
/// gone: 404, as there).
pub fn router(member: Arc<Member>) -> Router {
    Router::new()
        .route("/v3/{*method}", any(v3))
        .route("/v3beta/{*method}", any(v3))
        .with_state(member)
}

async fn v3(
    State(member): State<Arc<Member>>,
    method: Method,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method != Method::POST {
        return match gateway::is_route(&path) {
            true => text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n"),
            false => text(StatusCode::NOT_FOUND, "Not Found\n"),
        };
    }
    let mut metadata = tonic::metadata::MetadataMap::new();
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| tonic::metadata::MetadataValue::try_from(v.as_bytes()).ok())
    {
        metadata.insert("authorization", token);
    }
    match gateway::handle(&member, &path, GatewayCall { body, metadata }).await {
        Some(resp) => resp,
        None => text(StatusCode::NOT_FOUND, "Not Found\n"),
    }
}
