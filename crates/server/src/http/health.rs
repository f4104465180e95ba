//! The health and observability endpoints on the client URL: `/health`, `/version`, `/metrics`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::http::metrics::Metrics;
use crate::member::Member;
use crate::version::{CLUSTER_VERSION, ETCD_VERSION};

#[derive(Clone)]
struct HealthState {
    member: Arc<Member>,
    metrics: Arc<Metrics>,
}

/// `/health`, `/version` and `/metrics`.
pub fn router(member: Arc<Member>) -> Router {
    let metrics = Arc::new(Metrics::new(&member));
    Router::new()
        .route("/health", get(health))
        .route("/version", get(version))
        .route("/metrics", get(metrics_text))
        .with_state(HealthState { member, metrics })
}

/// Healthy when there is a leader and a linearizable read goes through, as etcd checks.
async fn health(State(s): State<HealthState>) -> Response {
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

async fn metrics_text(State(s): State<HealthState>) -> Response {
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
