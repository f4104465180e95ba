//! The Auth service (etcd's `v3rpc/auth.go` and `v3_server.go`) and its gateway routes. Writes
//! go through raft and are checked at apply; passwords are hashed (bcrypt) here, off the async
//! runtime and never on the raft or apply path, so the log holds only hashes. Reads are answered
//! from the local store after the read barrier.

use std::sync::{Arc, OnceLock};

use base64::Engine;
use oxcd_proto::etcdserverpb::{
    auth_server::Auth, AuthDisableRequest, AuthDisableResponse, AuthEnableRequest,
    AuthEnableResponse, AuthRoleAddRequest, AuthRoleAddResponse, AuthRoleDeleteRequest,
    AuthRoleDeleteResponse, AuthRoleGetRequest, AuthRoleGetResponse,
    AuthRoleGrantPermissionRequest, AuthRoleGrantPermissionResponse, AuthRoleListRequest,
    AuthRoleListResponse, AuthRoleRevokePermissionRequest, AuthRoleRevokePermissionResponse,
    AuthStatusRequest, AuthStatusResponse, AuthUserAddRequest, AuthUserAddResponse,
    AuthUserChangePasswordRequest, AuthUserChangePasswordResponse, AuthUserDeleteRequest,
    AuthUserDeleteResponse, AuthUserGetRequest, AuthUserGetResponse, AuthUserGrantRoleRequest,
    AuthUserGrantRoleResponse, AuthUserListRequest, AuthUserListResponse,
    AuthUserRevokeRoleRequest, AuthUserRevokeRoleResponse, AuthenticateRequest,
    AuthenticateResponse, ResponseHeader,
};
use oxcd_proto::oxcdpb::internal_request::Op;
use oxcd_proto::oxcdpb::InternalAuthenticateRequest;
use tokio::sync::Semaphore;
use tonic::{Request, Response, Status};

use crate::api::caller::{admin, caller, Caller};
use crate::api::json::{unary_route, GatewayRoute};
use crate::error::{AuthError, ServerError};
use crate::member::Member;
use crate::state::auth::AuthApplied;
use crate::state::waits::ApplyResponse;

/// Logins retried when the user changed between the password check and the login's apply.
const LOGIN_ATTEMPTS: usize = 3;
/// bcrypt's input limit: longer passwords are refused, as Go's bcrypt refuses them, rather than
/// cut short.
const MAX_PASSWORD_BYTES: usize = 72;

/// bcrypt costs tens of milliseconds of CPU by design: at most one hash per core at a time, so
/// a flood of logins queues instead of taking every thread of the blocking pool.
fn bcrypt_slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS
        .get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())))
}

