//! etcd 3.4's v2 cluster endpoints: `/v2/members` (list, add, remove, update, leader),
//! `/v2/machines` and `/v2/stats/{store,self,leader}`, answered as etcd's `v2http` answers.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use oxcd_proto::etcdserverpb::Member as MemberPb;

use crate::config::parse_urls;
use crate::error::ServerError;
use crate::http::plain::{http_error, text};
use crate::http::v2auth;
use crate::http::v2authstore::{has_write_root_access, V2AuthStore};
use crate::http::v2keys;
use crate::member::Member;
use crate::state::v2::now_unix_nanos;
use oxcd_v2store::event::format_go_time;

#[derive(Clone)]
struct V2State {
    member: Arc<Member>,
    /// When this member started serving v2: for uptime, and in Unix nanoseconds for display.
    started: (Instant, i64),
}

/// Every v2 endpoint, served only with `--enable-v2`.
pub fn router(member: Arc<Member>) -> Router {
    let auth = v2auth::router(Arc::new(V2AuthStore::new(member.clone())));
    let keys = Router::new()
        .route("/v2/keys", any(v2keys::keys))
        .route("/v2/keys/", any(v2keys::keys))
        .route("/v2/keys/{*key}", any(v2keys::keys))
        .with_state(member.clone());
    let state = V2State {
        member,
        started: (Instant::now(), now_unix_nanos()),
    };
    Router::new()
        .route("/v2/members", any(members))
        .route("/v2/members/", any(members))
        .route("/v2/members/{*id}", any(members))
        .route("/v2/machines", any(machines))
        .route("/v2/stats/store", any(stats_store))
        .route("/v2/stats/self", any(stats_self))
        .route("/v2/stats/leader", any(stats_leader))
        .with_state(state)
        .merge(keys)
        .merge(auth)
}

/// Go's `http.Error` 405 with the methods allowed, or none when `method` is one of them.
fn refuse_method(method: &Method, allowed: &[&str]) -> Option<Response> {
    if allowed.contains(&method.as_str()) {
        return None;
    }
    let mut resp = text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n");
    if let Ok(v) = HeaderValue::from_str(&allowed.join(",")) {
        resp.headers_mut().insert(header::ALLOW, v);
    }
    Some(resp)
}

/// A JSON answer as Go's `json.Encoder` writes it (fields in the struct's order, a newline).
fn json_line(status: StatusCode, value: &impl serde::Serialize) -> Response {
    let mut body = serde_json::to_string(value).unwrap_or_default();
    body.push('\n');
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A JSON answer as Go's `json.Marshal` writes it (no newline).
fn json(value: &impl serde::Serialize) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(value).unwrap_or_default(),
    )
        .into_response()
}

/// etcd's `httptypes.Member`, fields in Go's order.
#[derive(serde::Serialize)]
struct MemberJson<'a> {
    id: String,
    name: &'a str,
    #[serde(rename = "peerURLs")]
    peer_urls: &'a [String],
    #[serde(rename = "clientURLs")]
    client_urls: &'a [String],
}

fn member_json(m: &MemberPb) -> MemberJson<'_> {
    MemberJson {
        id: format!("{:x}", m.id),
        name: &m.name,
        peer_urls: &m.peer_ur_ls,
        client_urls: &m.client_ur_ls,
    }
}

async fn members(
    State(s): State<V2State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(resp) = refuse_method(&method, &["GET", "POST", "DELETE", "PUT"]) {
        return resp;
    }
    let member = &s.member;
    if !has_write_root_access(member, &method, &headers).await {
        return v2auth::no_auth();
    }
    let rest = uri
        .path()
        .strip_prefix("/v2/members")
        .unwrap_or_default()
        .trim_start_matches('/')
        .to_string();
    let mut resp = match method.as_str() {
        "GET" => match rest.as_str() {
            "" => {
                #[derive(serde::Serialize)]
                struct Members<'a> {
                    members: Vec<MemberJson<'a>>,
                }
                let list = member.membership.list();
                let members = list.iter().map(member_json).collect();
                json_line(StatusCode::OK, &Members { members })
            }
            "leader" => match member.membership.get(member.leader()) {
                Some(leader) if member.leader() != 0 => {
                    json_line(StatusCode::OK, &member_json(&leader))
                }
                _ => http_error(StatusCode::SERVICE_UNAVAILABLE, "During election"),
            },
            _ => http_error(StatusCode::NOT_FOUND, "Not found"),
        },
        "POST" => match peer_urls(&headers, &body) {
            Err((status, message)) => http_error(status, &message),
            Ok(urls) => match member.add_member(urls, false).await {
                Ok(added) => json_line(StatusCode::CREATED, &member_json(&added)),
                Err(e) => membership_error(e, ""),
            },
        },
        _ => {
            if rest.is_empty() {
                return text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n");
            }
            let Ok(id) = u64::from_str_radix(&rest, 16) else {
                return http_error(StatusCode::NOT_FOUND, &format!("No such member: {rest}"));
            };
            let result = if method == Method::DELETE {
                member.remove_member(id).await
            } else {
                match peer_urls(&headers, &body) {
                    Err((status, message)) => return http_error(status, &message),
                    Ok(urls) => member.update_member(id, urls).await,
                }
            };
            match result {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err(e) => membership_error(e, &format!("{id:x}")),
            }
        }
    };
    if let Ok(v) = HeaderValue::from_str(&format!("{:x}", member.cluster_id)) {
        resp.headers_mut().insert("x-etcd-cluster-id", v);
    }
    resp
}

