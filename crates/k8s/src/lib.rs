//! Kubernetes' values under `/registry` read back into the objects kube-apiserver serves: the
//! `k8s\0` protobuf envelope and every built-in type of Kubernetes v1.37 printed as
//! `kubectl get -o json|yaml` prints it, JSON-stored objects (custom resources), and values
//! encrypted at rest, named by provider and key and, given the API server's
//! EncryptionConfiguration, decrypted. A value that cannot be read is described (its type, why,
//! its bytes) instead of failing, so a listing of many values always completes.

mod encryption;
mod envelope;
mod object;
mod render;
mod schema;

use serde_json::{Map, Value as Json};

pub use encryption::{parse_encrypted, Encryption, EncryptionError, Keys};
pub use envelope::PROTOBUF_MAGIC;
pub use object::unix_from_rfc3339;
pub use render::{to_json, to_yaml};

/// How the object was stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    Protobuf,
    Json,
}

/// One value read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// How the value was encrypted at rest, if it was.
    pub encryption: Option<Encryption>,
    pub content: Content,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// The object as the API server serves it.
    Object { storage: Storage, object: Json },
    /// What could be told about a value that is not a readable object.
    Undecodable {
        reason: String,
        /// apiVersion and kind, when the envelope could be read.
        type_meta: Option<(String, String)>,
        /// The bytes that could not be read (after decryption, if that worked).
        bytes: Vec<u8>,
    },
}

/// Reads the value stored under `key`. `mod_revision` becomes the object's
/// `metadata.resourceVersion`, as the API server sets it on every read; `keys` decrypt values
/// encrypted with a local-key provider.
pub fn decode(key: &[u8], value: &[u8], mod_revision: Option<i64>, keys: Option<&Keys>) -> Decoded {
    let (encryption, plaintext) = match parse_encrypted(value) {
        Some((how, ciphertext)) => {
            let opened = match keys {
                Some(keys) => keys.decrypt(&how, ciphertext, key),
                None => Err(EncryptionError::NoKey(how.clone())),
            };
            match opened {
                Ok(plaintext) => (Some(how), plaintext),
                Err(e) => {
                    return Decoded {
                        encryption: Some(how),
                        content: Content::Undecodable {
                            reason: e.to_string(),
                            type_meta: None,
                            bytes: value.to_vec(),
                        },
                    }
                }
            }
        }
        None => (None, value.to_vec()),
    };
    let mut content = decode_plaintext(plaintext);
    if let (Content::Object { object, .. }, Some(revision)) = (&mut content, mod_revision) {
        if let Some(Json::Object(metadata)) = object.get_mut("metadata") {
            metadata.insert("resourceVersion".into(), Json::String(revision.to_string()));
        }
    }
    Decoded {
        encryption,
        content,
    }
}

fn decode_plaintext(bytes: Vec<u8>) -> Content {
    if bytes.starts_with(PROTOBUF_MAGIC) {
        let schema = match schema::schema() {
            Ok(schema) => schema,
            Err(reason) => return undecodable(reason.to_string(), None, bytes),
        };
        let envelope = match envelope::read_envelope(schema, &bytes) {
            Ok(envelope) => envelope,
            Err(e) => {
                let type_meta = envelope::peek_type_meta(schema, &bytes);
                return undecodable(e.to_string(), type_meta, bytes);
            }
        };
        return match object::envelope_to_json(schema, &envelope) {
            Ok(object) => Content::Object {
                storage: Storage::Protobuf,
                object,
            },
            Err(e) => undecodable(
                e.to_string(),
                Some((envelope.api_version, envelope.kind)),
                envelope.raw,
            ),
        };
    }
    if bytes.first() == Some(&b'{') {
        return match serde_json::from_slice::<Json>(&bytes) {
            Ok(object @ Json::Object(_)) => Content::Object {
                storage: Storage::Json,
                object,
            },
            Ok(_) => undecodable("JSON that is not an object".into(), None, bytes),
            Err(e) => undecodable(format!("damaged JSON: {e}"), None, bytes),
        };
    }
    undecodable("not a Kubernetes object".into(), None, bytes)
}

fn undecodable(reason: String, type_meta: Option<(String, String)>, bytes: Vec<u8>) -> Content {
    Content::Undecodable {
        reason,
        type_meta,
        bytes,
    }
}

impl Decoded {
    /// The object, or for an unreadable value a description of it: why, its type where known,
    /// how it was encrypted, and its bytes (as text when they are text, else in hex).
    pub fn to_json_value(&self) -> Json {
        match &self.content {
            Content::Object { object, .. } => object.clone(),
            Content::Undecodable {
                reason,
                type_meta,
                bytes,
            } => {
                let mut out = Map::new();
                out.insert("error".into(), Json::String(reason.clone()));
                if let Some((api_version, kind)) = type_meta {
                    out.insert("apiVersion".into(), Json::String(api_version.clone()));
                    out.insert("kind".into(), Json::String(kind.clone()));
                }
                if let Some(how) = &self.encryption {
                    out.insert("encryption".into(), Json::String(how.to_string()));
                }
                match std::str::from_utf8(bytes) {
                    Ok(text)
                        if !text
                            .chars()
                            .any(|c| c.is_control() && c != '\n' && c != '\t') =>
                    {
                        out.insert("text".into(), Json::String(text.to_string()));
                    }
                    _ => {
                        out.insert("hex".into(), Json::String(hex(bytes)));
                    }
                }
                Json::Object(out)
            }
        }
    }

    /// [`to_json_value`](Self::to_json_value) as kubectl prints it: `metadata.managedFields`
    /// left out unless `managed_fields` (kubectl's `--show-managed-fields`).
    pub fn to_printed_value(&self, managed_fields: bool) -> Json {
        let mut object = self.to_json_value();
        if !managed_fields {
            if let Some(Json::Object(metadata)) = object.get_mut("metadata") {
                metadata.remove("managedFields");
            }
        }
        object
    }

    /// "apps/v1 Deployment", when known.
    pub fn type_name(&self) -> Option<String> {
        match &self.content {
            Content::Object { object, .. } => Some(format!(
                "{} {}",
                object.get("apiVersion")?.as_str()?,
                object.get("kind")?.as_str()?
            )),
            Content::Undecodable { type_meta, .. } => {
                type_meta.as_ref().map(|(v, k)| format!("{v} {k}"))
            }
        }
    }

    pub fn object(&self) -> Option<&Json> {
        match &self.content {
            Content::Object { object, .. } => Some(object),
            Content::Undecodable { .. } => None,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
