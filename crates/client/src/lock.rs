//! Calls on the Lock service (etcd's `v3lock`).

use oxcd_proto::v3lockpb::{lock_client::LockClient, LockRequest, LockResponse, UnlockRequest};

use crate::client::Within;
use crate::{CallError, Client};

impl Client {
    /// `Lock` on `name`, held for as long as lease `lease` lives; untimed: it waits until the
    /// lock is acquired.
    pub async fn lock(&mut self, name: Vec<u8>, lease: i64) -> Result<LockResponse, CallError> {
        self.call(
            Within::Unbounded,
            LockRequest { name, lease },
            |ch, req| async move { LockClient::new(ch).lock(req).await },
        )
        .await
    }

    /// `Unlock` of the lock held under `key` (the key [`Client::lock`] returned); untimed.
    pub async fn unlock(&mut self, key: Vec<u8>) -> Result<(), CallError> {
        self.call(
            Within::Unbounded,
            UnlockRequest { key },
            |ch, req| async move { LockClient::new(ch).unlock(req).await },
        )
        .await
        .map(|_| ())
    }
}
