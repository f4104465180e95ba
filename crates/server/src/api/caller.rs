//! Who is calling: the token in a request's gRPC metadata (`token`, or `authorization` as the
//! gateway forwards it) or, under `--client-cert-auth`, the CN of its verified certificate,
//! resolved against the auth store. `None` while auth is disabled.

use std::time::Duration;

use tonic::metadata::MetadataMap;
use tonic::{Extensions, Request, Status};

use crate::error::AuthError;
use crate::member::Member;
use crate::state::auth::tokens::{simple_token_index, Tokens};
use crate::state::auth::{AuthInfo, Credentials};
use crate::transport::serve::ClientCommonName;

/// The metadata keys etcd reads a token from (`rpctypes.TokenFieldNameGRPC`, `...Swagger`).
pub const TOKEN_KEYS: [&str; 2] = ["token", "authorization"];

pub type Caller = Option<AuthInfo>;

/// What the request presented.
pub fn credentials(
    member: &Member,
    metadata: &MetadataMap,
    extensions: &Extensions,
) -> Credentials {
    let token = TOKEN_KEYS
        .iter()
        .find_map(|key| metadata.get(*key))
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let common_name = match member.config.tls.client_cert_auth {
        true => extensions.get::<ClientCommonName>().map(|cn| cn.0.clone()),
        false => None,
    };
    Credentials { token, common_name }
}

/// The caller of `request`. A simple token from a login this member has not applied yet (it was
/// proposed through another member) is waited for, up to the request timeout.
pub async fn caller<T>(member: &Member, request: &Request<T>) -> Result<Caller, Status> {
    resolve(
        member,
        &credentials(member, request.metadata(), request.extensions()),
    )
    .await
}

/// The caller of `request`, which must hold the root role when auth is on (etcd's AuthAdmin).
pub async fn admin<T>(member: &Member, request: &Request<T>) -> Result<Caller, Status> {
    let caller = caller(member, request).await?;
    member
        .auth
        .check_admin(caller.as_ref())
        .map_err(|e| Status::from(&e))?;
    Ok(caller)
}

/// The caller of `request`, which must name some user when auth is on (etcd's requireAuthInfo).
pub async fn someone<T>(member: &Member, request: &Request<T>) -> Result<Caller, Status> {
    let caller = caller(member, request).await?;
    if member.auth.is_enabled() && caller.is_none() {
        return Err(Status::from(&AuthError::UserEmpty));
    }
    Ok(caller)
}

pub async fn resolve(member: &Member, credentials: &Credentials) -> Result<Caller, Status> {
    if !member.auth.is_enabled() {
        return Ok(None);
    }
    await_token(member, credentials).await;
    member
        .auth
        .resolve(credentials)
        .map_err(|e| Status::from(&e))
}

/// Waits until this member has applied the login that registered a simple token, as etcd's
/// token provider does, bounded by the request timeout.
pub async fn await_token(member: &Member, credentials: &Credentials) {
    let (Some(token), Tokens::Simple(_)) = (&credentials.token, &member.auth.tokens) else {
        return;
    };
    let Some(index) = simple_token_index(token) else {
        return;
    };
    if member.applied_index() >= index {
        return;
    }
    let mut applied = member.applied_watch();
    let timeout: Duration = member.request_timeout;
    let _ = tokio::time::timeout(timeout, applied.wait_for(|a| *a >= index)).await;
}
