//! `k8s ls`, `k8s get` and `k8s top`: what is stored, by resource type, namespace and object.

use std::collections::BTreeMap;

use oxcd_client::{prefix_end, Client, LevelPager, RangePager};
use oxcd_proto::etcdserverpb::RangeRequest;
use oxcd_proto::oxcd::v1::Child;

use super::common::{
    age, created_at, kubectl_table, list_of, resolve_type, scan, write_out, Output, Reader,
};
use super::resources::{locate, namespace_and_name, REGISTRY};
use crate::commands::Ctx;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS};

/// Key-values per page when every value is read (values may be large).
const VALUE_PAGE: i64 = 100;

/// Objects and the bytes of their values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Usage {
    objects: u64,
    bytes: u64,
}

impl Usage {
    fn add(&mut self, bytes: u64) {
        self.objects += 1;
        self.bytes += bytes;
    }
}

/// Every key under `/registry/` with the size of its value: from oxcd's hierarchy listing (no
/// value is read), or by reading them all, a page at a time, from a server without it.
async fn sizes(client: &mut Client) -> CtlResult<Vec<(Vec<u8>, u64)>> {
    let mut out = Vec::new();
    if walk(client, REGISTRY.to_vec(), &mut out).await? {
        return Ok(out);
    }
    let mut pages = RangePager::new(RangeRequest {
        key: REGISTRY.to_vec(),
        range_end: prefix_end(REGISTRY),
        limit: VALUE_PAGE,
        ..Default::default()
    });
    while let Some(kvs) = pages.next_page(client).await? {
        out.extend(
            kvs.into_iter()
                .map(|kv| (kv.key.to_vec(), kv.value.len() as u64)),
        );
    }
    Ok(out)
}

/// Every key below `prefix` with its value's size, in key order, level by level; `false` when
/// the server has no hierarchy listing.
async fn walk(
    client: &mut Client,
    prefix: Vec<u8>,
    out: &mut Vec<(Vec<u8>, u64)>,
) -> CtlResult<bool> {
    // Depth-first with an explicit stack (async recursion would need boxing); each entry is a
    // level still to list.
    let mut stack = vec![prefix];
    while let Some(prefix) = stack.pop() {
        let Some(children) = level(client, &prefix).await? else {
            return Ok(false);
        };
        // Reversed onto the stack so that levels come off it in key order.
        let mut pending = Vec::new();
        for child in children {
            if child.is_key {
                out.push((
                    child.name.clone(),
                    u64::try_from(child.key_bytes).unwrap_or(0),
                ));
            }
            if child.has_children {
                pending.push(below_name(&child.name));
            }
        }
        stack.extend(pending.into_iter().rev());
    }
    out.sort();
    Ok(true)
}

/// The level below a child: its name and a '/' (a name may itself end in '/', as the child of
/// `/registry//x` does: listing the bare name would list the same level again).
fn below_name(name: &[u8]) -> Vec<u8> {
    [name, b"/"].concat()
}

fn usage_rows(usage: &[(String, Usage)]) -> Vec<Vec<String>> {
    usage
        .iter()
        .map(|(name, u)| vec![name.clone(), u.objects.to_string(), u.bytes.to_string()])
        .collect()
}

/// One level of the hierarchy with its totals, from oxcd's Hierarchy service; `None` from a
/// server without it (etcd).
async fn level(client: &mut Client, prefix: &[u8]) -> CtlResult<Option<Vec<Child>>> {
    let mut pages = LevelPager::new(prefix, 1000);
    let mut children = Vec::new();
    loop {
        match pages.next_page(client).await {
            Ok(Some(page)) => children.extend(page),
            Ok(None) => return Ok(Some(children)),
            Err(e) if e.is_unimplemented() => return Ok(None),
            Err(e) => return Err(e.into()),
        }
    }
}

