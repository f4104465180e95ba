//! The Auth service's writes, applied in log order on every member (etcd's `auth/store.go`):
//! each checks everything first and then changes the backend and the tables together, bumping
//! the auth revision, so a refused request changes nothing.

use std::sync::atomic::Ordering;
use std::sync::PoisonError;

use base64::Engine;
use oxcd_proto::authpb::{Permission, Role, User, UserAddOptions};
use oxcd_proto::oxcdpb::internal_request::Op;
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::WriteBatch;
use prost::Message;

use super::{
    has_root_role, is_auth_write, AuthApplied, AuthApplyError, AuthStore, Tables, AUTH_BUCKET,
    ENABLED_KEY, REVISION_KEY, ROLES_BUCKET, ROOT, USERS_BUCKET,
};
use crate::error::AuthError;

type Applied = Result<AuthApplied, AuthApplyError>;

/// Whether a permission's range is one etcd accepts: a key, and no end or an end after it (or
/// `"\0"`, to the end of the keyspace).
fn valid_permission_range(perm: &Permission) -> bool {
    !perm.key.is_empty()
        && (perm.range_end.is_empty() || perm.range_end == [0] || perm.key < perm.range_end)
}

impl AuthStore {
    /// Applies one Auth request at raft `index`; `None` for requests of other services.
    pub fn apply(&self, batch: &mut WriteBatch<'_>, op: &Op, index: u64) -> Option<Applied> {
        if !is_auth_write(op) {
            return None;
        }
        let mut tables = self.tables.write().unwrap_or_else(PoisonError::into_inner);
        self.apply_locked(batch, &mut tables, op, index)
    }

