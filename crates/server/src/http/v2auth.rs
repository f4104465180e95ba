//! etcd 3.4's v2 auth endpoints (`v2http/client_auth.go`): `/v2/auth/enable`,
//! `/v2/auth/users[/name]` and `/v2/auth/roles[/name]`, answered as etcd answers them, the
//! `/v2/keys` and `/v2/members` checks included (`v2authstore`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use oxcd_v2store::path::go_clean;
use serde::Serialize;

use crate::http::plain::{http_error, text};
use crate::http::v2authmodel::{first_value, go_json, AuthError, Permissions, Role, User};
use crate::http::v2authstore::{has_root_access, has_write_root_access, Failure, V2AuthStore};
use crate::http::v2form::path_unescape;
use crate::http::v2form::Form;
use crate::http::v2keys::redirect_unclean;

const AUTH_PREFIX: &str = "/v2/auth";

type Store = Arc<V2AuthStore>;

pub fn router(store: Store) -> Router {
    Router::new()
        .route("/v2/auth/enable", any(enable))
        .route("/v2/auth/users", any(base_users))
        .route("/v2/auth/users/", any(users))
        .route("/v2/auth/users/{*name}", any(users))
        .route("/v2/auth/roles", any(base_roles))
        .route("/v2/auth/roles/", any(roles))
        .route("/v2/auth/roles/{*name}", any(roles))
        .with_state(store)
}

/// Go's redirect of an unclean path, before any handler runs. (etcd then refuses auth with a
/// 500 until the cluster version is decided, a moment after the first start; oxcd does not.)
fn before(method: &Method, uri: &Uri) -> Option<Response> {
    redirect_unclean(method, uri)
}

/// Go's `http.Error` 405 naming the methods allowed, unless `method` is one of them.
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

/// The method check and, for what it guards, the root check: etcd's answer when either fails.
async fn admit(
    store: &V2AuthStore,
    method: &Method,
    headers: &HeaderMap,
    allowed: &[&str],
    reads_open: bool,
) -> Option<Response> {
    if let Some(resp) = refuse_method(method, allowed) {
        return Some(resp);
    }
    let member = store.member();
    let ok = match reads_open {
        true => has_write_root_access(member, method, headers).await,
        false => has_root_access(member, headers).await,
    };
    (!ok).then(no_auth)
}

/// etcd's `writeNoAuth`.
pub fn no_auth() -> Response {
    http_error(StatusCode::UNAUTHORIZED, "Insufficient credentials")
}

