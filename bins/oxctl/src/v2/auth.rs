//! etcd's v2 auth API (`client/auth_user.go`, `client/auth_role.go`): `/v2/auth/enable`,
//! `/v2/auth/users[/name]`, `/v2/auth/roles[/name]`, with the client's request bodies and its
//! decoding of answers (and its errors: etcd's `{"message": ...}` or Go's JSON errors).

use std::time::Instant;

use serde_json::{Map, Value};

use super::client::{Action, Client, Target};
use super::error::V2Error;
use super::members::{assert_status, field, json};

/// A user as `GetUser` decodes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    pub user: String,
    pub roles: Vec<String>,
}

/// A role as `GetRole` decodes it; `None` is Go's nil slice (which `reflect.DeepEqual` tells
/// from an empty one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Role {
    pub role: String,
    pub read: Paths,
    pub write: Paths,
    grant: Option<Value>,
    revoke: Option<Value>,
}

/// A role's read or write paths: `None` is Go's nil slice.
type Paths = Option<Vec<String>>;

/// `client.PermissionType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Read,
    Write,
    ReadWrite,
}

fn action(method: &'static str, tail: String, body: Option<String>) -> Action {
    Action {
        method,
        target: Target::Auth(tail),
        query: String::new(),
        content_type: body.as_ref().map(|_| "application/json"),
        body: body.map(String::into_bytes),
        wait: false,
        one_shot: false,
    }
}

/// The list requests: a JSON content type, no body.
fn list_action(tail: &str) -> Action {
    Action {
        content_type: Some("application/json"),
        ..action("GET", tail.to_string(), None)
    }
}

fn quote(text: &str) -> String {
    crate::output::json::string(text.as_bytes())
}

/// A Go `[]string` as `json.Marshal` writes it: `null` when nil.
fn string_list(items: Option<&[String]>) -> String {
    match items {
        None => "null".to_string(),
        Some(items) => {
            let items: Vec<String> = items.iter().map(|s| quote(s)).collect();
            format!("[{}]", items.join(","))
        }
    }
}

/// `json.Marshal(client.User)`: `password`, `grant` and `revoke` are omitted when empty.
fn user_body(name: &str, password: &str, grant: &[String], revoke: &[String]) -> String {
    let mut text = format!("{{\"user\":{}", quote(name));
    if !password.is_empty() {
        text.push_str(&format!(",\"password\":{}", quote(password)));
    }
    text.push_str(",\"roles\":null");
    if !grant.is_empty() {
        text.push_str(&format!(",\"grant\":{}", string_list(Some(grant))));
    }
    if !revoke.is_empty() {
        text.push_str(&format!(",\"revoke\":{}", string_list(Some(revoke))));
    }
    text.push('}');
    text
}

fn kv_permissions(read: Option<&[String]>, write: Option<&[String]>) -> String {
    format!(
        "{{\"kv\":{{\"read\":{},\"write\":{}}}}}",
        string_list(read),
        string_list(write)
    )
}

/// `json.Marshal(client.Role)`, with a grant or a revoke (`"grant"` / `"revoke"`) or neither.
fn role_body(name: &str, change: Option<(&str, &[String], Permission)>) -> String {
    let mut text = format!(
        "{{\"role\":{},\"permissions\":{}",
        quote(name),
        kv_permissions(None, None)
    );
    if let Some((key, prefixes, permission)) = change {
        let (read, write) = match permission {
            Permission::Read => (Some(prefixes), None),
            Permission::Write => (None, Some(prefixes)),
            Permission::ReadWrite => (Some(prefixes), Some(prefixes)),
        };
        text.push_str(&format!(",\"{key}\":{}", kv_permissions(read, write)));
    }
    text.push('}');
    text
}

/// Go's name for a JSON value's kind in `UnmarshalTypeError`.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_error(value: &Value, target: &str) -> V2Error {
    V2Error::other(format!(
        "json: cannot unmarshal {} into Go {target}",
        kind(value)
    ))
}

/// The object a Go struct is decoded from: `null` decodes to nothing.
fn object(value: Value, type_name: &str) -> Result<Map<String, Value>, V2Error> {
    match value {
        Value::Object(object) => Ok(object),
        Value::Null => Ok(Map::new()),
        other => Err(type_error(
            &other,
            &format!("value of type client.{type_name}"),
        )),
    }
}

/// A `string` field: `null` or missing is empty.
fn text(object: &Map<String, Value>, name: &str, owner: &str) -> Result<String, V2Error> {
    match field(object, name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(type_error(
            other,
            &format!("struct field {owner}.{name} of type string"),
        )),
    }
}

