//! What the decoder knows about Kubernetes' API types, generated from Kubernetes v1.37.2's Go
//! modules by `tools/k8s-schema/generate.sh` and embedded: the protobuf descriptors of every
//! stored type, and how Go's `encoding/json` spells and omits each field (which the descriptors
//! do not say).

use std::collections::HashMap;
use std::sync::LazyLock;

use prost_reflect::{DescriptorPool, MessageDescriptor};
use serde::Deserialize;

const DESCRIPTORS: &[u8] = include_bytes!("../schema/kubernetes.pb");
const FIELDS: &str = include_str!("../schema/fields.json");

/// How Go's `encoding/json` treats one field of a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct JsonField {
    /// The JSON name, when it is not the protobuf field's name (`$ref` for `ref`).
    pub(crate) rename: Option<String>,
    /// A pointer in Go: a present zero value is printed.
    pub(crate) pointer: bool,
    /// No `omitempty`: an empty value is printed (a nil slice, map or pointer as `null`).
    pub(crate) always: bool,
    /// `omitzero`: a zero struct is left out too.
    pub(crate) omit_zero: bool,
    /// Embedded with `json:",inline"`: its fields appear in the parent object.
    pub(crate) inline: bool,
}

#[derive(Deserialize)]
struct RawField {
    #[serde(default)]
    json: Option<String>,
    #[serde(default)]
    flags: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSchema {
    kinds: HashMap<String, String>,
    messages: HashMap<String, HashMap<String, RawField>>,
    #[serde(rename = "customJSON")]
    custom_json: Vec<String>,
    list_wrappers: Vec<String>,
}

pub(crate) struct Schema {
    pub(crate) pool: DescriptorPool,
    /// "group/version Kind" → the message stored for it.
    kinds: HashMap<String, String>,
    /// message → field → how it differs from a plain `omitempty` value field of the same name.
    fields: HashMap<String, HashMap<String, JsonField>>,
    /// Messages whose Go type marshals itself (times, quantities, int-or-string, raw JSON); the
    /// tests hold the decoder to this whole list.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) custom_json: Vec<String>,
    /// Messages standing for a named Go slice (`type ExtraValue []string`): protobuf wraps the
    /// slice in a message with one repeated field `items`; JSON shows the bare array.
    list_wrappers: std::collections::HashSet<String>,
}

static SCHEMA: LazyLock<Result<Schema, String>> = LazyLock::new(load);

fn load() -> Result<Schema, String> {
    let pool = DescriptorPool::decode(DESCRIPTORS)
        .map_err(|e| format!("the embedded Kubernetes descriptors: {e}"))?;
    let raw: RawSchema = serde_json::from_str(FIELDS)
        .map_err(|e| format!("the embedded Kubernetes field table: {e}"))?;
    let fields = raw
        .messages
        .into_iter()
        .map(|(message, fields)| {
            let fields = fields
                .into_iter()
                .map(|(name, field)| {
                    let flags = field.flags.as_str();
                    let json = JsonField {
                        rename: field.json,
                        pointer: flags.contains('p'),
                        always: flags.contains('e'),
                        omit_zero: flags.contains('z'),
                        inline: flags.contains('i'),
                    };
                    (name, json)
                })
                .collect();
            (message, fields)
        })
        .collect();
    Ok(Schema {
        pool,
        kinds: raw.kinds,
        fields,
        custom_json: raw.custom_json,
        list_wrappers: raw.list_wrappers.into_iter().collect(),
    })
}

/// The embedded schema; an error only if the build embedded a broken one (a unit test loads it).
pub(crate) fn schema() -> Result<&'static Schema, &'static str> {
    SCHEMA.as_ref().map_err(String::as_str)
}

impl Schema {
    /// The message stored for `api_version` and `kind`, if Kubernetes v1.37 knows that pair.
    pub(crate) fn message_for(&self, api_version: &str, kind: &str) -> Option<MessageDescriptor> {
        let name = self.kinds.get(&format!("{api_version} {kind}"))?;
        self.pool.get_message_by_name(name)
    }

    pub(crate) fn message(&self, name: &str) -> Option<MessageDescriptor> {
        self.pool.get_message_by_name(name)
    }

    pub(crate) fn is_list_wrapper(&self, message: &str) -> bool {
        self.list_wrappers.contains(message)
    }

    pub(crate) fn json_field(&self, message: &str, field: &str) -> JsonField {
        self.fields
            .get(message)
            .and_then(|fields| fields.get(field))
            .cloned()
            .unwrap_or_default()
    }
}
