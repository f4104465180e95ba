//! oxutl: an etcdutl (etcd 3.5) compatible offline tool for snapshot files and data dirs.
//!
//! `snapshot status` reads a snapshot in etcd's bbolt format (saved from etcd or from oxcd) and
//! prints what etcdutl prints; `snapshot restore` takes etcdutl's flags and writes an oxcd data
//! dir through `oxcd_server::member::restore`. Output, errors and exit codes follow etcdutl's
//! (its zap log lines aside); see `bins/oxutl/tests/`. Where etcdutl names itself, oxutl does.

mod cli;
mod defrag;
mod dump;
mod error;
#[path = "../../oxctl/src/goformat.rs"]
#[allow(dead_code)] // shared with oxctl, which formats much more than oxutl does
mod goformat;
// oxctl's Go JSON of the records `dump` prints.
#[path = "../../oxctl/src/output/gojson.rs"]
#[allow(dead_code)] // shared with oxctl, whose JSON printers use more of it
mod gojson;
mod hashkv;
mod migrate;
// oxctl's printer of what both tools print alike, and the table drawing it uses.
#[path = "../../oxctl/src/output/db_status.rs"]
mod db_status;
#[path = "../../oxctl/src/progress.rs"]
mod progress;
// oxctl's text of the records `dump` prints.
#[path = "../../oxctl/src/output/records.rs"]
mod records;
mod restore;
mod status;
#[path = "../../oxctl/src/output/table.rs"]
mod table;

use std::io::Write;

use cli::Parsed;
use error::{Failure, EXIT_BAD_ARGS};

/// oxutl's own version, and the etcd API version oxcd speaks.
const OXUTL_VERSION: &str = env!("CARGO_PKG_VERSION");
const API_VERSION: &str = "3.6";

fn run(argv: &[String]) -> Result<(), Failure> {
    let inv = match cli::parse(argv)? {
        Parsed::Help(text) => {
            print!("{text}");
            return Ok(());
        }
        Parsed::Run(inv) => inv,
    };
    match inv.command.path {
        "version" => {
            println!("oxutl version: {OXUTL_VERSION}");
            println!("API version: {API_VERSION}");
            Ok(())
        }
        "snapshot status" => {
            let [path] = inv.args.as_slice() else {
                return Err(Failure::error(
                    EXIT_BAD_ARGS,
                    "snapshot status requires exactly one argument",
                ));
            };
            status::run(path, &inv.string("write-out"))
        }
        "snapshot restore" => restore::run(&inv),
        "migrate-from-etcd" => migrate::run(&inv),
        "defrag" => defrag::run(&inv),
        "hashkv" => hashkv::run(&inv),
        "dump keys" | "dump leases" | "dump members" | "dump alarms" => dump::run(&inv),
        other => unreachable!("command {other:?} is declared but has no implementation"),
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Err(failure) = run(&argv) {
        let _ = std::io::stdout().lock().flush();
        let _ = std::io::stderr()
            .lock()
            .write_all(failure.stderr.as_bytes());
        std::process::exit(failure.code);
    }
    let _ = std::io::stdout().lock().flush();
}
