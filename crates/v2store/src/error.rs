//! etcd's v2 error codes, messages and HTTP statuses (`etcdserver/api/v2error`).

use serde::Serialize;

pub const KEY_NOT_FOUND: u32 = 100;
pub const TEST_FAILED: u32 = 101;
pub const NOT_FILE: u32 = 102;
pub const NOT_DIR: u32 = 104;
pub const NODE_EXIST: u32 = 105;
pub const ROOT_READ_ONLY: u32 = 107;
pub const DIR_NOT_EMPTY: u32 = 108;
pub const UNAUTHORIZED: u32 = 110;
pub const VALUE_REQUIRED: u32 = 200;
pub const PREV_VALUE_REQUIRED: u32 = 201;
pub const TTL_NAN: u32 = 202;
pub const INDEX_NAN: u32 = 203;
pub const TIMEOUT_NAN: u32 = 205;
pub const INDEX_OR_VALUE_REQUIRED: u32 = 207;
pub const INDEX_VALUE_MUTEX: u32 = 208;
pub const INVALID_FIELD: u32 = 209;
pub const INVALID_FORM: u32 = 210;
pub const REFRESH_VALUE: u32 = 211;
pub const REFRESH_TTL_REQUIRED: u32 = 212;
pub const RAFT_INTERNAL: u32 = 300;
pub const LEADER_ELECT: u32 = 301;
pub const WATCHER_CLEARED: u32 = 400;
pub const EVENT_INDEX_CLEARED: u32 = 401;

/// A v2 error as etcd writes it: `{"errorCode":..,"message":..,"cause":..,"index":..}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct V2Error {
    #[serde(rename = "errorCode")]
    pub code: u32,
    pub message: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cause: String,
    pub index: u64,
}

impl V2Error {
    pub fn new(code: u32, cause: impl Into<String>, index: u64) -> V2Error {
        V2Error {
            code,
            message: message(code),
            cause: cause.into(),
            index,
        }
    }

    /// An error found before the request reached the store (etcd's `NewRequestError`: index 0).
    pub fn request(code: u32, cause: impl Into<String>) -> V2Error {
        V2Error::new(code, cause, 0)
    }

    /// The HTTP status etcd answers this error with.
    pub fn status(&self) -> u16 {
        match self.code {
            KEY_NOT_FOUND => 404,
            NOT_FILE | DIR_NOT_EMPTY => 403,
            UNAUTHORIZED => 401,
            TEST_FAILED | NODE_EXIST => 412,
            RAFT_INTERNAL | LEADER_ELECT => 500,
            _ => 400,
        }
    }

    /// The body etcd writes: the JSON object and a newline.
    pub fn to_json_line(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The cause with a path prefix removed from its start (etcd trims the `/1` keys namespace
    /// before answering).
    pub fn trim_cause_prefix(mut self, prefix: &str) -> V2Error {
        if let Some(rest) = self.cause.strip_prefix(prefix) {
            self.cause = rest.to_string();
        }
        self
    }
}

impl std::fmt::Display for V2Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.cause)
    }
}

impl std::error::Error for V2Error {}

pub fn message(code: u32) -> &'static str {
    match code {
        100 => "Key not found",
        101 => "Compare failed",
        102 => "Not a file",
        103 => "Reached the max number of peers in the cluster",
        104 => "Not a directory",
        105 => "Key already exists",
        106 => "The prefix of given key is a keyword in etcd",
        107 => "Root is read only",
        108 => "Directory not empty",
        109 => "Peer address has existed",
        110 => "The request requires user authentication",
        200 => "Value is Required in POST form",
        201 => "PrevValue is Required in POST form",
        202 => "The given TTL in POST form is not a number",
        203 => "The given index in POST form is not a number",
        204 => "Value or TTL is required in POST form",
        205 => "The given timeout in POST form is not a number",
        206 => "Name is required in POST form",
        207 => "Index or value is required",
        208 => "Index and value cannot both be specified",
        209 => "Invalid field",
        210 => "Invalid POST form",
        211 => "Value provided on refresh",
        212 => "A TTL must be provided on refresh",
        300 => "Raft Internal Error",
        301 => "During Leader Election",
        400 => "watcher is cleared due to etcd recovery",
        401 => "The event in requested index is outdated and cleared",
        402 => "Standby Internal Error",
        403 => "Invalid active size",
        404 => "Standby remove delay",
        500 => "Client Internal Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_matches_etcd() {
        let e = V2Error::new(KEY_NOT_FOUND, "/1/foo", 7).trim_cause_prefix("/1");
        assert_eq!(
            e.to_json_line(),
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/foo\",\"index\":7}\n"
        );
        assert_eq!(e.status(), 404);
        let e = V2Error::request(TTL_NAN, "");
        assert_eq!(
            e.to_json_line(),
            "{\"errorCode\":202,\"message\":\"The given TTL in POST form is not a number\",\"index\":0}\n"
        );
        assert_eq!(e.status(), 400);
    }
}
