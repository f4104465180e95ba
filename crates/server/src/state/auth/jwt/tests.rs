//! The JWT provider against keys made by openssl at test time.

use super::keys::*;
use super::methods::*;
use super::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tempfile::TempDir;

/// Key files made once per test run by the openssl CLI, kept in memory; each test writes
/// the ones it needs into its own directory.
fn fixtures() -> &'static HashMap<&'static str, Vec<u8>> {
    static KEYS: OnceLock<HashMap<&'static str, Vec<u8>>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("run openssl");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        for name in ["rsa", "rsa2"] {
            openssl(&[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                &format!("{name}.key"),
            ]);
        }
        openssl(&[
            "pkey",
            "-in",
            "rsa.key",
            "-traditional",
            "-out",
            "rsa-pkcs1.key",
        ]);
        openssl(&["pkey", "-in", "rsa.key", "-pubout", "-out", "rsa.pub"]);
        openssl(&[
            "rsa",
            "-in",
            "rsa.key",
            "-RSAPublicKey_out",
            "-out",
            "rsa-pkcs1.pub",
        ]);
        openssl(&[
            "req", "-new", "-x509", "-key", "rsa.key", "-subj", "/CN=oxcd", "-days", "1", "-out",
            "rsa.crt",
        ]);
        openssl(&["pkey", "-in", "rsa2.key", "-pubout", "-out", "rsa2.pub"]);
        openssl(&["genrsa", "-out", "rsa1024.key", "1024"]);
        openssl(&[
            "pkey",
            "-in",
            "rsa1024.key",
            "-pubout",
            "-out",
            "rsa1024.pub",
        ]);
        // SEC1 with an EC PARAMETERS block in front, as `ecparam -genkey` writes it.
        openssl(&[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-out",
            "ec.key",
        ]);
        openssl(&["pkey", "-in", "ec.key", "-pubout", "-out", "ec.pub"]);
        openssl(&["pkey", "-in", "ec.key", "-out", "ec-pkcs8.key"]);
        openssl(&[
            "req", "-new", "-x509", "-key", "ec.key", "-subj", "/CN=oxcd", "-days", "1", "-out",
            "ec.crt",
        ]);
        openssl(&[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            "ec2.key",
        ]);
        openssl(&["pkey", "-in", "ec2.key", "-pubout", "-out", "ec2.pub"]);
        openssl(&[
            "ecparam",
            "-name",
            "secp384r1",
            "-genkey",
            "-noout",
            "-out",
            "ec384.key",
        ]);
        openssl(&["pkey", "-in", "ec384.key", "-pubout", "-out", "ec384.pub"]);
        openssl(&[
            "ecparam",
            "-name",
            "secp521r1",
            "-genkey",
            "-noout",
            "-out",
            "ec521.key",
        ]);
        openssl(&["genpkey", "-algorithm", "ed25519", "-out", "ed.key"]);
        openssl(&["pkey", "-in", "ed.key", "-pubout", "-out", "ed.pub"]);
        openssl(&["genpkey", "-algorithm", "ed25519", "-out", "ed2.key"]);
        openssl(&["pkey", "-in", "ed2.key", "-pubout", "-out", "ed2.pub"]);
        let mut keys = HashMap::new();
        for name in [
            "rsa.key",
            "rsa-pkcs1.key",
            "rsa.pub",
            "rsa-pkcs1.pub",
            "rsa.crt",
            "rsa2.key",
            "rsa2.pub",
            "rsa1024.key",
            "rsa1024.pub",
            "ec.key",
            "ec.pub",
            "ec-pkcs8.key",
            "ec.crt",
            "ec2.key",
            "ec2.pub",
            "ec384.key",
            "ec384.pub",
            "ec521.key",
            "ed.key",
            "ed.pub",
            "ed2.key",
            "ed2.pub",
        ] {
            let contents = std::fs::read(dir.path().join(name)).expect("read key");
            keys.insert(name, contents);
        }
        keys
    })
}

struct Setup {
    dir: TempDir,
}

