//! Files from our writer against the real go.etcd.io/bbolt (v1.3.7, built from tests/gocheck),
//! and files from Go against our reader.

mod support;

use oxcd_bbolt::Db;
use support::{dump, expected_dump, go, gocheck, sample, write_sample};

/// Go opens our file, `tx.Check` finds nothing wrong, and it reads back exactly what we wrote;
/// then Go commits a write on top of it, and both sides still agree.
fn check_against_go(page_size: usize, many: usize) {
    let Some(bin) = gocheck() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ours.db");
    let sample = sample(page_size, many);
    let file = write_sample(&sample, page_size);
    std::fs::write(&path, &file).expect("write file");

    let expected = expected_dump(&sample);
    let from_go = go(&bin, "dump", &path);
    assert!(
        from_go == expected,
        "Go reads back something else than we wrote"
    );
    let ours = Db::from_bytes(&file).expect("our reader");
    assert!(
        dump(&ours) == expected,
        "our reader disagrees with our writer"
    );
    assert_eq!(ours.meta().page_size as usize, page_size);
    assert_eq!(ours.meta().high_water * page_size as u64, file.len() as u64);

    go(&bin, "touch", &path);
    let touched = oxcd_bbolt::read(&path).expect("read the file Go wrote to");
    assert!(dump(&touched) == go(&bin, "dump", &path));
    for (name, entries) in &sample {
        let bucket = touched.bucket(name).expect("bucket survives");
        assert_eq!(bucket.len(), entries.len() + 1);
        assert_eq!(bucket.get(b"\xff\xfftouched"), Some(&b"by go"[..]));
    }
}

#[test]
fn writer_output_passes_bbolt_check_with_4k_pages() {
    check_against_go(4096, 150_000);
}

#[test]
fn writer_output_passes_bbolt_check_with_1k_pages() {
    // Small pages make the same data a deeper tree: four levels of branch pages.
    check_against_go(1024, 60_000);
}

#[test]
fn writer_output_passes_bbolt_check_with_64k_pages() {
    check_against_go(65536, 20_000);
}

/// Go's own file with nested, inline and multi-level buckets, overflow values and free pages
/// after deletions: our reader sees exactly what Go sees.
#[test]
fn reader_matches_go_on_a_file_go_wrote() {
    let Some(bin) = gocheck() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("go.db");
    go(&bin, "gen", &path);
    let db = oxcd_bbolt::read(&path).expect("read Go's file");
    assert!(dump(&db) == go(&bin, "dump", &path), "dumps differ");
    assert!(!db.free_pages().is_empty(), "the deletions freed pages");
    let outer = db.bucket(b"outer").expect("outer");
    let inner = outer.bucket(b"inner").expect("nested bucket");
    assert_eq!(inner.get(b"deep"), Some(&b"value"[..]));
    assert_eq!(outer.bucket(b"wide").map(|b| b.len()), Some(3000));
    assert_eq!(db.bucket(b"big").map(|b| b.sequence()), Some(1));
    assert!(db.bucket(b"empty").is_some_and(|b| b.is_empty()));
}
