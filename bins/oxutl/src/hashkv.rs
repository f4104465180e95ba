//! `hashkv <filename>` (etcdutl 3.6's) or `hashkv --data-dir DIR`: the KV history hash of a
//! stopped member's backend, as the HashKV RPC computes it, with etcdutl's printers. Like
//! etcdutl's it hashes the backend file alone: a member that did not stop cleanly (SIGTERM)
//! holds its last entries only in its WAL until it starts again and replays them. The file is
//! opened read-only: hashing leaves the data dir as it was.

use std::path::{Path, PathBuf};

use oxcd_storage::mvcc::MvccStore;

use crate::cli::Invocation;
use crate::error::{Failure, EXIT_BAD_ARGS, EXIT_BAD_FEATURE, EXIT_ERROR};
use crate::table;

pub fn run(inv: &Invocation) -> Result<(), Failure> {
    let data_dir = inv.string("data-dir");
    let db = match (inv.args.as_slice(), data_dir.as_str()) {
        ([file], "") => PathBuf::from(file),
        ([], dir) if !dir.is_empty() => Path::new(dir).join("member").join("snap").join("db"),
        _ => {
            return Err(Failure::error(
                EXIT_BAD_ARGS,
                "hashkv requires exactly one argument, or --data-dir",
            ))
        }
    };
    let format = inv.string("write-out");
    if !["simple", "json", "table", "fields"].contains(&format.as_str()) {
        return Err(Failure::error(
            EXIT_BAD_FEATURE,
            format!("{format} not supported as output format"),
        ));
    }
    // Opening creates a missing file: a path that is not there is an error, as in etcdutl.
    if let Err(e) = std::fs::metadata(&db) {
        return Err(Failure::error(
            EXIT_ERROR,
            format!("open {}: {}", db.display(), oxcd_client::go_io_reason(&e)),
        ));
    }
    let store = MvccStore::open_read_only(&db).map_err(|e| Failure::error(EXIT_ERROR, e))?;
    let (hash, compact_revision, revision) = store
        .hash_kv(inv.int("rev"))
        .map_err(|e| Failure::error(EXIT_ERROR, e))?;
    let row = vec![
        hash.to_string(),
        revision.to_string(),
        compact_revision.to_string(),
    ];
    let text = match format.as_str() {
        "json" => format!(
            "{{\"hash\":{hash},\"hashRevision\":{revision},\"compactRevision\":{compact_revision}}}\n"
        ),
        "fields" => format!(
            "\"Hash\" : {hash}\n\"Hash revision\" : {revision}\n\"Compact revision\" : {compact_revision}\n"
        ),
        "table" => table::render(&["HASH", "HASH REVISION", "COMPACT REVISION"], &[row]),
        _ => format!("{}\n", row.join(", ")),
    };
    print!("{text}");
    Ok(())
}
