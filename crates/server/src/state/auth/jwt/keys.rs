//! Key files as etcd reads them (PEM; PKCS#1, SEC1, PKCS#8, SPKI, certificates), through a
//! minimal DER reader that refuses, never panics on, anything else.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use x509_parser::pem::Pem;

use super::methods::*;

pub(super) const OPT_SIGN_METHOD: &str = "sign-method";
pub(super) const OPT_PUBLIC_KEY: &str = "pub-key";
pub(super) const OPT_PRIVATE_KEY: &str = "priv-key";
pub(super) const OPT_TTL: &str = "ttl";
pub(super) const KNOWN_OPTIONS: [&str; 4] =
    [OPT_SIGN_METHOD, OPT_PUBLIC_KEY, OPT_PRIVATE_KEY, OPT_TTL];

/// etcd's `DefaultTTL`.
pub(super) const DEFAULT_TTL_NANOS: i64 = 5 * 60 * 1_000_000_000;

pub(super) const ERR_MISSING_KEY: &str = "auth: missing key data";
pub(super) const ERR_KEY_MISMATCH: &str = "auth: public and private keys don't match";
/// etcd's `ErrVerifyOnly` without its "auth: " prefix, which `AuthError::TokenAssign` adds.
pub(super) const ERR_VERIFY_ONLY: &str = "token signing attempted with verify-only key";
/// golang-jwt's `ErrKeyMustBePEMEncoded`, which etcd passes through.
pub(super) const ERR_NOT_PEM: &str = "invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key";

/// ring, under jsonwebtoken, signs with RSA keys of 2048 to 4096 bits and verifies with 2048 to
/// 8192; checking at startup turns a key that could never work into a startup error.
pub(super) const RSA_MIN_BITS: usize = 2048;
pub(super) const RSA_MAX_SIGNING_BITS: usize = 4096;
pub(super) const RSA_MAX_VERIFYING_BITS: usize = 8192;

// DER contents of the object identifiers the key formats carry.
pub(super) const OID_RSA_ENCRYPTION: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
pub(super) const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
pub(super) const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

pub(super) const TAG_INTEGER: u8 = 0x02;
pub(super) const TAG_BIT_STRING: u8 = 0x03;
pub(super) const TAG_OCTET_STRING: u8 = 0x04;
pub(super) const TAG_NULL: u8 = 0x05;
pub(super) const TAG_OID: u8 = 0x06;
pub(super) const TAG_SEQUENCE: u8 = 0x30;
pub(super) const TAG_CONTEXT_0: u8 = 0xa0;

/// A public key reduced to what identifies it, to compare a private key's with a given one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PublicKey {
    /// Modulus and exponent, big-endian without leading zeros.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// The uncompressed point.
    Ec {
        curve: Curve,
        point: Vec<u8>,
    },
    Ed25519(Vec<u8>),
}

impl PublicKey {
    pub(super) fn decoding_key(&self) -> DecodingKey {
        match self {
            PublicKey::Rsa { n, e } => DecodingKey::from_rsa_raw_components(n, e),
            PublicKey::Ec { point, .. } => DecodingKey::from_ec_der(point),
            PublicKey::Ed25519(key) => DecodingKey::from_ed_der(key),
        }
    }

    pub(super) fn family(&self) -> Family {
        match self {
            PublicKey::Rsa { .. } => Family::Rsa,
            PublicKey::Ec { curve, .. } => Family::Ec(*curve),
            PublicKey::Ed25519(_) => Family::Ed25519,
        }
    }
}

/// etcd's key rules: the private key signs and (through its public half) verifies, a public key
/// alone makes a verify-only provider, both must be one pair.
pub(super) fn asymmetric_keys(
    algorithm: Algorithm,
    family: Family,
    public_pem: &[u8],
    private_pem: &[u8],
) -> Result<(Option<EncodingKey>, DecodingKey), String> {
    let private = if private_pem.is_empty() {
        None
    } else {
        Some(parse_private_key(private_pem, algorithm, family)?)
    };
    let public = if public_pem.is_empty() {
        None
    } else {
        Some(parse_public_key(public_pem, algorithm, family)?)
    };
    match (private, public) {
        (None, None) => Err(ERR_MISSING_KEY.to_string()),
        (None, Some(public)) => Ok((None, public.decoding_key())),
        (Some((_, derived)), Some(public)) if derived != public => {
            Err(ERR_KEY_MISMATCH.to_string())
        }
        (Some((signer, derived)), _) => Ok((Some(signer), derived.decoding_key())),
    }
}

