//! etcd's v2 keys API as its Go client has it: the requests (`client/keys.go`'s actions), the
//! response and node types, and `json.Marshal` of them, which `-o json` prints, field order,
//! `"nodes":null` and all.

use serde_json::Value;

use crate::output::json::string as json_string;

use super::client::{Action, Answer, Target};
use super::error::{KeysError, V2Error};
use super::url::encode_query;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub key: String,
    pub dir: bool,
    pub value: String,
    /// `None` prints as `null`, as Go's nil slice does.
    pub nodes: Option<Vec<Node>>,
    pub created_index: u64,
    pub modified_index: u64,
    /// As the server wrote it (RFC 3339, which Go's `time.Time` writes back unchanged).
    pub expiration: Option<String>,
    pub ttl: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeysResponse {
    pub action: String,
    pub node: Option<Node>,
    pub prev_node: Option<Node>,
    /// `X-Etcd-Index`.
    pub index: u64,
}

impl KeysResponse {
    /// The node, or an empty one where Go would dereference nil.
    pub fn node(&self) -> Node {
        self.node.clone().unwrap_or_default()
    }

    /// `json.Marshal(resp)`.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"action\":{},\"node\":{},\"prevNode\":{}}}",
            json_string(self.action.as_bytes()),
            node_json(self.node.as_ref()),
            node_json(self.prev_node.as_ref())
        )
    }
}

fn node_json(node: Option<&Node>) -> String {
    let Some(n) = node else {
        return "null".to_string();
    };
    let mut out = format!("{{\"key\":{}", json_string(n.key.as_bytes()));
    if n.dir {
        out.push_str(",\"dir\":true");
    }
    out.push_str(&format!(",\"value\":{}", json_string(n.value.as_bytes())));
    match &n.nodes {
        None => out.push_str(",\"nodes\":null"),
        Some(children) => {
            let items: Vec<String> = children.iter().map(|c| node_json(Some(c))).collect();
            out.push_str(&format!(",\"nodes\":[{}]", items.join(",")));
        }
    }
    out.push_str(&format!(
        ",\"createdIndex\":{},\"modifiedIndex\":{}",
        n.created_index, n.modified_index
    ));
    if let Some(expiration) = &n.expiration {
        out.push_str(&format!(
            ",\"expiration\":{}",
            json_string(expiration.as_bytes())
        ));
    }
    if n.ttl != 0 {
        out.push_str(&format!(",\"ttl\":{}", n.ttl));
    }
    out.push('}');
    out
}

const INVALID_JSON: &str =
    "client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint";

/// `unmarshalHTTPResponse`: a keys response or the error the answer carries.
pub fn parse_answer(answer: &Answer) -> Result<KeysResponse, V2Error> {
    match answer.status {
        200 | 201 => {
            if answer.body.is_empty() {
                return Err(V2Error::other("client: response body is empty"));
            }
            let value: Value =
                serde_json::from_slice(&answer.body).map_err(|_| V2Error::other(INVALID_JSON))?;
            let object = value
                .as_object()
                .ok_or_else(|| V2Error::other(INVALID_JSON))?;
            let mut response = KeysResponse {
                action: text(object.get("action")),
                node: parse_node(object.get("node")),
                prev_node: parse_node(object.get("prevNode")),
                index: 0,
            };
            if !answer.etcd_index.is_empty() {
                response.index = answer.etcd_index.parse().map_err(|_| {
                    V2Error::other(format!(
                        "strconv.ParseUint: parsing {}: invalid syntax",
                        crate::goformat::quote_str(&answer.etcd_index)
                    ))
                })?;
            }
            Ok(response)
        }
        _ => Err(parse_error(&answer.body)),
    }
}

/// `unmarshalFailedKeysResponse`.
pub fn parse_error(body: &[u8]) -> V2Error {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return V2Error::other(INVALID_JSON);
    };
    let field = |name: &str| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    V2Error::Keys(KeysError {
        code: field("errorCode").and_then(Value::as_i64).unwrap_or(0),
        message: text(field("message")),
        cause: text(field("cause")),
        index: field("index").and_then(Value::as_u64).unwrap_or(0),
    })
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or("").to_string()
}

fn parse_node(value: Option<&Value>) -> Option<Node> {
    let object = value?.as_object()?;
    let number = |name: &str| object.get(name).and_then(Value::as_u64).unwrap_or(0);
    Some(Node {
        key: text(object.get("key")),
        dir: object.get("dir").and_then(Value::as_bool).unwrap_or(false),
        value: text(object.get("value")),
        nodes: object
            .get("nodes")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(|i| parse_node(Some(i))).collect()),
        created_index: number("createdIndex"),
        modified_index: number("modifiedIndex"),
        expiration: object
            .get("expiration")
            .and_then(Value::as_str)
            .map(str::to_string),
        ttl: object.get("ttl").and_then(Value::as_i64).unwrap_or(0),
    })
}

