//! `ls [PREFIX] [-r]` (oxctl only): the children of a prefix in the '/'-separated key hierarchy,
//! found with keys-only ranges that jump over each child's subtree, so a child with a million
//! keys below it costs one request, not a million keys.

use std::collections::BTreeSet;
use std::io::Write;

use oxcd_proto::etcdserverpb::RangeRequest;

use super::kv::prefix_end;
use super::Ctx;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};

/// Keys fetched per request.
pub const PAGE_SIZE: i64 = 500;

/// The state of a one-level listing, fed pages of keys in order. Pure, so the paging and
/// skipping logic is tested without a server.
#[derive(Debug)]
pub struct LevelLister {
    /// Children are the keys below `base` cut at the next '/'.
    base: Vec<u8>,
    /// With an empty prefix the first segment keeps its leading '/' (`/registry`, not ``).
    top_level: bool,
    children: BTreeSet<Vec<u8>>,
    /// Keys below this are in a subtree already listed.
    skip_until: Vec<u8>,
}

impl LevelLister {
    pub fn new(prefix: &[u8]) -> Self {
        let mut base = prefix.to_vec();
        if !base.is_empty() && base.last() != Some(&b'/') {
            base.push(b'/');
        }
        LevelLister {
            top_level: base.is_empty(),
            base,
            children: BTreeSet::new(),
            skip_until: Vec::new(),
        }
    }

    /// The first key of the listing.
    pub fn start(&self) -> Vec<u8> {
        if self.base.is_empty() {
            vec![0]
        } else {
            self.base.clone()
        }
    }

    /// The end of the listing's range (exclusive).
    pub fn end(&self) -> Vec<u8> {
        if self.base.is_empty() {
            vec![0]
        } else {
            prefix_end(&self.base)
        }
    }

    /// Takes one page of keys (ascending, all in range); returns where the next page starts.
    pub fn feed(&mut self, keys: &[Vec<u8>]) -> Vec<u8> {
        for key in keys {
            if key.as_slice() < self.skip_until.as_slice() {
                continue;
            }
            let rest = &key[self.base.len()..];
            let search_from = usize::from(self.top_level && rest.first() == Some(&b'/'));
            match rest[search_from..].iter().position(|&b| b == b'/') {
                Some(slash) => {
                    // A subtree: every key starting with `child/` sorts before `child0`.
                    let child = key[..self.base.len() + search_from + slash].to_vec();
                    let mut after = child.clone();
                    after.push(b'0');
                    self.children.insert(child);
                    self.skip_until = after;
                }
                None => {
                    self.children.insert(key.clone());
                    let mut after = key.clone();
                    after.push(0);
                    self.skip_until = after;
                }
            }
        }
        self.skip_until.clone()
    }

    pub fn children(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.children.iter()
    }
}

pub async fn ls(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() > 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "ls command accepts at most one argument as prefix",
        ));
    }
    let prefix = ctx.inv.args.first().cloned().unwrap_or_default();
    let recursive = ctx.inv.flags.bool("recursive");
    let (mut client, _) = ctx.client()?;
    let mut lister = LevelLister::new(&prefix);
    // `-r` lists every key below the same base the one-level listing uses.
    let (mut start, end) = (lister.start(), lister.end());
    let mut revision = 0;
    let mut out = std::io::stdout().lock();
    loop {
        let request = RangeRequest {
            key: start.clone(),
            range_end: end.clone(),
            limit: PAGE_SIZE,
            revision,
            keys_only: true,
            ..Default::default()
        };
        let response = client.range(request).await?;
        // Later pages read the revision of the first, so the listing is one consistent snapshot.
        if revision == 0 {
            revision = response.header.as_ref().map_or(0, |h| h.revision);
        }
        let keys: Vec<Vec<u8>> = response.kvs.into_iter().map(|kv| kv.key.to_vec()).collect();
        let Some(last) = keys.last() else { break };
        if recursive {
            for key in &keys {
                write_line(&mut out, key)?;
            }
            start = last.clone();
            start.push(0);
        } else {
            start = lister.feed(&keys);
        }
        if !response.more || (end != [0] && start >= end) {
            break;
        }
    }
    for child in lister.children() {
        write_line(&mut out, child)?;
    }
    Ok(())
}

fn write_line(out: &mut impl Write, key: &[u8]) -> CtlResult<()> {
    out.write_all(key)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| CtlError::new(EXIT_ERROR, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Lists one level of `keys` the way the command does, against an in-memory store; returns
    /// the children and how many requests it took.
    fn list(keys: &[&str], prefix: &str, page: usize) -> (Vec<String>, usize) {
        let store: BTreeMap<Vec<u8>, ()> =
            keys.iter().map(|k| (k.as_bytes().to_vec(), ())).collect();
        let mut lister = LevelLister::new(prefix.as_bytes());
        let (mut start, end) = (lister.start(), lister.end());
        let mut requests = 0;
        loop {
            requests += 1;
            let in_range: Vec<Vec<u8>> = store
                .range(start.clone()..)
                .map(|(k, _)| k.clone())
                .filter(|k| end == [0] || *k < end)
                .collect();
            let more = in_range.len() > page;
            let page_keys: Vec<Vec<u8>> = in_range.into_iter().take(page).collect();
            if page_keys.is_empty() {
                break;
            }
            start = lister.feed(&page_keys);
            if !more || (end != [0] && start >= end) {
                break;
            }
        }
        let children = lister
            .children()
            .map(|c| String::from_utf8(c.clone()).unwrap())
            .collect();
        (children, requests)
    }

    #[test]
    fn one_level_below_a_prefix() {
        let keys = [
            "/registry/pods/default/a",
            "/registry/pods/default/b",
            "/registry/pods/kube-system/c",
            "/registry/services/specs/default/kubernetes",
            "/registry/ranges/serviceips",
            "/other/x",
        ];
        let (children, _) = list(&keys, "/registry", 2);
        assert_eq!(
            children,
            vec!["/registry/pods", "/registry/ranges", "/registry/services"]
        );
        let (children, _) = list(&keys, "/registry/", 2);
        assert_eq!(
            children,
            vec!["/registry/pods", "/registry/ranges", "/registry/services"]
        );
        let (children, _) = list(&keys, "/registry/pods", 1);
        assert_eq!(
            children,
            vec!["/registry/pods/default", "/registry/pods/kube-system"]
        );
        let (children, _) = list(&keys, "", 1);
        assert_eq!(children, vec!["/other", "/registry"]);
    }

    #[test]
    fn leaves_and_look_alike_siblings() {
        let keys = ["/a/pods", "/a/pods-x", "/a/pods/1", "/a/pods0", "/a/q"];
        let (children, _) = list(&keys, "/a", 1);
        assert_eq!(children, vec!["/a/pods", "/a/pods-x", "/a/pods0", "/a/q"]);
        let (children, _) = list(&["top", "dir/x", "dir/y"], "", 10);
        assert_eq!(children, vec!["dir", "top"]);
    }

    #[test]
    fn a_big_subtree_costs_one_request() {
        let mut keys: Vec<String> = (0..10_000).map(|i| format!("/r/big/{i:05}")).collect();
        keys.push("/r/small/x".to_string());
        keys.push("/r/tail".to_string());
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let (children, requests) = list(&refs, "/r", 100);
        assert_eq!(children, vec!["/r/big", "/r/small", "/r/tail"]);
        assert!(requests <= 3, "took {requests} requests");
    }
}