/// A `[]string` field: `None` when `null` or missing.
fn texts(object: &Map<String, Value>, name: &str, owner: &str) -> Result<Paths, V2Error> {
    let items = match field(object, name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(type_error(
                other,
                &format!("struct field {owner}.{name} of type []string"),
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::String(s) => out.push(s.clone()),
            Value::Null => out.push(String::new()),
            other => {
                return Err(type_error(
                    other,
                    &format!("struct field {owner}.{name} of type string"),
                ))
            }
        }
    }
    Ok(Some(out))
}

/// etcd's answer to a failed auth request (`authError`): its message.
fn auth_error(body: &[u8]) -> V2Error {
    match json(body).and_then(|v| object(v, "authError")) {
        Ok(object) => match text(&object, "message", "authError") {
            Ok(message) => V2Error::other(message),
            Err(err) => err,
        },
        Err(err) => err,
    }
}

/// `assertStatusCode`, then the `authError` of a failed answer.
async fn call(
    client: &mut Client,
    action: &Action,
    ok: &[u16],
    deadline: Option<Instant>,
) -> Result<Vec<u8>, V2Error> {
    let answer = client.call(action, deadline).await?;
    if assert_status(answer.status, ok).is_err() {
        return Err(auth_error(&answer.body));
    }
    Ok(answer.body)
}

/// `AuthAPI.Enable` / `Disable`.
pub async fn enable(
    client: &mut Client,
    on: bool,
    deadline: Option<Instant>,
) -> Result<(), V2Error> {
    let method = if on { "PUT" } else { "DELETE" };
    let action = action(method, "enable".to_string(), None);
    call(client, &action, &[200, 201], deadline).await?;
    Ok(())
}

fn user_tail(name: &str) -> String {
    format!("users/{name}")
}

fn role_tail(name: &str) -> String {
    format!("roles/{name}")
}

/// The `user` names of a list answer's `users` (or `roles` / `role`).
fn names(body: &[u8], list: &str, item: &str, owner: &str) -> Result<Vec<String>, V2Error> {
    let answer = object(json(body)?, owner)?;
    let entries = match field(&answer, list) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(entries)) => entries.clone(),
        Some(other) => {
            return Err(type_error(
                other,
                &format!("struct field .{list} of type []client.{owner}"),
            ))
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        out.push(text(&object(entry, owner)?, item, owner)?);
    }
    Ok(out)
}

pub async fn list_users(
    client: &mut Client,
    deadline: Option<Instant>,
) -> Result<Vec<String>, V2Error> {
    let body = call(client, &list_action("users"), &[200], deadline).await?;
    names(&body, "users", "user", "userListEntry")
}

pub async fn add_user(
    client: &mut Client,
    name: &str,
    password: &str,
    deadline: Option<Instant>,
) -> Result<(), V2Error> {
    let body = user_body(name, password, &[], &[]);
    let action = action("PUT", user_tail(name), Some(body));
    call(client, &action, &[200, 201], deadline).await?;
    Ok(())
}

pub async fn remove_user(
    client: &mut Client,
    name: &str,
    deadline: Option<Instant>,
) -> Result<(), V2Error> {
    let action = action("DELETE", user_tail(name), None);
    call(client, &action, &[200, 201], deadline).await?;
    Ok(())
}

/// `modUser`'s decoding: a `User` (roles as names), else a `UserRoles` (roles as role
/// objects), whose names follow what the failed first decoding left (an empty name for each
/// role object), as Go's decoder leaves it.
fn decode_user(body: &[u8]) -> Result<User, V2Error> {
    let object = object(json(body)?, "User")?;
    let user = text(&object, "user", "User")?;
    let roles = match field(&object, "roles") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(other) => {
            return Err(type_error(
                other,
                "struct field User.roles of type []string",
            ))
        }
    };
    let mut first_error = None;
    let mut names = Vec::new();
    for item in &roles {
        match item {
            Value::String(s) => names.push(s.clone()),
            Value::Null => names.push(String::new()),
            other => {
                first_error.get_or_insert_with(|| {
                    type_error(other, "struct field User.roles of type string")
                });
                names.push(String::new());
            }
        }
    }
    let Some(first_error) = first_error else {
        return Ok(User { user, roles: names });
    };
    for item in roles {
        match item {
            Value::Object(role) => match text(&role, "role", "Role") {
                Ok(name) => names.push(name),
                Err(_) => return Err(first_error),
            },
            Value::Null => names.push(String::new()),
            _ => return Err(first_error),
        }
    }
    Ok(User { user, roles: names })
}