fn bool_text(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

/// `getAction`.
pub fn get(key: &str, recursive: bool, sorted: bool, quorum: bool) -> Action {
    let query = encode_query(&[
        ("recursive", bool_text(recursive)),
        ("sorted", bool_text(sorted)),
        ("quorum", bool_text(quorum)),
    ]);
    Action::get(Target::Key(key.to_string()), query)
}

/// `waitAction`.
pub fn wait(key: &str, wait_index: u64, recursive: bool) -> Action {
    let query = encode_query(&[
        ("wait", "true".to_string()),
        ("waitIndex", wait_index.to_string()),
        ("recursive", bool_text(recursive)),
    ]);
    let mut action = Action::get(Target::Key(key.to_string()), query);
    action.wait = true;
    action
}

/// `SetOptions`.
#[derive(Debug, Default)]
pub struct SetOptions {
    pub prev_value: String,
    pub prev_index: u64,
    /// `prevExist`: `Some("true")`, `Some("false")` or unset.
    pub prev_exist: Option<&'static str>,
    pub ttl_seconds: i64,
    pub dir: bool,
}

/// `setAction`: a PUT with the value (and TTL) in a form.
pub fn set(key: &str, value: &str, options: &SetOptions) -> Action {
    let mut params = Vec::new();
    let mut form = Vec::new();
    if options.dir {
        params.push(("dir", "true".to_string()));
    } else {
        if !options.prev_value.is_empty() {
            params.push(("prevValue", options.prev_value.clone()));
        }
        form.push(("value", value.to_string()));
    }
    if options.prev_index != 0 {
        params.push(("prevIndex", options.prev_index.to_string()));
    }
    if let Some(exist) = options.prev_exist {
        params.push(("prevExist", exist.to_string()));
    }
    if options.ttl_seconds > 0 {
        form.push(("ttl", options.ttl_seconds.to_string()));
    }
    Action {
        method: "PUT",
        target: Target::Key(key.to_string()),
        query: encode_query(&params),
        content_type: Some("application/x-www-form-urlencoded"),
        body: Some(encode_query(&form).into_bytes()),
        wait: false,
        one_shot: options.prev_exist == Some("false"),
    }
}

/// `createInOrderAction`: a POST to the directory.
pub fn create_in_order(dir: &str, value: &str, ttl_seconds: i64) -> Action {
    let mut form = vec![("value", value.to_string())];
    if ttl_seconds > 0 {
        form.push(("ttl", ttl_seconds.to_string()));
    }
    Action {
        method: "POST",
        target: Target::Key(dir.to_string()),
        query: String::new(),
        content_type: Some("application/x-www-form-urlencoded"),
        body: Some(encode_query(&form).into_bytes()),
        wait: false,
        one_shot: false,
    }
}

/// `deleteAction`.
pub fn delete(key: &str, prev_value: &str, prev_index: u64, dir: bool, recursive: bool) -> Action {
    let mut params = Vec::new();
    if !prev_value.is_empty() {
        params.push(("prevValue", prev_value.to_string()));
    }
    if prev_index != 0 {
        params.push(("prevIndex", prev_index.to_string()));
    }
    if dir {
        params.push(("dir", "true".to_string()));
    }
    if recursive {
        params.push(("recursive", "true".to_string()));
    }
    Action {
        method: "DELETE",
        target: Target::Key(key.to_string()),
        query: encode_query(&params),
        content_type: Some("application/x-www-form-urlencoded"),
        body: None,
        wait: false,
        one_shot: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_go_marshal_of_the_client_struct() {
        let answer = Answer {
            status: 200,
            etcd_index: "7".to_string(),
            body: br#"{"action":"get","node":{"key":"/d","dir":true,"nodes":[{"key":"/d/a","value":"<1>","modifiedIndex":5,"createdIndex":5}],"modifiedIndex":4,"createdIndex":4}}"#.to_vec(),
        };
        let response = parse_answer(&answer).expect("valid");
        assert_eq!(response.index, 7);
        assert_eq!(
            response.to_json(),
            r#"{"action":"get","node":{"key":"/d","dir":true,"value":"","nodes":[{"key":"/d/a","value":"\u003c1\u003e","nodes":null,"createdIndex":5,"modifiedIndex":5}],"createdIndex":4,"modifiedIndex":4},"prevNode":null}"#
        );
    }

    #[test]
    fn errors_read_as_etcdctl_prints_them() {
        let err =
            parse_error(br#"{"errorCode":100,"message":"Key not found","cause":"/foo","index":3}"#);
        assert_eq!(err.to_string(), "100: Key not found (/foo) [3]");
        assert_eq!(parse_error(b"<html>").to_string(), INVALID_JSON);
    }
}
