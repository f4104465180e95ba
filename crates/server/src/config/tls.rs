//! etcd's transport security flags (`--cert-file`, `--peer-cert-file`, ...), flattened into
//! [`super::Config`]. The TLS configurations built from them live in `transport::tls`.

use clap::Args;

/// TLS settings of one side (clients or peers), with empty paths as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransportSecurity {
    pub cert_file: Option<String>,
    pub key_file: Option<String>,
    pub trusted_ca_file: Option<String>,
    pub crl_file: Option<String>,
    pub client_cert_auth: bool,
    pub auto_tls: bool,
    /// Peers only: a peer's certificate must carry this CN.
    pub allowed_cn: Option<String>,
    /// Peers only: a peer's certificate must be valid for this host name.
    pub allowed_hostname: Option<String>,
}

impl TransportSecurity {
    /// Whether a certificate and key are configured (or generated with auto TLS).
    pub fn has_certificate(&self) -> bool {
        (self.cert_file.is_some() && self.key_file.is_some()) || self.auto_tls
    }
}

/// etcd's names, help texts, defaults and `ETCD_*` variables.
#[derive(Debug, Clone, Args)]
pub struct TlsFlags {
    /// Path to the client server TLS cert file.
    #[arg(long, env = "ETCD_CERT_FILE")]
    pub cert_file: Option<String>,
    /// Path to the client server TLS key file.
    #[arg(long, env = "ETCD_KEY_FILE")]
    pub key_file: Option<String>,
    /// Enable client cert authentication.
    #[arg(long, env = "ETCD_CLIENT_CERT_AUTH", num_args = 0..=1,
          default_missing_value = "true", default_value = "false")]
    pub client_cert_auth: bool,
    /// Path to the client certificate revocation list file.
    #[arg(long, env = "ETCD_CLIENT_CRL_FILE")]
    pub client_crl_file: Option<String>,
    /// Path to the client server TLS trusted CA cert file.
    #[arg(long, env = "ETCD_TRUSTED_CA_FILE")]
    pub trusted_ca_file: Option<String>,
    /// Client TLS using generated certificates.
    #[arg(long, env = "ETCD_AUTO_TLS", num_args = 0..=1,
          default_missing_value = "true", default_value = "false")]
    pub auto_tls: bool,
    /// Path to the peer server TLS cert file.
    #[arg(long, env = "ETCD_PEER_CERT_FILE")]
    pub peer_cert_file: Option<String>,
    /// Path to the peer server TLS key file.
    #[arg(long, env = "ETCD_PEER_KEY_FILE")]
    pub peer_key_file: Option<String>,
    /// Enable peer client cert authentication.
    #[arg(long, env = "ETCD_PEER_CLIENT_CERT_AUTH", num_args = 0..=1,
          default_missing_value = "true", default_value = "false")]
    pub peer_client_cert_auth: bool,
    /// Path to the peer server TLS trusted CA file.
    #[arg(long, env = "ETCD_PEER_TRUSTED_CA_FILE")]
    pub peer_trusted_ca_file: Option<String>,
    /// Peer TLS using generated certificates.
    #[arg(long, env = "ETCD_PEER_AUTO_TLS", num_args = 0..=1,
          default_missing_value = "true", default_value = "false")]
    pub peer_auto_tls: bool,
    /// Path to the peer certificate revocation list file.
    #[arg(long, env = "ETCD_PEER_CRL_FILE")]
    pub peer_crl_file: Option<String>,
    /// Allowed CN for inter peer authentication.
    #[arg(long, env = "ETCD_PEER_CERT_ALLOWED_CN")]
    pub peer_cert_allowed_cn: Option<String>,
    /// Allowed TLS hostname for inter peer authentication.
    #[arg(long, env = "ETCD_PEER_CERT_ALLOWED_HOSTNAME")]
    pub peer_cert_allowed_hostname: Option<String>,
    /// Comma-separated list of supported TLS cipher suites between client/server and peers
    /// (empty will be auto-populated).
    #[arg(long, env = "ETCD_CIPHER_SUITES")]
    pub cipher_suites: Option<String>,
    /// Minimum TLS version supported by etcd. Possible values: TLS1.2, TLS1.3.
    #[arg(long, env = "ETCD_TLS_MIN_VERSION", default_value = "TLS1.2")]
    pub tls_min_version: String,
    /// Maximum TLS version supported by etcd. Possible values: TLS1.2, TLS1.3 (empty will be
    /// auto-populated).
    #[arg(long, env = "ETCD_TLS_MAX_VERSION")]
    pub tls_max_version: Option<String>,
    /// The validity period of the client and peer certificates, unit is year.
    #[arg(long, env = "ETCD_SELF_SIGNED_CERT_VALIDITY", default_value_t = 1)]
    pub self_signed_cert_validity: u32,
}

/// `Some(path)` unless absent or empty (an empty `ETCD_CERT_FILE` means none, as in etcd).
fn path(value: &Option<String>) -> Option<String> {
    value.clone().filter(|p| !p.is_empty())
}

impl TlsFlags {
    /// The client side: `--listen-client-urls` and `--listen-metrics-urls`.
    pub fn client(&self) -> TransportSecurity {
        TransportSecurity {
            cert_file: path(&self.cert_file),
            key_file: path(&self.key_file),
            trusted_ca_file: path(&self.trusted_ca_file),
            crl_file: path(&self.client_crl_file),
            client_cert_auth: self.client_cert_auth,
            auto_tls: self.auto_tls,
            allowed_cn: None,
            allowed_hostname: None,
        }
    }

    /// The peer side: `--listen-peer-urls`, and this member's certificate when it dials peers.
    pub fn peer(&self) -> TransportSecurity {
        TransportSecurity {
            cert_file: path(&self.peer_cert_file),
            key_file: path(&self.peer_key_file),
            trusted_ca_file: path(&self.peer_trusted_ca_file),
            crl_file: path(&self.peer_crl_file),
            client_cert_auth: self.peer_client_cert_auth,
            auto_tls: self.peer_auto_tls,
            allowed_cn: path(&self.peer_cert_allowed_cn),
            allowed_hostname: path(&self.peer_cert_allowed_hostname),
        }
    }
}

/// etcd's YAML sections `client-transport-security` and `peer-transport-security`: each key
/// and the flag it stands for.
pub fn yaml_section_flag(section: &str, key: &str) -> Option<String> {
    let prefix = match section {
        "client-transport-security" => "",
        "peer-transport-security" => "peer-",
        _ => return None,
    };
    let flag = match (prefix, key) {
        ("", "crl-file") => "client-crl-file".to_string(),
        ("peer-", "allowed-cn") => "peer-cert-allowed-cn".to_string(),
        ("peer-", "allowed-hostname") => "peer-cert-allowed-hostname".to_string(),
        (
            _,
            "cert-file" | "key-file" | "client-cert-auth" | "trusted-ca-file" | "auto-tls"
            | "crl-file",
        ) => format!("{prefix}{key}"),
        _ => return None,
    };
    Some(flag)
}