/// The `peerURLs` of a JSON member request, with etcd's answers for a bad one.
fn peer_urls(headers: &HeaderMap, body: &[u8]) -> Result<Vec<String>, (StatusCode, String)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media_type != "application/json" {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Bad Content-Type {media_type}, accept application/json"),
        ));
    }
    #[derive(serde::Deserialize)]
    struct Request {
        #[serde(rename = "peerURLs", default)]
        peer_urls: Vec<String>,
    }
    let req: Request =
        serde_json::from_slice(body).map_err(|e| (StatusCode::BAD_REQUEST, e.to_string()))?;
    parse_urls(&req.peer_urls.join(",")).map_err(|e| (StatusCode::BAD_REQUEST, e))
}

fn membership_error(e: ServerError, id: &str) -> Response {
    match e {
        ServerError::PeerUrlExists => {
            http_error(StatusCode::CONFLICT, "membership: peerURL exists")
        }
        ServerError::MemberExists => http_error(StatusCode::CONFLICT, "membership: ID exists"),
        ServerError::MemberNotFound => {
            http_error(StatusCode::NOT_FOUND, &format!("No such member: {id}"))
        }
        other => text_error(other),
    }
}

/// Anything else is Go's plain 500.
fn text_error(e: ServerError) -> Response {
    tracing::warn!(error = %e, "v2 members request failed");
    text(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error\n")
}

async fn machines(State(s): State<V2State>, method: Method) -> Response {
    if let Some(resp) = refuse_method(&method, &["GET", "HEAD"]) {
        return resp;
    }
    let mut urls: Vec<String> = s
        .member
        .membership
        .list()
        .into_iter()
        .flat_map(|m| m.client_ur_ls)
        .collect();
    urls.sort();
    (StatusCode::OK, urls.join(", ")).into_response()
}

async fn stats_store(State(s): State<V2State>, method: Method) -> Response {
    if let Some(resp) = refuse_method(&method, &["GET"]) {
        return resp;
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        s.member.v2.stats_json(),
    )
        .into_response()
}

/// etcd's `ServerStats`, as far as oxcd tracks them: identity, raft state, start time and the
/// leader. The append counters and rates etcd keeps per peer are not tracked (reported as 0).
async fn stats_self(State(s): State<V2State>, method: Method) -> Response {
    if let Some(resp) = refuse_method(&method, &["GET"]) {
        return resp;
    }
    let member = &s.member;
    let leader = member.leader();
    let state = if leader == member.id {
        "StateLeader"
    } else {
        "StateFollower"
    };
    let name = member
        .membership
        .get(member.id)
        .map(|m| m.name)
        .unwrap_or_default();
    let started = format_go_time(s.started.1);
    json(&SelfStats {
        name,
        id: format!("{:x}", member.id),
        state,
        start_time: started.clone(),
        leader_info: LeaderInfo {
            leader: format!("{leader:x}"),
            uptime: format!("{:?}", s.started.0.elapsed()),
            start_time: started,
        },
        recv_append_request_cnt: 0,
        send_append_request_cnt: 0,
    })
}

/// etcd's `serverStats` JSON, fields in Go's order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SelfStats {
    name: String,
    id: String,
    state: &'static str,
    start_time: String,
    leader_info: LeaderInfo,
    recv_append_request_cnt: u64,
    send_append_request_cnt: u64,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct LeaderInfo {
    leader: String,
    uptime: String,
    start_time: String,
}

/// etcd's `LeaderStats`, on the leader only. Follower latencies are not tracked, so the
/// followers map lists none.
async fn stats_leader(State(s): State<V2State>, method: Method) -> Response {
    if let Some(resp) = refuse_method(&method, &["GET"]) {
        return resp;
    }
    let member = &s.member;
    if member.leader() != member.id {
        return http_error(StatusCode::FORBIDDEN, "not current leader");
    }
    #[derive(serde::Serialize)]
    struct LeaderStats {
        leader: String,
        followers: std::collections::BTreeMap<String, ()>,
    }
    json(&LeaderStats {
        leader: format!("{:x}", member.id),
        followers: Default::default(),
    })
}
