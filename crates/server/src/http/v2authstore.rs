//! etcd 3.4's v2 auth store (`v2auth.store`) and its access checks (`v2http/client_auth.go`).
//!
//! As in etcd, users, roles and the enabled flag are nodes of the v2 store under `/2`
//! (`/2/users/<name>`, `/2/roles/<name>`, `/2/enabled`), read from this member's store and
//! written through raft as v2 requests, so they replicate, persist and come back from snapshots
//! with the rest of the v2 store. `/2` is not one of the store's namespaces: etcd makes it (and
//! `users`, `roles`, `enabled`) with the first auth write after a start, and those writes take
//! store indexes a client sees in `X-Etcd-Index`.
//!
//! v2 auth is independent of v3 auth, as in etcd 3.4.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::http::{header, HeaderMap, Method};
use base64::Engine;
use oxcd_proto::oxcdpb::V2Request;
use oxcd_v2store::error::{KEY_NOT_FOUND, NODE_EXIST};
use oxcd_v2store::{Event, V2Error};

use crate::http::v2authmodel::{
    auth_err, default_guest_role, first_value, go_json, root_role, AuthError, Role, User,
    GUEST_ROLE, ROOT_ROLE,
};
use crate::member::Member;

const PREFIX: &str = "/2";
const ENABLED: &str = "/2/enabled";
/// Go's `bcrypt.DefaultCost`, which etcd's v2 auth always uses (`--bcrypt-cost` is v3's).
const BCRYPT_COST: u32 = 10;

/// Why an auth operation failed, each written as etcd writes it.
#[derive(Debug)]
pub enum Failure {
    /// `v2auth.Error` or `httptypes.HTTPError`: `{"message":...}`.
    Auth(AuthError),
    /// A v2 store error: its own JSON, with `X-Etcd-Index`.
    Store(V2Error),
    /// Anything else: Go's `{"message":"Internal Server Error"}`.
    Internal(String),
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Failure {
        Failure::Auth(e)
    }
}

impl From<V2Error> for Failure {
    fn from(e: V2Error) -> Failure {
        Failure::Store(e)
    }
}

/// The writing side, one per server as etcd's store is one per process: it remembers whether
/// the `/2` directories were made since this process started.
pub struct V2AuthStore {
    member: Arc<Member>,
    ensured: AtomicBool,
}

impl V2AuthStore {
    pub fn new(member: Arc<Member>) -> V2AuthStore {
        V2AuthStore {
            member,
            ensured: AtomicBool::new(false),
        }
    }

    pub fn member(&self) -> &Member {
        &self.member
    }

    pub fn auth_enabled(&self) -> bool {
        auth_enabled(&self.member)
    }

    pub async fn all_users(&self) -> Result<Vec<String>, Failure> {
        self.children("/2/users").await
    }

    pub async fn get_user(&self, name: &str) -> Result<User, Failure> {
        get_user(&self.member, name, false).await
    }

    pub async fn get_role(&self, name: &str) -> Result<Role, Failure> {
        get_role(&self.member, name, false).await
    }

    /// etcd's `CreateOrUpdateUser`: an update when the user exists; whether it was created.
    pub async fn create_or_update_user(&self, user: User) -> Result<(User, bool), Failure> {
        if get_user(&self.member, &user.user, true).await.is_ok() {
            return Ok((self.update_user(user).await?, false));
        }
        Ok((self.create_user(user).await?, true))
    }

    pub async fn create_user(&self, mut user: User) -> Result<User, Failure> {
        if user.user == ROOT_ROLE {
            user = user.with_root_role();
        }
        if user.password.is_empty() {
            return Err(auth_err(
                400,
                format!("Cannot create user {} with an empty password", user.user),
            )
            .into());
        }
        user.password = hash_password(user.password).await?;
        let path = user_path(&user.user)?;
        match self.set(&path, go_json(&user), false).await {
            Err(Failure::Store(e)) if e.code == NODE_EXIST => {
                Err(auth_err(409, format!("User {} already exists.", user.user)).into())
            }
            Err(e) => Err(e),
            Ok(_) => {
                tracing::info!(user = %user.user, "v2 auth: created a user");
                Ok(user)
            }
        }
    }

    pub async fn delete_user(&self, name: &str) -> Result<(), Failure> {
        if self.auth_enabled() && name == ROOT_ROLE {
            return Err(auth_err(403, "Cannot delete root user while auth is enabled.").into());
        }
        match self.delete(&user_path(name)?).await {
            Err(Failure::Store(e)) if e.code == KEY_NOT_FOUND => {
                Err(auth_err(404, format!("User {name} does not exist")).into())
            }
            other => other,
        }
    }

