//! The checks after a run, when every member is up and has applied the whole log.

use oxcd_proto::etcdserverpb::RangeRequest;
use oxcd_proto::mvccpb::{event::EventType, Event};
use oxcd_storage::mvcc::MvccStore;

use super::clients::Clients;
use super::member::{Recorded, SimMember};

/// `in_cluster`: the members of the final configuration, all up.
pub(super) fn all(
    members: &[SimMember],
    in_cluster: &[usize],
    clients: &Clients,
) -> Result<(), String> {
    if let Err(v) = oxcd_lincheck::check(&clients.history) {
        if std::env::var("OXCD_SIM_DEBUG").is_ok() {
            let mut ops: Vec<_> = clients.history.iter().filter(|o| o.key == v.key).collect();
            ops.sort_by_key(|o| o.invoked);
            for o in ops {
                eprintln!("  {o}");
            }
        }
        return Err(format!("the clients' history is not linearizable: {v}"));
    }
    let mut stores = Vec::new();
    for &i in in_cluster {
        let running = members[i]
            .running
            .as_ref()
            .ok_or(format!("member {i} is down"))?;
        stores.push(&running.store);
    }
    if stores.len() < 3 {
        return Err(format!(
            "only members {in_cluster:?} are in the cluster at the end"
        ));
    }
    acknowledged_writes_kept(&stores, clients)?;
    same_hash_at_same_revision(&stores)?;
    for (i, m) in members.iter().enumerate() {
        let current = m
            .running
            .as_ref()
            .map(|r| r.events.take())
            .unwrap_or_default();
        for (life, recorded) in m.watched.iter().chain([&current]).enumerate() {
            watch_saw_the_history(stores[0], recorded)
                .map_err(|e| format!("member {i}, life {life}: {e}"))?;
        }
    }
    Ok(())
}

fn acknowledged_writes_kept(
    stores: &[&std::sync::Arc<MvccStore>],
    clients: &Clients,
) -> Result<(), String> {
    for (i, store) in stores.iter().enumerate() {
        let compacted = store.compact_revision();
        for write in &clients.acknowledged {
            if write.revision <= compacted {
                // Its revision is gone; the key must still have been written at or after it.
                let latest = at_revision(store, write.key.as_bytes(), 0)?;
                if latest.is_none_or(|(_, rev)| rev < write.revision) {
                    return Err(format!(
                        "member {i} lost the acknowledged write {}={} at revision {} (compacted at {compacted})",
                        write.key, write.value, write.revision
                    ));
                }
                continue;
            }
            let found = at_revision(store, write.key.as_bytes(), write.revision)?;
            let kept = found.as_ref().is_some_and(|(value, rev)| {
                value == write.value.as_bytes() && *rev == write.revision
            });
            if !kept {
                return Err(format!(
                    "member {i} lost the acknowledged write {}={} at revision {}: it has {:?}",
                    write.key,
                    write.value,
                    write.revision,
                    found.map(|(v, r)| (String::from_utf8_lossy(&v).into_owned(), r))
                ));
            }
        }
    }
    Ok(())
}

fn same_hash_at_same_revision(stores: &[&std::sync::Arc<MvccStore>]) -> Result<(), String> {
    let hashes: Vec<(i64, u32)> = stores
        .iter()
        .map(|s| {
            s.hash_kv(0)
                .map(|(hash, _, revision)| (revision, hash))
                .map_err(|e| format!("HashKV: {e}"))
        })
        .collect::<Result<_, _>>()?;
    if hashes.windows(2).any(|w| w[0] != w[1]) {
        return Err(format!(
            "members differ after catching up: (revision, HashKV) {hashes:?}"
        ));
    }
    Ok(())
}

/// One watcher's events: from each point it started (or a snapshot replaced its store), every
/// revision once, in order, each as the store's history has it. A revision holds one event, or
/// several when a lease's revocation deleted its keys: those come together.
fn watch_saw_the_history(store: &MvccStore, recorded: &[Recorded]) -> Result<(), String> {
    let mut last = None;
    for r in recorded {
        match r {
            Recorded::From(revision) => last = Some((*revision, false)),
            Recorded::Events(events) => {
                for (i, event) in events.iter().enumerate() {
                    let revision = revision_of(event);
                    if let Some((previous, seen)) = last {
                        let same_revision_together = seen && i > 0 && revision == previous;
                        if revision != previous + 1 && !same_revision_together {
                            return Err(format!(
                                "watch went from revision {previous} to {revision}"
                            ));
                        }
                    }
                    last = Some((revision, true));
                    matches_history(store, event)?;
                }
            }
        }
    }
    Ok(())
}

fn revision_of(event: &Event) -> i64 {
    event.kv.as_ref().map_or(0, |kv| kv.mod_revision)
}

fn matches_history(store: &MvccStore, event: &Event) -> Result<(), String> {
    let kv = event.kv.clone().unwrap_or_default();
    if kv.mod_revision <= store.compact_revision() {
        return Ok(()); // compacted: the history no longer says
    }
    let found = at_revision(store, &kv.key, kv.mod_revision)?;
    let expected = match EventType::try_from(event.r#type) {
        Ok(EventType::Put) => Some((kv.value.to_vec(), kv.mod_revision)),
        _ => None,
    };
    let matches = match (&found, &expected) {
        (Some((value, rev)), Some((v, r))) => value == v && rev == r,
        (found, None) => found
            .as_ref()
            .is_none_or(|(_, rev)| *rev != kv.mod_revision),
        _ => false,
    };
    if !matches {
        return Err(format!(
            "watch event {:?} at revision {} differs from the store's history ({:?})",
            String::from_utf8_lossy(&kv.key),
            kv.mod_revision,
            found.map(|(v, r)| (String::from_utf8_lossy(&v).into_owned(), r))
        ));
    }
    Ok(())
}

/// The key's value and mod revision as of `revision`.
fn at_revision(
    store: &MvccStore,
    key: &[u8],
    revision: i64,
) -> Result<Option<(Vec<u8>, i64)>, String> {
    let range = RangeRequest {
        key: key.to_vec(),
        revision,
        ..Default::default()
    };
    let response = store.range(&range).map_err(|e| {
        format!(
            "reading {:?} at {revision}: {e}",
            String::from_utf8_lossy(key)
        )
    })?;
    Ok(response
        .kvs
        .first()
        .map(|kv| (kv.value.to_vec(), kv.mod_revision)))
}