impl Setup {
    fn new() -> Setup {
        Setup {
            dir: TempDir::new().expect("temp dir"),
        }
    }

    /// The path of a fixture key file, written on first use.
    fn key(&self, name: &str) -> String {
        let path: PathBuf = self.dir.path().join(name);
        if !path.exists() {
            let contents = fixtures().get(name).expect("known fixture");
            std::fs::write(&path, contents).expect("write key");
        }
        path.to_string_lossy().into_owned()
    }

    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write file");
        path.to_string_lossy().into_owned()
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn options(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn provider(pairs: &[(&str, &str)]) -> JwtTokens {
    JwtTokens::from_options(&options(pairs)).expect("provider")
}

fn error(pairs: &[(&str, &str)]) -> String {
    JwtTokens::from_options(&options(pairs)).expect_err("options must be refused")
}

/// base64url without padding, as JWTs use it (the crate's own base64 is not ours to use).
mod base64_url {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    pub fn decode(text: &str) -> Vec<u8> {
        let mut bits = 0u32;
        let mut count = 0;
        let mut out = Vec::new();
        for c in text.bytes() {
            let v = ALPHABET.iter().position(|&a| a == c).expect("base64url") as u32;
            bits = (bits << 6) | v;
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
            }
        }
        out
    }
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&base64_url::decode(payload)).expect("claims json")
}

fn header_of(token: &str) -> Value {
    let header = token.split('.').next().expect("header");
    serde_json::from_slice(&base64_url::decode(header)).expect("header json")
}

fn now_secs() -> i64 {
    (now_nanos() / 1_000_000_000) as i64
}

/// A token signed by `key` with `alg` over arbitrary claims, built without the provider.
fn sign_claims(alg: Algorithm, key: &EncodingKey, claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, key).expect("sign")
}

fn rsa_signer() -> EncodingKey {
    EncodingKey::from_rsa_pem(&fixtures()["rsa.key"]).expect("jsonwebtoken reads the key")
}

#[test]
fn round_trip_for_each_method() {
    let s = Setup::new();
    let cases: Vec<(&str, String, String)> = vec![
        ("RS256", s.key("rsa.key"), s.key("rsa.pub")),
        ("RS384", s.key("rsa-pkcs1.key"), s.key("rsa.crt")),
        ("RS512", s.key("rsa.key"), s.key("rsa-pkcs1.pub")),
        ("PS256", s.key("rsa.key"), s.key("rsa.pub")),
        ("PS384", s.key("rsa-pkcs1.key"), s.key("rsa.pub")),
        ("PS512", s.key("rsa.key"), s.key("rsa.crt")),
        ("ES256", s.key("ec.key"), s.key("ec.pub")),
        ("ES256", s.key("ec-pkcs8.key"), s.key("ec.crt")),
        ("ES384", s.key("ec384.key"), s.key("ec384.pub")),
        ("EdDSA", s.key("ed.key"), s.key("ed.pub")),
    ];
    for (method, private, public) in cases {
        let context = format!("{method} {private} {public}");
        for with_public in [true, false] {
            let mut pairs = vec![("sign-method", method), ("priv-key", private.as_str())];
            if with_public {
                pairs.push(("pub-key", public.as_str()));
            }
            let tokens = JwtTokens::from_options(&options(&pairs))
                .unwrap_or_else(|e| panic!("{context}: {e}"));
            let token = tokens.assign("abc", 123).expect(&context);
            assert_eq!(header_of(&token)["alg"], method, "{context}");
            assert_eq!(
                tokens.info(&token),
                Some(("abc".to_string(), 123)),
                "{context}"
            );
            assert_eq!(tokens.info("aaa"), None, "{context}");

            // A member with only the public key accepts what this one signs.
            let verify_only = provider(&[("sign-method", method), ("pub-key", &public)]);
            assert_eq!(
                verify_only.info(&token),
                Some(("abc".to_string(), 123)),
                "{context}"
            );
        }
    }
}

