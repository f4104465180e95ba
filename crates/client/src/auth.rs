//! Calls on the Auth service: enabling authentication, users, roles and their key permissions.
//! (`Authenticate` itself is made by the connection, see [`crate::Credentials`].)
//!
//! Every call is bounded by the command timeout.

use oxcd_proto::authpb::{Permission, UserAddOptions};
use oxcd_proto::etcdserverpb::{
    auth_client::AuthClient, AuthDisableRequest, AuthDisableResponse, AuthEnableRequest,
    AuthEnableResponse, AuthRoleAddRequest, AuthRoleAddResponse, AuthRoleDeleteRequest,
    AuthRoleDeleteResponse, AuthRoleGetRequest, AuthRoleGetResponse,
    AuthRoleGrantPermissionRequest, AuthRoleGrantPermissionResponse, AuthRoleListRequest,
    AuthRoleListResponse, AuthRoleRevokePermissionRequest, AuthRoleRevokePermissionResponse,
    AuthStatusRequest, AuthStatusResponse, AuthUserAddRequest, AuthUserAddResponse,
    AuthUserChangePasswordRequest, AuthUserChangePasswordResponse, AuthUserDeleteRequest,
    AuthUserDeleteResponse, AuthUserGetRequest, AuthUserGetResponse, AuthUserGrantRoleRequest,
    AuthUserGrantRoleResponse, AuthUserListRequest, AuthUserListResponse,
    AuthUserRevokeRoleRequest, AuthUserRevokeRoleResponse,
};
use tonic::transport::Channel;

use crate::client::Within;
use crate::{CallError, Client};

fn auth(channel: Channel) -> AuthClient<Channel> {
    AuthClient::new(channel).max_decoding_message_size(usize::MAX)
}

impl Client {
    /// `AuthEnable`. etcd refuses it while there is no `root` user, or while `root` lacks the
    /// `root` role.
    pub async fn auth_enable(&mut self) -> Result<AuthEnableResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            AuthEnableRequest {},
            |ch, req| async move { auth(ch).auth_enable(req).await },
        )
        .await
    }

    /// `AuthDisable`.
    pub async fn auth_disable(&mut self) -> Result<AuthDisableResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            AuthDisableRequest {},
            |ch, req| async move { auth(ch).auth_disable(req).await },
        )
        .await
    }

    /// `AuthStatus`: whether authentication is on, and the auth revision.
    pub async fn auth_status(&mut self) -> Result<AuthStatusResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            AuthStatusRequest {},
            |ch, req| async move { auth(ch).auth_status(req).await },
        )
        .await
    }

    /// `UserAdd` of `name` with `password`, or, if `no_password`, a user who can only
    /// authenticate with a client certificate (the password is then ignored).
    pub async fn user_add(
        &mut self,
        name: &str,
        password: &str,
        no_password: bool,
    ) -> Result<AuthUserAddResponse, CallError> {
        let request = AuthUserAddRequest {
            name: name.to_string(),
            password: if no_password {
                String::new()
            } else {
                password.to_string()
            },
            options: Some(UserAddOptions { no_password }),
            hashed_password: String::new(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).user_add(req).await
        })
        .await
    }

    /// `UserGet`: the roles granted to user `name`.
    pub async fn user_get(&mut self, name: &str) -> Result<AuthUserGetResponse, CallError> {
        let request = AuthUserGetRequest {
            name: name.to_string(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).user_get(req).await
        })
        .await
    }

    /// `UserList`: every user's name, sorted.
    pub async fn user_list(&mut self) -> Result<AuthUserListResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            AuthUserListRequest {},
            |ch, req| async move { auth(ch).user_list(req).await },
        )
        .await
    }

    /// `UserDelete` of user `name`.
    pub async fn user_delete(&mut self, name: &str) -> Result<AuthUserDeleteResponse, CallError> {
        let request = AuthUserDeleteRequest {
            name: name.to_string(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).user_delete(req).await
        })
        .await
    }

    /// `UserChangePassword`: user `name`'s password becomes `password`.
    pub async fn user_change_password(
        &mut self,
        name: &str,
        password: &str,
    ) -> Result<AuthUserChangePasswordResponse, CallError> {
        let request = AuthUserChangePasswordRequest {
            name: name.to_string(),
            password: password.to_string(),
            hashed_password: String::new(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).user_change_password(req).await
        })
        .await
    }

    /// `UserGrantRole`: grants `role` to `user`.
    pub async fn user_grant_role(
        &mut self,
        user: &str,
        role: &str,
    ) -> Result<AuthUserGrantRoleResponse, CallError> {
        let request = AuthUserGrantRoleRequest {
            user: user.to_string(),
            role: role.to_string(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).user_grant_role(req).await
        })
        .await
    }

    /// `UserRevokeRole`: takes `role` away from user `name`.
    pub async fn user_revoke_role(
        &mut self,
        name: &str,
        role: &str,
    ) -> Result<AuthUserRevokeRoleResponse, CallError> {
        let request = AuthUserRevokeRoleRequest {
            name: name.to_string(),
            role: role.to_string(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).user_revoke_role(req).await
        })
        .await
    }

    /// `RoleAdd` of a role `name` with no permissions.
    pub async fn role_add(&mut self, name: &str) -> Result<AuthRoleAddResponse, CallError> {
        let request = AuthRoleAddRequest {
            name: name.to_string(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).role_add(req).await
        })
        .await
    }

    /// `RoleGet`: the key permissions of role `role`.
    pub async fn role_get(&mut self, role: &str) -> Result<AuthRoleGetResponse, CallError> {
        let request = AuthRoleGetRequest {
            role: role.to_string(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).role_get(req).await
        })
        .await
    }

    /// `RoleList`: every role's name, sorted.
    pub async fn role_list(&mut self) -> Result<AuthRoleListResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            AuthRoleListRequest {},
            |ch, req| async move { auth(ch).role_list(req).await },
        )
        .await
    }

    /// `RoleDelete` of role `role` (and its grants to users).
    pub async fn role_delete(&mut self, role: &str) -> Result<AuthRoleDeleteResponse, CallError> {
        let request = AuthRoleDeleteRequest {
            role: role.to_string(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).role_delete(req).await
        })
        .await
    }

    /// `RoleGrantPermission`: role `name` may use `perm` (its type over a key, or over
    /// `[key, range_end)`, where a `range_end` of `"\0"` means every key from `key` on).
    pub async fn role_grant_permission(
        &mut self,
        name: &str,
        perm: Permission,
    ) -> Result<AuthRoleGrantPermissionResponse, CallError> {
        let request = AuthRoleGrantPermissionRequest {
            name: name.to_string(),
            perm: Some(perm),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).role_grant_permission(req).await
        })
        .await
    }

    /// `RoleRevokePermission`: removes role `role`'s permission over exactly `key` and
    /// `range_end` (empty for a single key).
    pub async fn role_revoke_permission(
        &mut self,
        role: &str,
        key: &[u8],
        range_end: &[u8],
    ) -> Result<AuthRoleRevokePermissionResponse, CallError> {
        let request = AuthRoleRevokePermissionRequest {
            role: role.to_string(),
            key: key.to_vec(),
            range_end: range_end.to_vec(),
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            auth(ch).role_revoke_permission(req).await
        })
        .await
    }
}
