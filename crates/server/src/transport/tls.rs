//! TLS server configurations from etcd's transport security flags, with rustls.
//!
//! Certificates and keys are re-read when their files change, checked at each handshake as etcd
//! does, so a rotated certificate reaches new connections without a restart; unlike etcd, the
//! trusted CA bundle and the CRL are reloaded the same way. A file that no longer loads (a
//! rotation caught half-written) leaves the last good configuration in place, with a warning.
//! Nothing here ever falls back to plaintext: every failure at start is an error.

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use oxcd_client::{read_ca_bundle, read_certificates, read_file, read_private_key};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{ClientHello, ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::CertifiedKey;
use rustls::{
    DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme,
    SupportedProtocolVersion,
};

use super::listen::{hosts, is_secure};
use crate::config::tls::{TlsFlags, TransportSecurity};

/// What `--cipher-suites`, `--tls-min-version` and `--tls-max-version` allow, shared by the
/// client and peer sides.
#[derive(Clone)]
pub struct TlsPolicy {
    provider: Arc<CryptoProvider>,
    versions: Vec<&'static SupportedProtocolVersion>,
}

impl TlsPolicy {
    /// Checks the flags with etcd's messages: unknown versions and cipher suites stop the server.
    pub fn from_flags(flags: &TlsFlags) -> Result<TlsPolicy, String> {
        let min = tls_version(&flags.tls_min_version)?;
        let max = match flags.tls_max_version.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => tls_version(v)?,
            None => 13,
        };
        if min > max {
            return Err(format!(
                "min version ({}) is greater than max version ({})",
                flags.tls_min_version,
                flags.tls_max_version.as_deref().unwrap_or_default()
            ));
        }
        let mut versions = Vec::new();
        if min <= 12 {
            versions.push(&rustls::version::TLS12);
        }
        if max >= 13 {
            versions.push(&rustls::version::TLS13);
        }
        let mut provider = rustls::crypto::ring::default_provider();
        let names: Vec<&str> = flags
            .cipher_suites
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        if !names.is_empty() {
            if min >= 13 {
                return Err(
                    "cipher suites cannot be configured when only TLS1.3 or greater is supported"
                        .into(),
                );
            }
            let mut chosen = Vec::new();
            for name in names {
                let suite = provider
                    .cipher_suites
                    .iter()
                    .find(|s| go_suite_name_matches(name, s.suite().as_str().unwrap_or_default()))
                    .ok_or_else(|| format!("unexpected TLS cipher suite {name:?}"))?;
                chosen.push(*suite);
            }
            // Go leaves TLS 1.3's suites out of configuration, and so do we: they stay on.
            chosen.extend(
                provider
                    .cipher_suites
                    .iter()
                    .filter(|s| s.version() == &rustls::version::TLS13),
            );
            provider.cipher_suites = chosen;
        }
        Ok(TlsPolicy {
            provider: Arc::new(provider),
            versions,
        })
    }

    /// The server configuration of one side; `auto` is where `--auto-tls` keeps its certificate.
    pub fn server_config(
        &self,
        side: &TransportSecurity,
        auto: Option<(&Path, &[String], u32)>,
    ) -> Result<Arc<ServerConfig>, String> {
        let (cert, key) = match (&side.cert_file, &side.key_file) {
            (Some(cert), Some(key)) => (PathBuf::from(cert), PathBuf::from(key)),
            _ => match auto {
                Some((dir, hosts, years)) if side.auto_tls => {
                    super::auto_tls::certificate(dir, hosts, years)?
                }
                _ => return Err("KeyFile and CertFile are not presented".into()),
            },
        };
        let certs = ReloadingCert::load(cert, key, self.provider.clone())?;
        let builder = ServerConfig::builder_with_provider(self.provider.clone())
            .with_protocol_versions(&self.versions)
            .map_err(|e| e.to_string())?;
        // As etcd: a trusted CA alone also means clients must present a certificate it signed.
        let verify_clients = side.client_cert_auth || side.trusted_ca_file.is_some();
        if !verify_clients && (side.allowed_cn.is_some() || side.allowed_hostname.is_some()) {
            return Err(
                "allowed peer CN or hostname needs peer client certificates (--peer-client-cert-auth and --peer-trusted-ca-file)"
                    .into(),
            );
        }
        let builder = if verify_clients {
            let ca = side.trusted_ca_file.as_ref().ok_or(
                "client certificate authentication needs a trusted CA file (--trusted-ca-file)",
            )?;
            let allowed = AllowedPeer {
                cn: side.allowed_cn.clone(),
                hostname: side.allowed_hostname.clone(),
            };
            let verifier = ReloadingVerifier::load(
                ca.into(),
                side.crl_file.clone().map(PathBuf::from),
                allowed,
                self,
            )?;
            builder.with_client_cert_verifier(Arc::new(verifier))
        } else {
            builder.with_no_client_auth()
        };
        let mut config = builder.with_cert_resolver(Arc::new(certs));
        if verify_clients {
            // A resumed session skips the verifier, so a revoked or expired client certificate, or
            // one from a CA since removed, would keep its access: every connection does a full
            // handshake instead (gRPC connections are long-lived; the cost is small).
            config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
            config.send_tls13_tickets = 0;
        }
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// The TLS configuration of a side whose listen URLs are `urls`, or `None` when none of them
/// says TLS. A TLS URL without a certificate (or auto TLS) is the error `missing(url)`: the
/// server does not start rather than serve it in plaintext.
pub fn for_urls(
    policy: &TlsPolicy,
    side: &TransportSecurity,
    urls: &[String],
    auto_dir: &Path,
    years: u32,
    missing: impl Fn(&str) -> String,
) -> Result<Option<Arc<ServerConfig>>, String> {
    let Some(secure) = urls.iter().find(|u| is_secure(u)) else {
        return Ok(None);
    };
    if !side.has_certificate() {
        return Err(missing(secure));
    }
    let hosts = hosts(urls);
    policy
        .server_config(side, Some((auto_dir, &hosts, years)))
        .map(Some)
}

/// etcd's version names.
fn tls_version(name: &str) -> Result<u8, String> {
    match name {
        "TLS1.2" => Ok(12),
        "TLS1.3" => Ok(13),
        _ => Err(format!(
            "unexpected TLS version {name:?} (must be one of: TLS1.2, TLS1.3)"
        )),
    }
}

/// Go names ChaCha20 suites without their hash (`..._CHACHA20_POLY1305`) as well as with it.
fn go_suite_name_matches(go_name: &str, iana_name: &str) -> bool {
    go_name == iana_name || format!("{go_name}_SHA256") == iana_name
}

// ------------------------------------------------------------------ files

/// When and how big a file was, to notice that it changed.
type FileStamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> FileStamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn certified_key(
    cert: &Path,
    key: &Path,
    provider: &CryptoProvider,
) -> Result<Arc<CertifiedKey>, String> {
    let chain = read_certificates(cert).map_err(|e| e.to_string())?;
    let der = read_private_key(key).map_err(|e| e.to_string())?;
    let signer = provider
        .key_provider
        .load_private_key(der)
        .map_err(|e| format!("{}: {e}", key.display()))?;
    let certified = CertifiedKey::new(chain, signer);
    certified
        .keys_match()
        .map_err(|_| "tls: private key does not match public key".to_string())?;
    Ok(Arc::new(certified))
}

/// The server's certificate, re-read when its files change.
#[derive(Debug)]
struct ReloadingCert {
    cert: PathBuf,
    key: PathBuf,
    provider: Arc<CryptoProvider>,
    current: Mutex<((FileStamp, FileStamp), Arc<CertifiedKey>)>,
}

impl ReloadingCert {
    fn load(cert: PathBuf, key: PathBuf, provider: Arc<CryptoProvider>) -> Result<Self, String> {
        let stamps = (stamp(&cert), stamp(&key));
        let loaded = certified_key(&cert, &key, &provider)?;
        Ok(ReloadingCert {
            cert,
            key,
            provider,
            current: Mutex::new((stamps, loaded)),
        })
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let stamps = (stamp(&self.cert), stamp(&self.key));
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != stamps {
            match certified_key(&self.cert, &self.key, &self.provider) {
                Ok(loaded) => {
                    tracing::info!(cert_file = %self.cert.display(), "reloaded TLS certificate");
                    *current = (stamps, loaded);
                }
                Err(e) => {
                    // Not retried until the files change again: a broken file is neither re-read
                    // nor warned about at every handshake.
                    current.0 = stamps;
                    tracing::warn!(cert_file = %self.cert.display(), error = %e, "keeping the previous TLS certificate");
                }
            }
        }
        Some(current.1.clone())
    }
}

/// Client certificates checked against the trusted CA bundle and the CRL, both re-read when
/// their files change.
#[derive(Debug)]
struct ReloadingVerifier {
    ca: PathBuf,
    crl: Option<PathBuf>,
    allowed: AllowedPeer,
    provider: Arc<CryptoProvider>,
    current: Mutex<((FileStamp, FileStamp), Arc<dyn ClientCertVerifier>)>,
}

impl ReloadingVerifier {
    fn load(
        ca: PathBuf,
        crl: Option<PathBuf>,
        allowed: AllowedPeer,
        policy: &TlsPolicy,
    ) -> Result<Self, String> {
        let stamps = (stamp(&ca), crl.as_deref().and_then(stamp));
        let verifier = client_verifier(&ca, crl.as_deref(), &policy.provider)?;
        Ok(ReloadingVerifier {
            ca,
            crl,
            allowed,
            provider: policy.provider.clone(),
            current: Mutex::new((stamps, verifier)),
        })
    }

    fn verifier(&self) -> Arc<dyn ClientCertVerifier> {
        let stamps = (stamp(&self.ca), self.crl.as_deref().and_then(stamp));
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != stamps {
            match client_verifier(&self.ca, self.crl.as_deref(), &self.provider) {
                Ok(verifier) => {
                    tracing::info!(trusted_ca_file = %self.ca.display(), "reloaded trusted CA and CRL");
                    *current = (stamps, verifier);
                }
                Err(e) => {
                    current.0 = stamps;
                    tracing::warn!(trusted_ca_file = %self.ca.display(), error = %e, "keeping the previous trusted CA and CRL");
                }
            }
        }
        current.1.clone()
    }
}

fn client_verifier(
    ca: &Path,
    crl: Option<&Path>,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ClientCertVerifier>, String> {
    let roots = read_ca_bundle(ca).map_err(|e| e.to_string())?;
    let mut builder =
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone());
    if let Some(crl) = crl {
        builder = builder.with_crls(revocation_lists(crl)?);
    }
    builder.build().map_err(|e| e.to_string())
}

/// The CRLs of a file in PEM, or one CRL in DER (as etcd 3.6 reads `--client-crl-file`). A file
/// with none is an error: an empty list would silently turn revocation checks off.
fn revocation_lists(path: &Path) -> Result<Vec<CertificateRevocationListDer<'static>>, String> {
    let bytes = read_file(path).map_err(|e| e.to_string())?;
    let crls = CertificateRevocationListDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !crls.is_empty() {
        return Ok(crls);
    }
    // DER: an ASN.1 SEQUENCE; whether it is a valid CRL is checked when the verifier is built.
    if bytes.first() == Some(&0x30) {
        return Ok(vec![CertificateRevocationListDer::from(bytes)]);
    }
    Err(format!(
        "{}: no certificate revocation list (PEM X509 CRL or DER)",
        path.display()
    ))
}

/// etcd's `--peer-cert-allowed-cn` and `--peer-cert-allowed-hostname`: beyond a chain to the
/// trusted CA, the certificate must carry this common name, or be valid for this host name.
#[derive(Debug, Default)]
struct AllowedPeer {
    cn: Option<String>,
    hostname: Option<String>,
}

/// The subject CN of a client's certificate (the user name under `--client-cert-auth`); the last
/// one of several, as Go's pkix keeps it.
pub fn common_name(cert: &CertificateDer<'_>) -> Option<String> {
    let (_, parsed) = x509_parser::parse_x509_certificate(cert).ok()?;
    let cn = parsed.subject().iter_common_name().last()?;
    cn.as_str().ok().map(str::to_string)
}

impl AllowedPeer {
    fn check(&self, cert: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        if self.cn.is_none() && self.hostname.is_none() {
            return Ok(());
        }
        let refuse = |why: String| {
            tracing::warn!(reason = %why, "rejected peer certificate");
            rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            )
        };
        let (_, parsed) = x509_parser::parse_x509_certificate(cert)
            .map_err(|e| refuse(format!("unreadable certificate: {e}")))?;
        if let Some(cn) = &self.cn {
            let names: Vec<&str> = parsed
                .subject()
                .iter_common_name()
                .filter_map(|n| n.as_str().ok())
                .collect();
            if !names.contains(&cn.as_str()) {
                return Err(refuse(format!("CN {names:?} is not the allowed {cn:?}")));
            }
        }
        if let Some(host) = &self.hostname {
            let sans = parsed
                .subject_alternative_name()
                .ok()
                .flatten()
                .map(|ext| ext.value.general_names.clone())
                .unwrap_or_default();
            let valid = sans.iter().any(|name| match name {
                x509_parser::extensions::GeneralName::DNSName(dns) => host_matches(dns, host),
                x509_parser::extensions::GeneralName::IPAddress(ip) => host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|want| match want {
                        std::net::IpAddr::V4(v4) => *ip == v4.octets(),
                        std::net::IpAddr::V6(v6) => *ip == v6.octets(),
                    }),
                _ => false,
            });
            if !valid {
                return Err(refuse(format!(
                    "certificate is not valid for host {host:?}"
                )));
            }
        }
        Ok(())
    }
}