pub(super) fn not_private_key(family: Family) -> String {
    format!("key is not a valid {} private key", family.label())
}

pub(super) fn not_public_key(family: Family) -> String {
    format!("key is not a valid {} public key", family.label())
}

pub(super) fn check_curve(method: Algorithm, wanted: Family, got: Family) -> Result<(), String> {
    match (wanted, got) {
        (Family::Ec(w), Family::Ec(g)) if w != g => Err(format!(
            "key is invalid: sign method {method:?} needs a {} key, not a {} one",
            w.name(),
            g.name()
        )),
        _ => Ok(()),
    }
}

/// The PEM blocks of a key file, or golang-jwt's complaint when it has none.
pub(super) fn pem_blocks(pem: &[u8]) -> Result<Vec<Pem>, String> {
    // A damaged block ends the scan; the blocks before it still count.
    let blocks: Vec<Pem> = Pem::iter_from_buffer(pem).map_while(Result::ok).collect();
    if blocks.is_empty() {
        return Err(ERR_NOT_PEM.to_string());
    }
    Ok(blocks)
}

/// The signing key and its public half, from the first private key block (`openssl ecparam
/// -genkey` puts an `EC PARAMETERS` block first, which etcd would trip over).
pub(super) fn parse_private_key(
    pem: &[u8],
    algorithm: Algorithm,
    family: Family,
) -> Result<(EncodingKey, PublicKey), String> {
    let blocks = pem_blocks(pem)?;
    let block = blocks
        .iter()
        .find(|b| {
            matches!(
                b.label.as_str(),
                "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "PRIVATE KEY"
            )
        })
        .ok_or_else(|| not_private_key(family))?;
    let der = block.contents.as_slice();
    let bad = || not_private_key(family);

    // Everything is brought to PKCS#8, the one form ring (and so jsonwebtoken and rcgen) reads
    // for EC and Ed25519 keys.
    let (key_family, pkcs8) = match block.label.as_str() {
        "RSA PRIVATE KEY" => (Family::Rsa, wrap_pkcs8(&rsa_algorithm_id(), der)),
        "EC PRIVATE KEY" => {
            let curve = sec1_curve(der).ok_or_else(bad)?;
            (Family::Ec(curve), wrap_pkcs8(&ec_algorithm_id(curve), der))
        }
        _ => (pkcs8_family(der).ok_or_else(bad)?, der.to_vec()),
    };
    if !key_family.same_kind(family) {
        return Err(bad());
    }
    check_curve(algorithm, family, key_family)?;

    let signer = match key_family {
        Family::Rsa => {
            // jsonwebtoken signs with the PKCS#1 key inside.
            let pkcs1 = pkcs8_private_key(&pkcs8).ok_or_else(bad)?;
            let bits = rsa_private_modulus_bits(pkcs1).ok_or_else(bad)?;
            if !(RSA_MIN_BITS..=RSA_MAX_SIGNING_BITS).contains(&bits) {
                return Err(format!(
                    "key is invalid: RSA private keys must have {RSA_MIN_BITS} to \
                     {RSA_MAX_SIGNING_BITS} bits, this one has {bits}"
                ));
            }
            EncodingKey::from_rsa_der(pkcs1)
        }
        Family::Ec(_) => EncodingKey::from_ec_der(&pkcs8),
        _ => EncodingKey::from_ed_der(&pkcs8),
    };

    // rcgen parses the key with ring, which checks it, and hands back its public half (an
    // Ed25519 PKCS#8 v1 key does not carry one).
    let key_pair = rcgen::KeyPair::try_from(pkcs8.as_slice()).map_err(|e| {
        tracing::error!(error = %e, "cannot load the JWT private key");
        bad()
    })?;
    let raw = key_pair.public_key_raw();
    let public = match key_family {
        Family::Rsa => rsa_public_key(raw).ok_or_else(bad)?,
        Family::Ec(curve) => PublicKey::Ec {
            curve,
            point: raw.to_vec(),
        },
        _ => PublicKey::Ed25519(raw.to_vec()),
    };

    // A key that loads but cannot sign with this method should stop the member now rather than
    // fail every login later.
    let probe = b"oxcd jwt key probe";
    let signature = jsonwebtoken::crypto::sign(probe, &signer, algorithm)
        .map_err(|e| format!("key is invalid: {e}"))?;
    match jsonwebtoken::crypto::verify(&signature, probe, &public.decoding_key(), algorithm) {
        Ok(true) => Ok((signer, public)),
        Ok(false) => Err("key is invalid: its signatures do not verify".to_string()),
        Err(e) => Err(format!("key is invalid: {e}")),
    }
}

