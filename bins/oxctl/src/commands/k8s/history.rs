//! `k8s history KEY`: a key's revisions, newest state first found and then walked back one
//! revision at a time (each version's `mod_revision - 1` holds the version before it), printed
//! oldest first: the first in full, each later one as a diff of its decoded YAML.

use oxcd_client::{CallError, Client};
use oxcd_proto::etcdserverpb::RangeRequest;
use oxcd_proto::mvccpb::KeyValue;
use serde_json::json;

use super::common::{resolve_type, write_out, Output, Reader};
use crate::commands::Ctx;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};

/// Lines of context around each change.
const CONTEXT: usize = 3;

pub async fn history(ctx: &mut Ctx) -> CtlResult<()> {
    let output = Output::from_flags(&ctx.inv.flags)?;
    let [arg] = ctx.inv.args.as_slice() else {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "k8s history needs one key, or type/[namespace/]name",
        ));
    };
    let arg = arg.clone();
    let reader = Reader::from_flags(&ctx.inv.flags)?;
    let mut client = Client::new(ctx.client_config()?);
    let key = if arg.starts_with(b"/") {
        arg
    } else {
        let text = String::from_utf8_lossy(&arg).into_owned();
        let (type_arg, rest) = text.split_once('/').ok_or_else(|| {
            CtlError::new(EXIT_BAD_ARGS, "expected a key or type/[namespace/]name")
        })?;
        let (_, prefix) = resolve_type(&mut client, type_arg).await?;
        [prefix.as_slice(), rest.as_bytes()].concat()
    };
    let (versions, compacted) = walk_back(&mut client, &key).await?;
    if versions.is_empty() {
        return Err(CtlError::new(
            EXIT_ERROR,
            format!("{} not found", String::from_utf8_lossy(&key)),
        ));
    }
    // Every version's resourceVersion differs; the REVISION line says it once.
    let decoded: Vec<serde_json::Value> = versions
        .iter()
        .map(|kv| {
            let mut object = reader.object(kv);
            if let Some(serde_json::Value::Object(metadata)) = object.get_mut("metadata") {
                metadata.remove("resourceVersion");
            }
            object
        })
        .collect();
    if output == Output::Json {
        let items: Vec<serde_json::Value> = versions
            .iter()
            .zip(&decoded)
            .map(|(kv, object)| {
                json!({"revision": kv.mod_revision, "version": kv.version, "bytes": kv.value.len(), "object": object})
            })
            .collect();
        return write_out(&oxcd_k8s::to_json(&serde_json::Value::Array(items)));
    }
    let mut text = String::new();
    if compacted {
        text.push_str("# earlier revisions were compacted\n");
    }
    let mut previous: Option<(i64, String)> = None;
    for (kv, object) in versions.iter().zip(&decoded) {
        let yaml = oxcd_k8s::to_yaml(object);
        let what = if kv.version == 1 {
            "created"
        } else {
            "modified"
        };
        text.push_str(&format!(
            "REVISION {}  VERSION {}  BYTES {}  {what}\n",
            kv.mod_revision,
            kv.version,
            kv.value.len()
        ));
        match &previous {
            None => text.push_str(&yaml),
            Some((revision, before)) => text.push_str(&unified_diff(
                before,
                &yaml,
                &revision.to_string(),
                &kv.mod_revision.to_string(),
            )),
        }
        previous = Some((kv.mod_revision, yaml));
    }
    write_out(&text)
}

/// The key's versions in its current generation, oldest first, and whether older ones were
/// compacted away before the walk reached the generation's start.
async fn walk_back(client: &mut Client, key: &[u8]) -> CtlResult<(Vec<KeyValue>, bool)> {
    let mut versions = Vec::new();
    let mut revision = 0;
    let mut compacted = false;
    loop {
        let request = RangeRequest {
            key: key.to_vec(),
            revision,
            ..Default::default()
        };
        let response = match client.range(request).await {
            Ok(response) => response,
            // etcd's ErrCompacted.
            Err(CallError::Status(status)) if status.code() == tonic::Code::OutOfRange => {
                compacted = true;
                break;
            }
            Err(e) => return Err(e.into()),
        };
        let Some(kv) = response.kvs.into_iter().next() else {
            break;
        };
        let (version, mod_revision) = (kv.version, kv.mod_revision);
        // A server that ignored the revision asked for would otherwise be walked forever.
        if revision != 0 && mod_revision > revision {
            break;
        }
        versions.push(kv);
        if version <= 1 || mod_revision <= 1 {
            break;
        }
        revision = mod_revision - 1;
    }
    versions.reverse();
    Ok((versions, compacted))
}

/// `diff -u` of two texts, by lines.
pub fn unified_diff(before: &str, after: &str, from: &str, to: &str) -> String {
    let all_a: Vec<&str> = before.lines().collect();
    let all_b: Vec<&str> = after.lines().collect();
    // The table below is quadratic in what it compares: the common head and tail, beyond the
    // context they give, are set aside first (a change to a large object is usually a few lines).
    let head = all_a.iter().zip(&all_b).take_while(|(x, y)| x == y).count();
    let tail = all_a[head..]
        .iter()
        .rev()
        .zip(all_b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let skipped = head.saturating_sub(CONTEXT);
    let kept_tail = tail.saturating_sub(CONTEXT);
    let a = &all_a[skipped..all_a.len() - kept_tail];
    let b = &all_b[skipped..all_b.len() - kept_tail];
    // Longest common subsequence table, filled from the ends.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // The edit script: (' ' | '-' | '+', line index in a, line index in b).
    let mut script = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            script.push((' ', i, j));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions, as diff -u prints them.
            script.push(('-', i, j));
            i += 1;
        } else {
            script.push(('+', i, j));
            j += 1;
        }
    }
    let changes: Vec<usize> = (0..script.len()).filter(|&k| script[k].0 != ' ').collect();
    if changes.is_empty() {
        return "(no change in the decoded object)\n".to_string();
    }
    let mut out = format!("--- {from}\n+++ {to}\n");
    let mut k = 0;
    while k < changes.len() {
        let start = changes[k].saturating_sub(CONTEXT);
        let mut end = changes[k] + CONTEXT + 1;
        while k + 1 < changes.len() && changes[k + 1] <= end + CONTEXT {
            k += 1;
            end = changes[k] + CONTEXT + 1;
        }
        let end = end.min(script.len());
        let hunk = &script[start..end];
        let old_lines = hunk.iter().filter(|(op, _, _)| *op != '+').count();
        let new_lines = hunk.iter().filter(|(op, _, _)| *op != '-').count();
        let (_, first_a, first_b) = hunk[0];
        out.push_str(&format!(
            "@@ -{},{old_lines} +{},{new_lines} @@\n",
            skipped + first_a + usize::from(old_lines > 0),
            skipped + first_b + usize::from(new_lines > 0)
        ));
        for &(op, ai, bj) in hunk {
            let line = if op == '+' { b[bj] } else { a[ai] };
            out.push(op);
            out.push_str(line);
            out.push('\n');
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_read_like_diff_u() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let after = "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n";
        assert_eq!(
            unified_diff(before, after, "1", "2"),
            "--- 1\n+++ 2\n@@ -1,9 +1,10 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n h\n i\n+j\n"
        );
        let far = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        let changed = "x\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ny\n";
        assert_eq!(
            unified_diff(far, changed, "1", "2"),
            "--- 1\n+++ 2\n@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+y\n"
        );
        assert_eq!(
            unified_diff("a\n", "a\n", "1", "2"),
            "(no change in the decoded object)\n"
        );
    }
}
