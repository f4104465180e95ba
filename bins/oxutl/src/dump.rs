//! `dump keys|leases|members|alarms --data-dir DIR`: what a stopped member's backend holds.
//!
//! The backend is opened read-only (`MvccStore::open_read_only`), so the data dir is left byte
//! for byte as it was; a member still running holds the file and is refused. A member that was
//! killed rather than stopped is read as a restart would find its backend, without what only its
//! WAL holds. Leases, members and alarms are read by the server's own loaders (those a starting
//! member uses), and every record is printed as etcdctl prints it (`get`, `lease timetolive
//! --keys`, `member list`, `alarm list`), through the printers oxctl shares; in JSON, without
//! what only a running cluster knows (cluster and member IDs, raft term).

mod buckets;
mod keys;
mod output;

use std::io::{BufWriter, Write};
use std::path::Path;

use oxcd_server::member::etcd_import::is_etcd_data_dir;
use oxcd_storage::mvcc::MvccStore;

use self::output::{write_failure, Format};
use crate::cli::Invocation;
use crate::error::{Failure, EXIT_BAD_FEATURE, EXIT_ERROR};

/// Runs `dump <what>`.
pub fn run(inv: &Invocation) -> Result<(), Failure> {
    let format = match inv.string("write-out").as_str() {
        "simple" => Format::Simple,
        "json" => Format::Json,
        "table" => Format::Table,
        other => {
            return Err(Failure::error(
                EXIT_BAD_FEATURE,
                format!("{other} not supported as output format"),
            ))
        }
    };
    let store = open(&inv.string("data-dir"))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match inv.command.path {
        "dump keys" => keys::run(inv, &store, format, &mut out)?,
        "dump leases" => buckets::leases(&store, format, &mut out)?,
        "dump members" => buckets::members(&store, format, &mut out)?,
        "dump alarms" => buckets::alarms(&store, format, &mut out)?,
        other => unreachable!("dump command {other:?} is declared but has no implementation"),
    }
    out.flush().map_err(write_failure)
}

/// The data dir's backend, read-only.
fn open(data_dir: &str) -> Result<MvccStore, Failure> {
    if is_etcd_data_dir(Path::new(data_dir)) {
        return Err(Failure::error(
            EXIT_ERROR,
            format!("{data_dir}: an etcd data dir (bbolt backend): import it with oxutl migrate-from-etcd first"),
        ));
    }
    let db = Path::new(data_dir).join("member").join("snap").join("db");
    if let Err(e) = std::fs::metadata(&db) {
        return Err(Failure::error(
            EXIT_ERROR,
            format!("open {}: {}", db.display(), oxcd_client::go_io_reason(&e)),
        ));
    }
    MvccStore::open_read_only(&db).map_err(|e| Failure::error(EXIT_ERROR, e))
}
