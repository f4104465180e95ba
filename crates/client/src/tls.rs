//! TLS settings of a client, from the files etcdctl's `--cacert --cert --key` name to a rustls
//! configuration that [`connect_channel`](crate::connect_channel) dials with.
//!
//! Invariants: every configuration offers ALPN `h2` only (gRPC needs HTTP/2); a configuration is
//! loaded once, when the command line is read, so that a bad file is reported before any dial,
//! with etcdctl's words where etcdctl has them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};

/// Where Go (and so etcdctl) looks for the system's CA bundle on Linux, in its order; used when
/// TLS is spoken without `--cacert`. `SSL_CERT_FILE` comes first, as in Go.
const SYSTEM_CA_FILES: [&str; 6] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// TLS settings as a command line gives them: file names and switches, not yet read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    /// PEM bundle of the CAs that sign the server's certificate (`--cacert`); `None`: the
    /// system's CA bundle.
    pub ca_file: Option<PathBuf>,
    /// PEM certificate (chain) that identifies this client (`--cert`); needs `key_file`.
    pub cert_file: Option<PathBuf>,
    /// PEM private key of `cert_file` (`--key`): PKCS#8, PKCS#1 (RSA) or SEC1 (EC).
    pub key_file: Option<PathBuf>,
    /// Encrypt but do not verify the server's certificate (`--insecure-skip-tls-verify`).
    pub insecure_skip_verify: bool,
    /// The name the server's certificate must carry; `None`: the endpoint's host.
    pub server_name: Option<String>,
}

/// Why TLS settings could not be loaded. The messages of etcdctl's (Go's) errors are kept where
/// etcdctl has one, so scripts see the same line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsConfigError {
    /// A file could not be read (Go's `open <path>: <reason>`).
    #[error("open {path}: {reason}")]
    Read {
        /// The file as named.
        path: String,
        /// Why, in Go's lower-case words.
        reason: String,
    },
    /// Only one of certificate and key was given (etcd's `TLSInfo` message).
    #[error("KeyFile and CertFile must both be present[key: {key}, cert: {cert}]")]
    Unpaired {
        /// The key file given, or empty.
        key: String,
        /// The certificate file given, or empty.
        cert: String,
    },
    /// A file holds no usable PEM block of the kind expected.
    #[error("{path}: {what}")]
    Malformed {
        /// The file as named.
        path: String,
        /// What is missing or wrong.
        what: String,
    },
    /// The key is not the private key of the certificate (Go's message).
    #[error("tls: private key does not match public key")]
    KeyMismatch,
    /// rustls refused the certificate or key for another reason.
    #[error("tls: {0}")]
    Rejected(String),
}

/// Loaded TLS settings, ready to dial with; cheap to clone. Two values are equal when they
/// are clones of one loaded configuration.
#[derive(Clone)]
pub struct ClientTls {
    config: Arc<ClientConfig>,
    server_name: Option<String>,
}

impl fmt::Debug for ClientTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientTls")
            .field("server_name", &self.server_name)
            .finish_non_exhaustive()
    }
}

impl PartialEq for ClientTls {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.config, &other.config) && self.server_name == other.server_name
    }
}

impl Eq for ClientTls {}

impl ClientTls {
    /// Reads the files of `files` and builds the configuration (ALPN `h2`).
    pub fn load(files: &TlsFiles) -> Result<ClientTls, TlsConfigError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsConfigError::Rejected(e.to_string()))?;
        // Read the identity first: etcd's TLSInfo reports an unpaired or bad key before the CA.
        let identity = match (&files.cert_file, &files.key_file) {
            (None, None) => None,
            (Some(cert), Some(key)) => Some(read_identity(cert, key)?),
            (cert, key) => {
                return Err(TlsConfigError::Unpaired {
                    key: key.as_deref().map(shown).unwrap_or_default(),
                    cert: cert.as_deref().map(shown).unwrap_or_default(),
                })
            }
        };
        let builder = if files.insecure_skip_verify {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(SkipServerVerification(provider)))
        } else {
            let roots = match &files.ca_file {
                Some(path) => read_ca_bundle(path)?,
                None => system_roots(),
            };
            builder.with_root_certificates(roots)
        };
        let mut config = match identity {
            Some((chain, key)) => {
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| match e {
                        rustls::Error::InconsistentKeys(_) => TlsConfigError::KeyMismatch,
                        other => TlsConfigError::Rejected(other.to_string()),
                    })?
            }
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(ClientTls {
            config: Arc::new(config),
            server_name: files.server_name.clone(),
        })
    }

    /// TLS with the system's CA bundle and no client certificate: what an `https://` endpoint
    /// gets when no TLS setting was given (as Go's default `tls.Config`).
    pub fn system_default() -> ClientTls {
        ClientTls::load(&TlsFiles::default())
            .expect("a configuration without files cannot fail to load")
    }

    /// The rustls configuration.
    pub(crate) fn config(&self) -> Arc<ClientConfig> {
        self.config.clone()
    }

    /// The name to verify the server's certificate against when dialling `host`.
    pub(crate) fn server_name(&self, host: &str) -> Result<ServerName<'static>, String> {
        let name = self.server_name.as_deref().unwrap_or(host);
        let name = name.trim_start_matches('[').trim_end_matches(']');
        ServerName::try_from(name.to_string())
            .map_err(|e| format!("{name:?} is not a TLS server name: {e}"))
    }
}

