//! etcd 3.4's v2 auth records (`v2auth.User`, `v2auth.Role`) as pure data: their JSON as Go
//! reads and writes it, the merges behind grant and revoke, and the key patterns a role matches.
//!
//! Go tells a nil slice (`null`) from an empty one (`[]`) both in the JSON it writes and in the
//! `reflect.DeepEqual` that decides whether an update changed anything, so the lists that can be
//! either are `Option<Vec<_>>` here.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value};

pub const ROOT_ROLE: &str = "root";
pub const GUEST_ROLE: &str = "guest";

/// An answer etcd's v2 auth gives as `{"message":...}` (`v2auth.Error` and `httptypes.HTTPError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    pub status: u16,
    pub message: String,
}

/// etcd's `authErr`: the message prefixed with `auth: `.
pub fn auth_err(status: u16, message: impl std::fmt::Display) -> AuthError {
    AuthError {
        status,
        message: format!("auth: {message}"),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct User {
    pub user: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub password: String,
    pub roles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grant: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub revoke: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Role {
    pub role: String,
    pub permissions: Permissions,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<Permissions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke: Option<Permissions>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Permissions {
    pub kv: RwPermission,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RwPermission {
    pub read: Option<Vec<String>>,
    pub write: Option<Vec<String>>,
}

/// The built-in root role, never stored: every key, read and write.
pub fn root_role() -> Role {
    Role {
        role: ROOT_ROLE.to_string(),
        permissions: everything(),
        ..Role::default()
    }
}

/// The guest role `auth enable` creates when there is none.
pub fn default_guest_role() -> Role {
    Role {
        role: GUEST_ROLE.to_string(),
        permissions: everything(),
        ..Role::default()
    }
}

fn everything() -> Permissions {
    Permissions {
        kv: RwPermission {
            read: Some(vec!["/*".to_string()]),
            write: Some(vec!["/*".to_string()]),
        },
    }
}

/// JSON as Go's `encoding/json` writes it: `<`, `>`, `&` and the line separators escaped.
pub fn go_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Decoding failed somewhere (Go's decoder reports the first problem; etcd only says "invalid").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadJson;

/// The first JSON value of `body`, as Go's `json.Decoder.Decode` reads it: what follows that
/// value is not looked at.
pub fn first_value(body: &[u8]) -> Result<Value, BadJson> {
    serde_json::Deserializer::from_slice(body)
        .into_iter::<Value>()
        .next()
        .and_then(Result::ok)
        .ok_or(BadJson)
}

impl User {
    /// A user as Go unmarshals one: `null` is the zero user, field names match case-insensitively,
    /// a value of the wrong type fails the whole decode.
    pub fn from_json(value: &Value) -> Result<User, BadJson> {
        let Some(obj) = object(value)? else {
            return Ok(User::default());
        };
        Ok(User {
            user: string(field(obj, "user"))?,
            password: string(field(obj, "password"))?,
            roles: strings(field(obj, "roles"))?,
            grant: strings(field(obj, "grant"))?.unwrap_or_default(),
            revoke: strings(field(obj, "revoke"))?.unwrap_or_default(),
        })
    }

    /// etcd's `attachRootRole`: the root user always holds the root role.
    pub fn with_root_role(mut self) -> User {
        let roles = self.roles.get_or_insert_with(Vec::new);
        if !roles.iter().any(|r| r == ROOT_ROLE) {
            roles.push(ROOT_ROLE.to_string());
        }
        self
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().flatten().any(|r| r == role)
    }

    /// etcd's `User.merge` of an update `nu` into this user; the password is `new_hash` when the
    /// update carries one (hashed by the caller, off the runtime).
    pub fn merge(&self, nu: &User, new_hash: Option<String>) -> Result<User, AuthError> {
        if self.user != nu.user {
            return Err(auth_err(
                409,
                format!(
                    "Merging user data with conflicting usernames: {} {}",
                    self.user, nu.user
                ),
            ));
        }
        // Go's string set: duplicates stored by a create collapse, the result comes out sorted.
        let mut roles: BTreeSet<String> = self.roles.iter().flatten().cloned().collect();
        for g in &nu.grant {
            if !roles.insert(g.clone()) {
                return Err(auth_err(
                    409,
                    format!("Granting duplicate role {g} for user {}", nu.user),
                ));
            }
        }
        for r in &nu.revoke {
            if !roles.remove(r) {
                return Err(auth_err(
                    409,
                    format!("Revoking ungranted role {r} for user {}", nu.user),
                ));
            }
        }
        Ok(User {
            user: self.user.clone(),
            password: new_hash.unwrap_or_else(|| self.password.clone()),
            roles: Some(roles.into_iter().collect()),
            ..User::default()
        })
    }
}

impl Role {
    pub fn from_json(value: &Value) -> Result<Role, BadJson> {
        let Some(obj) = object(value)? else {
            return Ok(Role::default());
        };
        Ok(Role {
            role: string(field(obj, "role"))?,
            permissions: Permissions::from_json(field(obj, "permissions"))?.unwrap_or_default(),
            grant: Permissions::from_json(field(obj, "grant"))?,
            revoke: Permissions::from_json(field(obj, "revoke"))?,
        })
    }

    /// etcd's `Role.merge`: the grants, then the revokes (revoking what is not granted is no
    /// error).
    pub fn merge(&self, n: &Role) -> Result<Role, AuthError> {
        if self.role != n.role {
            return Err(auth_err(
                409,
                format!(
                    "Merging role with conflicting names: {} {}",
                    self.role, n.role
                ),
            ));
        }
        let mut permissions = self.permissions.clone();
        if let Some(grant) = &n.grant {
            permissions.kv = RwPermission {
                read: Some(grant_all(&permissions.kv.read, &grant.kv.read, "read")?),
                write: Some(grant_all(&permissions.kv.write, &grant.kv.write, "write")?),
            };
        }
        if let Some(revoke) = &n.revoke {
            permissions.kv = RwPermission {
                read: Some(revoke_all(&permissions.kv.read, &revoke.kv.read)),
                write: Some(revoke_all(&permissions.kv.write, &revoke.kv.write)),
            };
        }
        Ok(Role {
            role: self.role.clone(),
            permissions,
            ..Role::default()
        })
    }

    /// Whether this role may read (or write) `key` itself.
    pub fn has_key_access(&self, key: &str, write: bool) -> bool {
        self.role == ROOT_ROLE || self.patterns(write).any(|p| simple_match(p, key))
    }

    /// Whether this role may read (or write) everything under `key` (a recursive request): only
    /// prefix patterns count.
    pub fn has_recursive_access(&self, key: &str, write: bool) -> bool {
        self.role == ROOT_ROLE || self.patterns(write).any(|p| prefix_match(p, key))
    }

    fn patterns(&self, write: bool) -> impl Iterator<Item = &String> {
        let kv = &self.permissions.kv;
        if write { &kv.write } else { &kv.read }.iter().flatten()
    }
}

impl Permissions {
    /// etcd's `Permissions.IsEmpty`, nil included.
    pub fn is_empty(p: &Option<Permissions>) -> bool {
        p.as_ref().is_none_or(|p| {
            p.kv.read.as_ref().is_none_or(Vec::is_empty)
                && p.kv.write.as_ref().is_none_or(Vec::is_empty)
        })
    }

    fn from_json(value: Option<&Value>) -> Result<Option<Permissions>, BadJson> {
        let Some(value) = value else {
            return Ok(None);
        };
        let Some(obj) = object(value)? else {
            return Ok(None);
        };
        let kv = match field(obj, "kv").map(object).transpose()?.flatten() {
            Some(kv) => RwPermission {
                read: strings(field(kv, "read"))?,
                write: strings(field(kv, "write"))?,
            },
            None => RwPermission::default(),
        };
        Ok(Some(Permissions { kv }))
    }
}

fn grant_all(
    current: &Option<Vec<String>>,
    new: &Option<Vec<String>>,
    kind: &str,
) -> Result<Vec<String>, AuthError> {
    let mut out = current.clone().unwrap_or_default();
    for p in new.iter().flatten() {
        if out.contains(p) {
            return Err(auth_err(
                409,
                format!("Granting duplicate {kind} permission {p}"),
            ));
        }
        out.push(p.clone());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn revoke_all(current: &Option<Vec<String>>, gone: &Option<Vec<String>>) -> Vec<String> {
    let mut out = current.clone().unwrap_or_default();
    out.retain(|p| !gone.iter().flatten().any(|g| g == p));
    out.sort();
    out.dedup();
    out
}

/// A pattern ending in `*` is a prefix, any other the key itself. etcd panics on an empty
/// pattern (it indexes its last byte); here it matches nothing.
fn simple_match(pattern: &str, key: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => key.starts_with(prefix),
        None => !pattern.is_empty() && key == pattern,
    }
}

fn prefix_match(pattern: &str, key: &str) -> bool {
    pattern
        .strip_suffix('*')
        .is_some_and(|prefix| key.starts_with(prefix))
}

/// An object, `None` for `null` (which Go decodes into the zero value).
fn object(value: &Value) -> Result<Option<&Map<String, Value>>, BadJson> {
    match value {
        Value::Null => Ok(None),
        Value::Object(obj) => Ok(Some(obj)),
        _ => Err(BadJson),
    }
}

/// A struct field's value: Go prefers the exact name and otherwise takes a case-insensitive one.
fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn string(value: Option<&Value>) -> Result<String, BadJson> {
    match value {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(BadJson),
    }
}

fn strings(value: Option<&Value>) -> Result<Option<Vec<String>>, BadJson> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| string(Some(v)))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(BadJson),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(json: &str) -> Result<User, BadJson> {
        User::from_json(&first_value(json.as_bytes())?)
    }

    fn role(json: &str) -> Role {
        Role::from_json(&first_value(json.as_bytes()).expect("json")).expect("role")
    }

    #[test]
    fn users_decode_as_go_decodes_them() {
        let u = user(r#"{"User":"u","password":"p","roles":null} trailing"#).expect("user");
        assert_eq!(
            (u.user.as_str(), u.password.as_str(), u.roles),
            ("u", "p", None)
        );
        assert_eq!(user("null"), Ok(User::default()));
        assert_eq!(user(r#"{"user":1}"#), Err(BadJson));
        assert_eq!(user(r#"{"roles":"r"}"#), Err(BadJson));
        assert_eq!(user(""), Err(BadJson));
        assert_eq!(user("[1]"), Err(BadJson));
        assert_eq!(user(r#"{"roles":[]}"#).map(|u| u.roles), Ok(Some(vec![])));
    }

    #[test]
    fn json_is_written_as_go_writes_it() {
        let u = User {
            user: "u".into(),
            ..User::default()
        };
        assert_eq!(go_json(&u), r#"{"user":"u","roles":null}"#);
        let r = role(r#"{"role":"r","grant":{}}"#);
        assert_eq!(
            go_json(&r),
            r#"{"role":"r","permissions":{"kv":{"read":null,"write":null}},"grant":{"kv":{"read":null,"write":null}}}"#
        );
        assert_eq!(go_json(&"<&>"), r#""\u003c\u0026\u003e""#);
    }

    #[test]
    fn merges_follow_etcd() {
        let old = User {
            user: "u".into(),
            password: "h".into(),
            ..User::default()
        };
        let grant = User {
            user: "u".into(),
            grant: vec!["b".into(), "a".into()],
            ..User::default()
        };
        let merged = old.merge(&grant, None).expect("merged");
        assert_eq!(merged.roles, Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(merged.password, "h");
        assert_eq!(
            merged.merge(&grant, None).map_err(|e| e.message),
            Err("auth: Granting duplicate role b for user u".into())
        );
        // An update that changes nothing still turns null roles into an empty list.
        let same = old.merge(
            &User {
                user: "u".into(),
                ..User::default()
            },
            None,
        );
        assert_eq!(same.map(|u| u.roles), Ok(Some(vec![])));

        let r = role(r#"{"role":"r"}"#);
        let g = r.merge(&role(r#"{"role":"r","grant":{"kv":{"read":["/b","/a"]}}}"#));
        let g = g.expect("granted");
        assert_eq!(g.permissions.kv.read, Some(vec!["/a".into(), "/b".into()]));
        assert_eq!(g.permissions.kv.write, Some(vec![]));
        let again = g.merge(&role(r#"{"role":"r","grant":{"kv":{"read":["/a"]}}}"#));
        assert_eq!(
            again.map_err(|e| e.message),
            Err("auth: Granting duplicate read permission /a".into())
        );
        let revoked = g
            .merge(&role(
                r#"{"role":"r","revoke":{"kv":{"read":["/a","/zz"]}}}"#,
            ))
            .expect("revoked");
        assert_eq!(revoked.permissions.kv.read, Some(vec!["/b".into()]));
    }

    #[test]
    fn patterns_match_as_etcds() {
        let r = role(
            r#"{"role":"r","permissions":{"kv":{"read":["/foo/*","/bar",""],"write":["/w"]}}}"#,
        );
        assert!(r.has_key_access("/foo/x", false));
        assert!(r.has_key_access("/foo/", false));
        assert!(!r.has_key_access("/foo", false));
        assert!(r.has_key_access("/bar", false));
        assert!(!r.has_key_access("/bar", true));
        assert!(r.has_key_access("/w", true));
        assert!(!r.has_key_access("", false));
        assert!(r.has_recursive_access("/foo/x", false));
        assert!(!r.has_recursive_access("/bar", false));
        assert!(root_role().has_recursive_access("", true));
        assert!(!default_guest_role().has_key_access("", false));
    }
}
