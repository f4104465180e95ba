//! Test PKIs made at run time: a CA, server and client certificates (valid, expired, revoked,
//! from another CA), and CRLs, written as PEM files into a temp dir.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CertifiedIssuer,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyIdMethod, KeyPair,
    KeyUsagePurpose, RevokedCertParams, SerialNumber,
};
use time::{Duration, OffsetDateTime};

/// A certificate authority that signs certificates into `dir`.
pub struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
    pub dir: PathBuf,
    pub name: String,
}

/// A certificate and key written as `<name>.pem` and `<name>-key.pem`.
#[derive(Clone)]
pub struct Pair {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub serial: u64,
}

impl Ca {
    /// A new CA named `name`; its certificate is `<dir>/<name>.pem`.
    pub fn new(dir: &Path, name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name = named(name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().expect("CA key");
        let issuer = CertifiedIssuer::self_signed(params, key).expect("CA certificate");
        std::fs::write(dir.join(format!("{name}.pem")), issuer.pem()).expect("write CA");
        Ca {
            issuer,
            dir: dir.to_path_buf(),
            name: name.to_string(),
        }
    }

    pub fn cert(&self) -> PathBuf {
        self.dir.join(format!("{}.pem", self.name))
    }

    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A certificate for `cn`, valid for `hosts` (IP addresses or names), for serving and for
    /// client authentication, valid from `not_before` to `not_after` (days from now).
    pub fn sign(
        &self,
        file: &str,
        cn: &str,
        hosts: &[&str],
        serial: u64,
        days: (i64, i64),
    ) -> Pair {
        let mut params =
            CertificateParams::new(hosts.iter().map(|h| h.to_string()).collect::<Vec<_>>())
                .expect("leaf params");
        params.distinguished_name = named(cn);
        params.serial_number = Some(SerialNumber::from(serial));
        params.key_identifier_method = KeyIdMethod::Sha256;
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        let now = OffsetDateTime::now_utc();
        params.not_before = now + Duration::days(days.0);
        params.not_after = now + Duration::days(days.1);
        let key = KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &self.issuer).expect("sign leaf");
        let pair = Pair {
            cert: self.dir.join(format!("{file}.pem")),
            key: self.dir.join(format!("{file}-key.pem")),
            serial,
        };
        std::fs::write(&pair.cert, cert.pem()).expect("write cert");
        std::fs::write(&pair.key, key.serialize_pem()).expect("write key");
        pair
    }

    /// A valid server-and-client certificate for 127.0.0.1 and localhost.
    pub fn leaf(&self, file: &str, cn: &str, serial: u64) -> Pair {
        self.sign(file, cn, &["127.0.0.1", "localhost"], serial, (-1, 30))
    }

    /// A CRL revoking `serials`, written to `<dir>/<file>` in PEM.
    pub fn crl(&self, file: &str, serials: &[u64]) -> PathBuf {
        self.write_crl(file, serials, false)
    }

    /// The same CRL in DER, the form etcd 3.6 reads.
    pub fn crl_der(&self, file: &str, serials: &[u64]) -> PathBuf {
        self.write_crl(file, serials, true)
    }

    fn write_crl(&self, file: &str, serials: &[u64], der: bool) -> PathBuf {
        let now = OffsetDateTime::now_utc();
        let params = CertificateRevocationListParams {
            this_update: now - Duration::hours(1),
            next_update: now + Duration::days(30),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: serials
                .iter()
                .map(|s| RevokedCertParams {
                    serial_number: SerialNumber::from(*s),
                    revocation_time: now - Duration::minutes(5),
                    reason_code: None,
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let crl = params.signed_by(&self.issuer).expect("sign CRL");
        let path = self.dir.join(file);
        if der {
            std::fs::write(&path, crl.der()).expect("write CRL");
        } else {
            std::fs::write(&path, crl.pem().expect("CRL PEM")).expect("write CRL");
        }
        path
    }
}

fn named(cn: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, cn);
    name
}
