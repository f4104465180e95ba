//! The cluster's members as every member agrees on them: IDs and peer URLs from bootstrap, names
//! and client URLs published by each member through raft (etcd's "publish"), kept in the
//! backend's `members` bucket so a restart knows them.

use std::collections::BTreeMap;
use std::sync::RwLock;

use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::{MvccStore, WriteBatch};
use prost::Message;

use crate::identity;

const BUCKET: &str = "members";

pub struct Membership {
    members: RwLock<BTreeMap<u64, MemberPb>>,
}

impl Membership {
    /// The members the backend records, or, on a fresh data dir, those of `--initial-cluster`
    /// (not yet started: no name or client URLs until they publish).
    pub fn load(
        store: &MvccStore,
        initial: &[(String, Vec<String>)],
        token: &str,
    ) -> Result<Membership, String> {
        let mut members = BTreeMap::new();
        for (key, value) in store.bucket_entries(BUCKET).map_err(|e| e.to_string())? {
            let m = MemberPb::decode(value.as_slice())
                .map_err(|e| format!("corrupt member record {key:?}: {e}"))?;
            members.insert(m.id, m);
        }
        if members.is_empty() {
            for (_, urls) in initial {
                let id = identity::member_id(urls, token);
                members.insert(
                    id,
                    MemberPb {
                        id,
                        peer_ur_ls: urls.clone(),
                        ..Default::default()
                    },
                );
            }
        }
        Ok(Membership {
            members: RwLock::new(members),
        })
    }

    /// Re-reads the members after the backend was replaced by a snapshot (which always holds
    /// them: a snapshot is taken after the first publish).
    pub fn reload(&self, store: &MvccStore) -> Result<(), String> {
        let mut members = BTreeMap::new();
        for (key, value) in store.bucket_entries(BUCKET).map_err(|e| e.to_string())? {
            let m = MemberPb::decode(value.as_slice())
                .map_err(|e| format!("corrupt member record {key:?}: {e}"))?;
            members.insert(m.id, m);
        }
        if !members.is_empty() {
            *self.members.write().expect("members lock poisoned") = members;
        }
        Ok(())
    }

    /// Members in ID order, as etcd lists them.
    pub fn list(&self) -> Vec<MemberPb> {
        self.members
            .read()
            .expect("members lock poisoned")
            .values()
            .cloned()
            .collect()
    }

    pub fn get(&self, id: u64) -> Option<MemberPb> {
        self.members
            .read()
            .expect("members lock poisoned")
            .get(&id)
            .cloned()
    }

    pub fn ids(&self) -> Vec<u64> {
        self.members
            .read()
            .expect("members lock poisoned")
            .keys()
            .copied()
            .collect()
    }

    /// Applies a member's published name and client URLs; records every member in the backend so
    /// the bootstrap membership is durable from the first publish on. An unknown member (removed
    /// meanwhile) is ignored, as etcd ignores it.
    pub fn apply_attributes(
        &self,
        batch: &mut WriteBatch<'_>,
        attrs: &MemberPb,
    ) -> Result<bool, StorageError> {
        let mut members = self.members.write().expect("members lock poisoned");
        let Some(m) = members.get_mut(&attrs.id) else {
            return Ok(false);
        };
        m.name = attrs.name.clone();
        m.client_ur_ls = attrs.client_ur_ls.clone();
        for (id, m) in members.iter() {
            batch.bucket_put(BUCKET, &id.to_be_bytes(), &m.encode_to_vec())?;
        }
        Ok(true)
    }
}
