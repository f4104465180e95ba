//! A test PKI generated at run time, shared by the TLS tests: nothing secret is committed.
#![allow(dead_code)]

/// The certificate files of one test, in a temporary directory.
pub struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// `ca.pem`, `server.pem`/`server.key`, `client.pem`/`client.key` (CN root, signed by the
    /// CA) and `other-ca.pem` (a CA that signed nothing here).
    pub fn generate() -> Pki {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair,
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: String| {
            std::fs::write(dir.path().join(name), text).expect("write a certificate file")
        };
        let ca = |cn: &str| {
            let key = KeyPair::generate().expect("CA key");
            let mut params = CertificateParams::new(Vec::new()).expect("CA params");
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.distinguished_name.push(DnType::CommonName, cn);
            let cert = params.self_signed(&key).expect("self-sign the CA");
            (cert, params, key)
        };
        let (ca_cert, ca_params, ca_key) = ca("oxcd test CA");
        let (other_cert, _, _) = ca("another CA");
        write("ca.pem", ca_cert.pem());
        write("other-ca.pem", other_cert.pem());
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf = |names: Vec<String>, cn: &str, usage: ExtendedKeyUsagePurpose, file: &str| {
            let key = KeyPair::generate().expect("leaf key");
            let mut params = CertificateParams::new(names).expect("leaf params");
            params.distinguished_name.push(DnType::CommonName, cn);
            params.extended_key_usages = vec![usage, ExtendedKeyUsagePurpose::ClientAuth];
            let cert = params.signed_by(&key, &issuer).expect("sign the leaf");
            write(&format!("{file}.pem"), cert.pem());
            write(&format!("{file}.key"), key.serialize_pem());
        };
        leaf(
            vec!["127.0.0.1".to_string(), "localhost".to_string()],
            "server",
            ExtendedKeyUsagePurpose::ServerAuth,
            "server",
        );
        leaf(
            Vec::new(),
            "root",
            ExtendedKeyUsagePurpose::ClientAuth,
            "client",
        );
        Pki { dir }
    }

    /// `--cacert --cert --key` with the good files.
    pub fn flags(&self) -> Vec<String> {
        vec![
            format!("--cacert={}", self.path("ca.pem")),
            format!("--cert={}", self.path("client.pem")),
            format!("--key={}", self.path("client.key")),
        ]
    }
}