    fn apply_locked(
        &self,
        batch: &mut WriteBatch<'_>,
        tables: &mut Tables,
        op: &Op,
        index: u64,
    ) -> Option<Applied> {
        Some(match op {
            Op::AuthEnable(_) => self.enable(batch, tables),
            Op::AuthDisable(_) => self.disable(batch),
            Op::Authenticate(login) => self.login(
                tables,
                &login.name,
                &login.simple_token_prefix,
                index,
                login.checked_revision,
            ),
            Op::UserAdd(req) => {
                if req.name.is_empty() {
                    return Some(Err(AuthError::UserEmpty.into()));
                }
                if tables.users.contains_key(&req.name) {
                    return Some(Err(AuthError::UserAlreadyExist.into()));
                }
                let options = req.options.unwrap_or(UserAddOptions { no_password: false });
                let password = match options.no_password {
                    true => vec![],
                    false => match self.stored_hash(&req.hashed_password) {
                        Ok(hash) => hash,
                        Err(e) => return Some(Err(e.into())),
                    },
                };
                let user = User {
                    name: req.name.clone().into_bytes(),
                    password,
                    roles: vec![],
                    options: Some(options),
                };
                self.put_user(batch, tables, user)
            }
            Op::UserDelete(req) => {
                if self.is_enabled() && req.name == ROOT {
                    return Some(Err(AuthError::InvalidAuthMgmt.into()));
                }
                if !tables.users.contains_key(&req.name) {
                    return Some(Err(AuthError::UserNotFound.into()));
                }
                self.tokens.invalidate_user(&req.name);
                self.delete_user(batch, tables, &req.name)
            }
            Op::UserChangePassword(req) => {
                let Some(user) = tables.users.get(&req.name) else {
                    return Some(Err(AuthError::UserNotFound.into()));
                };
                let mut user = user.clone();
                if !user.options.is_some_and(|o| o.no_password) {
                    user.password = match self.stored_hash(&req.hashed_password) {
                        Ok(hash) => hash,
                        Err(e) => return Some(Err(e.into())),
                    };
                }
                self.tokens.invalidate_user(&req.name);
                self.put_user(batch, tables, user)
            }
            Op::UserGrantRole(req) => {
                let Some(user) = tables.users.get(&req.user) else {
                    return Some(Err(AuthError::UserNotFound.into()));
                };
                if req.role != ROOT && !tables.roles.contains_key(&req.role) {
                    return Some(Err(AuthError::RoleNotFound.into()));
                }
                if user.roles.contains(&req.role) {
                    return Some(Ok(AuthApplied::Done)); // etcd ignores a repeated grant
                }
                let mut user = user.clone();
                user.roles.push(req.role.clone());
                user.roles.sort();
                self.put_user(batch, tables, user)
            }
            Op::UserRevokeRole(req) => {
                if self.is_enabled() && req.name == ROOT && req.role == ROOT {
                    return Some(Err(AuthError::InvalidAuthMgmt.into()));
                }
                let Some(user) = tables.users.get(&req.name) else {
                    return Some(Err(AuthError::UserNotFound.into()));
                };
                if !user.roles.contains(&req.role) {
                    return Some(Err(AuthError::RoleNotGranted.into()));
                }
                let mut user = user.clone();
                user.roles.retain(|r| *r != req.role);
                self.put_user(batch, tables, user)
            }
            Op::RoleAdd(req) => {
                if req.name.is_empty() {
                    return Some(Err(AuthError::RoleEmpty.into()));
                }
                if tables.roles.contains_key(&req.name) {
                    return Some(Err(AuthError::RoleAlreadyExist.into()));
                }
                let role = Role {
                    name: req.name.clone().into_bytes(),
                    key_permission: vec![],
                };
                self.put_role(batch, tables, role)
            }
            Op::RoleDelete(req) => {
                if self.is_enabled() && req.role == ROOT {
                    return Some(Err(AuthError::InvalidAuthMgmt.into()));
                }
                if !tables.roles.contains_key(&req.role) {
                    return Some(Err(AuthError::RoleNotFound.into()));
                }
                self.delete_role(batch, tables, &req.role)
            }
            Op::RoleGrantPermission(req) => {
                let Some(perm) = &req.perm else {
                    return Some(Err(AuthError::PermissionNotGiven.into()));
                };
                if !valid_permission_range(perm) {
                    return Some(Err(AuthError::InvalidAuthMgmt.into()));
                }
                let Some(role) = tables.roles.get(&req.name) else {
                    return Some(Err(AuthError::RoleNotFound.into()));
                };
                let mut role = role.clone();
                match role
                    .key_permission
                    .iter_mut()
                    .find(|p| p.key == perm.key && p.range_end == perm.range_end)
                {
                    Some(existing) => existing.perm_type = perm.perm_type,
                    None => {
                        role.key_permission.push(perm.clone());
                        role.key_permission.sort_by(|a, b| a.key.cmp(&b.key));
                    }
                }
                self.put_role(batch, tables, role)
            }
            Op::RoleRevokePermission(req) => {
                let Some(role) = tables.roles.get(&req.role) else {
                    return Some(Err(AuthError::RoleNotFound.into()));
                };
                let mut role = role.clone();
                let before = role.key_permission.len();
                role.key_permission
                    .retain(|p| p.key != req.key || p.range_end != req.range_end);
                if role.key_permission.len() == before {
                    return Some(Err(AuthError::PermissionNotGranted.into()));
                }
                self.put_role(batch, tables, role)
            }
            _ => return None,
        })
    }

    /// A password hash as the API layer proposed it: bcrypt output in base64 (etcd's
    /// `hashedPassword`). An undecodable one is refused as etcd refuses it.
    fn stored_hash(&self, hashed: &str) -> Result<Vec<u8>, AuthError> {
        base64::engine::general_purpose::STANDARD
            .decode(hashed)
            .map_err(|_| AuthError::NoPasswordUser)
    }

    fn enable(&self, batch: &mut WriteBatch<'_>, tables: &mut Tables) -> Applied {
        if self.is_enabled() {
            return Ok(AuthApplied::Done);
        }
        let root = tables.users.get(ROOT).ok_or(AuthError::RootUserNotExist)?;
        if !has_root_role(root) {
            return Err(AuthError::RootRoleNotExist.into());
        }
        batch.bucket_put(AUTH_BUCKET, ENABLED_KEY, &[1])?;
        self.enabled.store(true, Ordering::SeqCst);
        tracing::info!("enabled authentication");
        Ok(AuthApplied::Done)
    }

