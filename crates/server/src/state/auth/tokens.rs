//! Token providers (`--auth-token`): etcd's simple tokens, registered on every member when the
//! login is applied and kept in memory with a TTL refreshed on use, or signed JWTs.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::Rng;

use super::jwt::JwtTokens;
use crate::error::AuthError;

/// Letters of a simple token's random prefix, as etcd draws them.
const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const PREFIX_LENGTH: usize = 16;
/// Expired tokens are swept at most this often, on a login.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

pub enum Tokens {
    Simple(SimpleTokens),
    Jwt(JwtTokens),
}

impl Tokens {
    /// From `--auth-token` (`simple`, or `jwt,key=value,...`) and `--auth-token-ttl` (simple
    /// tokens only; JWTs carry their own `ttl=`). Errors are etcd's.
    pub fn from_flag(flag: &str, simple_ttl: Duration) -> Result<Tokens, String> {
        const INVALID: &str = "auth: invalid auth options";
        let mut parts = flag.split(',');
        let kind = parts.next().unwrap_or_default();
        let mut options = BTreeMap::new();
        for part in parts {
            let Some((key, value)) = part.split_once('=') else {
                return Err(INVALID.to_string());
            };
            if value.contains('=') || options.insert(key.to_string(), value.to_string()).is_some() {
                return Err(INVALID.to_string());
            }
        }
        match kind {
            "simple" => Ok(Tokens::Simple(SimpleTokens::new(simple_ttl))),
            "jwt" => JwtTokens::from_options(&options).map(Tokens::Jwt),
            _ => Err(INVALID.to_string()),
        }
    }

    /// The random part of a simple token, drawn by the member that proposes the login (empty
    /// for JWTs, which need none).
    pub fn new_prefix(&self) -> String {
        match self {
            Tokens::Simple(_) => {
                let mut rng = rand::thread_rng();
                (0..PREFIX_LENGTH)
                    .map(|_| LETTERS[rng.gen_range(0..LETTERS.len())] as char)
                    .collect()
            }
            Tokens::Jwt(_) => String::new(),
        }
    }

    /// At the apply of a login (raft `index`): a simple token for `user`, registered on this
    /// member; `None` for JWTs, which the proposing member signs with [`Tokens::sign`].
    pub(super) fn register(&self, user: &str, prefix: &str, index: u64) -> Option<String> {
        match self {
            Tokens::Simple(simple) => Some(simple.assign(user, prefix, index)),
            Tokens::Jwt(_) => None,
        }
    }

    /// A JWT for `user` at auth `revision`.
    pub fn sign(&self, user: &str, revision: u64) -> Result<String, AuthError> {
        match self {
            Tokens::Jwt(jwt) => jwt.assign(user, revision),
            Tokens::Simple(_) => Err(AuthError::TokenAssign(
                "simple tokens are registered when the login is applied".into(),
            )),
        }
    }

    /// The user a token names and the auth revision it speaks for: simple tokens speak for the
    /// current one (they are withdrawn instead when their user changes), JWTs for the one they
    /// were signed at.
    pub(super) fn info(&self, token: &str, current_revision: u64) -> Option<(String, u64)> {
        match self {
            Tokens::Simple(simple) => simple.user(token).map(|u| (u, current_revision)),
            Tokens::Jwt(jwt) => jwt.info(token),
        }
    }

    /// Withdraws every token of `user` (password changed, user deleted).
    pub(super) fn invalidate_user(&self, user: &str) {
        if let Tokens::Simple(simple) = self {
            simple.invalidate(|u| u == user);
        }
    }

    /// Withdraws every token (auth disabled).
    pub(super) fn invalidate_all(&self) {
        if let Tokens::Simple(simple) = self {
            simple.invalidate(|_| true);
        }
    }
}

/// The raft index a simple token was registered at, which a member must have applied before
/// it can know the token.
pub fn simple_token_index(token: &str) -> Option<u64> {
    let (_, index) = token.split_once('.')?;
    index.parse().ok()
}

pub struct SimpleTokens {
    ttl: Duration,
    state: Mutex<SimpleState>,
}

struct SimpleState {
    /// token -> (user, expiry)
    tokens: HashMap<String, (String, Instant)>,
    last_sweep: Instant,
}

impl SimpleTokens {
    fn new(ttl: Duration) -> SimpleTokens {
        // etcd falls back to its default for a zero TTL.
        let ttl = if ttl.is_zero() {
            Duration::from_secs(300)
        } else {
            ttl
        };
        SimpleTokens {
            ttl,
            state: Mutex::new(SimpleState {
                tokens: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SimpleState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn assign(&self, user: &str, prefix: &str, index: u64) -> String {
        let token = format!("{prefix}.{index}");
        let now = Instant::now();
        let mut state = self.lock();
        if now.duration_since(state.last_sweep) >= SWEEP_EVERY {
            state.tokens.retain(|_, (_, expiry)| *expiry > now);
            state.last_sweep = now;
        }
        state
            .tokens
            .insert(token.clone(), (user.to_string(), now + self.ttl));
        token
    }

    /// The token's user, refreshing its TTL; `None` for an unknown or expired token.
    fn user(&self, token: &str) -> Option<String> {
        let now = Instant::now();
        let mut state = self.lock();
        let (user, expiry) = state.tokens.get_mut(token)?;
        if *expiry <= now {
            state.tokens.remove(token);
            return None;
        }
        *expiry = now + self.ttl;
        Some(user.clone())
    }

    fn invalidate(&self, which: impl Fn(&str) -> bool) {
        self.lock().tokens.retain(|_, (user, _)| !which(user));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_tokens_expire_refresh_on_use_and_are_withdrawn_per_user() {
        let tokens = Tokens::from_flag("simple", Duration::from_secs(2)).expect("simple");
        let prefix = tokens.new_prefix();
        assert_eq!(prefix.len(), 16);
        assert!(prefix.bytes().all(|b| b.is_ascii_alphabetic()));
        let alice = tokens.register("alice", &prefix, 7).expect("simple");
        assert_eq!(alice, format!("{prefix}.7"));
        assert_eq!(simple_token_index(&alice), Some(7));
        let bob = tokens
            .register("bob", "bbbbbbbbbbbbbbbb", 8)
            .expect("simple");
        assert_eq!(tokens.info(&alice, 5), Some(("alice".to_string(), 5)));
        // Used within its TTL, a token lives on; left alone, it expires.
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(800));
            assert!(tokens.info(&alice, 5).is_some());
        }
        assert_eq!(tokens.info(&bob, 5), None);
        tokens.invalidate_user("alice");
        assert_eq!(tokens.info(&alice, 5), None);
        assert_eq!(tokens.info("garbage", 5), None);
    }

    #[test]
    fn token_options_are_checked_as_etcd_checks_them() {
        let ttl = Duration::from_secs(1);
        assert!(matches!(
            Tokens::from_flag("simple", ttl),
            Ok(Tokens::Simple(_))
        ));
        for bad in ["bogus", "simple,x", "jwt,a=1,a=2", "jwt,a=b=c"] {
            assert_eq!(
                Tokens::from_flag(bad, ttl).err().as_deref(),
                Some("auth: invalid auth options"),
                "{bad}"
            );
        }
    }
}