/// The first public key (or certificate) block of a file.
pub(super) fn parse_public_key(
    pem: &[u8],
    algorithm: Algorithm,
    family: Family,
) -> Result<PublicKey, String> {
    let blocks = pem_blocks(pem)?;
    let bad = || not_public_key(family);
    let block = blocks
        .iter()
        .find(|b| {
            matches!(
                b.label.as_str(),
                "PUBLIC KEY" | "CERTIFICATE" | "RSA PUBLIC KEY"
            )
        })
        .ok_or_else(bad)?;
    let der = block.contents.as_slice();
    let public = match block.label.as_str() {
        "RSA PUBLIC KEY" => rsa_public_key(der),
        "CERTIFICATE" => certificate_spki(der).and_then(spki_public_key),
        _ => spki_public_key(der),
    }
    .ok_or_else(bad)?;

    let key_family = public.family();
    if !key_family.same_kind(family) {
        return Err(bad());
    }
    check_curve(algorithm, family, key_family)?;
    if let PublicKey::Rsa { n, .. } = &public {
        let bits = bit_length(n);
        if !(RSA_MIN_BITS..=RSA_MAX_VERIFYING_BITS).contains(&bits) {
            return Err(format!(
                "key is invalid: RSA public keys must have {RSA_MIN_BITS} to \
                 {RSA_MAX_VERIFYING_BITS} bits, this one has {bits}"
            ));
        }
    }
    Ok(public)
}

/// A minimal DER reader: enough to walk the few key structures above, refusing (never
/// panicking on) anything else.
pub(super) struct Der<'a> {
    pub(super) rest: &'a [u8],
}

impl<'a> Der<'a> {
    pub(super) fn new(input: &'a [u8]) -> Self {
        Der { rest: input }
    }

    pub(super) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element's tag and contents. Only single-byte tags and definite lengths, which is
    /// all DER keys use.
    pub(super) fn next(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.rest.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (bytes, after) = rest.split_at(count);
            rest = after;
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        if rest.len() < len {
            return None;
        }
        let (contents, after) = rest.split_at(len);
        self.rest = after;
        Some((tag, contents))
    }

    pub(super) fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.next()? {
            (t, contents) if t == tag => Some(contents),
            _ => None,
        }
    }
}

pub(super) fn der_element(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(contents);
    out
}

pub(super) fn rsa_algorithm_id() -> Vec<u8> {
    let mut id = der_element(TAG_OID, OID_RSA_ENCRYPTION);
    id.extend(der_element(TAG_NULL, &[]));
    id
}

pub(super) fn ec_algorithm_id(curve: Curve) -> Vec<u8> {
    let mut id = der_element(TAG_OID, OID_EC_PUBLIC_KEY);
    id.extend(der_element(TAG_OID, curve.oid()));
    id
}

/// A PKCS#8 v1 `PrivateKeyInfo` around a PKCS#1 or SEC1 key.
pub(super) fn wrap_pkcs8(algorithm_id: &[u8], key: &[u8]) -> Vec<u8> {
    let mut info = der_element(TAG_INTEGER, &[0]);
    info.extend(der_element(TAG_SEQUENCE, algorithm_id));
    info.extend(der_element(TAG_OCTET_STRING, key));
    der_element(TAG_SEQUENCE, &info)
}

/// The named curve of a SEC1 `ECPrivateKey`, from its `[0] parameters`.
pub(super) fn sec1_curve(der: &[u8]) -> Option<Curve> {
    let mut outer = Der::new(der);
    let mut key = Der::new(outer.expect(TAG_SEQUENCE)?);
    key.expect(TAG_INTEGER)?;
    key.expect(TAG_OCTET_STRING)?;
    let mut parameters = Der::new(key.expect(TAG_CONTEXT_0)?);
    Curve::from_oid(parameters.expect(TAG_OID)?)
}

/// The fields of a PKCS#8 `PrivateKeyInfo` (v1 or v2) that tell what the key is.
pub(super) struct Pkcs8Parts<'a> {
    algorithm: &'a [u8],
    /// The named curve of an EC key.
    curve: Option<&'a [u8]>,
    /// The algorithm's own encoding of the key (PKCS#1 for RSA).
    key: &'a [u8],
}

