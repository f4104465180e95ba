//! etcd's JWT token provider (`--auth-token jwt,pub-key=...,priv-key=...,sign-method=...,ttl=...`,
//! etcd's `server/auth/jwt.go` and `options.go`): a token is a JWT signed by this member whose
//! claims name the user and the auth revision it logged in at, so any member holding the key
//! verifies it without shared state.
//!
//! Keys are PEM files as etcd reads them: private keys in PKCS#1 (`RSA PRIVATE KEY`), SEC1
//! (`EC PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`) form, public keys as `PUBLIC KEY`, a
//! `CERTIFICATE` (etcd's own setups pass `server.crt`) or `RSA PUBLIC KEY`. For the HMAC
//! methods the whole private key file is the shared secret.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::go_duration_nanos;
use crate::error::AuthError;

mod keys;
mod methods;

use keys::*;
use methods::*;
#[cfg(test)]
mod tests;

/// A JWT provider: the method and keys from `--auth-token jwt,...` and the lifetime of the
/// tokens it signs.
pub struct JwtTokens {
    algorithm: Algorithm,
    /// None for a verify-only provider (etcd allows one with just `pub-key`, for members that
    /// accept tokens another member signs).
    signer: Option<EncodingKey>,
    verifier: DecodingKey,
    /// Signed: Go's durations are, and etcd takes a negative or zero `ttl` as given.
    ttl_nanos: i64,
}

impl fmt::Debug for JwtTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Keys stay out of logs.
        f.debug_struct("JwtTokens")
            .field("algorithm", &self.algorithm)
            .field("verify_only", &self.signer.is_none())
            .field("ttl_nanos", &self.ttl_nanos)
            .finish_non_exhaustive()
    }
}

/// etcd's claims, in the order Go's JSON encoder writes a map's keys.
#[derive(Serialize)]
struct Claims<'a> {
    exp: i64,
    revision: u64,
    username: &'a str,
}

impl JwtTokens {
    /// From the options after "jwt," in --auth-token, already split into key -> value
    /// (keys: pub-key, priv-key, sign-method, ttl). Errors are etcd's: a bad ttl, an unreadable
    /// key file and an unknown sign method all come out as "auth: invalid auth options", because
    /// etcd's provider replaces whatever its option parser says with that.
    pub fn from_options(options: &BTreeMap<String, String>) -> Result<JwtTokens, String> {
        let unknown: Vec<&str> = options
            .keys()
            .map(String::as_str)
            .filter(|k| !KNOWN_OPTIONS.contains(k))
            .collect();
        if !unknown.is_empty() {
            tracing::warn!(keys = ?unknown, "unknown JWT options");
        }
        // etcd treats an option given empty as not given.
        let option = |name: &str| {
            options
                .get(name)
                .map(String::as_str)
                .filter(|v| !v.is_empty())
        };
        let invalid = |problem: String| {
            tracing::error!(error = %problem, "problem loading JWT options");
            ERR_INVALID_AUTH_OPTS.to_string()
        };

        let ttl_nanos = match option(OPT_TTL) {
            None => DEFAULT_TTL_NANOS,
            Some(text) => go_duration_nanos(text)
                .ok_or_else(|| invalid(format!("time: invalid duration {text:?}")))?,
        };
        let read = |name: &str| match option(name) {
            None => Ok(Vec::new()),
            Some(path) => std::fs::read(path).map_err(|e| invalid(format!("{path}: {e}"))),
        };
        let public_pem = read(OPT_PUBLIC_KEY)?;
        let private_pem = read(OPT_PRIVATE_KEY)?;
        let (algorithm, family) = match option(OPT_SIGN_METHOD) {
            None => return Err(invalid("no sign-method given".to_string())),
            Some(name) => sign_method(name)?,
        };

        let (signer, verifier) = match family {
            Family::Hmac => {
                // An empty file counts as no key, as in etcd; the public key plays no part.
                if private_pem.is_empty() {
                    return Err(ERR_MISSING_KEY.to_string());
                }
                (
                    Some(EncodingKey::from_secret(&private_pem)),
                    DecodingKey::from_secret(&private_pem),
                )
            }
            _ => asymmetric_keys(algorithm, family, &public_pem, &private_pem)?,
        };
        Ok(JwtTokens {
            algorithm,
            signer,
            verifier,
            ttl_nanos,
        })
    }

    /// A signed token with etcd's claims {"username", "revision", "exp"}, exp being now + ttl in
    /// whole seconds.
    pub fn assign(&self, username: &str, revision: u64) -> Result<String, AuthError> {
        let Some(key) = &self.signer else {
            return Err(AuthError::TokenAssign(ERR_VERIFY_ONLY.to_string()));
        };
        let exp_nanos = now_nanos() + i128::from(self.ttl_nanos);
        let exp = i64::try_from(exp_nanos.div_euclid(1_000_000_000))
            .map_err(|_| AuthError::TokenAssign("token expiry out of range".to_string()))?;
        let claims = Claims {
            exp,
            revision,
            username,
        };
        jsonwebtoken::encode(&Header::new(self.algorithm), &claims, key).map_err(|e| {
            tracing::debug!(user = username, revision, error = %e, "failed to sign a JWT token");
            AuthError::TokenAssign(format!("failed to sign a JWT token: {e}"))
        })
    }

    /// The (username, revision) of a token whose signature verifies with the configured method
    /// and key and which has not expired; None otherwise, also when the token's alg differs from
    /// the configured one.
    pub fn info(&self, token: &str) -> Option<(String, u64)> {
        let mut validation = Validation::new(self.algorithm);
        // Time claims are checked below, as golang-jwt does: without leeway and to the
        // nanosecond. Audience and issuer are not etcd's concern.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.leeway = 0;
        validation.required_spec_claims.clear();
        let claims =
            match jsonwebtoken::decode::<Map<String, Value>>(token, &self.verifier, &validation) {
                Ok(data) => data.claims,
                Err(e) => {
                    // Debug, not etcd's warning: anyone can send a bad token, often.
                    tracing::debug!(error = %e, "failed to parse a JWT token");
                    return None;
                }
            };

        let now = now_nanos() as f64 / 1e9;
        // etcd's tokens always carry exp; a token without one would never expire, so even one
        // signed with our key is refused.
        let exp = claims.get("exp")?.as_f64()?;
        if now >= exp {
            tracing::debug!("JWT token expired");
            return None;
        }
        if let Some(nbf) = claims.get("nbf") {
            if now < nbf.as_f64()? {
                return None;
            }
        }

        let username = claims.get("username")?.as_str()?.to_string();
        // Go decodes JSON numbers as float64 and etcd converts that to uint64.
        let revision = claims.get("revision")?;
        let revision = match revision.as_u64() {
            Some(r) => r,
            None => {
                let r = revision.as_f64()?;
                if !r.is_finite() || r < 0.0 {
                    return None;
                }
                r as u64
            }
        };
        Some((username, revision))
    }
}

/// Nanoseconds since the Unix epoch, negative before it (a clock set that far back is broken,
/// but must not panic).
fn now_nanos() -> i128 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}
