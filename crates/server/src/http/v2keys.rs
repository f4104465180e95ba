//! etcd 3.4's v2 keys API, `/v2/keys[/path]`: reads and waits served by this member, writes
//! through raft, every answer (headers, status, JSON, error codes and causes) as etcd's
//! `v2http` writes it.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxcd_proto::oxcdpb::V2Request;
use oxcd_v2store::error::{
    INDEX_NAN, INVALID_FIELD, INVALID_FORM, PREV_VALUE_REQUIRED, REFRESH_TTL_REQUIRED,
    REFRESH_VALUE, TTL_NAN, UNAUTHORIZED,
};
use oxcd_v2store::path::go_clean;
use oxcd_v2store::{Action, Event, V2Error, Watcher};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use crate::http::plain::text;
use crate::http::v2authstore::has_key_prefix_access;
use crate::http::v2form::{path_unescape, Form};
use crate::member::Member;
use crate::state::v2::{now_unix_nanos, KEYS_PREFIX};

const KEYS_ROUTE: &str = "/v2/keys";
const ALLOWED: &str = "HEAD,GET,PUT,POST,DELETE";

/// A parsed keys request (etcd's `parseKeyRequest`).
struct KeyRequest {
    write: V2Request,
    wait: bool,
    since: u64,
    sorted: bool,
    quorum: bool,
    stream: bool,
    no_value_on_success: bool,
}

pub async fn keys(
    State(member): State<Arc<Member>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !matches!(method.as_str(), "HEAD" | "GET" | "PUT" | "POST" | "DELETE") {
        let mut resp = text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n");
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(ALLOWED));
        return resp;
    }
    if let Some(redirect) = redirect_unclean(&method, &uri) {
        return redirect;
    }
    let cluster_id = format!("{:x}", member.cluster_id);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let request = match parse(
        method.as_str(),
        uri.path(),
        uri.query().unwrap_or_default(),
        content_type,
        &body,
    ) {
        Ok(r) => r,
        Err(e) => return error(&cluster_id, e),
    };
    // The path is valid here: parsing succeeded.
    let key = path_unescape(uri.path());
    let key = key.get(KEYS_ROUTE.len()..).unwrap_or_default();
    if !has_key_prefix_access(&member, &method, &headers, key, request.write.recursive).await {
        return error(
            &cluster_id,
            V2Error::request(UNAUTHORIZED, "Insufficient credentials"),
        );
    }
    let result = match method.as_str() {
        "GET" | "HEAD" if request.wait => {
            match member.v2.watch(
                &request.write.path,
                request.write.recursive,
                request.stream,
                request.since,
            ) {
                Ok(watcher) => {
                    return watch_response(&member, &cluster_id, watcher, request.stream)
                }
                Err(e) => Err(e),
            }
        }
        "GET" | "HEAD" => {
            member
                .v2_get(
                    &request.write.path,
                    request.write.recursive,
                    request.sorted,
                    request.quorum,
                )
                .await
        }
        _ => member.v2_write(request.write).await,
    };
    match result {
        Ok(event) => event_response(&member, &cluster_id, event, request.no_value_on_success),
        Err(e) => error(&cluster_id, e.trim_cause_prefix(KEYS_PREFIX)),
    }
}

