//! `ls [PREFIX] [-r] [-l] [--scan]` (oxctl only): the children of a prefix in the '/'-separated
//! key hierarchy. Against oxcd, its Hierarchy RPC lists them from the server's directory
//! totals, a page at a time. Against a server without it (etcd), keys-only ranges find them,
//! jumping over each child's subtree, so a child with a million keys below it costs one
//! request, not a million keys; `-l` there reads every key and value below the prefix.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::io::Write;

use oxcd_client::{Client, LevelPager, RangePager};
use oxcd_proto::etcdserverpb::RangeRequest;

use super::kv::prefix_end;
use super::Ctx;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};
use crate::tabwriter;

/// Keys fetched per keys-only request.
pub const PAGE_SIZE: i64 = 500;

/// Keys fetched per request when values are read (`-l` without the RPC): values may be large.
const VALUE_PAGE_SIZE: i64 = 100;

/// Children asked for per Hierarchy request.
const RPC_PAGE_SIZE: i64 = 1000;

/// One child with its totals, as `-l` prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub keys: i64,
    pub value_bytes: i64,
}

/// Where a level's children come from: the keys below `base`, each cut at the next '/'.
#[derive(Debug, Clone)]
struct Base {
    /// Empty (the root) or ending in '/'.
    base: Vec<u8>,
}

impl Base {
    fn new(prefix: &[u8]) -> Base {
        let mut base = prefix.to_vec();
        if !base.is_empty() && base.last() != Some(&b'/') {
            base.push(b'/');
        }
        Base { base }
    }

    /// For a key below the base: the length of its child's name, and whether the key lies
    /// below that child rather than being it; `None` for a key outside the base (which a
    /// server should not have sent). Below the root a leading '/' stays part of the first
    /// segment (`/registry`, not the empty name).
    fn cut(&self, key: &[u8]) -> Option<(usize, bool)> {
        let rest = key.strip_prefix(self.base.as_slice())?;
        let top_level = self.base.is_empty();
        let skip = usize::from(top_level && rest.first() == Some(&b'/'));
        Some(match rest[skip..].iter().position(|&b| b == b'/') {
            Some(slash) => (self.base.len() + skip + slash, true),
            None => (key.len(), false),
        })
    }

    /// The first key of the listing.
    fn start(&self) -> Vec<u8> {
        if self.base.is_empty() {
            vec![0]
        } else {
            self.base.clone()
        }
    }

    /// The end of the listing's range (exclusive).
    fn end(&self) -> Vec<u8> {
        if self.base.is_empty() {
            vec![0]
        } else {
            prefix_end(&self.base)
        }
    }
}

/// The state of a one-level listing, fed pages of keys in order. Pure, so the paging and
/// skipping logic is tested without a server.
#[derive(Debug)]
pub struct LevelLister {
    base: Base,
    children: BTreeSet<Vec<u8>>,
    /// Keys below this are in a subtree already listed.
    skip_until: Vec<u8>,
}

impl LevelLister {
    pub fn new(prefix: &[u8]) -> Self {
        LevelLister {
            base: Base::new(prefix),
            children: BTreeSet::new(),
            skip_until: Vec::new(),
        }
    }

    /// The first key of the listing.
    pub fn start(&self) -> Vec<u8> {
        self.base.start()
    }

    /// The end of the listing's range (exclusive).
    pub fn end(&self) -> Vec<u8> {
        self.base.end()
    }

    /// Takes one page of keys (ascending, all in range); returns where the next page starts.
    pub fn feed(&mut self, keys: &[Vec<u8>]) -> Vec<u8> {
        for key in keys {
            if key.as_slice() < self.skip_until.as_slice() {
                continue;
            }
            let Some((len, below)) = self.base.cut(key) else {
                continue;
            };
            let child = key[..len].to_vec();
            // A subtree: every key starting with `child/` sorts before `child0`.
            let mut after = child.clone();
            after.push(if below { b'0' } else { 0 });
            self.children.insert(child);
            self.skip_until = after;
        }
        self.skip_until.clone()
    }

    pub fn children(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.children.iter()
    }
}

/// Totals per child from every key below a prefix and its value's size: `-l` without the RPC.
#[derive(Debug)]
pub struct TotalsLister {
    base: Base,
    children: BTreeMap<Vec<u8>, Totals>,
}

impl TotalsLister {
    pub fn new(prefix: &[u8]) -> Self {
        TotalsLister {
            base: Base::new(prefix),
            children: BTreeMap::new(),
        }
    }

    /// Counts one key (in range) with a value of `value_len` bytes.
    pub fn feed(&mut self, key: &[u8], value_len: usize) {
        let Some((len, _)) = self.base.cut(key) else {
            return;
        };
        let totals = self.children.entry(key[..len].to_vec()).or_default();
        totals.keys += 1;
        totals.value_bytes += value_len as i64;
    }

    pub fn into_children(self) -> impl Iterator<Item = (Vec<u8>, Totals)> {
        self.children.into_iter()
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
    let long = ctx.inv.flags.bool("long");
    let scan = ctx.inv.flags.bool("scan");
    if recursive && long {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "ls --long lists one level: it does not combine with --recursive",
        ));
    }
    let (mut client, _) = ctx.client()?;
    let mut out = std::io::stdout().lock();
    if recursive {
        return list_keys(&mut client, &prefix, &mut out).await;
    }
    if !scan && list_by_rpc(&mut client, &prefix, long, &mut out).await? {
        return Ok(());
    }
    if long {
        let rows = scan_totals(&mut client, &prefix).await?;
        write_long(&mut out, &rows)
    } else {
        scan_names(&mut client, &prefix, &mut out).await
    }
}

