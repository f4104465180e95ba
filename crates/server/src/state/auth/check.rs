//! Whether a user may do what a request asks, by etcd's rules (`auth/store.go` isOpPermitted and
//! IsAdminPermitted, `apply/auth.go`): read or write on every key or range it touches, the root
//! role for administration, write on every key of a lease it would revoke or attach to.

use oxcd_proto::etcdserverpb::{request_op::Request, PutRequest, TxnRequest};
use oxcd_proto::oxcdpb::internal_request::Op;

use super::{has_root_role, AuthInfo, AuthStore};
use crate::error::AuthError;

impl AuthStore {
    /// Read access to `key` (alone when `range_end` is empty, to the end when it is `"\0"`).
    pub fn check_read(
        &self,
        who: Option<&AuthInfo>,
        key: &[u8],
        range_end: &[u8],
    ) -> Result<(), AuthError> {
        self.check_key(who, key, range_end, false)
    }

    pub fn check_write(
        &self,
        who: Option<&AuthInfo>,
        key: &[u8],
        range_end: &[u8],
    ) -> Result<(), AuthError> {
        self.check_key(who, key, range_end, true)
    }

    fn check_key(
        &self,
        who: Option<&AuthInfo>,
        key: &[u8],
        range_end: &[u8],
        write: bool,
    ) -> Result<(), AuthError> {
        if !self.is_enabled() {
            return Ok(());
        }
        let who = who
            .filter(|w| w.revision != 0)
            .ok_or(AuthError::UserEmpty)?;
        if who.revision < self.revision() {
            return Err(AuthError::AuthOldRevision);
        }
        self.user_may(&who.username, key, range_end, write)
    }

    /// Read access for `user` as the store stands now, whatever revision its credentials were
    /// checked at: the later checks of a watch or an election observer, which keep serving
    /// through unrelated auth changes but stop once the user may no longer read.
    pub fn check_read_now(
        &self,
        user: Option<&str>,
        key: &[u8],
        range_end: &[u8],
    ) -> Result<(), AuthError> {
        if !self.is_enabled() {
            return Ok(());
        }
        self.user_may(user.ok_or(AuthError::UserEmpty)?, key, range_end, false)
    }

    fn user_may(
        &self,
        user: &str,
        key: &[u8],
        range_end: &[u8],
        write: bool,
    ) -> Result<(), AuthError> {
        let tables = self.tables();
        let record = tables.users.get(user).ok_or(AuthError::PermissionDenied)?;
        if has_root_role(record) {
            return Ok(());
        }
        let perms = tables.perms.get(user).ok_or(AuthError::PermissionDenied)?;
        let intervals = if write { &perms.write } else { &perms.read };
        match intervals.allow(key, range_end) {
            true => Ok(()),
            false => Err(AuthError::PermissionDenied),
        }
    }

    /// The root role, for administration (auth management, compaction, maintenance, members).
    pub fn check_admin(&self, who: Option<&AuthInfo>) -> Result<(), AuthError> {
        if !self.is_enabled() {
            return Ok(());
        }
        let who = who
            .filter(|w| !w.username.is_empty())
            .ok_or(AuthError::UserEmpty)?;
        let tables = self.tables();
        let user = tables
            .users
            .get(&who.username)
            .ok_or(AuthError::UserNotFound)?;
        match has_root_role(user) {
            true => Ok(()),
            false => Err(AuthError::PermissionDenied),
        }
    }

    /// Access to every key a lease holds (`keys` lists them, `None` for a lease that does not
    /// exist, and is asked only when needed): write to revoke it, attach a key to it (which
    /// would let the user revoke the others) or keep it alive; read to see its keys. The root
    /// role may always.
    pub fn check_lease_keys(
        &self,
        who: Option<&AuthInfo>,
        keys: impl FnOnce() -> Option<Vec<Vec<u8>>>,
        write: bool,
    ) -> Result<(), AuthError> {
        if !self.is_enabled() || self.check_admin(who).is_ok() {
            return Ok(());
        }
        let Some(keys) = keys() else { return Ok(()) };
        keys.iter()
            .try_for_each(|key| self.check_key(who, key, &[], write))
    }

    /// At apply: whether `who` may have the replicated request `op` executed. `lease_keys` lists
    /// a lease's keys as of this log position.
    pub fn check_request(
        &self,
        who: Option<&AuthInfo>,
        op: &Op,
        lease_keys: &dyn Fn(i64) -> Option<Vec<Vec<u8>>>,
    ) -> Result<(), AuthError> {
        if !self.is_enabled() {
            return Ok(());
        }
        match op {
            Op::Put(put) => self.check_put(who, put, lease_keys),
            Op::DeleteRange(del) => {
                self.check_write(who, &del.key, &del.range_end)?;
                if del.prev_kv {
                    self.check_read(who, &del.key, &del.range_end)?;
                }
                Ok(())
            }
            Op::Txn(txn) => self.check_txn(who, txn, lease_keys),
            Op::LeaseRevoke(revoke) => self.check_lease_keys(who, || lease_keys(revoke.id), true),
            Op::Compaction(_) | Op::Alarm(_) => self.check_admin(who),
            // A login's password was checked before it was proposed; granting a lease touches
            // no key; the rest are the members' own bookkeeping.
            Op::Authenticate(_)
            | Op::LeaseGrant(_)
            | Op::LeaseCheckpoint(_)
            | Op::MemberAttributes(_)
            | Op::MemberUpdate(_) => Ok(()),
            // The Auth service's writes, and anything added later until it says otherwise:
            // the root role.
            _ => self.check_admin(who),
        }
    }

    fn check_put(
        &self,
        who: Option<&AuthInfo>,
        put: &PutRequest,
        lease_keys: &dyn Fn(i64) -> Option<Vec<Vec<u8>>>,
    ) -> Result<(), AuthError> {
        self.check_write(who, &put.key, &[])?;
        if put.lease != 0 {
            self.check_lease_keys(who, || lease_keys(put.lease), true)?;
        }
        if put.prev_kv {
            self.check_read(who, &put.key, &[])?;
        }
        Ok(())
    }

    fn check_txn(
        &self,
        who: Option<&AuthInfo>,
        txn: &TxnRequest,
        lease_keys: &dyn Fn(i64) -> Option<Vec<Vec<u8>>>,
    ) -> Result<(), AuthError> {
        for compare in &txn.compare {
            self.check_read(who, &compare.key, &compare.range_end)?;
        }
        for op in txn.success.iter().chain(&txn.failure) {
            match &op.request {
                Some(Request::RequestRange(range)) => {
                    self.check_read(who, &range.key, &range.range_end)?
                }
                Some(Request::RequestPut(put)) => self.check_put(who, put, lease_keys)?,
                Some(Request::RequestDeleteRange(del)) => {
                    if del.prev_kv {
                        self.check_read(who, &del.key, &del.range_end)?;
                    }
                    self.check_write(who, &del.key, &del.range_end)?;
                }
                Some(Request::RequestTxn(inner)) => self.check_txn(who, inner, lease_keys)?,
                None => {}
            }
        }
        Ok(())
    }
}
