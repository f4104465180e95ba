//! An etcd WAL segment as the import and migration read it: a log or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let segment = dir.path().join(format!("{:016x}-{:016x}.wal", 0, 0));
    if std::fs::write(segment, data).is_err() {
        return;
    }
    let _ = oxcd_etcdwal::read_wal(dir.path(), None);
});
