//! One user's key permissions merged into sorted, disjoint intervals, one list for reading and
//! one for writing (etcd's `range_perm_cache.go`), so a check is a binary search.
//!
//! A permission with no `range_end` is the single key `[key, key+"\0")`; `range_end` `"\0"` means
//! every key from `key` on; anything else is `[key, range_end)`.

use oxcd_proto::authpb::{permission::Type, Permission};

/// The end of an interval: a key (exclusive), or past every key.
type End = Option<Vec<u8>>;

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Intervals(Vec<(Vec<u8>, End)>);

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct UserPerms {
    pub read: Intervals,
    pub write: Intervals,
}

impl UserPerms {
    /// The union of `permissions` (all the user's roles' together).
    pub fn merge<'a>(permissions: impl Iterator<Item = &'a Permission>) -> UserPerms {
        let (mut read, mut write) = (Vec::new(), Vec::new());
        for perm in permissions {
            let interval = interval_of(&perm.key, &perm.range_end);
            match Type::try_from(perm.perm_type) {
                Ok(Type::Read) => read.push(interval),
                Ok(Type::Write) => write.push(interval),
                Ok(Type::Readwrite) => {
                    read.push(interval.clone());
                    write.push(interval);
                }
                Err(_) => {}
            }
        }
        UserPerms {
            read: Intervals::merged(read),
            write: Intervals::merged(write),
        }
    }
}

fn interval_of(key: &[u8], range_end: &[u8]) -> (Vec<u8>, End) {
    let end = match range_end {
        [] => {
            let mut next = key.to_vec();
            next.push(0);
            Some(next)
        }
        [0] => None,
        end => Some(end.to_vec()),
    };
    (key.to_vec(), end)
}

/// `a < b` where `None` is past every key.
fn end_before(a: &End, b: &End) -> bool {
    match (a, b) {
        (_, None) => a.is_some(),
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a < b,
    }
}

impl Intervals {
    fn merged(mut intervals: Vec<(Vec<u8>, End)>) -> Intervals {
        intervals.sort();
        let mut merged: Vec<(Vec<u8>, End)> = Vec::with_capacity(intervals.len());
        for (start, end) in intervals {
            if let Some((_, last_end)) = merged.last_mut() {
                // Adjacent intervals join: [a, b) and [b, c) cover [a, c).
                let touches = match last_end {
                    None => true,
                    Some(last) => start <= *last,
                };
                if touches {
                    if end_before(last_end, &end) {
                        *last_end = end;
                    }
                    continue;
                }
            }
            merged.push((start, end));
        }
        Intervals(merged)
    }

    /// The interval holding `key`, if any.
    fn around(&self, key: &[u8]) -> Option<&(Vec<u8>, End)> {
        let after = self.0.partition_point(|(start, _)| start.as_slice() <= key);
        let candidate = self.0.get(after.checked_sub(1)?)?;
        match &candidate.1 {
            Some(end) if key >= end.as_slice() => None,
            _ => Some(candidate),
        }
    }

    /// Whether a request on `key` (alone when `range_end` is empty, to the end of the keyspace
    /// when it is `"\0"`, else up to `range_end`) stays inside these intervals.
    pub fn allow(&self, key: &[u8], range_end: &[u8]) -> bool {
        let Some((_, end)) = self.around(key) else {
            return false;
        };
        match range_end {
            [] => true,
            [0] => end.is_none(),
            wanted if wanted <= key => false,
            wanted => !end_before(end, &Some(wanted.to_vec())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perm(t: Type, key: &str, end: &[u8]) -> Permission {
        Permission {
            perm_type: t as i32,
            key: key.as_bytes().to_vec(),
            range_end: end.to_vec(),
        }
    }

    #[test]
    fn single_keys_ranges_and_open_ends_as_etcd_reads_them() {
        let perms = [
            perm(Type::Read, "/app/", b"/app0"),
            perm(Type::Readwrite, "/data/a", b"/data/m"),
            perm(Type::Write, "/logs", b""),
            perm(Type::Read, "/z", b"\0"),
        ];
        let p = UserPerms::merge(perms.iter());
        assert!(p.read.allow(b"/app/config", b""));
        assert!(p.read.allow(b"/app/", b"/app0"));
        assert!(!p.read.allow(b"/app/", b"/app1"));
        assert!(!p.write.allow(b"/app/config", b""));
        assert!(p.write.allow(b"/data/b", b""));
        assert!(!p.write.allow(b"/data/z", b""));
        assert!(p.read.allow(b"/data/a", b"/data/m"));
        assert!(!p.read.allow(b"/data/a", b"/data/n"));
        assert!(p.write.allow(b"/logs", b""));
        assert!(!p.write.allow(b"/logs/x", b""));
        assert!(!p.write.allow(b"/logs", b"/logs\0\0"));
        assert!(p.write.allow(b"/logs", b"/logs\0"));
        assert!(p.read.allow(b"/zz", b"\0"));
        assert!(p.read.allow(b"/zz", b"\xff\xff"));
        assert!(!p.read.allow(b"/y", b"\0"));
        // An empty or inverted range is refused, as etcd's interval tree finds nothing in it.
        assert!(!p.read.allow(b"/app/b", b"/app/a"));
    }

    #[test]
    fn adjacent_and_overlapping_grants_join_but_gaps_do_not() {
        let perms = [
            perm(Type::Read, "a", b"c"),
            perm(Type::Read, "c", b"e"),
            perm(Type::Read, "d", b"f"),
            perm(Type::Read, "g", b"h"),
        ];
        let p = UserPerms::merge(perms.iter());
        assert!(p.read.allow(b"a", b"f"));
        assert!(!p.read.allow(b"a", b"g"));
        assert!(!p.read.allow(b"f", b""));
        assert!(p.read.allow(b"g", b""));
        assert_eq!(p.read.0.len(), 2);
    }
}
