//! `dump keys`: every key live at the latest revision (or `--rev`), in key order, streamed from
//! the store as it is printed, so that only the store's key index is held, never the keys a
//! second time. The formats are `etcdctl get`'s (`--prefix` over the whole store, `--keys-only`
//! too); the table, which `get` lacks, is measured in a first pass and drawn in a second.

use std::io::Write;

use oxcd_proto::etcdserverpb::RangeRequest;
use oxcd_proto::mvccpb::KeyValue;
use oxcd_storage::mvcc::{MvccError, MvccStore};

use super::output::{cell, progress, write_failure, Format, Out};
use crate::cli::Invocation;
use crate::error::{Failure, EXIT_ERROR};
use crate::gojson;
use crate::records::hex_id;
use crate::table::Columns;

/// Why a walk over the keys stopped early.
enum Stop {
    Store(MvccError),
    Write(std::io::Error),
}

impl From<MvccError> for Stop {
    fn from(e: MvccError) -> Stop {
        Stop::Store(e)
    }
}

impl From<Stop> for Failure {
    fn from(stop: Stop) -> Failure {
        match stop {
            Stop::Store(e) => Failure::error(EXIT_ERROR, e),
            Stop::Write(e) => write_failure(e),
        }
    }
}

/// The keys chosen on the command line, at the revision chosen.
struct Selection {
    key: Vec<u8>,
    range_end: Vec<u8>,
    rev: i64,
    keys_only: bool,
}

impl Selection {
    /// Walks the selected keys in key order, with a bar labelled `label` on stderr.
    fn walk(
        &self,
        store: &MvccStore,
        label: &'static str,
        total: u64,
        mut visit: impl FnMut(KeyValue) -> Result<(), Stop>,
    ) -> Result<(), Failure> {
        let mut bar = progress(label, total);
        let walked: Result<(), Stop> =
            store.for_each_key(&self.key, &self.range_end, self.rev, |mut kv| {
                if self.keys_only {
                    kv.value.clear();
                }
                visit(kv)?;
                bar.step();
                Ok(())
            });
        bar.finish();
        walked.map_err(Failure::from)
    }
}

pub fn run(
    inv: &Invocation,
    store: &MvccStore,
    format: Format,
    out: &mut Out,
) -> Result<(), Failure> {
    let prefix = inv.string("prefix").into_bytes();
    // clientv3's WithPrefix: the empty prefix is every key.
    let (key, range_end) = if prefix.is_empty() {
        (vec![0], vec![0])
    } else {
        let end = oxcd_client::prefix_end(&prefix);
        (prefix, end)
    };
    let selection = Selection {
        key,
        range_end,
        rev: inv.int("rev"),
        keys_only: inv.bool("keys-only"),
    };
    // Also where a compacted or future --rev is refused, before anything is printed.
    let count = store
        .range(&RangeRequest {
            key: selection.key.clone(),
            range_end: selection.range_end.clone(),
            revision: selection.rev,
            count_only: true,
            ..RangeRequest::default()
        })
        .map_err(|e| Failure::error(EXIT_ERROR, e))?
        .count;
    let total = count.max(0) as u64;
    match format {
        Format::Simple => selection.walk(store, "keys", total, |kv| {
            for line in [&kv.key[..], &kv.value[..]] {
                write(out, line)?;
                write(out, b"\n")?;
            }
            Ok(())
        }),
        Format::Json => {
            // etcdctl's `get -w json`, its header reduced to the revision a member would report.
            let head = format!("{{\"header\":{{\"revision\":{}}}", store.current_revision());
            write(out, head.as_bytes())?;
            if count > 0 {
                write(out, b",\"kvs\":[")?;
                let mut first = true;
                selection.walk(store, "keys", total, |kv| {
                    if !std::mem::take(&mut first) {
                        write(out, b",")?;
                    }
                    write(out, gojson::kv(&kv).as_bytes())
                })?;
                write(out, format!("],\"count\":{count}").as_bytes())?;
            }
            write(out, b"}\n").map_err(Failure::from)
        }
        Format::Table => {
            let mut header = vec!["KEY", "CREATE REV", "MOD REV", "VERSION", "LEASE"];
            if !selection.keys_only {
                header.push("VALUE");
            }
            let mut columns = Columns::new(&header);
            selection.walk(store, "measuring", total, |kv| {
                columns.measure(&row(&kv, selection.keys_only));
                Ok(())
            })?;
            write(out, columns.top().as_bytes())?;
            selection.walk(store, "keys", total, |kv| {
                write(out, columns.row(&row(&kv, selection.keys_only)).as_bytes())
            })?;
            write(out, columns.bottom().as_bytes()).map_err(Failure::from)
        }
    }
}

fn write(out: &mut Out, bytes: &[u8]) -> Result<(), Stop> {
    out.write_all(bytes).map_err(Stop::Write)
}

/// A key's table row: no lease is an empty cell.
fn row(kv: &KeyValue, keys_only: bool) -> Vec<String> {
    let lease = if kv.lease == 0 {
        String::new()
    } else {
        hex_id(kv.lease)
    };
    let mut row = vec![
        cell(&kv.key),
        kv.create_revision.to_string(),
        kv.mod_revision.to_string(),
        kv.version.to_string(),
        lease,
    ];
    if !keys_only {
        row.push(cell(&kv.value));
    }
    row
}