    pub async fn update_user(&self, user: User) -> Result<User, Failure> {
        let old = get_user(&self.member, &user.user, true).await?;
        let hash = match user.password.is_empty() || old.user != user.user {
            true => None,
            false => Some(hash_password(user.password.clone()).await?),
        };
        let new = old.merge(&user, hash)?;
        if new == old {
            return Err(auth_err(
                400,
                "User not updated. Use grant/revoke/password to update the user.",
            )
            .into());
        }
        self.set(&user_path(&user.user)?, go_json(&new), true)
            .await?;
        Ok(new)
    }

    /// Every role's name, the built-in root first among equals (sorted).
    pub async fn all_roles(&self) -> Result<Vec<String>, Failure> {
        let mut roles = self.children("/2/roles").await?;
        roles.push(ROOT_ROLE.to_string());
        roles.sort();
        Ok(roles)
    }

    /// Stores `role` as given (etcd keeps an empty `grant` or `revoke` in it too).
    pub async fn create_role(&self, role: &Role) -> Result<(), Failure> {
        if role.role == ROOT_ROLE {
            return Err(is_root(&role.role));
        }
        match self
            .set(&role_path(&role.role)?, go_json(role), false)
            .await
        {
            Err(Failure::Store(e)) if e.code == NODE_EXIST => {
                Err(auth_err(409, format!("Role {} already exists.", role.role)).into())
            }
            Err(e) => Err(e),
            Ok(_) => {
                tracing::info!(role = %role.role, "v2 auth: created a role");
                Ok(())
            }
        }
    }

    pub async fn delete_role(&self, name: &str) -> Result<(), Failure> {
        if name == ROOT_ROLE {
            return Err(is_root(name));
        }
        match self.delete(&role_path(name)?).await {
            Err(Failure::Store(e)) if e.code == KEY_NOT_FOUND => {
                Err(auth_err(404, format!("Role {name} doesn't exist.")).into())
            }
            other => other,
        }
    }

    pub async fn update_role(&self, role: &Role) -> Result<Role, Failure> {
        if role.role == ROOT_ROLE {
            return Err(is_root(&role.role));
        }
        let old = get_role(&self.member, &role.role, true).await?;
        let new = old.merge(role)?;
        if new == old {
            return Err(auth_err(
                400,
                "Role not updated. Use grant/revoke to update the role.",
            )
            .into());
        }
        self.set(&role_path(&role.role)?, go_json(&new), true)
            .await?;
        Ok(new)
    }

    /// Turns auth on: a root user must exist; a guest role that may do everything is made when
    /// there is none.
    pub async fn enable_auth(&self) -> Result<(), Failure> {
        if self.auth_enabled() {
            return Err(auth_err(409, "already enabled").into());
        }
        if get_user(&self.member, ROOT_ROLE, true).await.is_err() {
            return Err(auth_err(409, "No root user available, please create one").into());
        }
        if get_role(&self.member, GUEST_ROLE, true).await.is_err() {
            tracing::info!("v2 auth: no guest role found, creating the default one");
            self.create_role(&default_guest_role()).await?;
        }
        self.set(ENABLED, "true".to_string(), true).await?;
        tracing::info!("v2 auth: enabled");
        Ok(())
    }

    pub async fn disable_auth(&self) -> Result<(), Failure> {
        if !self.auth_enabled() {
            return Err(auth_err(409, "already disabled").into());
        }
        self.set(ENABLED, "false".to_string(), true).await?;
        tracing::info!("v2 auth: disabled");
        Ok(())
    }

    /// The names under a directory of `/2`, sorted; none when it does not exist.
    async fn children(&self, dir: &str) -> Result<Vec<String>, Failure> {
        let event = match self.member.v2.get(dir, false, false) {
            Err(e) if e.code == KEY_NOT_FOUND => return Ok(Vec::new()),
            other => other?,
        };
        let mut names: Vec<String> = event
            .node
            .nodes
            .iter()
            .flatten()
            .map(|n| n.key.rsplit('/').next().unwrap_or_default().to_string())
            .collect();
        names.sort();
        Ok(names)
    }

    /// etcd's `setResource`: a PUT that must (or must not) find the node.
    async fn set(&self, path: &str, value: String, prev_exist: bool) -> Result<Event, Failure> {
        self.ensure_directories().await?;
        let req = V2Request {
            method: "PUT".into(),
            path: path.to_string(),
            value,
            prev_exist: Some(prev_exist),
            ..Default::default()
        };
        Ok(self.member.v2_write(req).await?)
    }

    async fn delete(&self, path: &str) -> Result<(), Failure> {
        self.ensure_directories().await?;
        let req = V2Request {
            method: "DELETE".into(),
            path: path.to_string(),
            prev_exist: Some(true),
            ..Default::default()
        };
        self.member.v2_write(req).await?;
        Ok(())
    }

