//! Who is calling: the token in a request's gRPC metadata (`token`, or `authorization` as the
//! gateway forwards it) or, under `--client-cert-auth`, the CN of its verified certificate,
//! resolved against the auth store. `None` while auth is disabled.

use tonic::metadata::MetadataMap;
use tonic::{Extensions, Request, Status};

use crate::error::AuthError;
use crate::member::Member;
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
    // A token that is not text can name no one: it stays a token (refused as invalid) rather
    // than falling back to the certificate or to no credentials.
    let token = TOKEN_KEYS
        .iter()
        .find_map(|key| metadata.get(*key))
        .map(|value| value.to_str().unwrap_or("\u{fffd}").to_string());
    let common_name = match member.config.tls.client_cert_auth {
        true => extensions.get::<ClientCommonName>().map(|cn| cn.0.clone()),
        false => None,
    };
    Credentials { token, common_name }
}

/// The caller of `request`.
pub async fn caller<T>(member: &Member, request: &Request<T>) -> Result<Caller, Status> {
    let credentials = credentials(member, request.metadata(), request.extensions());
    Ok(member.resolve(&credentials).await?)
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
