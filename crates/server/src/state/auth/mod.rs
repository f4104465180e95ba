//! Users, roles and key permissions (etcd's auth store). Every change comes through raft and is
//! applied in log order on every member, in the backend buckets etcd names (`auth`, `authUsers`,
//! `authRoles`, values as etcd's `authpb` messages), and mirrored in memory with each user's
//! permissions merged for cheap checks. Requests are checked against it at apply (writes) or
//! after the read barrier (reads), so a permission revoked at one log position binds everything
//! after it.

mod apply;
mod check;
pub mod jwt;
mod perms;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use oxcd_proto::authpb::{permission::Type, Permission, Role, User};
use oxcd_proto::oxcdpb::internal_request::Op;
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::MvccStore;
use prost::Message;

use crate::error::AuthError;
use perms::UserPerms;
use tokens::Tokens;

/// What an applied Auth request produced.
#[derive(Debug)]
pub enum AuthApplied {
    Done,
    /// A login's simple token, registered on every member.
    Token(String),
    /// A login to be signed (a JWT) by the member it was proposed through, off the apply path.
    Login {
        user: String,
        revision: u64,
    },
}

/// Whether `op` is one of the Auth service's writes (applied by [`AuthStore::apply`]).
pub fn is_auth_write(op: &Op) -> bool {
    matches!(
        op,
        Op::AuthEnable(_)
            | Op::AuthDisable(_)
            | Op::Authenticate(_)
            | Op::UserAdd(_)
            | Op::UserDelete(_)
            | Op::UserChangePassword(_)
            | Op::UserGrantRole(_)
            | Op::UserRevokeRole(_)
            | Op::RoleAdd(_)
            | Op::RoleDelete(_)
            | Op::RoleGrantPermission(_)
            | Op::RoleRevokePermission(_)
    )
}

/// An auth write either fails with etcd's error (nothing changed) or, rarely, with a backend
/// error the member cannot continue past.
pub enum AuthApplyError {
    Refused(AuthError),
    Storage(StorageError),
}

impl From<AuthError> for AuthApplyError {
    fn from(err: AuthError) -> Self {
        AuthApplyError::Refused(err)
    }
}

impl From<StorageError> for AuthApplyError {
    fn from(err: StorageError) -> Self {
        AuthApplyError::Storage(err)
    }
}

pub const ROOT: &str = "root";

pub(crate) const AUTH_BUCKET: &str = "auth";
pub(crate) const USERS_BUCKET: &str = "authUsers";
pub(crate) const ROLES_BUCKET: &str = "authRoles";
const ENABLED_KEY: &[u8] = b"authEnabled";
const REVISION_KEY: &[u8] = b"authRevision";

/// Who a request speaks for: a user and the auth revision its credentials were valid at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthInfo {
    pub username: String,
    pub revision: u64,
}

/// What a client presented: a token (gRPC `token` or `authorization` metadata, the gateway's
/// `Authorization` header) and, under `--client-cert-auth`, its verified certificate's CN.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub token: Option<String>,
    pub common_name: Option<String>,
}

#[derive(Default)]
struct Tables {
    users: BTreeMap<String, User>,
    roles: BTreeMap<String, Role>,
    perms: HashMap<String, UserPerms>,
}

impl Tables {
    fn refresh_perms(&mut self) {
        let roles = &self.roles;
        self.perms = self
            .users
            .iter()
            .map(|(name, user)| {
                let granted = user
                    .roles
                    .iter()
                    .filter_map(|r| roles.get(r))
                    .flat_map(|role| role.key_permission.iter());
                (name.clone(), UserPerms::merge(granted))
            })
            .collect();
    }
}

pub struct AuthStore {
    enabled: AtomicBool,
    revision: AtomicU64,
    tables: RwLock<Tables>,
    pub tokens: Tokens,
    bcrypt_cost: u32,
}

fn has_root_role(user: &User) -> bool {
    user.roles.iter().any(|r| r == ROOT)
}

/// etcd's answer to RoleGet for the root role: everything, read and write.
fn root_permission() -> Permission {
    Permission {
        perm_type: Type::Readwrite as i32,
        key: vec![],
        range_end: vec![0],
    }
}

impl AuthStore {
    /// Loads the store from the backend. A bcrypt cost outside 4..=31 falls back to 10, as in
    /// etcd.
    pub fn load(store: &MvccStore, tokens: Tokens, bcrypt_cost: u32) -> Result<AuthStore, String> {
        let bcrypt_cost = if (4..=31).contains(&bcrypt_cost) {
            bcrypt_cost
        } else {
            tracing::warn!(
                given = bcrypt_cost,
                "use default bcrypt cost instead of the invalid given cost"
            );
            10
        };
        let auth = AuthStore {
            enabled: AtomicBool::new(false),
            revision: AtomicU64::new(1),
            tables: RwLock::default(),
            tokens,
            bcrypt_cost,
        };
        auth.reload(store)?;
        Ok(auth)
    }

