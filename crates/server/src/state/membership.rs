//! The cluster's members as every member agrees on them: IDs and peer URLs from bootstrap or
//! from conf changes, names and client URLs published by each member through raft (etcd's
//! "publish"). Changes are applied in log order by the applier and kept in the backend's
//! `members` bucket (removed IDs in `members_removed`) so a restart or a snapshot knows them.

use std::collections::BTreeMap;
use std::sync::RwLock;

use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::{MvccStore, WriteBatch};
use prost::Message;

use crate::identity;

pub(crate) const BUCKET: &str = "members";
pub(crate) const REMOVED_BUCKET: &str = "members_removed";

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
        let mut members = read_members(store)?;
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

    /// Starts from a list fetched from the cluster a member joins.
    pub fn from_list(list: Vec<MemberPb>) -> Membership {
        Membership {
            members: RwLock::new(list.into_iter().map(|m| (m.id, m)).collect()),
        }
    }

    /// Re-reads the members after the backend was replaced by a snapshot.
    pub fn reload(&self, store: &MvccStore) -> Result<(), String> {
        let members = read_members(store)?;
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

    /// Whether `id` is a learner; asked on every write and linearizable read, so without a copy
    /// of the member.
    pub fn is_learner(&self, id: u64) -> bool {
        self.members
            .read()
            .expect("members lock poisoned")
            .get(&id)
            .is_some_and(|m| m.is_learner)
    }

    /// Whether `id` is a member (voter or learner): the peer service takes messages only from members.
    pub fn contains(&self, id: u64) -> bool {
        self.members
            .read()
            .expect("members lock poisoned")
            .contains_key(&id)
    }

    pub fn ids(&self) -> Vec<u64> {
        self.members
            .read()
            .expect("members lock poisoned")
            .keys()
            .copied()
            .collect()
    }

    /// The member already using one of `urls` as a peer URL, if any.
    pub fn with_peer_url(&self, urls: &[String]) -> Option<MemberPb> {
        let members = self.members.read().expect("members lock poisoned");
        members
            .values()
            .find(|m| m.peer_ur_ls.iter().any(|u| urls.contains(u)))
            .cloned()
    }

    pub fn learner_count(&self) -> usize {
        self.members
            .read()
            .expect("members lock poisoned")
            .values()
            .filter(|m| m.is_learner)
            .count()
    }

    /// Applies a member's published name and client URLs. An unknown member (removed meanwhile)
    /// is ignored, as etcd ignores it.
    pub fn apply_attributes(
        &self,
        batch: &mut WriteBatch<'_>,
        attrs: &MemberPb,
    ) -> Result<bool, StorageError> {
        self.change(batch, attrs.id, |m| {
            m.name = attrs.name.clone();
            m.client_ur_ls = attrs.client_ur_ls.clone();
        })
    }

    pub fn apply_peer_urls(
        &self,
        batch: &mut WriteBatch<'_>,
        update: &MemberPb,
    ) -> Result<bool, StorageError> {
        self.change(batch, update.id, |m| {
            m.peer_ur_ls = update.peer_ur_ls.clone()
        })
    }

    pub fn apply_promote(&self, batch: &mut WriteBatch<'_>, id: u64) -> Result<bool, StorageError> {
        self.change(batch, id, |m| m.is_learner = false)
    }

    pub fn apply_add(
        &self,
        batch: &mut WriteBatch<'_>,
        member: &MemberPb,
    ) -> Result<(), StorageError> {
        self.members
            .write()
            .expect("members lock poisoned")
            .insert(member.id, member.clone());
        self.persist(batch)
    }

    pub fn apply_remove(&self, batch: &mut WriteBatch<'_>, id: u64) -> Result<bool, StorageError> {
        let removed = self
            .members
            .write()
            .expect("members lock poisoned")
            .remove(&id)
            .is_some();
        if removed {
            batch.bucket_delete(BUCKET, &id.to_be_bytes())?;
            batch.bucket_put(REMOVED_BUCKET, &id.to_be_bytes(), &[])?;
            self.persist(batch)?;
        }
        Ok(removed)
    }

    fn change(
        &self,
        batch: &mut WriteBatch<'_>,
        id: u64,
        f: impl FnOnce(&mut MemberPb),
    ) -> Result<bool, StorageError> {
        {
            let mut members = self.members.write().expect("members lock poisoned");
            let Some(m) = members.get_mut(&id) else {
                return Ok(false);
            };
            f(m);
        }
        self.persist(batch)?;
        Ok(true)
    }

    /// Writes every member: the bootstrap membership becomes durable with the first change (and
    /// a restored or imported one with the new backend).
    pub fn persist(&self, batch: &mut WriteBatch<'_>) -> Result<(), StorageError> {
        for (id, m) in self.members.read().expect("members lock poisoned").iter() {
            batch.bucket_put(BUCKET, &id.to_be_bytes(), &m.encode_to_vec())?;
        }
        Ok(())
    }
}

fn read_members(store: &MvccStore) -> Result<BTreeMap<u64, MemberPb>, String> {
    let mut members = BTreeMap::new();
    for (key, value) in store.bucket_entries(BUCKET).map_err(|e| e.to_string())? {
        let m = MemberPb::decode(value.as_slice())
            .map_err(|e| format!("corrupt member record {key:?}: {e}"))?;
        members.insert(m.id, m);
    }
    Ok(members)
}