#[test]
fn hmac_uses_the_private_key_file_as_secret() {
    let s = Setup::new();
    let secret = s.file("secret", b"a shared secret of some length");
    for method in ["HS256", "HS384", "HS512"] {
        let tokens = provider(&[("sign-method", method), ("priv-key", &secret)]);
        let token = tokens.assign("abc", 7).expect("assign");
        assert_eq!(tokens.info(&token), Some(("abc".to_string(), 7)));
        let key = EncodingKey::from_secret(b"a shared secret of some length");
        let alg = sign_method(method).expect("method").0;
        let forged = sign_claims(
            alg,
            &key,
            &serde_json::json!({"username": "root", "revision": 1, "exp": now_secs() + 60}),
        );
        assert_eq!(tokens.info(&forged), Some(("root".to_string(), 1)));
        let other = s.file("other", b"another secret");
        let other = provider(&[("sign-method", method), ("priv-key", &other)]);
        assert_eq!(other.info(&token), None);
    }
}

#[test]
fn claims_are_etcds() {
    let s = Setup::new();
    let tokens = provider(&[
        ("sign-method", "RS256"),
        ("priv-key", &s.key("rsa.key")),
        ("ttl", "10s"),
    ]);
    let before = now_secs();
    let token = tokens.assign("alice", 42).expect("assign");
    let after = now_secs();
    let claims = claims_of(&token);
    let object = claims.as_object().expect("object");
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["exp", "revision", "username"]);
    assert_eq!(claims["username"], "alice");
    assert_eq!(claims["revision"], 42);
    let exp = claims["exp"].as_i64().expect("exp");
    assert!((before + 10..=after + 10).contains(&exp), "exp {exp}");
    assert_eq!(header_of(&token)["typ"], "JWT");

    // The default ttl is five minutes.
    let tokens = provider(&[("sign-method", "RS256"), ("priv-key", &s.key("rsa.key"))]);
    let exp = claims_of(&tokens.assign("alice", 1).expect("assign"))["exp"]
        .as_i64()
        .expect("exp");
    assert!(
        (before + 300..=now_secs() + 300).contains(&exp),
        "exp {exp}"
    );
}

#[test]
fn expired_tokens_are_refused() {
    let s = Setup::new();
    let private = s.key("rsa.key");
    // A non-positive ttl is accepted, as by etcd, and makes tokens that are born expired.
    for ttl in ["0s", "-1m"] {
        let tokens = provider(&[
            ("sign-method", "RS256"),
            ("priv-key", &private),
            ("ttl", ttl),
        ]);
        let token = tokens.assign("abc", 1).expect("assign");
        assert_eq!(tokens.info(&token), None, "ttl {ttl}");
    }

    let tokens = provider(&[("sign-method", "RS256"), ("priv-key", &private)]);
    let key = rsa_signer();
    let token = |claims: Value| sign_claims(Algorithm::RS256, &key, &claims);
    let now = now_secs();
    assert_eq!(
        tokens.info(&token(
            serde_json::json!({"username": "abc", "revision": 1, "exp": now - 1})
        )),
        None
    );
    assert_eq!(
        tokens.info(&token(
            serde_json::json!({"username": "abc", "revision": 1, "exp": now + 60})
        )),
        Some(("abc".to_string(), 1))
    );
    // Without leeway: one second late is too late.
    assert_eq!(
        tokens.info(&token(
            serde_json::json!({"username": "abc", "revision": 1, "exp": now})
        )),
        None
    );
    // No expiry at all, an expiry that is no number, a token not valid yet.
    for claims in [
        serde_json::json!({"username": "abc", "revision": 1}),
        serde_json::json!({"username": "abc", "revision": 1, "exp": "tomorrow"}),
        serde_json::json!({"username": "abc", "revision": 1, "exp": now + 60, "nbf": now + 30}),
    ] {
        assert_eq!(tokens.info(&token(claims.clone())), None, "{claims}");
    }
}

#[test]
fn expired_after_the_ttl() {
    let s = Setup::new();
    let tokens = provider(&[
        ("sign-method", "ES256"),
        ("priv-key", &s.key("ec.key")),
        ("ttl", "1s"),
    ]);
    let token = tokens.assign("abc", 1).expect("assign");
    assert_eq!(tokens.info(&token), Some(("abc".to_string(), 1)));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(tokens.info(&token), None);
}