/// Runs bcrypt work off the runtime, one slot per core.
async fn with_bcrypt<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Status> {
    let _slot = bcrypt_slots()
        .acquire()
        .await
        .map_err(|e| Status::internal(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Status::internal(e.to_string()))
}

#[derive(Clone)]
pub struct AuthService(pub Arc<Member>);

impl AuthService {
    fn header(&self) -> Option<ResponseHeader> {
        Some(self.0.header(self.0.store.current_revision()))
    }

    /// An Auth write through raft as `request`'s caller; the header of its answer.
    async fn write<T>(
        &self,
        request: Request<T>,
        op: impl FnOnce(T) -> Op,
    ) -> Result<Option<ResponseHeader>, Status> {
        let caller = caller(&self.0, &request).await?;
        self.propose(&caller, op(request.into_inner())).await?;
        Ok(self.header())
    }

    async fn propose(&self, caller: &Caller, op: Op) -> Result<AuthApplied, Status> {
        Ok(self.propose_auth(caller, op).await??)
    }

    async fn propose_auth(
        &self,
        caller: &Caller,
        op: Op,
    ) -> Result<Result<AuthApplied, ServerError>, Status> {
        match self.0.propose_for(caller.as_ref(), op).await {
            Ok(ApplyResponse::Auth(applied)) => Ok(Ok(applied)),
            Ok(other) => Err(other.unexpected()),
            Err(e) => Ok(Err(e)),
        }
    }

    /// The caller of a read, once this member has applied everything committed before it.
    async fn reader<T>(&self, request: Request<T>) -> Result<(Caller, T), Status> {
        let caller = caller(&self.0, &request).await?;
        self.0.linearizable_barrier().await?;
        Ok((caller, request.into_inner()))
    }

    /// etcd's bcrypt hash of `password`, base64-encoded as its `hashedPassword` field carries it.
    async fn hash(&self, password: String) -> Result<String, Status> {
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(Status::unknown("bcrypt: password length exceeds 72 bytes"));
        }
        let cost = self.0.auth.bcrypt_cost();
        // At most 72 bytes reach bcrypt (checked above): the crate's truncating hash then takes
        // them all, as Go's does (its non-truncating variant counts the terminating NUL).
        let hashed = with_bcrypt(move || {
            bcrypt::hash_with_result(password, cost)
                .map(|h| h.format_for_version(bcrypt::Version::TwoA))
        })
        .await?
        .map_err(|e| Status::unknown(e.to_string()))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(hashed))
    }

    /// Checks `name`'s password off the runtime; the auth revision the check read.
    async fn check_password(&self, name: &str, password: String) -> Result<u64, Status> {
        let (hash, revision) = self
            .0
            .auth
            .password_hash(name)
            .map_err(|e| Status::from(&e))?;
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(Status::from(&AuthError::AuthFailed));
        }
        let matches = with_bcrypt(move || {
            let hash = String::from_utf8(hash).ok()?;
            bcrypt::verify(password, &hash).ok()
        })
        .await?;
        match matches {
            Some(true) => Ok(revision),
            _ => {
                tracing::info!(user = name, "invalid password");
                Err(Status::from(&AuthError::AuthFailed))
            }
        }
    }
}

fn require_admin_or(
    member: &Member,
    caller: &Caller,
    allowed: impl FnOnce(&str) -> bool,
) -> Result<(), Status> {
    match member.auth.check_admin(caller.as_ref()) {
        Ok(()) => Ok(()),
        Err(_) if caller.as_ref().is_some_and(|c| allowed(&c.username)) => Ok(()),
        Err(e) => Err(Status::from(&e)),
    }
}

#[tonic::async_trait]
impl Auth for AuthService {
    async fn auth_enable(
        &self,
        request: Request<AuthEnableRequest>,
    ) -> Result<Response<AuthEnableResponse>, Status> {
        let header = self.write(request, Op::AuthEnable).await?;
        Ok(Response::new(AuthEnableResponse { header }))
    }

    async fn auth_disable(
        &self,
        request: Request<AuthDisableRequest>,
    ) -> Result<Response<AuthDisableResponse>, Status> {
        let header = self.write(request, Op::AuthDisable).await?;
        Ok(Response::new(AuthDisableResponse { header }))
    }

    async fn auth_status(
        &self,
        request: Request<AuthStatusRequest>,
    ) -> Result<Response<AuthStatusResponse>, Status> {
        self.reader(request).await?;
        Ok(Response::new(AuthStatusResponse {
            header: self.header(),
            enabled: self.0.auth.is_enabled(),
            auth_revision: self.0.auth.revision(),
        }))
    }

