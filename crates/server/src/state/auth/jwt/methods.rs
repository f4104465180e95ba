//! golang-jwt's sign methods and the key families and curves each takes.

use jsonwebtoken::Algorithm;

pub(super) const ERR_INVALID_AUTH_OPTS: &str = "auth: invalid auth options";
pub(super) const ERR_INVALID_AUTH_METHOD: &str = "auth: invalid auth signature method";
pub(super) const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
pub(super) const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
pub(super) const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

/// Which keys a sign method takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Hmac,
    Rsa,
    Ec(Curve),
    Ed25519,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    pub(super) fn from_oid(oid: &[u8]) -> Option<Curve> {
        match oid {
            OID_P256 => Some(Curve::P256),
            OID_P384 => Some(Curve::P384),
            OID_P521 => Some(Curve::P521),
            _ => None,
        }
    }

    pub(super) fn oid(self) -> &'static [u8] {
        match self {
            Curve::P256 => OID_P256,
            Curve::P384 => OID_P384,
            Curve::P521 => OID_P521,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// Bytes of one coordinate.
    pub(super) fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
}

impl Family {
    pub(super) fn label(self) -> &'static str {
        match self {
            Family::Hmac => "HMAC",
            Family::Rsa => "RSA",
            Family::Ec(_) => "ECDSA",
            Family::Ed25519 => "Ed25519",
        }
    }

    /// Same kind of key, whatever the curve: a key on the wrong curve gets its own error.
    pub(super) fn same_kind(self, other: Family) -> bool {
        matches!(
            (self, other),
            (Family::Rsa, Family::Rsa)
                | (Family::Ec(_), Family::Ec(_))
                | (Family::Ed25519, Family::Ed25519)
        )
    }
}

/// golang-jwt's names (they are case-sensitive there too).
pub(super) fn sign_method(name: &str) -> Result<(Algorithm, Family), String> {
    Ok(match name {
        "HS256" => (Algorithm::HS256, Family::Hmac),
        "HS384" => (Algorithm::HS384, Family::Hmac),
        "HS512" => (Algorithm::HS512, Family::Hmac),
        "RS256" => (Algorithm::RS256, Family::Rsa),
        "RS384" => (Algorithm::RS384, Family::Rsa),
        "RS512" => (Algorithm::RS512, Family::Rsa),
        "PS256" => (Algorithm::PS256, Family::Rsa),
        "PS384" => (Algorithm::PS384, Family::Rsa),
        "PS512" => (Algorithm::PS512, Family::Rsa),
        "ES256" => (Algorithm::ES256, Family::Ec(Curve::P256)),
        "ES384" => (Algorithm::ES384, Family::Ec(Curve::P384)),
        "EdDSA" => (Algorithm::EdDSA, Family::Ed25519),
        // Names golang-jwt knows but no provider here can use: etcd accepts ES512, which
        // jsonwebtoken lacks, and refuses "none" once it looks for a key.
        "ES512" | "none" => {
            tracing::error!(method = name, "unsupported JWT sign method");
            return Err(ERR_INVALID_AUTH_METHOD.to_string());
        }
        _ => {
            tracing::error!(method = name, "unknown JWT sign method");
            return Err(ERR_INVALID_AUTH_OPTS.to_string());
        }
    })
}
