//! The plain-HTTP endpoints on the client URL: `/health`, `/version`, `/metrics` and the JSON
//! gateway under `/v3/`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;

use crate::api::gateway;
use crate::member::{Member, CLUSTER_VERSION, ETCD_VERSION};
use crate::metrics::Metrics;

#[derive(Clone)]
struct HttpState {
    member: Arc<Member>,
    metrics: Arc<Metrics>,
}

pub fn router(member: Arc<Member>) -> Router {
    let metrics = Arc::new(Metrics::new(&member));
    // Base64 inflates bodies by a third; oversized requests must still reach the size check that
    // answers with etcd's "request is too large".
    let body_limit = 4 * member.config.max_request_bytes as usize + 1024 * 1024;
    Router::new()
        .route("/health", get(health))
        .route("/version", get(version))
        .route("/metrics", get(metrics_text))
        .route("/v3/{*method}", any(v3))
        .fallback(|| async { text(StatusCode::NOT_FOUND, "404 page not found\n") })
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .with_state(HttpState { member, metrics })
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Healthy when there is a leader and a linearizable read goes through, as etcd checks.
async fn health(State(s): State<HttpState>) -> Response {
    let healthy = s.member.leader() != 0 && s.member.linearizable_barrier().await.is_ok();
    let (status, body) = if healthy {
        (StatusCode::OK, r#"{"health":"true"}"#)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, r#"{"health":"false"}"#)
    };
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

async fn version() -> Response {
    let body = serde_json::json!({"etcdserver": ETCD_VERSION, "etcdcluster": CLUSTER_VERSION});
    (
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn metrics_text(State(s): State<HttpState>) -> Response {
    (
        StatusCode::OK,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        s.metrics.render(&s.member),
    )
        .into_response()
}

async fn v3(
    State(s): State<HttpState>,
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
    match gateway::handle(&s.member, &path, &body).await {
        Some(resp) => resp,
        None => text(StatusCode::NOT_FOUND, "Not Found\n"),
    }
}