pub(super) fn pkcs8_parts(der: &[u8]) -> Option<Pkcs8Parts<'_>> {
    let mut outer = Der::new(der);
    let mut info = Der::new(outer.expect(TAG_SEQUENCE)?);
    info.expect(TAG_INTEGER)?;
    let mut algorithm_id = Der::new(info.expect(TAG_SEQUENCE)?);
    let algorithm = algorithm_id.expect(TAG_OID)?;
    let curve = match algorithm_id.peek_tag() {
        Some(TAG_OID) => algorithm_id.expect(TAG_OID),
        _ => None,
    };
    let key = info.expect(TAG_OCTET_STRING)?;
    Some(Pkcs8Parts {
        algorithm,
        curve,
        key,
    })
}

pub(super) fn pkcs8_family(der: &[u8]) -> Option<Family> {
    let parts = pkcs8_parts(der)?;
    match parts.algorithm {
        OID_RSA_ENCRYPTION => Some(Family::Rsa),
        OID_EC_PUBLIC_KEY => Curve::from_oid(parts.curve?).map(Family::Ec),
        OID_ED25519 => Some(Family::Ed25519),
        _ => None,
    }
}

pub(super) fn pkcs8_private_key(der: &[u8]) -> Option<&[u8]> {
    pkcs8_parts(der).map(|parts| parts.key)
}

pub(super) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[zeros..]
}

pub(super) fn bit_length(big_endian: &[u8]) -> usize {
    let digits = strip_leading_zeros(big_endian);
    match digits.first() {
        None => 0,
        Some(&top) => (digits.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

/// The modulus size of a PKCS#1 `RSAPrivateKey`.
pub(super) fn rsa_private_modulus_bits(der: &[u8]) -> Option<usize> {
    let mut outer = Der::new(der);
    let mut key = Der::new(outer.expect(TAG_SEQUENCE)?);
    key.expect(TAG_INTEGER)?;
    Some(bit_length(key.expect(TAG_INTEGER)?))
}

/// A PKCS#1 `RSAPublicKey`.
pub(super) fn rsa_public_key(der: &[u8]) -> Option<PublicKey> {
    let mut outer = Der::new(der);
    let mut key = Der::new(outer.expect(TAG_SEQUENCE)?);
    let n = strip_leading_zeros(key.expect(TAG_INTEGER)?);
    let e = strip_leading_zeros(key.expect(TAG_INTEGER)?);
    if n.is_empty() || e.is_empty() {
        return None;
    }
    Some(PublicKey::Rsa {
        n: n.to_vec(),
        e: e.to_vec(),
    })
}

/// The `SubjectPublicKeyInfo` element (tag and all) of an X.509 certificate.
pub(super) fn certificate_spki(der: &[u8]) -> Option<&[u8]> {
    let mut outer = Der::new(der);
    let mut certificate = Der::new(outer.expect(TAG_SEQUENCE)?);
    let mut tbs = Der::new(certificate.expect(TAG_SEQUENCE)?);
    if tbs.peek_tag() == Some(TAG_CONTEXT_0) {
        tbs.next()?;
    }
    tbs.expect(TAG_INTEGER)?; // serial
    tbs.expect(TAG_SEQUENCE)?; // signature algorithm
    tbs.expect(TAG_SEQUENCE)?; // issuer
    tbs.expect(TAG_SEQUENCE)?; // validity
    tbs.expect(TAG_SEQUENCE)?; // subject
    let before = tbs.rest;
    tbs.expect(TAG_SEQUENCE)?;
    Some(&before[..before.len() - tbs.rest.len()])
}

/// An X.509 `SubjectPublicKeyInfo` of a kind the sign methods take.
pub(super) fn spki_public_key(der: &[u8]) -> Option<PublicKey> {
    let mut outer = Der::new(der);
    let mut spki = Der::new(outer.expect(TAG_SEQUENCE)?);
    let mut algorithm = Der::new(spki.expect(TAG_SEQUENCE)?);
    let oid = algorithm.expect(TAG_OID)?;
    let bits = spki.expect(TAG_BIT_STRING)?;
    // The first byte counts unused bits, which a key never has.
    let key = match bits.split_first()? {
        (0, key) => key,
        _ => return None,
    };
    match oid {
        OID_RSA_ENCRYPTION => rsa_public_key(key),
        OID_EC_PUBLIC_KEY => {
            let curve = Curve::from_oid(algorithm.expect(TAG_OID)?)?;
            // Uncompressed points only, as Go's x509 and ring take them.
            if key.len() != 1 + 2 * curve.coordinate_len() || key[0] != 0x04 {
                return None;
            }
            Some(PublicKey::Ec {
                curve,
                point: key.to_vec(),
            })
        }
        OID_ED25519 if key.len() == 32 => Some(PublicKey::Ed25519(key.to_vec())),
        _ => None,
    }
}