/// A path as the user named it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// The file's bytes, or Go's `open` error (`open PATH: no such file or directory`).
pub fn read_file(path: &Path) -> Result<Vec<u8>, TlsConfigError> {
    std::fs::read(path).map_err(|e| TlsConfigError::Read {
        path: shown(path),
        reason: go_io_reason(&e),
    })
}

/// An I/O error in Go's words (`no such file or directory`), which etcd's tools print.
pub fn go_io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = error.to_string();
            let text = match text.find(" (os error") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            text.to_lowercase()
        }
    }
}

/// Every certificate of a PEM bundle; at least one.
pub fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsConfigError> {
    let bytes = read_file(path)?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsConfigError::Malformed {
            path: shown(path),
            what: format!("cannot parse PEM: {e}"),
        })?;
    if certs.is_empty() {
        return Err(TlsConfigError::Malformed {
            path: shown(path),
            what: "no PEM CERTIFICATE block".to_string(),
        });
    }
    Ok(certs)
}

/// The CA bundle as a root store; every certificate in it must parse.
pub fn read_ca_bundle(path: &Path) -> Result<RootCertStore, TlsConfigError> {
    let mut roots = RootCertStore::empty();
    for cert in read_certificates(path)? {
        roots.add(cert).map_err(|e| TlsConfigError::Malformed {
            path: shown(path),
            what: format!("not a CA certificate: {e}"),
        })?;
    }
    Ok(roots)
}

/// The client's certificate chain and its private key.
fn read_identity(
    cert: &Path,
    key: &Path,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), TlsConfigError> {
    Ok((read_certificates(cert)?, read_private_key(key)?))
}

/// The private key of a PEM file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC).
pub fn read_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsConfigError> {
    let bytes = read_file(path)?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| TlsConfigError::Malformed {
        path: shown(path),
        what: format!("no PKCS#8, PKCS#1 or SEC1 private key: {e}"),
    })
}

/// The system's CA bundle (see [`SYSTEM_CA_FILES`]); empty when there is none, so that
/// verification fails with "unknown issuer" rather than the load.
fn system_roots() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    let from_env = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let candidates = from_env
        .into_iter()
        .chain(SYSTEM_CA_FILES.iter().map(PathBuf::from));
    for path in candidates {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let certs = CertificateDer::pem_slice_iter(&bytes).filter_map(Result::ok);
        let (added, _) = roots.add_parsable_certificates(certs);
        if added > 0 {
            break;
        }
    }
    roots
}

/// `--insecure-skip-tls-verify`: any certificate is accepted, but the handshake signatures are
/// still checked, so the connection is encrypted to whoever holds the presented key.
#[derive(Debug)]
struct SkipServerVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for SkipServerVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write a test file");
        path
    }

    /// A self-signed certificate and its PKCS#8 key, both PEM.
    fn identity() -> (String, String) {
        let key = rcgen::KeyPair::generate().expect("generate a key");
        let cert = rcgen::CertificateParams::new(vec!["client".to_string()])
            .expect("cert params")
            .self_signed(&key)
            .expect("sign");
        (cert.pem(), key.serialize_pem())
    }

    #[test]
    fn bad_files_are_named_as_etcdctl_names_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = TlsFiles {
            ca_file: Some(dir.path().join("nope.pem")),
            ..TlsFiles::default()
        };
        let err = ClientTls::load(&missing).expect_err("no such file");
        assert_eq!(
            err.to_string(),
            format!(
                "open {}: no such file or directory",
                dir.path().join("nope.pem").display()
            )
        );

        let (cert, key) = identity();
        let (_, other_key) = identity();
        let cert = write(dir.path(), "c.pem", &cert);
        let key_path = write(dir.path(), "k.pem", &key);
        let other = write(dir.path(), "o.pem", &other_key);
        let unpaired = TlsFiles {
            cert_file: Some(cert.clone()),
            ..TlsFiles::default()
        };
        assert_eq!(
            ClientTls::load(&unpaired).expect_err("no key").to_string(),
            format!(
                "KeyFile and CertFile must both be present[key: , cert: {}]",
                cert.display()
            )
        );
        let mismatch = TlsFiles {
            cert_file: Some(cert.clone()),
            key_file: Some(other),
            ..TlsFiles::default()
        };
        assert_eq!(
            ClientTls::load(&mismatch).expect_err("wrong key"),
            TlsConfigError::KeyMismatch
        );
        let not_a_ca = TlsFiles {
            ca_file: Some(key_path.clone()),
            ..TlsFiles::default()
        };
        assert!(matches!(
            ClientTls::load(&not_a_ca),
            Err(TlsConfigError::Malformed { .. })
        ));
        let good = TlsFiles {
            ca_file: Some(cert.clone()),
            cert_file: Some(cert),
            key_file: Some(key_path),
            ..TlsFiles::default()
        };
        let tls = ClientTls::load(&good).expect("a matching pair loads");
        assert_eq!(tls.config().alpn_protocols, vec![b"h2".to_vec()]);
    }
}
