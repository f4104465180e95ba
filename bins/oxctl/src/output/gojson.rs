//! Go's `encoding/json` of etcd's messages: the object builder every JSON printer uses, and the
//! records that oxutl's `dump` prints too (a key-value, a member, an alarm, a lease's time to
//! live), so oxutl includes this file as well.

use base64::Engine as _;
use oxcd_client::go_json_string;
use oxcd_proto::etcdserverpb::{AlarmMember, LeaseTimeToLiveResponse, Member};
use oxcd_proto::mvccpb::KeyValue;

/// Builds one JSON object, leaving out zero values as `omitempty` does.
pub struct Object {
    text: String,
}

impl Object {
    pub fn new() -> Self {
        Object {
            text: String::from("{"),
        }
    }

    pub fn raw(&mut self, name: &str, raw: &str) -> &mut Self {
        if self.text.len() > 1 {
            self.text.push(',');
        }
        self.text.push_str(&go_json_string(name.as_bytes()));
        self.text.push(':');
        self.text.push_str(raw);
        self
    }

    pub fn int(&mut self, name: &str, value: i64) -> &mut Self {
        if value != 0 {
            self.raw(name, &value.to_string());
        }
        self
    }

    pub fn uint(&mut self, name: &str, value: u64) -> &mut Self {
        if value != 0 {
            self.raw(name, &value.to_string());
        }
        self
    }

    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        if value {
            self.raw(name, "true");
        }
        self
    }

    pub fn string(&mut self, name: &str, value: &str) -> &mut Self {
        if !value.is_empty() {
            self.raw(name, &go_json_string(value.as_bytes()));
        }
        self
    }

    pub fn bytes(&mut self, name: &str, value: &[u8]) -> &mut Self {
        if !value.is_empty() {
            let encoded = base64::engine::general_purpose::STANDARD.encode(value);
            self.raw(name, &format!("\"{encoded}\""));
        }
        self
    }

    pub fn strings(&mut self, name: &str, values: &[String]) -> &mut Self {
        if !values.is_empty() {
            let items: Vec<String> = values
                .iter()
                .map(|v| go_json_string(v.as_bytes()))
                .collect();
            self.raw(name, &format!("[{}]", items.join(",")));
        }
        self
    }

    pub fn array(&mut self, name: &str, items: Vec<String>) -> &mut Self {
        if !items.is_empty() {
            self.raw(name, &format!("[{}]", items.join(",")));
        }
        self
    }

    pub fn object(&mut self, name: &str, value: Option<String>) -> &mut Self {
        if let Some(value) = value {
            self.raw(name, &value);
        }
        self
    }

    pub fn finish(&mut self) -> String {
        let mut text = std::mem::take(&mut self.text);
        text.push('}');
        text
    }
}

/// A `mvccpb.KeyValue`, as in `get -w json`.
pub fn kv(kv: &KeyValue) -> String {
    Object::new()
        .bytes("key", &kv.key)
        .int("create_revision", kv.create_revision)
        .int("mod_revision", kv.mod_revision)
        .int("version", kv.version)
        .bytes("value", &kv.value)
        .int("lease", kv.lease)
        .finish()
}

/// An `etcdserverpb.Member`, as in `member list -w json`.
pub fn member(m: &Member) -> String {
    Object::new()
        .uint("ID", m.id)
        .string("name", &m.name)
        .strings("peerURLs", &m.peer_ur_ls)
        .strings("clientURLs", &m.client_ur_ls)
        .bool("isLearner", m.is_learner)
        .finish()
}

/// An `etcdserverpb.AlarmMember`, as in `alarm list -w json`.
pub fn alarm(a: &AlarmMember) -> String {
    Object::new()
        .uint("memberID", a.member_id)
        .int("alarm", i64::from(a.alarm))
        .finish()
}

/// The fields of clientv3's `LeaseTimeToLiveResponse` after its embedded header (which
/// `lease timetolive -w json` prints flattened before them), each present even when zero, and
/// `keys` `null` when there are none, as its struct's tags say.
pub fn time_to_live_fields(r: &LeaseTimeToLiveResponse) -> String {
    let keys = if r.keys.is_empty() {
        "null".to_string()
    } else {
        let items: Vec<String> = r
            .keys
            .iter()
            .map(|k| {
                format!(
                    "\"{}\"",
                    base64::engine::general_purpose::STANDARD.encode(k)
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    };
    format!(
        "\"id\":{},\"ttl\":{},\"granted-ttl\":{},\"keys\":{keys}",
        r.id, r.ttl, r.granted_ttl
    )
}
