//! The health and observability endpoints on the client URL: `/health`, `/version`, `/metrics`,
//! and the probes of `probes`.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
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

/// etcd 3.6's `/health`: unhealthy while an alarm is raised (unless `?exclude=` names it), without
/// a leader (unless `?serializable=true`), or when a read fails; the reason says which, as etcd's
/// does. A healthy answer keeps etcd 3.4's body, which clients and scripts match on.
async fn health(State(s): State<HealthState>, RawQuery(query): RawQuery) -> Response {
    let params: Vec<(&str, &str)> = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter_map(|p| p.split_once('=').or(Some((p, ""))))
        .collect();
    let serializable = params.contains(&("serializable", "true"));
    let excluded = |name: &str| params.contains(&("exclude", name));
    let alarm = s
        .member
        .alarms
        .list()
        .into_iter()
        .map(|a| AlarmType::try_from(a.alarm).map_or("UNKNOWN", |t| t.as_str_name()))
        .find(|name| !excluded(name));
    let reason = match alarm {
        Some("NOSPACE") => Some("ALARM NOSPACE".to_string()),
        Some("CORRUPT") => Some("ALARM CORRUPT".to_string()),
        Some(_) => Some("ALARM UNKNOWN".to_string()),
        None if !serializable && s.member.leader() == 0 => Some("RAFT NO LEADER".to_string()),
        None => match s.member.health_read(serializable).await {
            Ok(()) => None,
            Err(e) => Some(format!("RANGE ERROR:{e}")),
        },
    };
    let counter = match reason {
        None => &s.member.metrics.health_success,
        Some(_) => &s.member.metrics.health_failures,
    };
    counter.inc();
    let (status, body) = match reason {
        None => (StatusCode::OK, r#"{"health":"true"}"#.to_string()),
        Some(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            // Written with Go's http.Error, which ends the body with a newline.
            format!(
                "{}\n",
                serde_json::json!({"health": "false", "reason": reason})
            ),
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
