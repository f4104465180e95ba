//! Dialling other members' peer URLs, for every peer conversation (raft streams, snapshots, the
//! member list when joining, HashKV, forwarded lease calls): plaintext for `http://` URLs, TLS
//! with this member's peer certificate for `https://` ones. Certificate files are read at each
//! dial, so a rotated peer certificate is used from the next connection on.

use std::path::PathBuf;
use std::time::Duration;

use oxcd_client::{connect_channel, ClientTls, DialConfig, TlsFiles};
use tonic::transport::Channel;

use crate::config::tls::TransportSecurity;

/// How to reach other members; cheap to clone into the tasks that dial.
#[derive(Clone, Debug, Default)]
pub struct PeerDialer {
    /// This member's peer TLS files; `None` when it has none (plaintext peers only).
    files: Option<TlsFiles>,
}

impl PeerDialer {
    /// A dialer with the peer side's TLS settings. `auto_cert` is the certificate `--peer-auto-tls`
    /// generated: self-signed, so, as etcd does, its holder does not verify other members'
    /// self-signed certificates either.
    pub fn new(peer: &TransportSecurity, auto_cert: Option<(PathBuf, PathBuf)>) -> PeerDialer {
        let files = match (&peer.cert_file, &peer.key_file, auto_cert) {
            (Some(cert), Some(key), _) => Some(TlsFiles {
                ca_file: peer.trusted_ca_file.as_ref().map(PathBuf::from),
                cert_file: Some(PathBuf::from(cert)),
                key_file: Some(PathBuf::from(key)),
                insecure_skip_verify: false,
                server_name: None,
            }),
            (_, _, Some((cert, key))) => Some(TlsFiles {
                ca_file: None,
                cert_file: Some(cert),
                key_file: Some(key),
                insecure_skip_verify: true,
                server_name: None,
            }),
            _ => peer.trusted_ca_file.as_ref().map(|ca| TlsFiles {
                ca_file: Some(PathBuf::from(ca)),
                ..TlsFiles::default()
            }),
        };
        PeerDialer { files }
    }

    /// A connection to the peer URL `url`, established within `timeout`; `request_timeout`
    /// bounds each call on it.
    pub async fn connect(
        &self,
        url: &str,
        timeout: Duration,
        request_timeout: Option<Duration>,
    ) -> Result<Channel, String> {
        let mut dial = DialConfig::new(timeout);
        dial.request_timeout = request_timeout;
        if url.starts_with("https://") {
            let files = self.files.clone().unwrap_or_default();
            dial.tls = Some(ClientTls::load(&files).map_err(|e| e.to_string())?);
        }
        connect_channel(url, &dial).await.map_err(|e| e.to_string())
    }
}
