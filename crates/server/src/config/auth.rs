//! etcd's authentication flags: the token provider, its TTL and the bcrypt cost of passwords.

/// `--auth-token`, `--auth-token-ttl`, `--bcrypt-cost`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuthFlags {
    /// Specify auth token specific options ('simple' or 'jwt,pub-key=...,priv-key=...,
    /// sign-method=...,ttl=...').
    #[arg(long, env = "ETCD_AUTH_TOKEN", default_value = "simple")]
    pub auth_token: String,
    /// The lifetime in seconds of the auth token (simple tokens; refreshed on every use).
    #[arg(long, env = "ETCD_AUTH_TOKEN_TTL", default_value_t = 300)]
    pub auth_token_ttl: u64,
    /// Specify bcrypt algorithm cost factor for auth password hashing (4..=31).
    #[arg(long, env = "ETCD_BCRYPT_COST", default_value_t = 10)]
    pub bcrypt_cost: u32,
}