fn parse(
    method: &str,
    raw_path: &str,
    query: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<KeyRequest, V2Error> {
    let (form, form_error) = Form::parse(method, content_type, body, query);
    if let Some(cause) = form_error {
        return Err(V2Error::request(INVALID_FORM, cause));
    }
    let Some(key) = raw_path.strip_prefix(KEYS_ROUTE) else {
        return Err(V2Error::request(INVALID_FORM, "incorrect key prefix"));
    };
    let key = path_unescape(key);
    let path = go_clean(&format!("{KEYS_PREFIX}/{key}"));
    let invalid =
        |name: &str| V2Error::request(INVALID_FIELD, format!("invalid value for \"{name}\""));
    let prev_index = form
        .uint("prevIndex")
        .ok_or_else(|| V2Error::request(INDEX_NAN, "invalid value for \"prevIndex\""))?;
    let since = form
        .uint("waitIndex")
        .ok_or_else(|| V2Error::request(INDEX_NAN, "invalid value for \"waitIndex\""))?;
    let recursive = form.bool("recursive").ok_or_else(|| invalid("recursive"))?;
    let sorted = form.bool("sorted").ok_or_else(|| invalid("sorted"))?;
    let wait = form.bool("wait").ok_or_else(|| invalid("wait"))?;
    let dir = form.bool("dir").ok_or_else(|| invalid("dir"))?;
    let quorum = form.bool("quorum").ok_or_else(|| invalid("quorum"))?;
    let stream = form.bool("stream").ok_or_else(|| invalid("stream"))?;
    if wait && method != "GET" {
        return Err(V2Error::request(
            INVALID_FIELD,
            "\"wait\" can only be used with GET requests",
        ));
    }
    let prev_value = form.value("prevValue").to_string();
    if form.has("prevValue") && prev_value.is_empty() {
        return Err(V2Error::request(
            PREV_VALUE_REQUIRED,
            "\"prevValue\" cannot be empty",
        ));
    }
    let no_value_on_success = form
        .bool("noValueOnSuccess")
        .ok_or_else(|| invalid("noValueOnSuccess"))?;
    // An empty ttl is no TTL (an update with `ttl=` makes a key permanent).
    let ttl = if form.value("ttl").is_empty() {
        None
    } else {
        Some(
            form.uint("ttl")
                .ok_or_else(|| V2Error::request(TTL_NAN, "invalid value for \"ttl\""))?,
        )
    };
    let prev_exist = if form.has("prevExist") {
        Some(
            form.bool("prevExist")
                .ok_or_else(|| V2Error::request(INVALID_FIELD, "invalid value for prevExist"))?,
        )
    } else {
        None
    };
    let mut refresh = false;
    if form.has("refresh") {
        refresh = form
            .bool("refresh")
            .ok_or_else(|| V2Error::request(INVALID_FIELD, "invalid value for refresh"))?;
        if refresh {
            if form.has("value") && !form.value("value").is_empty() {
                return Err(V2Error::request(
                    REFRESH_VALUE,
                    "A value was provided on a refresh",
                ));
            }
            if ttl.is_none() {
                return Err(V2Error::request(REFRESH_TTL_REQUIRED, "No TTL value set"));
            }
        }
    }
    let expiration = ttl.map_or(0, |secs| {
        now_unix_nanos().saturating_add((secs as i64).saturating_mul(1_000_000_000))
    });
    Ok(KeyRequest {
        write: V2Request {
            method: method.to_string(),
            path,
            value: form.value("value").to_string(),
            dir,
            prev_value,
            prev_index,
            prev_exist,
            expiration,
            recursive,
            refresh,
            time: 0,
        },
        wait,
        since,
        sorted,
        quorum,
        stream,
        no_value_on_success,
    })
}

/// The headers every event answer carries.
fn event_headers(member: &Member, cluster_id: &str, etcd_index: u64) -> HeaderMap {
    let (raft_index, raft_term) = member.v2_raft_position();
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    set("x-etcd-cluster-id", cluster_id.to_string());
    set("content-type", "application/json".to_string());
    set("x-etcd-index", etcd_index.to_string());
    set("x-raft-index", raft_index.to_string());
    set("x-raft-term", raft_term.to_string());
    headers
}

fn event_response(
    member: &Member,
    cluster_id: &str,
    mut event: Event,
    no_value_on_success: bool,
) -> Response {
    let headers = event_headers(member, cluster_id, event.etcd_index);
    let status = if event.is_created() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    event.trim_prefix(KEYS_PREFIX);
    let mut body = if no_value_on_success
        && matches!(
            event.action,
            Action::Set | Action::CompareAndSwap | Action::Create | Action::Update
        ) {
        // etcd drops both nodes, which leaves `{"action":...}`.
        serde_json::json!({ "action": event.action.as_str() }).to_string()
    } else {
        serde_json::to_string(&event).unwrap_or_default()
    };
    body.push('\n');
    (status, headers, body).into_response()
}

/// A long poll (or a stream of events): headers at once with the index the watch started at,
/// then each event as a JSON line as it happens; a long poll ends after its first event, a
/// stream when the watcher is dropped for falling behind.
fn watch_response(member: &Member, cluster_id: &str, watcher: Watcher, stream: bool) -> Response {
    let headers = event_headers(member, cluster_id, watcher.start_index);
    let limit = if stream { usize::MAX } else { 1 };
    let events = ReceiverStream::new(watcher.events)
        .take(limit)
        .map(|mut event| {
            event.trim_prefix(KEYS_PREFIX);
            let mut line = serde_json::to_string(&event).unwrap_or_default();
            line.push('\n');
            Ok::<_, std::convert::Infallible>(Bytes::from(line))
        });
    (StatusCode::OK, headers, Body::from_stream(events)).into_response()
}

fn error(cluster_id: &str, e: V2Error) -> Response {
    let mut resp = (
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
        e.to_json_line(),
    )
        .into_response();
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(cluster_id) {
        headers.insert("x-etcd-cluster-id", v);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("x-etcd-index", HeaderValue::from(e.index));
    resp
}

/// Go's `ServeMux` sends a request for a path that is not clean (`//`, `.`, `..`) to the clean
/// one with a 301, so such keys never reach the store (nor escape its namespace).
pub fn redirect_unclean(method: &Method, uri: &Uri) -> Option<Response> {
    // Go compares the decoded path with its cleaned form, and writes the cleaned one escaped.
    let path = path_unescape(uri.path());
    let mut clean = go_clean(&path);
    if path.ends_with('/') && clean != "/" {
        clean.push('/');
    }
    if clean == path {
        return None;
    }
    let mut location = escape_path(&clean);
    if let Some(q) = uri.query() {
        location.push('?');
        location.push_str(q);
    }
    let mut resp = if method == Method::GET || method == Method::HEAD {
        let href = location
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&#34;")
            .replace('\'', "&#39;");
        (
            StatusCode::MOVED_PERMANENTLY,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!("<a href=\"{href}\">Moved Permanently</a>.\n\n"),
        )
            .into_response()
    } else {
        StatusCode::MOVED_PERMANENTLY.into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Some(resp)
}

/// Go's path escaping (`url.URL.EscapedPath` of a path with no raw form).
fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unescaped_as_go_unescapes_them() {
        assert_eq!(path_unescape("/a%20b+c%2"), "/a b+c%2");
        assert_eq!(escape_path("/a b/é?x"), "/a%20b/%C3%A9%3Fx");
        let uri: Uri = "/v2/keys/%2Fdouble//slash?x=1".parse().unwrap();
        let r = redirect_unclean(&Method::PUT, &uri).expect("redirected");
        assert_eq!(r.headers()[header::LOCATION], "/v2/keys/double/slash?x=1");
        let uri: Uri = "/v2/keys/a%2Fb/".parse().unwrap();
        assert!(redirect_unclean(&Method::GET, &uri).is_none());
    }

    #[test]
    fn form_errors_are_etcds() {
        let e = |method, query| parse(method, "/v2/keys/k", query, None, b"").err();
        assert_eq!(
            e("PUT", "ttl=abc").map(|e| (e.code, e.cause)),
            Some((TTL_NAN, "invalid value for \"ttl\"".into()))
        );
        assert_eq!(e("PUT", "prevIndex=x").map(|e| e.code), Some(INDEX_NAN));
        assert_eq!(
            e("PUT", "wait=true").map(|e| e.cause),
            Some("\"wait\" can only be used with GET requests".into())
        );
        assert_eq!(
            e("PUT", "prevValue=").map(|e| e.code),
            Some(PREV_VALUE_REQUIRED)
        );
        assert_eq!(
            e("PUT", "refresh=true&value=v&ttl=5").map(|e| e.code),
            Some(REFRESH_VALUE)
        );
        assert_eq!(
            e("PUT", "refresh=true").map(|e| e.code),
            Some(REFRESH_TTL_REQUIRED)
        );
        assert_eq!(
            e("PUT", "prevExist=maybe").map(|e| e.cause),
            Some("invalid value for prevExist".into())
        );
        assert_eq!(e("GET", "recursive=2").map(|e| e.code), Some(INVALID_FIELD));
        assert!(e("PUT", "ttl=").is_none(), "an empty ttl is no ttl");
    }
}