#[test]
fn claims_must_be_there_and_typed() {
    let s = Setup::new();
    let tokens = provider(&[("sign-method", "RS256"), ("priv-key", &s.key("rsa.key"))]);
    let key = rsa_signer();
    let exp = now_secs() + 60;
    for (claims, expected) in [
        (
            serde_json::json!({"username": "hello", "revision": 100, "exp": exp}),
            Some(("hello", 100)),
        ),
        (serde_json::json!({"revision": 100, "exp": exp}), None),
        (serde_json::json!({"username": "hello", "exp": exp}), None),
        (
            serde_json::json!({"username": 5, "revision": 100, "exp": exp}),
            None,
        ),
        (
            serde_json::json!({"username": "hello", "revision": "100", "exp": exp}),
            None,
        ),
        (
            serde_json::json!({"username": "hello", "revision": -1, "exp": exp}),
            None,
        ),
        // Go reads every number as a float.
        (
            serde_json::json!({"username": "hello", "revision": 100.0, "exp": exp as f64 + 0.5}),
            Some(("hello", 100)),
        ),
        (
            serde_json::json!({"username": "", "revision": 0, "exp": exp}),
            Some(("", 0)),
        ),
    ] {
        let token = sign_claims(Algorithm::RS256, &key, &claims);
        assert_eq!(
            tokens.info(&token),
            expected.map(|(u, r)| (u.to_string(), r)),
            "{claims}"
        );
    }
}

#[test]
fn foreign_and_tampered_tokens_are_refused() {
    let s = Setup::new();
    let pairs = [
        ("RS256", "rsa.key", "rsa2.key"),
        ("PS256", "rsa.key", "rsa2.key"),
        ("ES256", "ec.key", "ec2.key"),
        ("EdDSA", "ed.key", "ed2.key"),
    ];
    for (method, mine, theirs) in pairs {
        let tokens = provider(&[("sign-method", method), ("priv-key", &s.key(mine))]);
        let other = provider(&[("sign-method", method), ("priv-key", &s.key(theirs))]);
        let token = tokens.assign("abc", 5).expect("assign");
        assert_eq!(other.info(&token), None, "{method}: another key's token");
        assert_eq!(tokens.info(&other.assign("abc", 5).expect("assign")), None);

        // Claims swapped under the signature.
        let parts: Vec<&str> = token.split('.').collect();
        let forged_claims = base64_url::encode(
            serde_json::json!({"exp": now_secs() + 60, "revision": 5, "username": "root"})
                .to_string()
                .as_bytes(),
        );
        let forged = format!("{}.{}.{}", parts[0], forged_claims, parts[2]);
        assert_eq!(tokens.info(&forged), None, "{method}: swapped claims");

        // One signature character changed.
        let mut signature = parts[2].as_bytes().to_vec();
        signature[5] = if signature[5] == b'A' { b'B' } else { b'A' };
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            parts[1],
            String::from_utf8(signature).expect("ascii")
        );
        assert_eq!(tokens.info(&forged), None, "{method}: changed signature");

        // Signature dropped.
        assert_eq!(
            tokens.info(&format!("{}.{}.", parts[0], parts[1])),
            None,
            "{method}: no signature"
        );
    }
}