    /// etcd's `ensureAuthDirectories`: once per process, `/2`, `/2/users`, `/2/roles` and
    /// `/2/enabled` (false) made unless they exist.
    async fn ensure_directories(&self) -> Result<(), Failure> {
        if self.ensured.load(Ordering::Acquire) {
            return Ok(());
        }
        for dir in [PREFIX, "/2/users", "/2/roles"] {
            let req = V2Request {
                method: "PUT".into(),
                path: dir.to_string(),
                dir: true,
                prev_exist: Some(false),
                ..Default::default()
            };
            match self.member.v2_write(req).await {
                Err(e) if e.code != NODE_EXIST => {
                    tracing::warn!(error = %e, "v2 auth: could not make the auth directories");
                    return Err(e.into());
                }
                _ => {}
            }
        }
        let req = V2Request {
            method: "PUT".into(),
            path: ENABLED.to_string(),
            value: "false".into(),
            prev_exist: Some(false),
            ..Default::default()
        };
        match self.member.v2_write(req).await {
            Err(e) if e.code != NODE_EXIST => Err(e.into()),
            _ => {
                self.ensured.store(true, Ordering::Release);
                Ok(())
            }
        }
    }
}

fn is_root(name: &str) -> Failure {
    auth_err(403, format!("Cannot modify role {name}: is root role.")).into()
}

/// A user's node. etcd joins the name into the path and cleans it, so a name holding `/` or
/// `..` would read some other node (even a user key under `/1` crafted as a user record); here
/// such names, which the API can never create, name no one.
fn user_path(name: &str) -> Result<String, Failure> {
    node_path("users", name)
        .ok_or_else(|| auth_err(404, format!("User {name} does not exist.")).into())
}

fn role_path(name: &str) -> Result<String, Failure> {
    node_path("roles", name)
        .ok_or_else(|| auth_err(404, format!("Role {name} does not exist.")).into())
}

fn node_path(kind: &str, name: &str) -> Option<String> {
    let segment = !name.is_empty() && name != "." && name != ".." && !name.contains('/');
    segment.then(|| format!("{PREFIX}/{kind}/{name}"))
}

/// Whether v2 auth is on: `/2/enabled` holds JSON `true` (anything else is off, as in etcd).
pub fn auth_enabled(member: &Member) -> bool {
    member
        .v2
        .get(ENABLED, false, false)
        .ok()
        .and_then(|e| e.node.value)
        .and_then(|v| serde_json::from_str::<bool>(&v).ok())
        .unwrap_or(false)
}

/// A node's value from this member's store, or after the read barrier for `quorum`.
async fn read(member: &Member, path: &str, quorum: bool) -> Result<String, Failure> {
    let event = match quorum {
        true => member.v2_get(path, false, false, true).await?,
        false => member.v2.get(path, false, false)?,
    };
    event
        .node
        .value
        .ok_or_else(|| Failure::Internal(format!("{path} is a directory")))
}

pub async fn get_user(member: &Member, name: &str, quorum: bool) -> Result<User, Failure> {
    let json = match read(member, &user_path(name)?, quorum).await {
        Err(Failure::Store(e)) if e.code == KEY_NOT_FOUND => {
            return Err(auth_err(404, format!("User {name} does not exist.")).into())
        }
        other => other?,
    };
    let user = first_value(json.as_bytes())
        .and_then(|v| User::from_json(&v))
        .map_err(|_| Failure::Internal(format!("user {name} is not valid JSON")))?;
    Ok(match user.user == ROOT_ROLE {
        true => user.with_root_role(),
        false => user,
    })
}

pub async fn get_role(member: &Member, name: &str, quorum: bool) -> Result<Role, Failure> {
    if name == ROOT_ROLE {
        return Ok(root_role());
    }
    let json = match read(member, &role_path(name)?, quorum).await {
        Err(Failure::Store(e)) if e.code == KEY_NOT_FOUND => {
            return Err(auth_err(404, format!("Role {name} does not exist.")).into())
        }
        other => other?,
    };
    first_value(json.as_bytes())
        .and_then(|v| Role::from_json(&v))
        .map_err(|_| Failure::Internal(format!("role {name} is not valid JSON")))
}

async fn hash_password(password: String) -> Result<String, Failure> {
    tokio::task::spawn_blocking(move || {
        bcrypt::hash_with_result(password, BCRYPT_COST)
            .map(|h| h.format_for_version(bcrypt::Version::TwoA))
    })
    .await
    .map_err(|e| Failure::Internal(e.to_string()))?
    .map_err(|e| Failure::Internal(e.to_string()))
}