    async fn authenticate(
        &self,
        request: Request<AuthenticateRequest>,
    ) -> Result<Response<AuthenticateResponse>, Status> {
        let req = request.into_inner();
        self.0.linearizable_barrier().await?;
        let mut last = Status::from(&AuthError::AuthOldRevision);
        for _ in 0..LOGIN_ATTEMPTS {
            let checked_revision = self.check_password(&req.name, req.password.clone()).await?;
            let login = Op::Authenticate(InternalAuthenticateRequest {
                name: req.name.clone(),
                simple_token_prefix: self.0.auth.tokens.new_prefix(),
                checked_revision,
            });
            let token = match self.propose_auth(&None, login).await? {
                Ok(AuthApplied::Token(token)) => token,
                // A JWT is signed here, by the member the client asked, not by every member.
                Ok(AuthApplied::Login { user, revision }) => {
                    self.0.auth.tokens.sign(&user, revision)?
                }
                Ok(AuthApplied::Done) => return Err(Status::internal("login gave no token")),
                Err(ServerError::Auth(AuthError::AuthOldRevision)) => {
                    tracing::info!("revision when password checked became stale; retrying");
                    last = AuthError::AuthOldRevision.into();
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            return Ok(Response::new(AuthenticateResponse {
                header: self.header(),
                token,
            }));
        }
        Err(last)
    }

    async fn user_add(
        &self,
        request: Request<AuthUserAddRequest>,
    ) -> Result<Response<AuthUserAddResponse>, Status> {
        // Root only (checked again at apply): nobody else gets to make the server hash.
        let caller = admin(&self.0, &request).await?;
        let mut req = request.into_inner();
        if !req.options.is_some_and(|o| o.no_password) {
            req.hashed_password = self.hash(std::mem::take(&mut req.password)).await?;
        }
        req.password.clear();
        self.propose(&caller, Op::UserAdd(req)).await?;
        Ok(Response::new(AuthUserAddResponse {
            header: self.header(),
        }))
    }

    async fn user_get(
        &self,
        request: Request<AuthUserGetRequest>,
    ) -> Result<Response<AuthUserGetResponse>, Status> {
        let (caller, req) = self.reader(request).await?;
        // A user may read its own roles.
        require_admin_or(&self.0, &caller, |me| me == req.name)?;
        let roles = self
            .0
            .auth
            .user_roles(&req.name)
            .map_err(|e| Status::from(&e))?;
        Ok(Response::new(AuthUserGetResponse {
            header: self.header(),
            roles,
        }))
    }

    async fn user_list(
        &self,
        request: Request<AuthUserListRequest>,
    ) -> Result<Response<AuthUserListResponse>, Status> {
        let (caller, _) = self.reader(request).await?;
        require_admin_or(&self.0, &caller, |_| false)?;
        Ok(Response::new(AuthUserListResponse {
            header: self.header(),
            users: self.0.auth.user_names(),
        }))
    }

    async fn user_delete(
        &self,
        request: Request<AuthUserDeleteRequest>,
    ) -> Result<Response<AuthUserDeleteResponse>, Status> {
        let header = self.write(request, Op::UserDelete).await?;
        Ok(Response::new(AuthUserDeleteResponse { header }))
    }

    async fn user_change_password(
        &self,
        request: Request<AuthUserChangePasswordRequest>,
    ) -> Result<Response<AuthUserChangePasswordResponse>, Status> {
        let caller = admin(&self.0, &request).await?;
        let mut req = request.into_inner();
        if !req.password.is_empty() {
            req.hashed_password = self.hash(std::mem::take(&mut req.password)).await?;
        }
        self.propose(&caller, Op::UserChangePassword(req)).await?;
        Ok(Response::new(AuthUserChangePasswordResponse {
            header: self.header(),
        }))
    }

    async fn user_grant_role(
        &self,
        request: Request<AuthUserGrantRoleRequest>,
    ) -> Result<Response<AuthUserGrantRoleResponse>, Status> {
        let header = self.write(request, Op::UserGrantRole).await?;
        Ok(Response::new(AuthUserGrantRoleResponse { header }))
    }

    async fn user_revoke_role(
        &self,
        request: Request<AuthUserRevokeRoleRequest>,
    ) -> Result<Response<AuthUserRevokeRoleResponse>, Status> {
        let header = self.write(request, Op::UserRevokeRole).await?;
        Ok(Response::new(AuthUserRevokeRoleResponse { header }))
    }

    async fn role_add(
        &self,
        request: Request<AuthRoleAddRequest>,
    ) -> Result<Response<AuthRoleAddResponse>, Status> {
        let header = self.write(request, Op::RoleAdd).await?;
        Ok(Response::new(AuthRoleAddResponse { header }))
    }

    async fn role_get(
        &self,
        request: Request<AuthRoleGetRequest>,
    ) -> Result<Response<AuthRoleGetResponse>, Status> {
        let (caller, req) = self.reader(request).await?;
        // A user may read the roles it holds.
        require_admin_or(&self.0, &caller, |me| self.0.auth.has_role(me, &req.role))?;
        let perm = self
            .0
            .auth
            .role_permissions(&req.role)
            .map_err(|e| Status::from(&e))?;
        Ok(Response::new(AuthRoleGetResponse {
            header: self.header(),
            perm,
        }))
    }

    async fn role_list(
        &self,
        request: Request<AuthRoleListRequest>,
    ) -> Result<Response<AuthRoleListResponse>, Status> {
        let (caller, _) = self.reader(request).await?;
        require_admin_or(&self.0, &caller, |_| false)?;
        Ok(Response::new(AuthRoleListResponse {
            header: self.header(),
            roles: self.0.auth.role_names(),
        }))
    }

    async fn role_delete(
        &self,
        request: Request<AuthRoleDeleteRequest>,
    ) -> Result<Response<AuthRoleDeleteResponse>, Status> {
        let header = self.write(request, Op::RoleDelete).await?;
        Ok(Response::new(AuthRoleDeleteResponse { header }))
    }

    async fn role_grant_permission(
        &self,
        request: Request<AuthRoleGrantPermissionRequest>,
    ) -> Result<Response<AuthRoleGrantPermissionResponse>, Status> {
        let header = self.write(request, Op::RoleGrantPermission).await?;
        Ok(Response::new(AuthRoleGrantPermissionResponse { header }))
    }

    async fn role_revoke_permission(
        &self,
        request: Request<AuthRoleRevokePermissionRequest>,
    ) -> Result<Response<AuthRoleRevokePermissionResponse>, Status> {
        let header = self.write(request, Op::RoleRevokePermission).await?;
        Ok(Response::new(AuthRoleRevokePermissionResponse { header }))
    }
}

/// The Auth methods of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[
    unary_route!(
        "auth/enable",
        AuthService::auth_enable,
        "AuthEnableRequest",
        "AuthEnableResponse"
    ),
    unary_route!(
        "auth/disable",
        AuthService::auth_disable,
        "AuthDisableRequest",
        "AuthDisableResponse"
    ),
    unary_route!(
        "auth/status",
        AuthService::auth_status,
        "AuthStatusRequest",
        "AuthStatusResponse"
    ),
    unary_route!(
        "auth/authenticate",
        AuthService::authenticate,
        "AuthenticateRequest",
        "AuthenticateResponse"
    ),
    unary_route!(
        "auth/user/add",
        AuthService::user_add,
        "AuthUserAddRequest",
        "AuthUserAddResponse"
    ),
    unary_route!(
        "auth/user/get",
        AuthService::user_get,
        "AuthUserGetRequest",
        "AuthUserGetResponse"
    ),
    unary_route!(
        "auth/user/list",
        AuthService::user_list,
        "AuthUserListRequest",
        "AuthUserListResponse"
    ),
    unary_route!(
        "auth/user/delete",
        AuthService::user_delete,
        "AuthUserDeleteRequest",
        "AuthUserDeleteResponse"
    ),
    unary_route!(
        "auth/user/changepw",
        AuthService::user_change_password,
        "AuthUserChangePasswordRequest",
        "AuthUserChangePasswordResponse"
    ),
    unary_route!(
        "auth/user/grant",
        AuthService::user_grant_role,
        "AuthUserGrantRoleRequest",
        "AuthUserGrantRoleResponse"
    ),
    unary_route!(
        "auth/user/revoke",
        AuthService::user_revoke_role,
        "AuthUserRevokeRoleRequest",
        "AuthUserRevokeRoleResponse"
    ),
    unary_route!(
        "auth/role/add",
        AuthService::role_add,
        "AuthRoleAddRequest",
        "AuthRoleAddResponse"
    ),
    unary_route!(
        "auth/role/get",
        AuthService::role_get,
        "AuthRoleGetRequest",
        "AuthRoleGetResponse"
    ),
    unary_route!(
        "auth/role/list",
        AuthService::role_list,
        "AuthRoleListRequest",
        "AuthRoleListResponse"
    ),
    unary_route!(
        "auth/role/delete",
        AuthService::role_delete,
        "AuthRoleDeleteRequest",
        "AuthRoleDeleteResponse"
    ),
    unary_route!(
        "auth/role/grant",
        AuthService::role_grant_permission,
        "AuthRoleGrantPermissionRequest",
        "AuthRoleGrantPermissionResponse"
    ),
    unary_route!(
        "auth/role/revoke",
        AuthService::role_revoke_permission,
        "AuthRoleRevokePermissionRequest",
        "AuthRoleRevokePermissionResponse"
    ),
];
