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
        let tables = self.tables();
        let user = tables
            .users
            .get(&who.username)
            .ok_or(AuthError::PermissionDenied)?;
        if has_root_role(user) {
            return Ok(());
        }
        let perms = tables
            .perms
            .get(&who.username)
            .ok_or(AuthError::PermissionDenied)?;
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

    /// Revoking a lease, or attaching a key to it, deletes its keys in the end: write access to
    /// every key it holds (`keys` lists them; `None` for a lease that does not exist).
    pub fn check_lease_keys(
        &self,
        who: Option<&AuthInfo>,
        keys: Option<Vec<Vec<u8>>>,
    ) -> Result<(), AuthError> {
        let Some(keys) = keys else { return Ok(()) };
        if self.check_admin(who).is_ok() {
            return Ok(());
        }
        keys.iter()
            .try_for_each(|key| self.check_write(who, key, &[]))
    }

    /// A client's own question about leases (etcd's checkLeaseRenew, checkLeaseTimeToLive,
    /// checkLeaseLeases): a user, and read (`write` for keep-alives) access to every key they
    /// hold, unless it has the root role.
    pub fn check_lease_access(
        &self,
        who: Option<&AuthInfo>,
        keys: &[Vec<u8>],
        write: bool,
    ) -> Result<(), AuthError> {
        if !self.is_enabled() {
            return Ok(());
        }
        who.ok_or(AuthError::UserEmpty)?;
        if self.check_admin(who).is_ok() {
            return Ok(());
        }
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
            Op::LeaseRevoke(revoke) => self.check_lease_keys(who, lease_keys(revoke.id)),
            Op::Compaction(_)
            | Op::Alarm(_)
            | Op::MemberUpdate(_)
            | Op::AuthEnable(_)
            | Op::AuthDisable(_)
            | Op::UserAdd(_)
            | Op::UserDelete(_)
            | Op::UserChangePassword(_)
            | Op::UserGrantRole(_)
            | Op::UserRevokeRole(_)
            | Op::RoleAdd(_)
            | Op::RoleDelete(_)
            | Op::RoleGrantPermission(_)
            | Op::RoleRevokePermission(_) => self.check_admin(who),
            // A login's password was checked before it was proposed; granting a lease touches
            // no key; the rest are the members' own bookkeeping.
            Op::Authenticate(_)
            | Op::LeaseGrant(_)
            | Op::LeaseCheckpoint(_)
            | Op::MemberAttributes(_) => Ok(()),
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
            // Attaching a key to a lease whose keys the user could not delete would let it
            // revoke them.
            self.check_lease_keys(who, lease_keys(put.lease))?;
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