async fn mod_user(
    client: &mut Client,
    action: Action,
    deadline: Option<Instant>,
) -> Result<User, V2Error> {
    let body = call(client, &action, &[200], deadline).await?;
    decode_user(&body)
}

pub async fn get_user(
    client: &mut Client,
    name: &str,
    deadline: Option<Instant>,
) -> Result<User, V2Error> {
    mod_user(client, action("GET", user_tail(name), None), deadline).await
}

/// `GrantUser` (`grant`) or `RevokeUser`.
pub async fn change_user_roles(
    client: &mut Client,
    name: &str,
    roles: &[String],
    grant: bool,
    deadline: Option<Instant>,
) -> Result<User, V2Error> {
    let body = if grant {
        user_body(name, "", roles, &[])
    } else {
        user_body(name, "", &[], roles)
    };
    mod_user(client, action("PUT", user_tail(name), Some(body)), deadline).await
}

pub async fn change_password(
    client: &mut Client,
    name: &str,
    password: &str,
    deadline: Option<Instant>,
) -> Result<User, V2Error> {
    let body = user_body(name, password, &[], &[]);
    mod_user(client, action("PUT", user_tail(name), Some(body)), deadline).await
}

/// `ListRoles`: a failed answer is only its status code.
pub async fn list_roles(
    client: &mut Client,
    deadline: Option<Instant>,
) -> Result<Vec<String>, V2Error> {
    let answer = client.call(&list_action("roles"), deadline).await?;
    assert_status(answer.status, &[200])?;
    names(&answer.body, "roles", "role", "Role")
}

pub async fn add_role(
    client: &mut Client,
    name: &str,
    deadline: Option<Instant>,
) -> Result<(), V2Error> {
    let action = action("PUT", role_tail(name), Some(role_body(name, None)));
    call(client, &action, &[200, 201], deadline).await?;
    Ok(())
}

pub async fn remove_role(
    client: &mut Client,
    name: &str,
    deadline: Option<Instant>,
) -> Result<(), V2Error> {
    let action = action("DELETE", role_tail(name), None);
    call(client, &action, &[200, 201], deadline).await?;
    Ok(())
}

fn permissions(object: &Map<String, Value>, name: &str) -> Result<(Paths, Paths), V2Error> {
    let Some(value) = field(object, name) else {
        return Ok((None, None));
    };
    let permissions = object_field(value, &format!("Role.{name}"), "client.Permissions")?;
    let Some(kv) = field(&permissions, "kv") else {
        return Ok((None, None));
    };
    let kv = object_field(kv, "Permissions.kv", "client.rwPermission")?;
    Ok((
        texts(&kv, "read", "rwPermission")?,
        texts(&kv, "write", "rwPermission")?,
    ))
}

fn object_field(
    value: &Value,
    field: &str,
    type_name: &str,
) -> Result<Map<String, Value>, V2Error> {
    match value {
        Value::Object(object) => Ok(object.clone()),
        Value::Null => Ok(Map::new()),
        other => Err(type_error(
            other,
            &format!("struct field {field} of type {type_name}"),
        )),
    }
}

fn decode_role(body: &[u8]) -> Result<Role, V2Error> {
    let object = object(json(body)?, "Role")?;
    let (read, write) = permissions(&object, "permissions")?;
    let present = |name: &str| field(&object, name).filter(|v| !v.is_null()).cloned();
    Ok(Role {
        role: text(&object, "role", "Role")?,
        read,
        write,
        grant: present("grant"),
        revoke: present("revoke"),
    })
}

async fn mod_role(
    client: &mut Client,
    action: Action,
    deadline: Option<Instant>,
) -> Result<Role, V2Error> {
    let body = call(client, &action, &[200], deadline).await?;
    decode_role(&body)
}

pub async fn get_role(
    client: &mut Client,
    name: &str,
    deadline: Option<Instant>,
) -> Result<Role, V2Error> {
    mod_role(client, action("GET", role_tail(name), None), deadline).await
}

/// `GrantRoleKV` (`grant`) or `RevokeRoleKV`, for one prefix.
pub async fn change_role_kv(
    client: &mut Client,
    name: &str,
    prefix: &str,
    permission: Permission,
    grant: bool,
    deadline: Option<Instant>,
) -> Result<Role, V2Error> {
    let key = if grant { "grant" } else { "revoke" };
    let prefixes = [prefix.to_string()];
    let body = role_body(name, Some((key, &prefixes, permission)));
    mod_role(client, action("PUT", role_tail(name), Some(body)), deadline).await
}
