//! Who a client is, as this member can tell: its credentials resolved against the auth store,
//! once the login that registered a simple token has been applied here.

use super::Member;
use crate::error::ServerError;
use crate::state::auth::tokens::{simple_token_index, Tokens};
use crate::state::auth::{AuthInfo, Credentials};

impl Member {
    /// The user `credentials` name; `None` while auth is disabled or when they name nobody.
    pub async fn resolve(
        &self,
        credentials: &Credentials,
    ) -> Result<Option<AuthInfo>, ServerError> {
        if !self.auth.is_enabled() {
            return Ok(None);
        }
        self.await_token(credentials).await;
        Ok(self.auth.resolve(credentials)?)
    }

    /// Waits until this member has applied the login that registered a simple token (made
    /// through another member), as etcd's token provider does, bounded by the request timeout.
    pub async fn await_token(&self, credentials: &Credentials) {
        let (Some(token), Tokens::Simple(_)) = (&credentials.token, &self.auth.tokens) else {
            return;
        };
        let Some(index) = simple_token_index(token) else {
            return;
        };
        let _ = self.wait_applied(index).await;
    }
}

impl Member {
    /// Whether the caller may write every key of `[key, range_end)` (the key alone when
    /// `range_end` is empty): what a view offers, never what a write is checked by (each write
    /// checks its own permission when it is applied).
    pub async fn may_write(
        &self,
        credentials: &Credentials,
        key: &[u8],
        range_end: &[u8],
    ) -> Result<bool, ServerError> {
        let caller = self.resolve(credentials).await?;
        Ok(self
            .auth
            .check_write(caller.as_ref(), key, range_end)
            .is_ok())
    }
}
