//! All HTTP surfaces of a member in one router.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;

use crate::http::cors::{self, Cors};
use crate::http::plain::text;
use crate::http::{dashboard, gateway, health, v2cluster};
use crate::member::Member;

/// Every HTTP surface of `member`, with Go's 404 for anything else.
pub fn router(member: Arc<Member>) -> Router {
    // Base64 inflates bodies by a third; oversized requests must still reach the size check that
    // answers with etcd's "request is too large".
    let body_limit = 4 * member.config.max_request_bytes as usize + 1024 * 1024;
    let v2 = if member.config.enable_v2 == Some(true) {
        v2cluster::router(member.clone())
    } else {
        Router::new()
    };
    let ui = if member.config.dashboard {
        dashboard::router()
    } else {
        Router::new()
    };
    let cors = Cors::new(&member.config.cors);
    Router::new()
        .merge(ui)
        .merge(health::router(member.clone()))
        .merge(gateway::router(member))
        .merge(v2)
        .fallback(|| async { text(StatusCode::NOT_FOUND, "404 page not found\n") })
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(move |req, next| {
            cors::layer(cors.clone(), req, next)
        }))
}