async fn check_password(user: &User, password: Vec<u8>) -> bool {
    let hash = user.password.clone();
    tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash).unwrap_or(false))
        .await
        .unwrap_or(false)
}

// ------------------------------------------------------------------ access checks

/// The `Authorization` header, when it holds something (etcd treats an empty one as absent).
fn authorization(headers: &HeaderMap) -> Option<&[u8]> {
    headers
        .get(header::AUTHORIZATION)
        .map(|v| v.as_bytes())
        .filter(|v| !v.is_empty())
}

/// Go's `Request.BasicAuth`: `Basic base64(name:password)`.
fn basic_auth(value: &[u8]) -> Option<(String, Vec<u8>)> {
    const PREFIX: &[u8] = b"Basic ";
    if value.len() < PREFIX.len() || !value[..PREFIX.len()].eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&value[PREFIX.len()..])
        .ok()?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    let name = String::from_utf8(decoded[..colon].to_vec()).ok()?;
    Some((name, decoded[colon + 1..].to_vec()))
}

/// The user whose name and password the request's basic auth carries.
async fn user_from_basic_auth(member: &Member, headers: &HeaderMap) -> Option<User> {
    let Some((name, password)) = authorization(headers).and_then(basic_auth) else {
        tracing::warn!("v2 auth: malformed basic auth encoding");
        return None;
    };
    let user = get_user(member, &name, false).await.ok()?;
    if !check_password(&user, password).await {
        tracing::warn!(user = %name, "v2 auth: incorrect password");
        return None;
    }
    Some(user)
}

/// etcd's `hasRootAccess`: auth is off, or the request authenticates a user with the root
/// role. Client certificates are not looked at (etcd would take the CN of one under
/// `--client-cert-auth` when no `Authorization` is sent).
pub async fn has_root_access(member: &Member, headers: &HeaderMap) -> bool {
    if !auth_enabled(member) {
        return true;
    }
    match user_from_basic_auth(member, headers).await {
        Some(user) if user.has_role(ROOT_ROLE) => true,
        Some(user) => {
            tracing::warn!(user = %user.user, "v2 auth: user does not have the root role");
            false
        }
        None => false,
    }
}

/// etcd's `hasWriteRootAccess`: reads are open to all.
pub async fn has_write_root_access(member: &Member, method: &Method, headers: &HeaderMap) -> bool {
    *method == Method::GET || *method == Method::HEAD || has_root_access(member, headers).await
}

/// etcd's `hasKeyPrefixAccess` for a keys request on `key` (the path after `/v2/keys`): a
/// request without credentials has the guest role's access (to the key itself, even when
/// recursive); an authenticated user has the union of its roles'.
pub async fn has_key_prefix_access(
    member: &Member,
    method: &Method,
    headers: &HeaderMap,
    key: &str,
    recursive: bool,
) -> bool {
    if !auth_enabled(member) {
        return true;
    }
    let write = *method != Method::GET && *method != Method::HEAD;
    if authorization(headers).is_none() {
        let allowed = get_role(member, GUEST_ROLE, false)
            .await
            .is_ok_and(|role| role.has_key_access(key, write));
        if !allowed {
            tracing::warn!(key, "v2 auth: no guest access to the key");
        }
        return allowed;
    }
    let Some(user) = user_from_basic_auth(member, headers).await else {
        return false;
    };
    for name in user.roles.iter().flatten() {
        let Ok(role) = get_role(member, name, false).await else {
            continue;
        };
        let allowed = match recursive {
            true => role.has_recursive_access(key, write),
            false => role.has_key_access(key, write),
        };
        if allowed {
            return true;
        }
    }
    tracing::warn!(user = %user.user, key, "v2 auth: no access to the key");
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_read_as_go_reads_it() {
        let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let header = format!("Basic {}", enc("u:p:w"));
        assert_eq!(
            basic_auth(header.as_bytes()),
            Some(("u".to_string(), b"p:w".to_vec()))
        );
        let lower = format!("basic {}", enc("u:"));
        assert_eq!(basic_auth(lower.as_bytes()), Some(("u".into(), vec![])));
        assert_eq!(
            basic_auth(format!("Basic {}", enc("nocolon")).as_bytes()),
            None
        );
        assert_eq!(basic_auth(b"Bearer x"), None);
        assert_eq!(basic_auth(b"Basic !!!"), None);
    }

    #[test]
    fn only_single_segments_name_users_and_roles() {
        assert_eq!(node_path("users", "u").as_deref(), Some("/2/users/u"));
        for bad in ["", ".", "..", "../enabled", "a/b"] {
            assert_eq!(node_path("users", bad), None, "{bad}");
        }
    }
}
