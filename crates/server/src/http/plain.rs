//! Plain-text responses, as Go's net/http writes its errors.

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