/// Lists through oxcd's Hierarchy RPC, a page at a time; `false` (having printed nothing)
/// when the server does not have it.
async fn list_by_rpc(
    client: &mut Client,
    prefix: &[u8],
    long: bool,
    out: &mut impl Write,
) -> CtlResult<bool> {
    let mut pages = LevelPager::new(prefix, RPC_PAGE_SIZE);
    let mut rows = Vec::new();
    let mut first = true;
    loop {
        let page = match pages.next_page(client).await {
            Ok(Some(page)) => page,
            Ok(None) => break,
            // etcd: only the first call can find that out, before anything is printed.
            Err(e) if e.is_unimplemented() && first => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        first = false;
        for child in page {
            if long {
                let totals = Totals {
                    keys: child.keys,
                    value_bytes: child.value_bytes,
                };
                rows.push((child.name, totals));
            } else {
                write_line(out, &child.name)?;
            }
        }
    }
    if long {
        write_long(out, &rows)?;
    }
    Ok(true)
}

/// The children of a level by keys-only ranges that jump over each child's subtree.
async fn scan_names(client: &mut Client, prefix: &[u8], out: &mut impl Write) -> CtlResult<()> {
    let mut lister = LevelLister::new(prefix);
    let mut pages = RangePager::new(keys_page(&lister.start(), &lister.end(), PAGE_SIZE));
    while let Some(kvs) = pages.next_page(client).await? {
        let keys: Vec<Vec<u8>> = kvs.into_iter().map(|kv| kv.key.to_vec()).collect();
        pages.skip_to(lister.feed(&keys));
    }
    for child in lister.children() {
        write_line(out, child)?;
    }
    Ok(())
}

/// `-r`: every key below the level's base, by keys-only ranges.
async fn list_keys(client: &mut Client, prefix: &[u8], out: &mut impl Write) -> CtlResult<()> {
    let lister = LevelLister::new(prefix);
    let mut pages = RangePager::new(keys_page(&lister.start(), &lister.end(), PAGE_SIZE));
    while let Some(kvs) = pages.next_page(client).await? {
        for kv in &kvs {
            write_line(out, &kv.key)?;
        }
    }
    Ok(())
}

/// `-l` without the RPC: every key and value below the level, read at one revision.
async fn scan_totals(client: &mut Client, prefix: &[u8]) -> CtlResult<Vec<(Vec<u8>, Totals)>> {
    let mut lister = TotalsLister::new(prefix);
    let mut pages = RangePager::new(RangeRequest {
        keys_only: false,
        ..keys_page(&lister.base.start(), &lister.base.end(), VALUE_PAGE_SIZE)
    });
    while let Some(kvs) = pages.next_page(client).await? {
        for kv in &kvs {
            lister.feed(&kv.key, kv.value.len());
        }
    }
    Ok(lister.into_children().collect())
}

/// A keys-only page of `[start, end)` at the current revision.
fn keys_page(start: &[u8], end: &[u8], limit: i64) -> RangeRequest {
    RangeRequest {
        key: start.to_vec(),
        range_end: end.to_vec(),
        limit,
        keys_only: true,
        ..Default::default()
    }
}

/// `-l`'s lines: keys, value bytes and the name, the numbers in tab-aligned columns and the name
/// last, as it is (it may not be text).
fn write_long(out: &mut impl Write, rows: &[(Vec<u8>, Totals)]) -> CtlResult<()> {
    let cells: String = rows
        .iter()
        .map(|(_, t)| format!("{}\t{}\t\n", t.keys, t.value_bytes))
        .collect();
    let aligned = tabwriter::align(&cells);
    for ((name, _), numbers) in rows.iter().zip(aligned.split('\n')) {
        out.write_all(numbers.as_bytes())
            .map_err(|e| CtlError::new(EXIT_ERROR, e))?;
        write_line(out, name)?;
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
    fn totals_count_every_key_at_and_below_each_child() {
        let mut lister = TotalsLister::new(b"/a");
        for (key, len) in [
            ("/a/pods", 3),
            ("/a/pods-x", 4),
            ("/a/pods/1", 5),
            ("/a/q/r/s", 6),
        ] {
            lister.feed(key.as_bytes(), len);
        }
        let totals = |keys, value_bytes| Totals { keys, value_bytes };
        assert_eq!(
            lister.into_children().collect::<Vec<_>>(),
            vec![
                (b"/a/pods".to_vec(), totals(2, 8)),
                (b"/a/pods-x".to_vec(), totals(1, 4)),
                (b"/a/q".to_vec(), totals(1, 6)),
            ]
        );
        let mut root = TotalsLister::new(b"");
        for key in ["/r/x", "/r/y", "top", "dir/z"] {
            root.feed(key.as_bytes(), 1);
        }
        let names: Vec<Vec<u8>> = root.into_children().map(|(n, _)| n).collect();
        assert_eq!(names, [&b"/r"[..], b"dir", b"top"]);
    }

    #[test]
    fn long_lines_align_the_numbers_and_keep_names_as_they_are() {
        let rows = vec![
            (
                b"/a/pods".to_vec(),
                Totals {
                    keys: 123456789,
                    value_bytes: 1,
                },
            ),
            (
                b"/a/\xff".to_vec(),
                Totals {
                    keys: 1,
                    value_bytes: 22,
                },
            ),
        ];
        let mut out = Vec::new();
        write_long(&mut out, &rows).unwrap();
        assert_eq!(out, b"123456789\t1\t/a/pods\n1\t\t22\t/a/\xff\n".to_vec());
        let mut empty = Vec::new();
        write_long(&mut empty, &[]).unwrap();
        assert!(empty.is_empty());
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