/// What is below a child (its subtree), without the key at its own name, if there is one:
/// that key is not an object of any type.
fn below(child: &Child) -> Usage {
    let own_key = u64::from(child.is_key);
    Usage {
        objects: u64::try_from(child.keys)
            .unwrap_or(0)
            .saturating_sub(own_key),
        bytes: u64::try_from(child.value_bytes)
            .unwrap_or(0)
            .saturating_sub(u64::try_from(child.key_bytes).unwrap_or(0)),
    }
}

/// The resource types' totals from the hierarchy's directory totals: `/registry`'s children,
/// and one level further for a group's directory and for `services` (specs, endpoints).
async fn usage_by_listing(client: &mut Client) -> CtlResult<Option<BTreeMap<String, Usage>>> {
    let Some(top) = level(client, REGISTRY).await? else {
        return Ok(None);
    };
    let mut by_type = BTreeMap::new();
    for child in top.into_iter().filter(|c| c.has_children) {
        let Some(segment) = child.name.strip_prefix(REGISTRY) else {
            continue;
        };
        let nested = if segment.contains(&b'.') || segment == b"services" {
            level(client, &below_name(&child.name))
                .await?
                .unwrap_or_default()
        } else {
            vec![child]
        };
        for resource in nested.into_iter().filter(|c| c.has_children) {
            // The type a key below this child belongs to names the child's type.
            let probe = [resource.name.as_slice(), b"/x"].concat();
            if let Some(located) = locate(&probe) {
                let usage = below(&resource);
                if usage.objects > 0 {
                    let total: &mut Usage = by_type.entry(located.resource).or_default();
                    total.objects += usage.objects;
                    total.bytes += usage.bytes;
                }
            }
        }
    }
    Ok(Some(by_type))
}

pub async fn ls(ctx: &mut Ctx) -> CtlResult<()> {
    if !ctx.inv.args.is_empty() {
        return Err(CtlError::new(EXIT_BAD_ARGS, "k8s ls takes no arguments"));
    }
    let mut client = Client::new(ctx.client_config()?);
    let listed = if ctx.inv.flags.bool("scan") {
        None
    } else {
        usage_by_listing(&mut client).await?
    };
    let by_type = match listed {
        Some(by_type) => by_type,
        None => {
            let mut by_type: BTreeMap<String, Usage> = BTreeMap::new();
            for (key, bytes) in sizes(&mut client).await? {
                if let Some(located) = locate(&key) {
                    by_type.entry(located.resource).or_default().add(bytes);
                }
            }
            by_type
        }
    };
    let rows = usage_rows(&by_type.into_iter().collect::<Vec<_>>());
    write_out(&kubectl_table(&["RESOURCE", "OBJECTS", "BYTES"], &rows))
}

pub async fn top(ctx: &mut Ctx) -> CtlResult<()> {
    if !ctx.inv.args.is_empty() {
        return Err(CtlError::new(EXIT_BAD_ARGS, "k8s top takes no arguments"));
    }
    let limit = usize::try_from(ctx.inv.flags.int("limit").max(0)).unwrap_or(usize::MAX);
    let namespace = ctx.inv.flags.string("namespace");
    let mut client = Client::new(ctx.client_config()?);
    let mut by_type: BTreeMap<String, Usage> = BTreeMap::new();
    let mut by_namespace: BTreeMap<String, Usage> = BTreeMap::new();
    let mut objects: Vec<(String, u64)> = Vec::new();
    for (key, bytes) in sizes(&mut client).await? {
        let Some(located) = locate(&key) else {
            continue;
        };
        let (ns, _) = namespace_and_name(located.rest);
        if !namespace.is_empty() && ns.as_deref() != Some(namespace.as_str()) {
            continue;
        }
        by_type
            .entry(located.resource.clone())
            .or_default()
            .add(bytes);
        if let Some(ns) = ns {
            by_namespace.entry(ns).or_default().add(bytes);
        }
        objects.push((
            format!(
                "{}/{}",
                located.resource,
                String::from_utf8_lossy(located.rest)
            ),
            bytes,
        ));
    }
    let largest = |map: BTreeMap<String, Usage>| {
        let mut entries: Vec<(String, Usage)> = map.into_iter().collect();
        // Largest first; equal sizes keep name order, so the output is stable.
        entries.sort_by(|a, b| b.1.bytes.cmp(&a.1.bytes).then_with(|| a.0.cmp(&b.0)));
        entries.truncate(limit);
        entries
    };
    objects.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    objects.truncate(limit);
    let mut text = kubectl_table(
        &["RESOURCE", "OBJECTS", "BYTES"],
        &usage_rows(&largest(by_type)),
    );
    text.push('\n');
    text.push_str(&kubectl_table(
        &["NAMESPACE", "OBJECTS", "BYTES"],
        &usage_rows(&largest(by_namespace)),
    ));
    text.push('\n');
    let object_rows: Vec<Vec<String>> = objects
        .into_iter()
        .map(|(name, bytes)| vec![name, bytes.to_string()])
        .collect();
    text.push_str(&kubectl_table(&["OBJECT", "BYTES"], &object_rows));
    write_out(&text)
}

