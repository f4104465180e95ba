//! The decoder against what a real kube-apiserver served for the same stored bytes.

use super::*;
use base64::Engine as _;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(path: &Path) -> Json {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn b64(value: &Json) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(value.as_str().unwrap())
        .unwrap()
}

fn test_keys() -> Keys {
    let text =
        std::fs::read_to_string(repo().join("tests/kubernetes/encryption-config.yaml")).unwrap();
    Keys::from_yaml(&text).unwrap()
}

#[test]
fn the_embedded_schema_loads_and_every_self_marshalling_type_is_handled() {
    let schema = schema::schema().unwrap();
    for name in &schema.custom_json {
        let descriptor = schema
            .message(name)
            .unwrap_or_else(|| panic!("{name} has no descriptor"));
        let message = prost_reflect::DynamicMessage::new(descriptor);
        let json = object::message_to_json(schema, &message);
        assert!(
            !json.is_object() || name.ends_with("JSONSchemaProps"),
            "{name} marshals itself in Go but is printed as a plain object: {json}"
        );
    }
}

#[test]
fn every_captured_kind_decodes_to_the_api_servers_json() {
    let dir = repo().join("tests/kubernetes/fixtures");
    let index = read_json(&dir.join("index.json"));
    let keys = test_keys();
    let mut compared = 0;
    for entry in index["keys"].as_array().unwrap() {
        let stored = read_json(&dir.join(entry["etcd"].as_str().unwrap()));
        let kv = &stored["kvs"][0];
        let key = b64(&kv["key"]);
        let value = b64(&kv["value"]);
        let revision = kv["mod_revision"].as_i64().unwrap();
        let decoded = decode(&key, &value, Some(revision), Some(&keys));
        let what = entry["key"].as_str().unwrap();
        let object = decoded
            .object()
            .unwrap_or_else(|| panic!("{what}: {}", decoded.to_json_value()));
        assert_eq!(
            decoded.encryption.is_some(),
            entry["encrypted"].as_bool().unwrap(),
            "{what}"
        );
        assert_eq!(
            decoded.type_name().unwrap(),
            format!(
                "{} {}",
                entry["apiVersion"].as_str().unwrap(),
                entry["kind"].as_str().unwrap()
            )
        );
        let Some(api_file) = entry["api"].as_str() else {
            continue;
        };
        if entry["apiVersion"] != entry["servedAs"] {
            // Served in another version than stored (the API server converts): only the identity
            // can be compared.
            let api = read_json(&dir.join(api_file));
            assert_eq!(object["metadata"]["uid"], api["metadata"]["uid"], "{what}");
            continue;
        }
        let api = read_json(&dir.join(api_file));
        assert_eq!(
            object,
            &api,
            "{what}\ndecoded: {}\napi:     {}",
            to_json(object),
            to_json(&api)
        );
        compared += 1;
    }
    assert!(compared >= 15, "compared {compared}");
}

#[test]
fn a_configmap_stored_by_a_2018_api_server_decodes_to_its_fields() {
    let fixture = read_json(&repo().join("../shared/fixtures/k8s/game-config-configmap.json"));
    let kv = &fixture["etcdctl_json_kv"];
    let decoded = decode(&b64(&kv["key"]), &b64(&kv["value"]), None, None);
    assert_eq!(
        decoded.content,
        Content::Object {
            storage: Storage::Protobuf,
            object: fixture["expected_object"].clone(),
        }
    );
}

