//! An etcd `.snap` file (raft snapshot metadata and the v2 store) as the import reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let file = dir.path().join(format!("{:016x}-{:016x}.snap", 1, 1));
    if std::fs::write(&file, data).is_err() {
        return;
    }
    let _ = oxcd_etcdwal::read_snap(&file);
});