/// A DNS name of a certificate (possibly `*.domain`) against a host name, as Go matches them.
fn host_matches(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match pattern.strip_prefix("*.") {
        Some(domain) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == domain),
        None => pattern == host,
    }
}

impl ClientCertVerifier for ReloadingVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // The bundle may change under us; clients with one certificate send it without hints.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let verified = self
            .verifier()
            .verify_client_cert(end_entity, intermediates, now)?;
        self.allowed.check(end_entity)?;
        Ok(verified)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier().verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier().verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.verifier().supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &[&str]) -> TlsFlags {
        crate::config::Config::from_args(std::iter::once("oxcd").chain(args.iter().copied()))
            .expect("valid flags")
            .tls
    }

    #[test]
    fn versions_and_cipher_suites_are_checked_with_etcds_messages() {
        assert!(TlsPolicy::from_flags(&flags(&[])).is_ok());
        let err = |args: &[&str]| {
            TlsPolicy::from_flags(&flags(args))
                .err()
                .unwrap_or_default()
        };
        assert_eq!(
            err(&["--tls-min-version", "TLS1.1"]),
            "unexpected TLS version \"TLS1.1\" (must be one of: TLS1.2, TLS1.3)"
        );
        assert_eq!(
            err(&["--tls-min-version", "TLS1.3", "--tls-max-version", "TLS1.2"]),
            "min version (TLS1.3) is greater than max version (TLS1.2)"
        );
        assert_eq!(
            err(&["--cipher-suites", "TLS_RSA_WITH_RC4_128_SHA"]),
            "unexpected TLS cipher suite \"TLS_RSA_WITH_RC4_128_SHA\""
        );
        assert_eq!(
            err(&[
                "--tls-min-version",
                "TLS1.3",
                "--cipher-suites",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
            ]),
            "cipher suites cannot be configured when only TLS1.3 or greater is supported"
        );
        let policy = TlsPolicy::from_flags(&flags(&[
            "--cipher-suites",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ]))
        .expect("known suites");
        let tls12: Vec<_> = policy
            .provider
            .cipher_suites
            .iter()
            .filter(|s| s.version() == &rustls::version::TLS12)
            .map(|s| s.suite())
            .collect();
        assert_eq!(
            tls12,
            [
                rustls::CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                rustls::CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
            ]
        );
    }

    fn certificate(cn: &str, sans: &[&str]) -> CertificateDer<'static> {
        let mut params =
            rcgen::CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .expect("params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        let key = rcgen::KeyPair::generate().expect("key");
        params.self_signed(&key).expect("certificate").der().clone()
    }

    #[test]
    fn allowed_peer_names_are_checked_after_the_chain() {
        let cert = certificate("etcd-peer", &["m1.cluster.local", "10.0.0.7"]);
        let allow = |cn: Option<&str>, hostname: Option<&str>| AllowedPeer {
            cn: cn.map(str::to_string),
            hostname: hostname.map(str::to_string),
        };
        assert!(allow(None, None).check(&cert).is_ok());
        assert!(allow(Some("etcd-peer"), None).check(&cert).is_ok());
        assert!(allow(Some("intruder"), None).check(&cert).is_err());
        assert!(allow(None, Some("m1.cluster.local")).check(&cert).is_ok());
        assert!(allow(None, Some("10.0.0.7")).check(&cert).is_ok());
        assert!(allow(None, Some("m2.cluster.local")).check(&cert).is_err());
        assert!(allow(None, Some("10.0.0.8")).check(&cert).is_err());
        assert!(host_matches("*.cluster.local", "m3.cluster.local"));
        assert!(!host_matches("*.cluster.local", "a.b.cluster.local"));
        assert!(!host_matches("*.cluster.local", "cluster.local"));
    }
}
