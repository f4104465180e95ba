//! `--auto-tls` and `--peer-auto-tls`: a self-signed certificate for the listen hosts, kept in
//! the data dir (`fixtures/client`, `fixtures/peer`, as etcd keeps it) and reused on restart.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose,
};

/// The certificate and key files in `dir`, generated first if absent, valid for `hosts` for
/// `years` years.
pub fn certificate(dir: &Path, hosts: &[String], years: u32) -> Result<(PathBuf, PathBuf), String> {
    let (cert_path, key_path) = files(dir);
    if cert_path.exists() && key_path.exists() {
        return Ok((cert_path, key_path));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let failed = |e: rcgen::Error| format!("cannot generate a self-signed certificate: {e}");
    let key = KeyPair::generate().map_err(failed)?;
    let mut params = CertificateParams::new(hosts.to_vec()).map_err(failed)?;
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "oxcd");
    params.distinguished_name = name;
    // As etcd's: a leaf for serving, and for dialling other members with the same certificate.
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::hours(1);
    params.not_after = now + time::Duration::days(365 * i64::from(years.max(1)));
    let cert = params.self_signed(&key).map_err(failed)?;
    write_private(&key_path, key.serialize_pem().as_bytes())?;
    std::fs::write(&cert_path, cert.pem())
        .map_err(|e| format!("cannot write {}: {e}", cert_path.display()))?;
    tracing::info!(cert_file = %cert_path.display(), hosts = ?hosts, "generated a self-signed certificate");
    Ok((cert_path, key_path))
}

/// Where the certificate and key of `dir` are kept.
pub fn files(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("cert.pem"), dir.join("key.pem"))
}

/// Writes a key readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    write().map_err(|e| format!("cannot write {}: {e}", path.display()))
}
