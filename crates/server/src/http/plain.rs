//! Go's error bodies: net/http's plain text, and etcd's JSON `httptypes.HTTPError`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A plain-text response with `status`.
pub fn text(status: StatusCode, body: &'static str) -> Response {
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

/// etcd's `httptypes.HTTPError`: `{"message":...}` without a newline.
pub fn http_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "message": message }).to_string(),
    )
        .into_response()
}
