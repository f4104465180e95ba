//! The store as the backend keeps it: one record per node, keyed by its full path, so a write
//! persists only the nodes it changed, and a store is rebuilt from its records on restart or
//! after a snapshot.

use serde::{Deserialize, Serialize};

/// One node, without its children (they are records of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRecord {
    #[serde(rename = "d", default, skip_serializing_if = "std::ops::Not::not")]
    pub dir: bool,
    #[serde(rename = "v", default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(rename = "c")]
    pub created_index: u64,
    #[serde(rename = "m")]
    pub modified_index: u64,
    /// Unix nanoseconds; none for a permanent node.
    #[serde(rename = "e", default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
}

impl NodeRecord {
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a record the backend holds; an error names what is wrong (never panics on bytes
    /// from the disk).
    pub fn decode(bytes: &[u8]) -> Result<NodeRecord, String> {
        serde_json::from_slice(bytes).map_err(|e| format!("bad v2 store record: {e}"))
    }
}

/// A change to persist, in the order the store made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The node at this full path is now this (created or modified).
    Put(String, NodeRecord),
    /// The node at this full path is gone (each node of a deleted directory is listed).
    Delete(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_bad_bytes_are_errors() {
        let r = NodeRecord {
            dir: false,
            value: "v".into(),
            created_index: 4,
            modified_index: 9,
            expire_at: Some(17),
        };
        assert_eq!(NodeRecord::decode(&r.encode()).unwrap(), r);
        assert!(NodeRecord::decode(b"\xff{").is_err());
    }
}
