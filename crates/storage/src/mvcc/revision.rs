//! Revisions and their encoding as `key` table keys.

/// A point in the store's history: `main` is the cluster-wide revision a write request
/// produced; `sub` numbers the individual writes of that request (a txn's puts and deletes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Revision {
    /// The revision of the request that made this change.
    pub main: i64,
    /// The index of this change within its request, from 0.
    pub sub: i64,
}

/// Length of a revision key without the tombstone marker.
pub(crate) const REVISION_KEY_LEN: usize = 17;
/// Byte that marks a tombstone's revision key.
const TOMBSTONE_MARK: u8 = b't';

/// A `key` table key: a revision, plus the tombstone marker for deletions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RevisionKey {
    bytes: [u8; REVISION_KEY_LEN + 1],
    len: usize,
}

impl RevisionKey {
    /// The key of `rev`; with the trailing `t` if it records a deletion.
    pub(crate) fn new(rev: Revision, tombstone: bool) -> RevisionKey {
        let mut bytes = [0u8; REVISION_KEY_LEN + 1];
        bytes[..8].copy_from_slice(&rev.main.to_be_bytes());
        bytes[8] = b'_';
        bytes[9..17].copy_from_slice(&rev.sub.to_be_bytes());
        let len = if tombstone {
            bytes[REVISION_KEY_LEN] = TOMBSTONE_MARK;
            REVISION_KEY_LEN + 1
        } else {
            REVISION_KEY_LEN
        };
        RevisionKey { bytes, len }
    }

    /// The smallest key of main revision `main`: ranges over the table start or end here.
    pub(crate) fn first_of(main: i64) -> RevisionKey {
        RevisionKey::new(Revision { main, sub: 0 }, false)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Decodes a table key into its revision and tombstone flag; `None` if malformed.
    pub(crate) fn decode(bytes: &[u8]) -> Option<(Revision, bool)> {
        let tombstone = match bytes.len() {
            REVISION_KEY_LEN => false,
            n if n == REVISION_KEY_LEN + 1 && bytes[REVISION_KEY_LEN] == TOMBSTONE_MARK => true,
            _ => return None,
        };
        if bytes[8] != b'_' {
            return None;
        }
        let main = i64::from_be_bytes(bytes[..8].try_into().ok()?);
        let sub = i64::from_be_bytes(bytes[9..17].try_into().ok()?);
        Some((Revision { main, sub }, tombstone))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_keys_round_trip_and_sort_in_revision_order() {
        let a = RevisionKey::new(Revision { main: 2, sub: 0 }, false);
        let b = RevisionKey::new(Revision { main: 2, sub: 1 }, true);
        let c = RevisionKey::new(Revision { main: 256, sub: 0 }, false);
        assert!(a.as_bytes() < b.as_bytes() && b.as_bytes() < c.as_bytes());
        assert_eq!(
            RevisionKey::decode(b.as_bytes()),
            Some((Revision { main: 2, sub: 1 }, true))
        );
        assert_eq!(a.as_bytes().len(), 17);
        assert_eq!(RevisionKey::decode(b"short"), None);
    }
}
