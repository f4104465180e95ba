//! Cluster alarms (etcd's NOSPACE and CORRUPT): raised and cleared through raft so every member
//! agrees, kept in the backend's `alarm` bucket. A CORRUPT alarm stops the cluster from taking
//! writes until an operator clears it.

use std::collections::BTreeSet;
use std::sync::RwLock;

use oxcd_proto::etcdserverpb::{alarm_request::AlarmAction, AlarmMember, AlarmRequest, AlarmType};
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::{MvccStore, WriteBatch};

pub(crate) const BUCKET: &str = "alarm";

#[derive(Default)]
pub struct Alarms {
    /// (member ID, alarm type)
    raised: RwLock<BTreeSet<(u64, i32)>>,
}

fn key(member: u64, alarm: i32) -> Vec<u8> {
    let mut k = member.to_be_bytes().to_vec();
    k.extend_from_slice(&alarm.to_be_bytes());
    k
}

impl Alarms {
    pub fn load(store: &MvccStore) -> Result<Alarms, String> {
        let alarms = Alarms::default();
        alarms.reload(store)?;
        Ok(alarms)
    }

    pub fn reload(&self, store: &MvccStore) -> Result<(), String> {
        let mut raised = BTreeSet::new();
        for (k, _) in store.bucket_entries(BUCKET).map_err(|e| e.to_string())? {
            if k.len() == 12 {
                let member = u64::from_be_bytes(k[..8].try_into().expect("8 bytes"));
                let alarm = i32::from_be_bytes(k[8..].try_into().expect("4 bytes"));
                raised.insert((member, alarm));
            }
        }
        *self.raised.write().expect("alarms lock poisoned") = raised;
        Ok(())
    }

    /// Every raised alarm, by member, as etcd lists them.
    pub fn list(&self) -> Vec<AlarmMember> {
        self.raised
            .read()
            .expect("alarms lock poisoned")
            .iter()
            .map(|(member, alarm)| AlarmMember {
                member_id: *member,
                alarm: *alarm,
            })
            .collect()
    }

    /// A NOSPACE alarm is raised (by any member): writes that grow the backend are refused.
    pub fn no_space(&self) -> bool {
        self.raised
            .read()
            .expect("alarms lock poisoned")
            .iter()
            .any(|(_, a)| *a == AlarmType::Nospace as i32)
    }

    pub fn corrupt(&self) -> bool {
        self.raised
            .read()
            .expect("alarms lock poisoned")
            .iter()
            .any(|(_, a)| *a == AlarmType::Corrupt as i32)
    }

    /// Applies an ACTIVATE or DEACTIVATE; returns the alarms it changed (etcd's response).
    pub fn apply(
        &self,
        batch: &mut WriteBatch<'_>,
        req: &AlarmRequest,
    ) -> Result<Vec<AlarmMember>, StorageError> {
        let entry = (req.member_id, req.alarm);
        let mut raised = self.raised.write().expect("alarms lock poisoned");
        let changed = match AlarmAction::try_from(req.action) {
            Ok(AlarmAction::Activate) if req.alarm != AlarmType::None as i32 => {
                batch.bucket_put(BUCKET, &key(req.member_id, req.alarm), &[])?;
                raised.insert(entry)
            }
            Ok(AlarmAction::Deactivate) => {
                batch.bucket_delete(BUCKET, &key(req.member_id, req.alarm))?;
                raised.remove(&entry)
            }
            _ => false,
        };
        Ok(if changed {
            vec![AlarmMember {
                member_id: req.member_id,
                alarm: req.alarm,
            }]
        } else {
            vec![]
        })
    }
}
