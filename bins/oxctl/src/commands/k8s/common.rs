//! What the `k8s` commands and `get --decode` share: how values are read and printed, paged
//! scans, type resolution, kubectl's table layout and ages.

use std::time::{SystemTime, UNIX_EPOCH};

use oxcd_client::{prefix_end, Client, RangePager};
use oxcd_k8s::{Decoded, Keys};
use oxcd_proto::etcdserverpb::RangeRequest;
use oxcd_proto::mvccpb::KeyValue;
use serde_json::Value as Json;

use super::resources;
use crate::args::Flags;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_BAD_FEATURE, EXIT_ERROR};

/// Keys per page when reading a whole resource type.
const PAGE: i64 = 500;

/// How decoded objects are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// A table (listings) or YAML (one object).
    Simple,
    Json,
    Yaml,
}

impl Output {
    pub fn from_flags(flags: &Flags) -> CtlResult<Output> {
        match flags.string("write-out").as_str() {
            "simple" => Ok(Output::Simple),
            "json" => Ok(Output::Json),
            "yaml" => Ok(Output::Yaml),
            other => Err(CtlError::new(
                EXIT_BAD_FEATURE,
                format!("decoded objects print as simple, json or yaml, not {other:?}"),
            )),
        }
    }

    /// One object (or a description of an undecodable value).
    pub fn object(self, value: &Json) -> String {
        match self {
            Output::Json => oxcd_k8s::to_json(value),
            Output::Simple | Output::Yaml => oxcd_k8s::to_yaml(value),
        }
    }
}

/// How values are read: the keys of `--encryption-config`, and whether `metadata.managedFields`
/// stays (kubectl hides it unless `--show-managed-fields`).
pub struct Reader {
    keys: Option<Keys>,
    managed_fields: bool,
}

impl Reader {
    pub fn from_flags(flags: &Flags) -> CtlResult<Reader> {
        let path = flags.string("encryption-config");
        let keys = if path.is_empty() {
            None
        } else {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                CtlError::new(EXIT_BAD_ARGS, format!("--encryption-config {path}: {e}"))
            })?;
            let keys = Keys::from_yaml(&text).map_err(|e| {
                CtlError::new(EXIT_BAD_ARGS, format!("--encryption-config {path}: {e}"))
            })?;
            Some(keys)
        };
        Ok(Reader {
            keys,
            managed_fields: flags.bool("show-managed-fields"),
        })
    }

    pub fn decode(&self, kv: &KeyValue) -> Decoded {
        oxcd_k8s::decode(
            &kv.key,
            &kv.value,
            Some(kv.mod_revision),
            self.keys.as_ref(),
        )
    }

    /// The object as printed (or the description of an unreadable value).
    pub fn object(&self, kv: &KeyValue) -> Json {
        self.decode(kv).to_printed_value(self.managed_fields)
    }
}

/// kubectl's list of several objects.
pub fn list_of(items: Vec<Json>) -> Json {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// Every key-value under `prefix` at one revision, page by page.
pub async fn scan(client: &mut Client, prefix: &[u8]) -> CtlResult<Vec<KeyValue>> {
    let mut pages = RangePager::new(RangeRequest {
        key: prefix.to_vec(),
        range_end: prefix_end(prefix),
        limit: PAGE,
        ..Default::default()
    });
    let mut out = Vec::new();
    while let Some(kvs) = pages.next_page(client).await? {
        out.extend(kvs);
    }
    Ok(out)
}

/// The prefix a type argument means: the first candidate holding any key (or the first, for
/// an empty type).
pub async fn resolve_type(client: &mut Client, type_arg: &str) -> CtlResult<(String, Vec<u8>)> {
    let candidates = resources::candidate_prefixes(type_arg);
    for (name, prefix) in &candidates {
        let response = client
            .range(RangeRequest {
                key: prefix.clone(),
                range_end: prefix_end(prefix),
                count_only: true,
                ..Default::default()
            })
            .await?;
        if response.count > 0 {
            return Ok((name.clone(), prefix.clone()));
        }
    }
    candidates
        .into_iter()
        .next()
        .ok_or_else(|| CtlError::new(EXIT_BAD_ARGS, "a resource type is required"))
}

/// Columns as kubectl's printer aligns them (Go's tabwriter: minimum width 10, padding 3).
pub fn kubectl_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                let width = (widths[i] + 3).max(10);
                out.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}

/// kubectl's AGE column (`duration.HumanDuration`) for an object created at `created`.
pub fn age(created: Option<i64>) -> String {
    let Some(created) = created else {
        return "<unknown>".to_string();
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    human_duration(now - created)
}

pub fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        let d = days % 365;
        return if d == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{d}d")
        };
    }
    format!("{years}y")
}

/// An object's creation time, from its decoded metadata.
pub fn created_at(decoded: &Decoded) -> Option<i64> {
    let text = decoded
        .object()?
        .get("metadata")?
        .get("creationTimestamp")?
        .as_str()?;
    oxcd_k8s::unix_from_rfc3339(text)
}

pub fn write_out(text: &str) -> CtlResult<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CtlError::new(EXIT_ERROR, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_kubectls() {
        for (seconds, text) in [
            (-5, "<invalid>"),
            (-1, "0s"),
            (59, "59s"),
            (119, "119s"),
            (125, "2m5s"),
            (600, "10m"),
            (3 * 3600 + 120, "3h2m"),
            (20 * 3600, "20h"),
            (3 * 86_400 + 5 * 3600, "3d5h"),
            (40 * 86_400, "40d"),
            (3 * 365 * 86_400 + 86_400 * 10, "3y10d"),
            (9 * 365 * 86_400, "9y"),
        ] {
            assert_eq!(human_duration(seconds), text, "{seconds}");
        }
    }

    #[test]
    fn tables_are_aligned_like_kubectls() {
        let rows = vec![
            vec![
                "default".to_string(),
                "a-long-name".to_string(),
                "5d".to_string(),
            ],
            vec!["kube-system".to_string(), "b".to_string(), "7s".to_string()],
        ];
        assert_eq!(
            kubectl_table(&["NAMESPACE", "NAME", "AGE"], &rows),
            "NAMESPACE     NAME          AGE\ndefault       a-long-name   5d\nkube-system   b             7s\n"
        );
    }
}
