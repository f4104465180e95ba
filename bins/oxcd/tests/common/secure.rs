//! Members as kubeadm runs them: client and peer URLs on TLS with certificates of one CA,
//! client certificates required on both, and a plain-HTTP metrics URL to probe health on.

use std::path::Path;

use super::pki::{Ca, Pair};
use super::{free_port, Server};

pub fn flag(name: &str, path: &Path) -> String {
    format!("--{name}={}", path.display())
}

/// kubeadm's etcd flags for the client side and the peer side (one member, `https` peer URL).
pub fn kubeadm_flags(ca: &Ca, server: &Pair, peer: &Pair, peer_port: u16) -> Vec<String> {
    let peer_url = format!("https://127.0.0.1:{peer_port}");
    vec![
        flag("cert-file", &server.cert),
        flag("key-file", &server.key),
        "--client-cert-auth=true".into(),
        flag("trusted-ca-file", &ca.cert()),
        flag("peer-cert-file", &peer.cert),
        flag("peer-key-file", &peer.key),
        "--peer-client-cert-auth=true".into(),
        flag("peer-trusted-ca-file", &ca.cert()),
        format!("--listen-peer-urls={peer_url}"),
        format!("--initial-advertise-peer-urls={peer_url}"),
        format!("--initial-cluster=t1={peer_url}"),
        "--snapshot-count=10000".into(),
        "--experimental-initial-corrupt-check=true".into(),
        "--experimental-watch-progress-notify-interval=5s".into(),
    ]
}

/// The members of a new cluster of `size` with kubeadm's TLS flags, not started yet (spawn them
/// all, then wait for each: [`super::members::start_all`]). Each has its own server and peer
/// certificate from `ca`; the peer port takes only certificates with the CN `etcd-peer`.
pub fn tls_cluster(ca: &Ca, size: usize) -> Vec<Server> {
    let mut servers = Server::cluster(size, &[]);
    let peer_url = |s: &Server| format!("https://127.0.0.1:{}", s.peer_port);
    let initial: Vec<String> = servers
        .iter()
        .map(|s| format!("{}={}", s.name, peer_url(s)))
        .collect();
    for (i, s) in servers.iter_mut().enumerate() {
        let server_pair = ca.leaf(&format!("server{i}"), &s.name, 100 + i as u64);
        let peer_pair = ca.leaf(&format!("peer{i}"), "etcd-peer", 200 + i as u64);
        let client_url = format!("https://127.0.0.1:{}", s.client_port);
        let metrics_port = free_port();
        let mut flags = kubeadm_flags(ca, &server_pair, &peer_pair, s.peer_port);
        flags.retain(|f| !f.starts_with("--initial-cluster="));
        flags.extend([
            format!("--initial-cluster={}", initial.join(",")),
            format!("--listen-client-urls={client_url}"),
            format!("--advertise-client-urls={client_url}"),
            format!("--listen-metrics-urls=http://127.0.0.1:{metrics_port}"),
            "--peer-cert-allowed-cn=etcd-peer".into(),
        ]);
        s.extra = flags;
        s.probe_port = Some(metrics_port);
    }
    servers
}