/// The answer of an admitted request: etcd sets the cluster ID and the JSON content type
/// before anything else, so every answer (an error, an empty 200) carries both.
fn answer(store: &V2AuthStore, result: Result<(StatusCode, String), Failure>) -> Response {
    let mut resp = match result {
        Ok((status, body)) => (status, body).into_response(),
        Err(Failure::Auth(e)) => http_error(
            StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            &e.message,
        ),
        Err(Failure::Store(e)) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let mut resp = (status, e.to_json_line()).into_response();
            resp.headers_mut()
                .insert("x-etcd-index", HeaderValue::from(e.index));
            resp
        }
        Err(Failure::Internal(e)) => {
            tracing::warn!(error = %e, "v2 auth request failed");
            http_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
        }
    };
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("{:x}", store.member().cluster_id)) {
        headers.insert("x-etcd-cluster-id", v);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// What Go's `json.Encoder` writes: the JSON and a newline.
fn encoded(status: StatusCode, value: &impl Serialize) -> (StatusCode, String) {
    let mut body = go_json(value);
    body.push('\n');
    (status, body)
}

fn bad_request(message: &str) -> Failure {
    Failure::Auth(AuthError {
        status: 400,
        message: message.to_string(),
    })
}

/// Go's `Request.ParseForm` of a GET: a bad query is an error etcd answers with a 500.
fn parse_form(uri: &Uri) -> Result<(), Failure> {
    match Form::parse("GET", None, b"", uri.query().unwrap_or_default()).1 {
        Some(e) => Err(Failure::Internal(e)),
        None => Ok(()),
    }
}

/// What a path under `/v2/auth/users/` or `/v2/auth/roles/` names.
enum Target {
    Collection,
    Named(String),
    /// Deeper than a name: etcd's "Invalid path".
    Invalid,
}

fn target(uri: &Uri) -> Target {
    let path = path_unescape(uri.path());
    let sub = go_clean(path.get(AUTH_PREFIX.len()..).unwrap_or_default());
    let pieces: Vec<&str> = sub.split('/').collect();
    match pieces.as_slice() {
        [_, _] => Target::Collection,
        [_, _, name] => Target::Named(name.to_string()),
        _ => Target::Invalid,
    }
}

fn invalid_path() -> Response {
    http_error(StatusCode::BAD_REQUEST, "Invalid path")
}

// ------------------------------------------------------------------ enable

async fn enable(
    State(store): State<Store>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(resp) = before(&method, &uri) {
        return resp;
    }
    if let Some(resp) = admit(&store, &method, &headers, &["GET", "PUT", "DELETE"], true).await {
        return resp;
    }
    let result = match method.as_str() {
        "GET" => {
            #[derive(Serialize)]
            struct Enabled {
                enabled: bool,
            }
            let enabled = store.auth_enabled();
            Ok(encoded(StatusCode::OK, &Enabled { enabled }))
        }
        "PUT" => store.enable_auth().await.map(|()| empty()),
        _ => store.disable_auth().await.map(|()| empty()),
    };
    answer(&store, result)
}

fn empty() -> (StatusCode, String) {
    (StatusCode::OK, String::new())
}

// ------------------------------------------------------------------ users

/// etcd's `userWithRoles`: a user's name and its roles in full.
#[derive(Serialize)]
struct UserWithRoles {
    user: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<Role>,
}

async fn users(
    State(store): State<Store>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(resp) = before(&method, &uri) {
        return resp;
    }
    match target(&uri) {
        Target::Invalid => invalid_path(),
        Target::Collection => list_users(&store, &method, &uri, &headers).await,
        Target::Named(name) => for_user(&store, &method, &uri, &headers, &body, &name).await,
    }
}

async fn base_users(
    State(store): State<Store>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(resp) = before(&method, &uri) {
        return resp;
    }
    list_users(&store, &method, &uri, &headers).await
}

async fn list_users(
    store: &V2AuthStore,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    if let Some(resp) = admit(store, method, headers, &["GET"], false).await {
        return resp;
    }
    let result = async {
        let names = store.all_users().await?;
        parse_form(uri)?;
        let mut users = Vec::new();
        for name in names {
            let user = store.get_user(&name).await?;
            let mut roles = Vec::new();
            for role in user.roles.iter().flatten() {
                // A role that is gone is left out of the list (but not out of a user's GET).
                if let Ok(role) = store.get_role(role).await {
                    roles.push(role);
                }
            }
            users.push(UserWithRoles {
                user: user.user,
                roles,
            });
        }
        #[derive(Serialize)]
        struct Users {
            users: Option<Vec<UserWithRoles>>,
        }
        let users = (!users.is_empty()).then_some(users);
        Ok(encoded(StatusCode::OK, &Users { users }))
    }
    .await;
    answer(store, result)
}

async fn for_user(
    store: &V2AuthStore,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    name: &str,
) -> Response {
    if let Some(resp) = admit(store, method, headers, &["GET", "PUT", "DELETE"], false).await {
        return resp;
    }
    let result = match method.as_str() {
        "GET" => get_user(store, uri, name).await,
        "PUT" => put_user(store, body, name).await,
        _ => store.delete_user(name).await.map(|()| empty()),
    };
    answer(store, result)
}

async fn get_user(
    store: &V2AuthStore,
    uri: &Uri,
    name: &str,
) -> Result<(StatusCode, String), Failure> {
    let user = store.get_user(name).await?;
    parse_form(uri)?;
    let mut roles = Vec::new();
    for role in user.roles.iter().flatten() {
        roles.push(store.get_role(role).await?);
    }
    Ok(encoded(
        StatusCode::OK,
        &UserWithRoles {
            user: user.user,
            roles,
        },
    ))
}

/// A create (with a password, or with roles), a password change, or a grant or revoke of roles.
async fn put_user(
    store: &V2AuthStore,
    body: &[u8],
    name: &str,
) -> Result<(StatusCode, String), Failure> {
    let user = first_value(body)
        .and_then(|v| User::from_json(&v))
        .map_err(|_| bad_request("Invalid JSON in request body."))?;
    if user.user != name {
        return Err(bad_request(
            "User JSON name does not match the name in the URL",
        ));
    }
    let has_roles = user.roles.as_ref().is_some_and(|r| !r.is_empty());
    let (mut out, created) = if user.grant.is_empty() && user.revoke.is_empty() {
        if has_roles {
            // etcd answers a create with roles with 200, not 201.
            (store.create_user(user).await?, false)
        } else {
            // A name and a password only: a create or a password change, whichever applies.
            store.create_or_update_user(user).await?
        }
    } else {
        if has_roles {
            return Err(bad_request(
                "User JSON contains both roles and grant/revoke",
            ));
        }
        (store.update_user(user).await?, false)
    };
    out.password.clear();
    let status = match created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok(encoded(status, &out))
}

// ------------------------------------------------------------------ roles

async fn roles(
    State(store): State<Store>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(resp) = before(&method, &uri) {
        return resp;
    }
    match target(&uri) {
        Target::Invalid => invalid_path(),
        Target::Collection => list_roles(&store, &method, &uri, &headers).await,
        Target::Named(name) => for_role(&store, &method, &headers, &body, &name).await,
    }
}

async fn base_roles(
    State(store): State<Store>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(resp) = before(&method, &uri) {
        return resp;
    }
    list_roles(&store, &method, &uri, &headers).await
}

async fn list_roles(
    store: &V2AuthStore,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    if let Some(resp) = admit(store, method, headers, &["GET"], false).await {
        return resp;
    }
    let result = async {
        let names = store.all_roles().await?;
        parse_form(uri)?;
        let mut roles = Vec::new();
        for name in names {
            roles.push(store.get_role(&name).await?);
        }
        #[derive(Serialize)]
        struct Roles {
            roles: Vec<Role>,
        }
        Ok(encoded(StatusCode::OK, &Roles { roles }))
    }
    .await;
    answer(store, result)
}

async fn for_role(
    store: &V2AuthStore,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
    name: &str,
) -> Response {
    if let Some(resp) = admit(store, method, headers, &["GET", "PUT", "DELETE"], false).await {
        return resp;
    }
    let result = match method.as_str() {
        "GET" => store
            .get_role(name)
            .await
            .map(|role| encoded(StatusCode::OK, &role)),
        "PUT" => put_role(store, body, name).await,
        _ => store.delete_role(name).await.map(|()| empty()),
    };
    answer(store, result)
}

/// A create (without grant or revoke; the role is stored as sent), or a grant or revoke.
async fn put_role(
    store: &V2AuthStore,
    body: &[u8],
    name: &str,
) -> Result<(StatusCode, String), Failure> {
    let role = first_value(body)
        .and_then(|v| Role::from_json(&v))
        .map_err(|_| bad_request("Invalid JSON in request body."))?;
    if role.role != name {
        return Err(bad_request(
            "Role JSON name does not match the name in the URL",
        ));
    }
    if Permissions::is_empty(&role.grant) && Permissions::is_empty(&role.revoke) {
        store.create_role(&role).await?;
        return Ok(encoded(StatusCode::CREATED, &role));
    }
    if !Permissions::is_empty(&Some(role.permissions.clone())) {
        return Err(bad_request(
            "Role JSON contains both permissions and grant/revoke",
        ));
    }
    let out = store.update_role(&role).await?;
    Ok(encoded(StatusCode::OK, &out))
}