#[test]
fn other_algorithms_are_refused() {
    let s = Setup::new();
    let public = s.key("rsa.pub");
    let tokens = provider(&[("sign-method", "RS256"), ("pub-key", &public)]);
    let claims = serde_json::json!({"username": "root", "revision": 1, "exp": now_secs() + 60});

    // The classic confusion: HMAC keyed with the (public) verification key.
    let secret = std::fs::read(&public).expect("read");
    let forged = sign_claims(
        Algorithm::HS256,
        &EncodingKey::from_secret(&secret),
        &claims,
    );
    assert_eq!(tokens.info(&forged), None);

    // alg "none".
    let unsigned = format!(
        "{}.{}.",
        base64_url::encode(br#"{"alg":"none","typ":"JWT"}"#),
        base64_url::encode(claims.to_string().as_bytes())
    );
    assert_eq!(tokens.info(&unsigned), None);

    // Same key, another RSA method.
    let key = rsa_signer();
    for alg in [Algorithm::RS384, Algorithm::PS256] {
        assert_eq!(
            tokens.info(&sign_claims(alg, &key, &claims)),
            None,
            "{alg:?}"
        );
    }
    assert_eq!(
        tokens.info(&sign_claims(Algorithm::RS256, &key, &claims)),
        Some(("root".to_string(), 1))
    );
}

#[test]
fn garbage_tokens_do_not_panic() {
    let s = Setup::new();
    let tokens = provider(&[("sign-method", "EdDSA"), ("priv-key", &s.key("ed.key"))]);
    let valid = tokens.assign("abc", 1).expect("assign");
    let half = valid[..valid.len() / 2].to_string();
    let extra_part = format!("{valid}.x");
    let padded = format!("{valid}=");
    for token in [
        "",
        ".",
        "..",
        "...",
        "a.b.c",
        "a.b.c.d",
        "\u{0}\u{ff}",
        "eyJ.eyJ.eyJ",
        half.as_str(),
        extra_part.as_str(),
        padded.as_str(),
    ] {
        assert_eq!(tokens.info(token), None, "{token:?}");
    }
}

#[test]
fn verify_only_provider_refuses_to_sign() {
    let s = Setup::new();
    for (method, public) in [
        ("RS256", "rsa.crt"),
        ("ES256", "ec.pub"),
        ("EdDSA", "ed.pub"),
    ] {
        let tokens = provider(&[("sign-method", method), ("pub-key", &s.key(public))]);
        let err = tokens.assign("abc", 1).expect_err("verify-only");
        assert_eq!(
            err,
            AuthError::TokenAssign("token signing attempted with verify-only key".to_string())
        );
        assert_eq!(
            err.to_string(),
            "auth: token signing attempted with verify-only key"
        );
    }
}

#[test]
fn bad_options_give_etcds_errors() {
    let s = Setup::new();
    let rsa_key = s.key("rsa.key");
    let rsa_pub = s.key("rsa.pub");
    let missing = s.path().join("missing").to_string_lossy().into_owned();
    let secret = s.file("secret", b"secret");
    let empty = s.file("empty", b"");

    let invalid = "auth: invalid auth options";
    assert_eq!(error(&[]), invalid);
    assert_eq!(error(&[("sign-method", "invalid")]), invalid);
    assert_eq!(
        error(&[("sign-method", "rs256"), ("priv-key", &rsa_key)]),
        invalid
    );
    assert_eq!(error(&[("priv-key", &rsa_key)]), invalid);
    assert_eq!(
        error(&[
            ("sign-method", "RS256"),
            ("priv-key", &rsa_key),
            ("ttl", "forever")
        ]),
        invalid
    );
    assert_eq!(
        error(&[
            ("sign-method", "RS256"),
            ("priv-key", &rsa_key),
            ("ttl", "5")
        ]),
        invalid
    );
    assert_eq!(
        error(&[("sign-method", "HS256"), ("pub-key", &missing)]),
        invalid
    );
    assert_eq!(
        error(&[("sign-method", "HS256"), ("priv-key", &missing)]),
        invalid
    );

    let method = "auth: invalid auth signature method";
    assert_eq!(
        error(&[("sign-method", "ES512"), ("priv-key", &s.key("ec521.key"))]),
        method
    );
    assert_eq!(
        error(&[("sign-method", "none"), ("priv-key", &secret)]),
        method
    );

    let missing_key = "auth: missing key data";
    for m in ["RS256", "PS256", "ES256", "EdDSA", "HS256"] {
        assert_eq!(error(&[("sign-method", m)]), missing_key, "{m}");
        assert_eq!(
            error(&[("sign-method", m), ("priv-key", &empty)]),
            missing_key,
            "{m}"
        );
    }
    assert_eq!(
        error(&[("sign-method", "HS256"), ("pub-key", &rsa_pub)]),
        missing_key
    );

    let mismatch = "auth: public and private keys don't match";
    for (m, private, public) in [
        ("RS256", "rsa.key", "rsa2.pub"),
        ("PS256", "rsa-pkcs1.key", "rsa2.pub"),
        ("ES256", "ec.key", "ec2.pub"),
        ("EdDSA", "ed.key", "ed2.pub"),
    ] {
        assert_eq!(
            error(&[
                ("sign-method", m),
                ("priv-key", &s.key(private)),
                ("pub-key", &s.key(public))
            ]),
            mismatch,
            "{m}"
        );
    }

    // Keys of the wrong kind or in the wrong place.
    let starts = |pairs: &[(&str, &str)], prefix: &str| {
        let e = error(pairs);
        assert!(e.starts_with(prefix), "{pairs:?}: {e}");
    };
    starts(
        &[
            ("sign-method", "RS256"),
            ("priv-key", &rsa_key),
            ("pub-key", &rsa_key),
        ],
        "key is not a valid RSA public key",
    );
    starts(
        &[
            ("sign-method", "RS256"),
            ("priv-key", &rsa_pub),
            ("pub-key", &rsa_pub),
        ],
        "key is not a valid RSA private key",
    );
    starts(
        &[("sign-method", "ES256"), ("priv-key", &s.key("ec.pub"))],
        "key is not a valid ECDSA private key",
    );
    starts(
        &[("sign-method", "ES256"), ("priv-key", &rsa_key)],
        "key is not a valid ECDSA private key",
    );
    starts(
        &[("sign-method", "EdDSA"), ("pub-key", &s.key("ec.pub"))],
        "key is not a valid Ed25519 public key",
    );
    starts(
        &[("sign-method", "RS256"), ("priv-key", &s.key("ed.key"))],
        "key is not a valid RSA private key",
    );
    starts(
        &[("sign-method", "RS256"), ("priv-key", &secret)],
        "invalid key: Key must be a PEM encoded",
    );
    starts(
        &[("sign-method", "ES256"), ("priv-key", &s.key("ec384.key"))],
        "key is invalid: sign method ES256 needs a P-256 key",
    );
    starts(
        &[("sign-method", "ES384"), ("pub-key", &s.key("ec.pub"))],
        "key is invalid: sign method ES384 needs a P-384 key",
    );
    starts(
        &[
            ("sign-method", "RS256"),
            ("priv-key", &s.key("rsa1024.key")),
        ],
        "key is invalid: RSA private keys must have 2048",
    );
    starts(
        &[("sign-method", "RS256"), ("pub-key", &s.key("rsa1024.pub"))],
        "key is invalid: RSA public keys must have 2048",
    );
    let damaged = s.file(
        "damaged",
        b"-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n",
    );
    starts(
        &[("sign-method", "RS256"), ("priv-key", &damaged)],
        "key is not a valid RSA private key",
    );
}

#[test]
fn unknown_options_are_ignored() {
    let s = Setup::new();
    let tokens = provider(&[
        ("sign-method", "EdDSA"),
        ("priv-key", &s.key("ed.key")),
        ("bogus", "1"),
        ("pub-key", ""),
    ]);
    let token = tokens.assign("abc", 1).expect("assign");
    assert_eq!(tokens.info(&token), Some(("abc".to_string(), 1)));
}

#[test]
fn der_lengths_round_trip() {
    for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
        let contents = vec![7u8; len];
        let element = der_element(TAG_OCTET_STRING, &contents);
        let mut der = Der::new(&element);
        assert_eq!(der.next(), Some((TAG_OCTET_STRING, contents.as_slice())));
        assert!(der.rest.is_empty());
    }
    // Truncated, indefinite, overlong.
    for bad in [
        &[0x30u8, 0x05, 1][..],
        &[0x30, 0x80],
        &[0x30, 0x85, 1, 1, 1, 1, 1],
        &[0x1f, 0],
    ] {
        assert_eq!(Der::new(bad).next(), None, "{bad:?}");
    }
}
