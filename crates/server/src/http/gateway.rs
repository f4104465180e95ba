//! The JSON gateway's HTTP side: `/v3/<service>/<method>`, POST only, dispatched by
//! `api::gateway`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::any;
use axum::Router;

use crate::api::gateway;
use crate::http::plain::text;
use crate::member::Member;

/// `/v3/*`.
pub fn router(member: Arc<Member>) -> Router {
    Router::new()
        .route("/v3/{*method}", any(v3))
        .with_state(member)
}

async fn v3(
    State(member): State<Arc<Member>>,
    method: Method,
    Path(path): Path<String>,
    body: Bytes,
) -> Response {
    if method != Method::POST {
        return match gateway::is_route(&path) {
            true => text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n"),
            false => text(StatusCode::NOT_FOUND, "Not Found\n"),
        };
    }
    match gateway::handle(&member, &path, body).await {
        Some(resp) => resp,
        None => text(StatusCode::NOT_FOUND, "Not Found\n"),
    }
}
