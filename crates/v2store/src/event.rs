//! What the v2 API answers with: an event (action, node, previous node) and a node's external
//! form, serialised field for field as etcd 3.4's `encoding/json` writes them.

use serde::{Serialize, Serializer};

/// The action of an event, as its JSON names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Get,
    Create,
    Set,
    Update,
    Delete,
    CompareAndSwap,
    CompareAndDelete,
    Expire,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Get => "get",
            Action::Create => "create",
            Action::Set => "set",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::CompareAndSwap => "compareAndSwap",
            Action::CompareAndDelete => "compareAndDelete",
            Action::Expire => "expire",
        }
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A node as the API shows it (etcd's `NodeExtern`); empty fields are left out as Go's
/// `omitempty` leaves them out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NodeExtern {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub dir: bool,
    /// Unix nanoseconds; written as Go writes a UTC `time.Time` (RFC 3339, nanoseconds without
    /// trailing zeros).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_expiration"
    )]
    pub expiration: Option<i64>,
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub ttl: i64,
    #[serde(skip_serializing_if = "no_nodes")]
    pub nodes: Option<Vec<NodeExtern>>,
    #[serde(rename = "modifiedIndex", skip_serializing_if = "is_zero_u64")]
    pub modified_index: u64,
    #[serde(rename = "createdIndex", skip_serializing_if = "is_zero_u64")]
    pub created_index: u64,
}

impl NodeExtern {
    /// Removes `prefix` from this node's key and its children's (etcd trims the `/1` keys
    /// namespace before answering).
    pub fn trim_prefix(&mut self, prefix: &str) {
        if let Some(rest) = self.key.strip_prefix(prefix) {
            self.key = rest.to_string();
        }
        for child in self.nodes.iter_mut().flatten() {
            child.trim_prefix(prefix);
        }
    }
}

/// One change or read of the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub action: Action,
    pub node: NodeExtern,
    #[serde(rename = "prevNode", skip_serializing_if = "Option::is_none")]
    pub prev_node: Option<NodeExtern>,
    /// The store's index when the event happened (the `X-Etcd-Index` header), not in the body.
    #[serde(skip)]
    pub etcd_index: u64,
    /// A refresh (TTL renewed, watchers not told). Never in an answer: etcd 3.4 clones events
    /// before writing them, and its clone leaves this out.
    #[serde(skip)]
    pub refresh: bool,
}

impl Event {
    /// The index of the change (its node's modified index).
    pub fn index(&self) -> u64 {
        self.node.modified_index
    }

    /// Created by this event: a `create`, or a `set` of a key that did not exist.
    pub fn is_created(&self) -> bool {
        self.action == Action::Create || (self.action == Action::Set && self.prev_node.is_none())
    }

    pub fn trim_prefix(&mut self, prefix: &str) {
        self.node.trim_prefix(prefix);
        if let Some(prev) = &mut self.prev_node {
            prev.trim_prefix(prefix);
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero_i64(n: &i64) -> bool {
    *n == 0
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

fn no_nodes(nodes: &Option<Vec<NodeExtern>>) -> bool {
    nodes.as_ref().is_none_or(|n| n.is_empty())
}

fn serialize_expiration<S: Serializer>(at: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_go_time(at.unwrap_or_default()))
}

/// Unix nanoseconds as Go's `time.Time.MarshalJSON` writes a UTC time (RFC 3339 with up to nine
/// fractional digits, trailing zeros dropped).
pub fn format_go_time(unix_nanos: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(unix_nanos as i128)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let nanos = t.nanosecond();
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_json_leaves_out_empty_fields_as_go_does() {
        let node = NodeExtern {
            key: "/message".into(),
            value: Some("hello".into()),
            modified_index: 4,
            created_index: 4,
            ..Default::default()
        };
        let ev = Event {
            action: Action::Set,
            node,
            prev_node: None,
            etcd_index: 4,
            refresh: false,
        };
        assert_eq!(
            serde_json::to_string(&ev).unwrap(),
            r#"{"action":"set","node":{"key":"/message","value":"hello","modifiedIndex":4,"createdIndex":4}}"#
        );
        let root = NodeExtern {
            dir: true,
            nodes: Some(vec![]),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&root).unwrap(), r#"{"dir":true}"#);
    }

    #[test]
    fn expiration_is_written_like_go() {
        assert_eq!(
            format_go_time(1_700_000_000_000_000_000),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            format_go_time(1_700_000_000_120_000_000),
            "2023-11-14T22:13:20.12Z"
        );
        assert_eq!(
            format_go_time(1_700_000_000_000_000_001),
            "2023-11-14T22:13:20.000000001Z"
        );
    }
}
