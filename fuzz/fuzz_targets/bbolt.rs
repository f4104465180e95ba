//! An etcd backend (bbolt) file, as snapshot restore and the import read it: every bucket and
//! key walked, nested buckets too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxcd_bbolt::{Bucket, Db};

fn walk(bucket: &Bucket, depth: usize) {
    for (key, value) in bucket.iter() {
        std::hint::black_box((key, value));
    }
    if depth < 8 {
        for (_, nested) in bucket.buckets() {
            walk(nested, depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(db) = Db::from_bytes(data) else { return };
    for (_, bucket) in db.buckets() {
        walk(bucket, 0);
    }
});
