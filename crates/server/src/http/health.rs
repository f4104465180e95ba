//! The health and observability endpoints on the client URL: `/health`, `/version`, `/metrics`,
//! and the probes of `probes`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use oxcd_proto::etcdserverpb::AlarmType;

use crate::http::metrics::Metrics;
use crate::http::probes;
use crate::member::Member;
use crate::version::{CLUSTER_VERSION, ETCD_VERSION};

#[derive(Clone)]
struct HealthState {
    member: Arc<Member>,
    metrics: Arc<Metrics>,
}

/// `/health`, `/livez`, `/readyz`, `/version` and `/metrics`.
pub fn router(member: Arc<Member>) -> Router {
    let metrics = Arc::new(Metrics::new(&member));
    Router::new()
        .route("/health", get(health))
        .route("/version", get(version))
        .route("/metrics", get(metrics_text))
        .with_state(HealthState {
            member: member.clone(),
            metrics,
        })
        .merge(probes::router(member))
}

/// Healthy when no alarm is raised, there is a leader and a linearizable read goes through, as
/// etcd checks; a raised alarm is named as etcd 3.6 names it.
async fn health(State(s): State<HealthState>) -> Response {
    let alarm = s
        .member
        .alarms
        .list()
        .first()
        .map(|a| match AlarmType::try_from(a.alarm) {
            Ok(AlarmType::Nospace) => "ALARM NOSPACE",
            Ok(AlarmType::Corrupt) => "ALARM CORRUPT",
            _ => "ALARM UNKNOWN",
        });
    let healthy =
        alarm.is_none() && s.member.leader() != 0 && s.member.linearizable_barrier().await.is_ok();
    let (status, body) = match (healthy, alarm) {
        (true, _) => (StatusCode::OK, r#"{"health":"true"}"#.to_string()),
        (false, Some(reason)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(r#"{{"health":"false","reason":"{reason}"}}"#),
        ),
        (false, None) => (
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"health":"false"}"#.to_string(),
        ),
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