    fn disable(&self, batch: &mut WriteBatch<'_>) -> Applied {
        if !self.is_enabled() {
            return Ok(AuthApplied::Done);
        }
        batch.bucket_put(AUTH_BUCKET, ENABLED_KEY, &[0])?;
        self.commit_revision(batch)?;
        self.enabled.store(false, Ordering::SeqCst);
        self.tokens.invalidate_all();
        tracing::info!("disabled authentication");
        Ok(AuthApplied::Done)
    }

    fn login(
        &self,
        tables: &Tables,
        name: &str,
        prefix: &str,
        index: u64,
        checked_revision: u64,
    ) -> Applied {
        if !self.is_enabled() {
            return Err(AuthError::AuthNotEnabled.into());
        }
        let user = tables.users.get(name).ok_or(AuthError::AuthFailed)?;
        if user.options.as_ref().is_some_and(|o| o.no_password) {
            return Err(AuthError::AuthFailed.into());
        }
        // The password was checked against the store of `checked_revision`: if the user changed
        // since, that check proves nothing. The proposer checks again.
        if checked_revision != self.revision() {
            return Err(AuthError::AuthOldRevision.into());
        }
        Ok(match self.tokens.register(name, prefix, index) {
            Some(token) => AuthApplied::Token(token),
            None => AuthApplied::Login {
                user: name.to_string(),
                revision: self.revision(),
            },
        })
    }

    fn commit_revision(&self, batch: &mut WriteBatch<'_>) -> Result<(), StorageError> {
        let revision = self.revision() + 1;
        batch.bucket_put(AUTH_BUCKET, REVISION_KEY, &revision.to_be_bytes())?;
        self.revision.store(revision, Ordering::SeqCst);
        Ok(())
    }

    fn put_user(&self, batch: &mut WriteBatch<'_>, tables: &mut Tables, user: User) -> Applied {
        let name = String::from_utf8_lossy(&user.name).into_owned();
        batch.bucket_put(USERS_BUCKET, name.as_bytes(), &user.encode_to_vec())?;
        self.commit_revision(batch)?;
        tables.users.insert(name, user);
        tables.refresh_perms();
        Ok(AuthApplied::Done)
    }

    fn delete_user(&self, batch: &mut WriteBatch<'_>, tables: &mut Tables, name: &str) -> Applied {
        batch.bucket_delete(USERS_BUCKET, name.as_bytes())?;
        self.commit_revision(batch)?;
        tables.users.remove(name);
        tables.refresh_perms();
        Ok(AuthApplied::Done)
    }

    fn put_role(&self, batch: &mut WriteBatch<'_>, tables: &mut Tables, role: Role) -> Applied {
        let name = String::from_utf8_lossy(&role.name).into_owned();
        batch.bucket_put(ROLES_BUCKET, name.as_bytes(), &role.encode_to_vec())?;
        self.commit_revision(batch)?;
        tables.roles.insert(name, role);
        tables.refresh_perms();
        Ok(AuthApplied::Done)
    }

    /// Deletes a role and takes it from every user who held it.
    fn delete_role(&self, batch: &mut WriteBatch<'_>, tables: &mut Tables, name: &str) -> Applied {
        batch.bucket_delete(ROLES_BUCKET, name.as_bytes())?;
        for user in tables.users.values_mut() {
            if user.roles.iter().any(|r| r == name) {
                user.roles.retain(|r| r != name);
                batch.bucket_put(USERS_BUCKET, &user.name, &user.encode_to_vec())?;
            }
        }
        self.commit_revision(batch)?;
        tables.roles.remove(name);
        tables.refresh_perms();
        Ok(AuthApplied::Done)
    }
}
