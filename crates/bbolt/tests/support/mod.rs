//! Shared by the compatibility tests: the Go checker built from `tests/gocheck` against the real
//! go.etcd.io/bbolt, and the same dump format produced from our reader.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use oxcd_bbolt::{Bucket, Db};

/// The built `gocheck` binary, or `None` (test skipped) when Go is not installed outside CI.
/// CI sets `CI`; there a missing Go fails the test instead of skipping it, because .ci/run does
/// not install Go and a skipped compatibility test would look like a passing one.
pub fn gocheck() -> Option<PathBuf> {
    static BUILT: OnceLock<Option<PathBuf>> = OnceLock::new();
    BUILT.get_or_init(build).clone()
}

fn build() -> Option<PathBuf> {
    let present = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "go must be installed in CI to check oxcd-bbolt against go.etcd.io/bbolt"
        );
        println!("skipping: go is not installed");
        return None;
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gocheck");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bbolt-gocheck");
    std::fs::create_dir_all(&dir).expect("create the gocheck build directory");
    let bin = dir.join("gocheck");
    // Test binaries may build at the same time: each builds its own file and renames it into
    // place, which is atomic; Go's build cache makes the second build cheap.
    let partial = dir.join(format!("gocheck.{}", std::process::id()));
    let out = Command::new("go")
        .args(["build", "-buildvcs=false", "-mod=readonly", "-o"])
        .arg(&partial)
        .arg(".")
        .current_dir(&source)
        .output()
        .expect("run go build");
    assert!(
        out.status.success(),
        "go build of {} failed:\n{}",
        source.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::rename(&partial, &bin).expect("move gocheck into place");
    Some(bin)
}

/// Runs `gocheck CMD FILE`; panics with Go's stderr (the `tx.Check` findings) on failure.
pub fn go(bin: &Path, cmd: &str, file: &Path) -> String {
    let out = Command::new(bin)
        .arg(cmd)
        .arg(file)
        .output()
        .expect("run gocheck");
    assert!(
        out.status.success(),
        "gocheck {cmd} {} failed:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("gocheck prints ASCII")
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What `gocheck dump` prints, from our reader.
pub fn dump(db: &Db) -> String {
    let mut out = String::new();
    for (name, bucket) in db.buckets() {
        dump_bucket(&mut out, &hex(name), bucket);
    }
    out
}

fn dump_bucket(out: &mut String, path: &str, bucket: &Bucket) {
    out.push_str(&format!("bucket {path} {}\n", bucket.sequence()));
    // bbolt's cursor interleaves nested buckets with keys in key order.
    let mut entries = bucket.iter().peekable();
    let mut nested = bucket.buckets().peekable();
    loop {
        let take_entry = match (entries.peek(), nested.peek()) {
            (Some((k, _)), Some((n, _))) => k < n,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_entry {
            if let Some((k, v)) = entries.next() {
                out.push_str(&format!("kv {path} {} {}\n", hex(k), hex(v)));
            }
        } else if let Some((n, b)) = nested.next() {
            dump_bucket(out, &format!("{path}/{}", hex(n)), b);
        }
    }
}

/// Buckets to write: name and entries in key order.
pub type Sample = Vec<(Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>)>;

/// Deterministic bytes, so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Buckets covering the layouts: empty and inline buckets, a single-leaf bucket too big to be
/// inline, 1-byte keys, `many` keys of varied lengths (several branch levels), and values and a
/// key larger than a page (overflow pages).
pub fn sample(page_size: usize, many: usize) -> Sample {
    let mut rng = Rng::new(page_size as u64 * 7919 + many as u64);
    let mut buckets: Sample = Vec::new();
    buckets.push((b"empty".to_vec(), Vec::new()));
    buckets.push((
        b"inline".to_vec(),
        vec![(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), Vec::new())],
    ));
    let single_leaf = (0..(page_size / 4 / 40) as u32 + 2)
        .map(|i| (format!("leaf{i:04}").into_bytes(), vec![b'v'; 24]))
        .collect();
    buckets.push((b"single-leaf".to_vec(), single_leaf));
    buckets.push((
        b"short".to_vec(),
        (0..=255u8)
            .map(|b| (vec![b], vec![b; b as usize % 3]))
            .collect(),
    ));
    let keys = (0..many)
        .map(|i| {
            let mut key = format!("{i:08}").into_bytes();
            let extra = rng.below(60) as usize;
            key.extend(rng.bytes(extra));
            let value_len = rng.below(120) as usize;
            (key, rng.bytes(value_len))
        })
        .collect();
    buckets.push((b"keys".to_vec(), keys));
    let sizes = [0, 1, 4000, 5000, 100_000, 3 * page_size, 300_000, 10];
    let mut big: Vec<(Vec<u8>, Vec<u8>)> = sizes
        .iter()
        .enumerate()
        .map(|(i, &len)| (format!("big-{i:02}").into_bytes(), rng.bytes(len)))
        .collect();
    let mut long_key = b"big-99".to_vec();
    long_key.extend(std::iter::repeat_n(b'k', 5000));
    big.push((long_key, b"a key longer than a page".to_vec()));
    buckets.push((b"big".to_vec(), big));
    buckets
}

pub fn write_sample(sample: &Sample, page_size: usize) -> Vec<u8> {
    let mut writer =
        oxcd_bbolt::Writer::new(page_size, std::io::Cursor::new(Vec::new())).expect("page size");
    // Added out of name order on purpose: the writer sorts the top level itself.
    for (name, entries) in sample.iter().rev() {
        writer
            .add_bucket(name, entries.iter().cloned())
            .expect("add bucket");
    }
    let (len, file) = writer.finish().expect("write");
    let file = file.into_inner();
    assert_eq!(len, file.len() as u64);
    file
}

/// The dump of a file holding exactly `sample`.
pub fn expected_dump(sample: &Sample) -> String {
    let mut sorted: Vec<_> = sample.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::new();
    for (name, entries) in sorted {
        let path = hex(name);
        out.push_str(&format!("bucket {path} 0\n"));
        for (k, v) in entries {
            out.push_str(&format!("kv {path} {} {}\n", hex(k), hex(v)));
        }
    }
    out
}