    /// Re-reads everything from the backend (after a snapshot replaced it).
    pub fn reload(&self, store: &MvccStore) -> Result<(), String> {
        let read = |bucket: &str| store.bucket_entries(bucket).map_err(|e| e.to_string());
        let mut tables = Tables::default();
        for (name, value) in read(USERS_BUCKET)? {
            let user = User::decode(value.as_slice())
                .map_err(|e| format!("corrupt user record {:?}: {e}", bytes_text(&name)))?;
            tables.users.insert(bytes_text(&name), user);
        }
        for (name, value) in read(ROLES_BUCKET)? {
            let role = Role::decode(value.as_slice())
                .map_err(|e| format!("corrupt role record {:?}: {e}", bytes_text(&name)))?;
            tables.roles.insert(bytes_text(&name), role);
        }
        tables.refresh_perms();
        let mut enabled = false;
        // etcd starts a fresh store at revision 1.
        let mut revision = 1;
        for (key, value) in read(AUTH_BUCKET)? {
            if key == ENABLED_KEY {
                enabled = value == [1];
            } else if key == REVISION_KEY {
                let bytes: [u8; 8] = value.as_slice().try_into().map_err(|_| {
                    format!("corrupt auth revision record of {} bytes", value.len())
                })?;
                revision = u64::from_be_bytes(bytes).max(1);
            }
        }
        *self.tables.write().unwrap_or_else(PoisonError::into_inner) = tables;
        let old_revision = self.revision.swap(revision, Ordering::SeqCst);
        self.enabled.store(enabled, Ordering::SeqCst);
        // A snapshot may skip password changes, deletions or a disable that would each have
        // withdrawn tokens at apply: withdraw them all (clients log in again).
        if old_revision != revision || !enabled {
            self.tokens.invalidate_all();
        }
        Ok(())
    }

    fn tables(&self) -> RwLockReadGuard<'_, Tables> {
        self.tables.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::SeqCst)
    }

    pub fn revision(&self) -> u64 {
        self.revision.load(Ordering::SeqCst)
    }

    /// Changes whenever an answer of the checks may have: with the revision and on enable (which
    /// leaves the revision alone but binds anonymous callers).
    pub fn generation(&self) -> u64 {
        (self.revision() << 1) | u64::from(self.is_enabled())
    }

    pub fn bcrypt_cost(&self) -> u32 {
        self.bcrypt_cost
    }

    /// Who presented `credentials`: `None` with auth disabled or nothing presented. A token this
    /// member does not know (or no longer knows) is etcd's "invalid auth token"; a token wins over
    /// a certificate's CN.
    pub fn resolve(&self, credentials: &Credentials) -> Result<Option<AuthInfo>, AuthError> {
        if !self.is_enabled() {
            return Ok(None);
        }
        let revision = self.revision();
        if let Some(token) = &credentials.token {
            let token = token.strip_prefix("Bearer ").unwrap_or(token);
            return match self.tokens.info(token, revision) {
                Some((username, revision)) => Ok(Some(AuthInfo { username, revision })),
                None => Err(AuthError::InvalidAuthToken),
            };
        }
        Ok(credentials.common_name.as_ref().map(|cn| AuthInfo {
            username: cn.clone(),
            revision,
        }))
    }

    /// The stored bcrypt hash of a user who may log in, and the auth revision it was read at;
    /// the caller compares the password off the async runtime.
    pub fn password_hash(&self, name: &str) -> Result<(Vec<u8>, u64), AuthError> {
        if !self.is_enabled() {
            return Err(AuthError::AuthNotEnabled);
        }
        let tables = self.tables();
        let user = tables.users.get(name).ok_or(AuthError::AuthFailed)?;
        if user.options.as_ref().is_some_and(|o| o.no_password) {
            return Err(AuthError::NoPasswordUser);
        }
        Ok((user.password.clone(), self.revision()))
    }

    pub fn user_roles(&self, name: &str) -> Result<Vec<String>, AuthError> {
        let tables = self.tables();
        let user = tables.users.get(name).ok_or(AuthError::UserNotFound)?;
        Ok(user.roles.clone())
    }

    pub fn user_names(&self) -> Vec<String> {
        self.tables().users.keys().cloned().collect()
    }

    pub fn role_permissions(&self, name: &str) -> Result<Vec<Permission>, AuthError> {
        let tables = self.tables();
        let role = tables.roles.get(name).ok_or(AuthError::RoleNotFound)?;
        if name == ROOT {
            return Ok(vec![root_permission()]);
        }
        Ok(role.key_permission.clone())
    }

    pub fn role_names(&self) -> Vec<String> {
        self.tables().roles.keys().cloned().collect()
    }

    /// Whether `user` holds `role` (a user may read its own roles without the root role).
    pub fn has_role(&self, user: &str, role: &str) -> bool {
        self.tables()
            .users
            .get(user)
            .is_some_and(|u| u.roles.iter().any(|r| r == role))
    }
}