#[test]
fn an_encrypted_value_without_its_key_is_named_not_opened() {
    let dir = repo().join("tests/kubernetes/fixtures");
    let stored = read_json(&dir.join("secrets__oxcd-test__db.etcd.json"));
    let (key, value) = (
        b64(&stored["kvs"][0]["key"]),
        b64(&stored["kvs"][0]["value"]),
    );
    let decoded = decode(&key, &value, Some(1), None);
    let described = decoded.to_json_value();
    assert_eq!(described["encryption"], "aescbc:v1 key \"key1\"");
    assert!(
        described["error"].as_str().unwrap().contains("no such key"),
        "{described}"
    );
    assert!(described["hex"]
        .as_str()
        .unwrap()
        .starts_with("6b38733a656e633a")); // "k8s:enc:"

    // The right provider with another key's bytes: authenticated nowhere in CBC, so the padding
    // check is what fails (or, rarely, garbage that is not an envelope).
    let wrong = Keys::from_yaml(
        "kind: EncryptionConfiguration\nresources:\n- providers:\n  - aescbc:\n      keys:\n      - name: key1\n        secret: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    )
    .unwrap();
    let decoded = decode(&key, &value, Some(1), Some(&wrong));
    assert!(decoded.object().is_none());
    assert_eq!(decoded.encryption.as_ref().unwrap().provider, "aescbc");

    let kms = decode(
        b"/registry/secrets/a/b",
        b"k8s:enc:kms:v2:vault:\x0a\x01x",
        None,
        Some(&wrong),
    );
    assert!(kms.to_json_value()["error"]
        .as_str()
        .unwrap()
        .contains("KMS plugin"));
}

#[test]
fn damaged_and_unknown_values_are_described() {
    let dir = repo().join("tests/kubernetes/fixtures");
    let stored = read_json(&dir.join("configmaps__oxcd-large__after-big.etcd.json"));
    let value = b64(&stored["kvs"][0]["value"]);
    // Every truncation of a real value is described, never a panic.
    for cut in 0..value.len() {
        let decoded = decode(b"/registry/configmaps/x/y", &value[..cut], None, None);
        let _ = decoded.to_json_value();
    }
    let truncated = decode(b"k", &value[..value.len() - 5], None, None);
    assert!(truncated.object().is_none());
    assert_eq!(truncated.type_name().as_deref(), Some("v1 ConfigMap"));

    // An envelope naming a kind Kubernetes does not have: its type and bytes are shown.
    let mut unknown = b"k8s\0".to_vec();
    unknown.extend([0x0a, 0x0c, 0x0a, 0x02, b'v', b'9', 0x12, 0x06]);
    unknown.extend(b"Gadget");
    unknown.extend([0x12, 0x02, 0x08, 0x01]);
    let decoded = decode(b"k", &unknown, None, None);
    let described = decoded.to_json_value();
    assert_eq!(described["kind"], "Gadget");
    assert_eq!(described["hex"], "0801");
    assert!(described["error"]
        .as_str()
        .unwrap()
        .contains("unknown kind"));

    let text = decode(b"k", b"plain text", None, None).to_json_value();
    assert_eq!(text["text"], "plain text");
    let broken_json = decode(b"k", b"{\"kind\":", None, None).to_json_value();
    assert!(broken_json["error"]
        .as_str()
        .unwrap()
        .starts_with("damaged JSON"));
}

#[test]
fn aesgcm_and_secretbox_values_made_by_kube_apiservers_transformers_decrypt() {
    // testdata/encrypted.json: tools/k8s-schema/encrypt ran Kubernetes' own transformers.
    let vectors = read_json(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/encrypted.json"));
    let keys = Keys::from_yaml(vectors["config"].as_str().unwrap()).unwrap();
    let key = vectors["key"].as_str().unwrap().as_bytes();
    let plain = decode(key, &b64(&vectors["plaintext"]), Some(7), None);
    assert!(plain.object().is_some());
    for provider in ["aesgcm", "secretbox"] {
        let sealed = b64(&vectors[provider]);
        let decoded = decode(key, &sealed, Some(7), Some(&keys));
        assert_eq!(decoded.encryption.as_ref().unwrap().provider, provider);
        assert_eq!(decoded.content, plain.content, "{provider}");
        // One flipped bit of ciphertext: both are authenticated, so nothing comes out.
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        let decoded = decode(key, &tampered, Some(7), Some(&keys));
        assert!(decoded.to_json_value()["error"]
            .as_str()
            .unwrap()
            .contains("decryption failed"));
    }
    // aesgcm authenticates the etcd key: the same bytes under another key do not open.
    let moved = decode(
        b"/registry/configmaps/other/x",
        &b64(&vectors["aesgcm"]),
        None,
        Some(&keys),
    );
    assert!(moved.object().is_none());
}

/// A protobuf length-delimited field.
fn field(number: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![(number << 3) | 2];
    prost::encoding::encode_varint(bytes.len() as u64, &mut out);
    out.extend_from_slice(bytes);
    out
}

fn envelope(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let type_meta = [field(1, api_version.as_bytes()), field(2, kind.as_bytes())].concat();
    [PROTOBUF_MAGIC.to_vec(), field(1, &type_meta), field(2, raw)].concat()
}

#[test]
fn objects_embedded_in_objects_are_decoded_a_few_levels_deep_then_shown_as_bytes() {
    // A ControllerRevision's data (a RawExtension, field 2; its raw bytes, field 1) holding a
    // ControllerRevision, and so on ten thousand times: decoding must neither recurse without
    // bound nor fail the value.
    let mut value = envelope("apps/v1", "ControllerRevision", &[]);
    for _ in 0..10_000 {
        value = envelope(
            "apps/v1",
            "ControllerRevision",
            &field(2, &field(1, &value)),
        );
    }
    let decoded = decode(b"/registry/controllerrevisions/a/b", &value, None, None);
    let mut object = decoded.object().expect("decoded").clone();
    let mut levels = 0;
    while let Some(inner) = object.get("data").cloned() {
        if inner.is_string() {
            break;
        }
        object = inner;
        levels += 1;
    }
    assert_eq!(levels, object::MAX_EMBEDDED_OBJECTS);
    assert!(object["data"].as_str().is_some_and(|b| b.len() > 1000));
}

#[test]
fn a_key_name_used_for_several_resources_tries_each_secret() {
    let dir = repo().join("tests/kubernetes/fixtures");
    let stored = read_json(&dir.join("secrets__oxcd-test__db.etcd.json"));
    let (key, value) = (
        b64(&stored["kvs"][0]["key"]),
        b64(&stored["kvs"][0]["value"]),
    );
    let config = "kind: EncryptionConfiguration
resources:
- resources: [configmaps]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: kcHqO/1KAx5hT0Dpf53zrEiwescCv1e2BLhEReJtBvA=
";
    let keys = Keys::from_yaml(config).unwrap();
    let decoded = decode(&key, &value, Some(1), Some(&keys));
    assert_eq!(decoded.type_name().as_deref(), Some("v1 Secret"));
}

#[test]
fn bad_encryption_configurations_are_refused_with_the_reason() {
    let not_base64 = "kind: EncryptionConfiguration\nresources:\n- providers:\n  - aesgcm:\n      keys:\n      - name: k\n        secret: '%%%'\n";
    let error = Keys::from_yaml(not_base64).err().unwrap().to_string();
    assert!(
        error.contains("aesgcm key \"k\"") && error.contains("base64"),
        "{error}"
    );
    let wrong_kind = Keys::from_yaml("kind: ConfigMap\n")
        .err()
        .unwrap()
        .to_string();
    assert!(
        wrong_kind.contains("not EncryptionConfiguration"),
        "{wrong_kind}"
    );
    let not_yaml = Keys::from_yaml("kind: [").err().unwrap().to_string();
    assert!(
        not_yaml.starts_with("encryption configuration:"),
        "{not_yaml}"
    );
}

#[test]
fn a_named_go_slice_prints_as_a_bare_array() {
    // CertificateSigningRequest.spec.extra is map<string, ExtraValue>, ExtraValue being
    // `[]string` in Go: {"groups": ["a", "b"]}, not {"groups": {"items": [...]}}.
    let extra_value = [field(1, b"a"), field(1, b"b")].concat();
    let entry = [field(1, b"groups"), field(2, &extra_value)].concat();
    // CertificateSigningRequestSpec: request (1), extra (6); CertificateSigningRequest: spec (2).
    let spec = [field(1, b"pem"), field(6, &entry)].concat();
    let value = envelope(
        "certificates.k8s.io/v1",
        "CertificateSigningRequest",
        &field(2, &spec),
    );
    let decoded = decode(
        b"/registry/certificatesigningrequests/x",
        &value,
        None,
        None,
    );
    let object = decoded
        .object()
        .unwrap_or_else(|| panic!("{}", decoded.to_json_value()));
    assert_eq!(
        object["spec"]["extra"],
        serde_json::json!({"groups": ["a", "b"]})
    );
}
