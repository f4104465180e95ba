//! etcd's access controller on the HTTP side of the client URLs: CORS headers for the allowed
//! origins (`--cors`, all by default) on every answer, and `OPTIONS` answered at once with 200,
//! so browser dashboards and tools that preflight work as against etcd.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The origins `--cors` allows; `*` (or nothing) allows every origin.
#[derive(Clone)]
pub struct Cors {
    origins: Arc<Vec<String>>,
}

impl Cors {
    pub fn new(flag: &str) -> Cors {
        let origins: Vec<String> = flag
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(String::from)
            .collect();
        Cors {
            origins: Arc::new(origins),
        }
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, if it is allowed.
    fn allowed(&self, origin: Option<&str>) -> Option<String> {
        if self.origins.is_empty() || self.origins.iter().any(|o| o == "*") {
            return Some("*".to_string());
        }
        origin
            .filter(|o| self.origins.iter().any(|a| a == o))
            .map(String::from)
    }
}

pub async fn layer(cors: Cors, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let allowed = cors.allowed(origin);
    let mut resp = if req.method() == Method::OPTIONS {
        StatusCode::OK.into_response()
    } else {
        next.run(req).await
    };
    if let Some(origin) = allowed.and_then(|o| HeaderValue::from_str(&o).ok()) {
        let headers = resp.headers_mut();
        headers.append(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST, GET, OPTIONS, PUT, DELETE"),
        );
        headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.append(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("accept, content-type, authorization"),
        );
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_allowed_as_etcd_allows_them() {
        assert_eq!(Cors::new("*").allowed(None).as_deref(), Some("*"));
        assert_eq!(Cors::new("").allowed(Some("x")).as_deref(), Some("*"));
        let some = Cors::new("https://a.example, https://b.example");
        assert_eq!(
            some.allowed(Some("https://b.example")).as_deref(),
            Some("https://b.example")
        );
        assert_eq!(some.allowed(Some("https://c.example")), None);
        assert_eq!(some.allowed(None), None);
    }
}