/// A name from the backend as text (etcd keeps names as bytes of UTF-8).
fn bytes_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use base64::Engine;
    use oxcd_proto::etcdserverpb::{
        AuthEnableRequest, AuthRoleAddRequest, AuthUserAddRequest, AuthUserChangePasswordRequest,
        AuthUserGrantRoleRequest,
    };
    use oxcd_proto::oxcdpb::InternalAuthenticateRequest;

    use super::*;

    fn apply(auth: &AuthStore, store: &MvccStore, index: u64, op: Op) -> AuthApplied {
        let mut batch = store.write_batch().expect("batch");
        let applied = match auth.apply(&mut batch, &op, index) {
            Some(Ok(applied)) => applied,
            _ => panic!("{op:?} was refused"),
        };
        batch.set_consistent_index(index, 1).expect("index");
        batch.commit(true).expect("commit");
        applied
    }

    fn hashed(password: &str) -> String {
        let hash = bcrypt::hash(password, 4).expect("hash");
        base64::engine::general_purpose::STANDARD.encode(hash)
    }

    /// A member that catches up by snapshot never applied the changes that would each have
    /// withdrawn tokens (a password change here): installing the snapshot withdraws them all.
    #[test]
    fn a_snapshot_that_moves_the_auth_revision_withdraws_simple_tokens() {
        let dir = tempfile::tempdir().expect("dir");
        let store = MvccStore::open(&dir.path().join("db")).expect("store");
        let tokens = || Tokens::from_flag("simple", Duration::from_secs(300)).expect("simple");
        let auth = AuthStore::load(&store, tokens(), 4).expect("load");
        let ops = [
            Op::UserAdd(AuthUserAddRequest {
                name: ROOT.into(),
                hashed_password: hashed("pw"),
                ..Default::default()
            }),
            Op::RoleAdd(AuthRoleAddRequest { name: ROOT.into() }),
            Op::UserGrantRole(AuthUserGrantRoleRequest {
                user: ROOT.into(),
                role: ROOT.into(),
            }),
            Op::AuthEnable(AuthEnableRequest {}),
        ];
        for (i, op) in ops.into_iter().enumerate() {
            apply(&auth, &store, i as u64 + 1, op);
        }
        let login = Op::Authenticate(InternalAuthenticateRequest {
            name: ROOT.into(),
            simple_token_prefix: "abcdefghijklmnop".into(),
            checked_revision: auth.revision(),
        });
        let AuthApplied::Token(token) = apply(&auth, &store, 5, login) else {
            panic!("no simple token");
        };
        let credentials = Credentials {
            token: Some(token),
            common_name: None,
        };
        assert!(matches!(auth.resolve(&credentials), Ok(Some(_))));
        // Another member's store, one password change ahead, replaces this one.
        let ahead = AuthStore::load(&store, tokens(), 4).expect("load");
        let change = Op::UserChangePassword(AuthUserChangePasswordRequest {
            name: ROOT.into(),
            hashed_password: hashed("new"),
            ..Default::default()
        });
        apply(&ahead, &store, 6, change);
        auth.reload(&store).expect("reload");
        assert_eq!(auth.revision(), ahead.revision());
        assert_eq!(auth.resolve(&credentials), Err(AuthError::InvalidAuthToken));
        // A reload that finds the same revision (a restart's replay) keeps them.
        let again = apply(
            &auth,
            &store,
            7,
            Op::Authenticate(InternalAuthenticateRequest {
                name: ROOT.into(),
                simple_token_prefix: "qrstuvwxyzabcdef".into(),
                checked_revision: auth.revision(),
            }),
        );
        let AuthApplied::Token(token) = again else {
            panic!("no simple token");
        };
        auth.reload(&store).expect("reload");
        let credentials = Credentials {
            token: Some(token),
            common_name: None,
        };
        assert!(matches!(auth.resolve(&credentials), Ok(Some(_))));
    }
}