pub async fn get(ctx: &mut Ctx) -> CtlResult<()> {
    let output = Output::from_flags(&ctx.inv.flags)?;
    let (type_arg, name) = match ctx.inv.args.as_slice() {
        [t] => (String::from_utf8_lossy(t).into_owned(), None),
        [t, n] => (String::from_utf8_lossy(t).into_owned(), Some(n.clone())),
        _ => {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                "k8s get needs a resource type and optionally an object's name",
            ))
        }
    };
    let namespace = ctx.inv.flags.string("namespace");
    let reader = Reader::from_flags(&ctx.inv.flags)?;
    let mut client = Client::new(ctx.client_config()?);
    let (_, prefix) = resolve_type(&mut client, &type_arg).await?;
    if let Some(name) = name {
        // A cluster-scoped object's key is the name itself; a namespaced one's, kubectl's
        // default namespace unless -n says otherwise.
        let mut candidates = Vec::new();
        if namespace.is_empty() {
            candidates.push([prefix.as_slice(), &name].concat());
            candidates.push([prefix.as_slice(), b"default/", &name].concat());
        } else {
            candidates.push([prefix.as_slice(), namespace.as_bytes(), b"/", &name].concat());
        }
        for key in candidates {
            let response = client
                .range(RangeRequest {
                    key,
                    ..Default::default()
                })
                .await?;
            if let Some(kv) = response.kvs.first() {
                return write_out(&output.object(&reader.object(kv)));
            }
        }
        return Err(CtlError::new(
            crate::error::EXIT_ERROR,
            format!("{type_arg} {:?} not found", String::from_utf8_lossy(&name)),
        ));
    }
    let mut scan_prefix = prefix.clone();
    if !namespace.is_empty() {
        scan_prefix.extend_from_slice(namespace.as_bytes());
        scan_prefix.push(b'/');
    }
    let kvs = scan(&mut client, &scan_prefix).await?;
    if kvs.is_empty() {
        eprintln!("No resources found");
        return Ok(());
    }
    if output != Output::Simple {
        let items = kvs.iter().map(|kv| reader.object(kv)).collect();
        return write_out(&output.object(&list_of(items)));
    }
    let mut rows = Vec::new();
    let mut namespaced = false;
    for kv in &kvs {
        let Some(rest) = kv.key.strip_prefix(prefix.as_slice()) else {
            continue;
        };
        let (ns, name) = namespace_and_name(rest);
        namespaced |= ns.is_some();
        let decoded = reader.decode(kv);
        rows.push((
            ns,
            name,
            age(created_at(&decoded)),
            kv.value.len().to_string(),
        ));
    }
    let show_namespace = namespaced && namespace.is_empty();
    let table: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(ns, name, age, size)| {
            let mut row = Vec::new();
            if show_namespace {
                row.push(ns.unwrap_or_default());
            }
            row.extend([name, age, size]);
            row
        })
        .collect();
    let header: &[&str] = if show_namespace {
        &["NAMESPACE", "NAME", "AGE", "SIZE"]
    } else {
        &["NAME", "AGE", "SIZE"]
    };
    write_out(&kubectl_table(header, &table))
}
