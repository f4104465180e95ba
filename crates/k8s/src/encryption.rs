//! Encryption at rest as kube-apiserver writes it: `k8s:enc:<provider>:v1:<key name>:` and the
//! ciphertext. Recognised for every provider; decrypted for the ones whose keys live in the
//! EncryptionConfiguration file itself (aescbc, aesgcm, secretbox). KMS keys live in a plugin
//! this tool cannot reach, so those values are named, not opened.

use std::collections::HashMap;

use aes::cipher::{BlockDecryptMut, KeyIvInit};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine as _;
use serde::Deserialize;

/// The prefix kube-apiserver's envelope transformers put before ciphertext.
const PREFIX: &[u8] = b"k8s:enc:";

/// How a value was encrypted, read from its prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encryption {
    /// `aescbc`, `aesgcm`, `secretbox`, `kms` (v1 or v2: see `version`).
    pub provider: String,
    pub version: String,
    /// The key's name (for KMS, the plugin's name).
    pub key_name: String,
}

impl std::fmt::Display for Encryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{} key {:?}",
            self.provider, self.version, self.key_name
        )
    }
}

/// Splits an encrypted value into how it was encrypted and the ciphertext after the prefix;
/// `None` for a value that is not encrypted.
pub fn parse_encrypted(value: &[u8]) -> Option<(Encryption, &[u8])> {
    let rest = value.strip_prefix(PREFIX)?;
    let mut parts = rest.splitn(4, |&b| b == b':');
    let provider = std::str::from_utf8(parts.next()?).ok()?;
    let version = std::str::from_utf8(parts.next()?).ok()?;
    let key_name = parts.next()?;
    let ciphertext = parts.next()?;
    Some((
        Encryption {
            provider: provider.to_string(),
            version: version.to_string(),
            key_name: String::from_utf8_lossy(key_name).into_owned(),
        },
        ciphertext,
    ))
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EncryptionError {
    #[error("encrypted with {0}; no such key (pass the API server's --encryption-config)")]
    NoKey(Encryption),
    #[error("encrypted with {0}; its key lives in the KMS plugin, not in the configuration")]
    Kms(Encryption),
    #[error("encrypted with {0}; decryption failed: wrong key or damaged value")]
    Failed(Encryption),
    #[error("encryption configuration: {0}")]
    Config(String),
}

#[derive(Deserialize)]
struct ConfigFile {
    kind: Option<String>,
    #[serde(default)]
    resources: Vec<ResourceConfig>,
}

#[derive(Deserialize)]
struct ResourceConfig {
    #[serde(default)]
    providers: Vec<ProviderConfig>,
}

#[derive(Deserialize)]
struct ProviderConfig {
    aescbc: Option<KeysConfig>,
    aesgcm: Option<KeysConfig>,
    secretbox: Option<KeysConfig>,
}

#[derive(Deserialize)]
struct KeysConfig {
    #[serde(default)]
    keys: Vec<KeyConfig>,
}

#[derive(Deserialize)]
struct KeyConfig {
    name: String,
    secret: String,
}

/// The local keys of an EncryptionConfiguration, by provider and key name. A name may be
/// configured for several resources with different secrets: each is tried.
#[derive(Default)]
pub struct Keys {
    keys: HashMap<(String, String), Vec<Vec<u8>>>,
}

impl Keys {
    /// Reads kube-apiserver's `--encryption-provider-config` YAML (`apiserver.config.k8s.io/v1`).
    pub fn from_yaml(text: &str) -> Result<Keys, EncryptionError> {
        let config: ConfigFile =
            serde_yaml_ng::from_str(text).map_err(|e| EncryptionError::Config(e.to_string()))?;
        if config.kind.as_deref() != Some("EncryptionConfiguration") {
            return Err(EncryptionError::Config(
                "kind is not EncryptionConfiguration".to_string(),
            ));
        }
        let mut keys = Keys::default();
        for provider in config.resources.iter().flat_map(|r| &r.providers) {
            for (name, config) in [
                ("aescbc", &provider.aescbc),
                ("aesgcm", &provider.aesgcm),
                ("secretbox", &provider.secretbox),
            ] {
                for key in config.iter().flat_map(|c| &c.keys) {
                    let secret = base64::engine::general_purpose::STANDARD
                        .decode(key.secret.trim())
                        .map_err(|e| {
                            EncryptionError::Config(format!(
                                "{name} key {:?}: secret is not base64: {e}",
                                key.name
                            ))
                        })?;
                    let secrets = keys
                        .keys
                        .entry((name.to_string(), key.name.clone()))
                        .or_default();
                    if !secrets.contains(&secret) {
                        secrets.push(secret);
                    }
                }
            }
        }
        Ok(keys)
    }

    /// The plaintext of an encrypted value; `key` is the value's etcd key, which aesgcm
    /// authenticates.
    pub fn decrypt(
        &self,
        how: &Encryption,
        ciphertext: &[u8],
        key: &[u8],
    ) -> Result<Vec<u8>, EncryptionError> {
        if how.provider == "kms" {
            return Err(EncryptionError::Kms(how.clone()));
        }
        let secrets = self
            .keys
            .get(&(how.provider.clone(), how.key_name.clone()))
            .ok_or_else(|| EncryptionError::NoKey(how.clone()))?;
        let open: Opener = match how.provider.as_str() {
            "aescbc" => |secret, data, _| aes_cbc(secret, data),
            "aesgcm" => aes_gcm,
            "secretbox" => |secret, data, _| secretbox(secret, data),
            _ => return Err(EncryptionError::NoKey(how.clone())),
        };
        secrets
            .iter()
            .find_map(|secret| open(secret, ciphertext, key))
            .ok_or_else(|| EncryptionError::Failed(how.clone()))
    }
}

/// Opens (secret, ciphertext, etcd key) into the plaintext, or `None`.
type Opener = fn(&[u8], &[u8], &[u8]) -> Option<Vec<u8>>;

/// A 16-byte IV, then AES-CBC with PKCS#7 padding.
fn aes_cbc(secret: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    use aes::cipher::block_padding::Pkcs7;
    if data.len() < 16 {
        return None;
    }
    let (iv, body) = data.split_at(16);
    match secret.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(secret, iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(body)
            .ok(),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(secret, iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(body)
            .ok(),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(secret, iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(body)
            .ok(),
        _ => None,
    }
}

/// A 12-byte nonce, then AES-GCM with the etcd key as authenticated data.
fn aes_gcm(secret: &[u8], data: &[u8], key: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 12 {
        return None;
    }
    let (nonce, body) = data.split_at(12);
    let payload = Payload {
        msg: body,
        aad: key,
    };
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    match secret.len() {
        16 => aes_gcm::Aes128Gcm::new_from_slice(secret)
            .ok()?
            .decrypt(nonce, payload)
            .ok(),
        32 => aes_gcm::Aes256Gcm::new_from_slice(secret)
            .ok()?
            .decrypt(nonce, payload)
            .ok(),
        _ => None,
    }
}

/// A 24-byte nonce, then NaCl's secretbox (XSalsa20-Poly1305) under a 32-byte key.
fn secretbox(secret: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    use crypto_secretbox::{KeyInit as _, XSalsa20Poly1305};
    if data.len() < 24 {
        return None;
    }
    let (nonce, body) = data.split_at(24);
    let cipher = XSalsa20Poly1305::new_from_slice(secret).ok()?;
    crypto_secretbox::aead::Aead::decrypt(&cipher, crypto_secretbox::Nonce::from_slice(nonce), body)
        .ok()
}
