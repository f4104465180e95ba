//! How kube-apiserver wraps what it stores: `k8s\0` and a `runtime.Unknown` carrying apiVersion,
//! kind and the object's protobuf bytes; or plain JSON (custom resources, clusters configured for
//! JSON storage).

use prost_reflect::{DynamicMessage, Value};

use crate::schema::Schema;

/// The magic kube-apiserver's protobuf serializer puts before every stored object.
pub const PROTOBUF_MAGIC: &[u8] = b"k8s\0";

const UNKNOWN: &str = "k8s.io.apimachinery.pkg.runtime.Unknown";

/// The `runtime.Unknown` envelope of a protobuf value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub api_version: String,
    pub kind: String,
    pub raw: Vec<u8>,
    pub content_encoding: String,
}

/// Why a value could not be decoded into an object (the value is then shown as what it is).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("damaged protobuf envelope: {0}")]
    Envelope(String),
    #[error("unknown kind {kind} of {api_version} (not a built-in type of Kubernetes v1.37)")]
    UnknownKind { api_version: String, kind: String },
    #[error("damaged {api_version} {kind}: {reason}")]
    Object {
        api_version: String,
        kind: String,
        reason: String,
    },
    #[error("content encoding {0:?} is not supported")]
    ContentEncoding(String),
}

/// Reads the envelope after the magic.
pub fn read_envelope(schema: &Schema, bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
    let body = bytes
        .strip_prefix(PROTOBUF_MAGIC)
        .ok_or_else(|| EnvelopeError::Envelope("no k8s\\0 prefix".to_string()))?;
    let descriptor = schema
        .message(UNKNOWN)
        .ok_or_else(|| EnvelopeError::Envelope(format!("{UNKNOWN} missing from the schema")))?;
    let unknown = DynamicMessage::decode(descriptor, body)
        .map_err(|e| EnvelopeError::Envelope(e.to_string()))?;
    let type_meta = match unknown.get_field_by_name("typeMeta").as_deref() {
        Some(Value::Message(m)) => m.clone(),
        _ => return Err(EnvelopeError::Envelope("no typeMeta".to_string())),
    };
    let text =
        |message: &DynamicMessage, name: &str| match message.get_field_by_name(name).as_deref() {
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
    let raw = match unknown.get_field_by_name("raw").as_deref() {
        Some(Value::Bytes(b)) => b.to_vec(),
        _ => Vec::new(),
    };
    let envelope = Envelope {
        api_version: text(&type_meta, "apiVersion"),
        kind: text(&type_meta, "kind"),
        raw,
        content_encoding: text(&unknown, "contentEncoding"),
    };
    if envelope.kind.is_empty() {
        return Err(EnvelopeError::Envelope("no kind in typeMeta".to_string()));
    }
    Ok(envelope)
}

/// apiVersion and kind from an envelope damaged after them (a value cut short keeps its
/// `typeMeta`, which comes first): enough to say what the value was.
pub fn peek_type_meta(schema: &Schema, bytes: &[u8]) -> Option<(String, String)> {
    let mut body = bytes.strip_prefix(PROTOBUF_MAGIC)?;
    // Field 1 (typeMeta), length-delimited: tag byte 0x0a.
    body = body.strip_prefix(&[0x0a])?;
    let len = usize::try_from(prost::encoding::decode_varint(&mut body).ok()?).ok()?;
    let type_meta = body.get(..len)?;
    let descriptor = schema.message("k8s.io.apimachinery.pkg.runtime.TypeMeta")?;
    let message = DynamicMessage::decode(descriptor, type_meta).ok()?;
    let text = |name: &str| match message.get_field_by_name(name).as_deref() {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    Some((text("apiVersion")?, text("kind")?))
}
