//! oxcd's WAL segment as `Wal::open` replays it: any bytes give a log or an error, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxcd_wal::{Wal, WalOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let segment = dir.path().join(format!("{:016x}-{:016x}.wal", 0, 0));
    if std::fs::write(segment, data).is_err() {
        return;
    }
    let _ = Wal::open(dir.path(), WalOptions::default());
});
