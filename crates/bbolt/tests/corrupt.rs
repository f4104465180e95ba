//! Damaged files are errors that name the page, never panics.

mod support;

use std::io::Cursor;

use oxcd_bbolt::{BoltError, Db, Writer};
use support::{dump, expected_dump, sample, write_sample, Rng};

const PAGE: usize = 1024;

fn file() -> Vec<u8> {
    write_sample(&sample(PAGE, 3_000), PAGE)
}

#[test]
fn round_trips_without_go() {
    let sample = sample(PAGE, 3_000);
    let db = Db::from_bytes(&write_sample(&sample, PAGE)).expect("read");
    assert_eq!(dump(&db), expected_dump(&sample));
    assert!(db.free_pages().is_empty());
    assert_eq!(db.meta().txid, 1);
}

#[test]
fn every_truncation_is_an_error() {
    let file = file();
    let mut rng = Rng::new(1);
    let mut lengths: Vec<usize> = (0..300)
        .map(|_| rng.below(file.len() as u64) as usize)
        .collect();
    lengths.extend([
        0,
        1,
        79,
        80,
        PAGE,
        PAGE + 80,
        2 * PAGE,
        3 * PAGE,
        file.len() - 1,
    ]);
    for len in lengths {
        assert!(
            Db::from_bytes(&file[..len]).is_err(),
            "{len} bytes read fine"
        );
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let file = file();
    let mut rng = Rng::new(2);
    let mut damaged = file.clone();
    for round in 0..3_000 {
        damaged.copy_from_slice(&file);
        // Mostly in page headers and element tables, where a flip changes the structure.
        for _ in 0..1 + round % 4 {
            let page = rng.below((file.len() / PAGE) as u64) as usize;
            let at =
                page * PAGE + rng.below(if round % 2 == 0 { 128 } else { PAGE as u64 }) as usize;
            damaged[at] ^= 1 << rng.below(8);
        }
        let _ = Db::from_bytes(&damaged);
    }
}

#[test]
fn a_damaged_meta_falls_back_to_the_other() {
    let mut file = file();
    file[40] ^= 0xff; // meta 1 (txid 1) is the newer; damage meta 0 first
    assert_eq!(Db::from_bytes(&file).expect("meta 1").meta().txid, 1);
    file[PAGE + 40] ^= 0xff;
    let err = Db::from_bytes(&file).expect_err("no meta left");
    assert!(matches!(err, BoltError::NoValidMeta { .. }), "{err}");
    assert!(err.to_string().contains("checksum"), "{err}");
}

#[test]
fn a_child_out_of_range_is_named() {
    let mut writer = Writer::new(PAGE, Cursor::new(Vec::new())).expect("writer");
    let entries = (0..500u32).map(|i| (i.to_be_bytes().to_vec(), vec![0; 40]));
    writer.add_bucket(b"b", entries).expect("add");
    let mut file = writer.finish().expect("write").1.into_inner();
    let db = Db::from_bytes(&file).expect("valid");
    let high_water = db.meta().high_water;
    // The last page is the root of the top-level tree; the page before it is the bucket's
    // branch root. Point its first child past the end.
    let branch = (high_water as usize - 2) * PAGE;
    assert_eq!(file[branch + 8], 0x01, "a branch page");
    file[branch + 24..branch + 32].copy_from_slice(&1000u64.to_le_bytes());
    let err = Db::from_bytes(&file).expect_err("bad child");
    assert_eq!(
        err.to_string(),
        format!("page 1000: out of range (high-water mark {high_water})")
    );
    // A child pointing back at its parent is a cycle.
    file[branch + 24..branch + 32].copy_from_slice(&(high_water - 2).to_le_bytes());
    let err = Db::from_bytes(&file).expect_err("cycle");
    assert!(err.to_string().contains("referenced twice"), "{err}");
}

#[test]
fn writer_rejects_what_bbolt_cannot_store() {
    let mut writer = Writer::new(4096, Cursor::new(Vec::new())).expect("writer");
    let unsorted = vec![(b"b".to_vec(), vec![]), (b"a".to_vec(), vec![])];
    assert!(writer.add_bucket(b"x", unsorted).is_err());
    assert!(writer.add_bucket(b"y", vec![(Vec::new(), vec![])]).is_err());
    assert!(writer.add_bucket(b"", Vec::new()).is_err());
    writer.add_bucket(b"z", Vec::new()).expect("empty bucket");
    assert!(writer.add_bucket(b"z", Vec::new()).is_err());
    assert!(Writer::new(3000, Cursor::new(Vec::new())).is_err());
}
