//! etcd 3.6's `/livez` and `/readyz` (Kubernetes' probe style): named checks, each also served
//! alone under its own path; `?exclude=NAME` leaves checks out and `?verbose` lists them on
//! success. A failure answers 503 with every check's line.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use oxcd_proto::etcdserverpb::AlarmType;

use crate::member::Member;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    DataCorruption,
    SerializableRead,
    LinearizableRead,
    NonLearner,
}

impl Check {
    fn name(self) -> &'static str {
        match self {
            Check::DataCorruption => "data_corruption",
            Check::SerializableRead => "serializable_read",
            Check::LinearizableRead => "linearizable_read",
            Check::NonLearner => "non_learner",
        }
    }

    async fn run(self, member: &Member) -> Result<(), String> {
        match self {
            Check::DataCorruption => match member.alarms.corrupt() {
                true => Err(format!(
                    "alarm activated: {}",
                    AlarmType::Corrupt.as_str_name()
                )),
                false => Ok(()),
            },
            Check::SerializableRead | Check::LinearizableRead => member
                .health_read(self == Check::SerializableRead)
                .await
                .map_err(|e| e.to_string()),
            Check::NonLearner => match member.is_learner() {
                true => Err("not supported for learner".into()),
                false => Ok(()),
            },
        }
    }
}

const LIVEZ: &[Check] = &[Check::SerializableRead];
const READYZ: &[Check] = &[
    Check::DataCorruption,
    Check::SerializableRead,
    Check::LinearizableRead,
    Check::NonLearner,
];

/// `/livez`, `/readyz` and a path per check below each.
pub fn router(member: Arc<Member>) -> Router {
    let mut router = Router::new()
        .route(
            "/livez",
            any(|s, m, q| probe(s, m, q, "livez", LIVEZ, true)),
        )
        .route(
            "/readyz",
            any(|s, m, q| probe(s, m, q, "readyz", READYZ, true)),
        );
    for (kind, checks) in [("livez", LIVEZ), ("readyz", READYZ)] {
        for check in checks {
            let one: &'static [Check] = std::slice::from_ref(check);
            router = router.route(
                &format!("/{kind}/{}", check.name()),
                any(move |s, m, q| probe(s, m, q, kind, one, false)),
            );
        }
    }
    router.with_state(member)
}

async fn probe(
    State(member): State<Arc<Member>>,
    method: Method,
    RawQuery(query): RawQuery,
    kind: &'static str,
    checks: &'static [Check],
    excludable: bool,
) -> Response {
    if method != Method::GET {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [
                (header::ALLOW, "GET"),
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            "Method Not Allowed\n",
        )
            .into_response();
    }
    let params: Vec<(String, String)> = query
        .as_deref()
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (p.to_string(), String::new()),
                })
                .collect()
        })
        .unwrap_or_default();
    let excluded = |check: &Check| {
        excludable
            && params
                .iter()
                .any(|(k, v)| k == "exclude" && v == check.name())
    };
    let mut report = String::new();
    let mut failed = false;
    for check in checks.iter().filter(|c| !excluded(c)) {
        let outcome = check.run(&member).await;
        member
            .metrics
            .health_check(kind, check.name(), outcome.is_ok());
        match outcome {
            Ok(()) => report.push_str(&format!("[+]{} ok\n", check.name())),
            Err(e) => {
                failed = true;
                report.push_str(&format!("[-]{} failed: {e}\n", check.name()));
            }
        }
    }
    let plain = [
        (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    if failed {
        // Go's http.Error adds a newline to the report, which ends with one already.
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            plain,
            format!("{report}\n"),
        )
            .into_response();
    }
    let verbose = params.iter().any(|(k, _)| k == "verbose");
    let body = if verbose {
        report + "ok\n"
    } else {
        "ok\n".into()
    };
    (StatusCode::OK, plain, body).into_response()
}
