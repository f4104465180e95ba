//! `snapshot status`: etcdutl's `Status` over a bbolt snapshot file (from etcd or from oxcd),
//! and its printers.
//!
//! The hash is CRC-32C (Castagnoli) over, for each top-level bucket in name order, the bucket's
//! name and then each of its keys and values in key order (a nested bucket counts as a key with
//! an empty value, as bbolt's `ForEach` yields it); "total keys" counts those pairs in every
//! bucket; the revision is the main revision of the last key of the `key` bucket; the size is
//! bbolt's `tx.Size()` (the file's high-water page times the page size, so without the SHA-256
//! trailer of a saved snapshot).

use std::fmt::Write;
use std::path::Path;

use crate::error::{Failure, EXIT_BAD_FEATURE, EXIT_ERROR};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub hash: u32,
    pub revision: i64,
    pub total_key: u64,
    pub total_size: u64,
}

/// etcdutl's `v3Manager.Status`, with its error texts.
pub fn status(path: &Path) -> Result<Status, String> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(format!("stat {}: {}", path.display(), go_io_reason(&e)));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| format!("open {}: {}", path.display(), go_io_reason(&e)))?;
    // bolt.Open refuses what is not a bbolt file as "invalid database"; a damaged tree is
    // refused by tx.Check, which our reader's validation stands for.
    let db = oxcd_bbolt::Db::from_vec(bytes).map_err(|e| match e {
        oxcd_bbolt::BoltError::Corrupt { .. } => {
            format!("snapshot file integrity check failed. 1 errors found.\n{e}")
        }
        _ => "invalid database".to_string(),
    })?;
    let meta = db.meta();
    let mut status = Status {
        hash: 0,
        revision: 0,
        total_key: 0,
        total_size: meta.high_water * u64::from(meta.page_size),
    };
    let mut crc = 0u32;
    for (name, bucket) in db.buckets() {
        crc = crc32c::crc32c_append(crc, name);
        let is_key = name == b"key";
        let mut entries: Vec<(&[u8], &[u8])> = bucket.iter().collect();
        entries.extend(bucket.buckets().map(|(k, _)| (k, &[][..])));
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (k, v) in entries {
            crc = crc32c::crc32c_append(crc, k);
            crc = crc32c::crc32c_append(crc, v);
            if is_key {
                if let Some(main) = k.get(..8) {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(main);
                    status.revision = i64::from_be_bytes(word);
                }
            }
            status.total_key += 1;
        }
    }
    status.hash = crc;
    Ok(status)
}

/// An I/O error in Go's words (`no such file or directory`).
pub fn go_io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.find(" (os error") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.to_lowercase()
}

/// The `-w` format, checked before the file is read as etcdutl's `initPrinterFromCmd` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Simple,
    Json,
    Table,
    Fields,
    Protobuf,
}

impl Format {
    pub fn parse(text: &str) -> Result<Format, Failure> {
        Ok(match text {
            "simple" => Format::Simple,
            "json" => Format::Json,
            "table" => Format::Table,
            "fields" => Format::Fields,
            "protobuf" => Format::Protobuf,
            _ => {
                return Err(Failure::error(
                    EXIT_BAD_FEATURE,
                    "unsupported output format",
                ))
            }
        })
    }
}

/// etcdutl's printers' `DBStatus`.
pub fn print(format: Format, s: &Status) -> Result<String, Failure> {
    let row = [
        format!("{:x}", s.hash),
        s.revision.to_string(),
        s.total_key.to_string(),
        humanize_bytes(s.total_size),
    ];
    Ok(match format {
        Format::Simple => format!("{}\n", row.join(", ")),
        Format::Json => format!(
            "{{\"hash\":{},\"revision\":{},\"totalKey\":{},\"totalSize\":{}}}\n",
            s.hash, s.revision, s.total_key, s.total_size
        ),
        Format::Fields => format!(
            "\"Hash\" : {}\n\"Revision\" : {}\n\"Keys\" : {}\n\"Size\" : {}\n",
            s.hash, s.revision, s.total_key, s.total_size
        ),
        Format::Table => table(&["hash", "revision", "total keys", "total size"], &row),
        Format::Protobuf => {
            return Err(Failure::error(
                EXIT_BAD_FEATURE,
                "protobuf not supported as output format",
            ))
        }
    })
}

/// olekukonko/tablewriter with etcdutl's settings: upper-case centred header, cells aligned
/// right.
fn table(header: &[&str], row: &[String]) -> String {
    let widths: Vec<usize> = header
        .iter()
        .zip(row)
        .map(|(h, c)| h.len().max(c.len()))
        .collect();
    let border: String = widths.iter().fold(String::from("+"), |mut acc, w| {
        acc.push_str(&"-".repeat(w + 2));
        acc.push('+');
        acc
    });
    let mut out = format!("{border}\n|");
    for (h, w) in header.iter().zip(&widths) {
        let text = h.to_uppercase();
        let left = (w - text.len()) / 2;
        let right = w - text.len() - left;
        let _ = write!(out, " {}{text}{} |", " ".repeat(left), " ".repeat(right));
    }
    let _ = write!(out, "\n{border}\n|");
    for (c, w) in row.iter().zip(&widths) {
        let _ = write!(out, " {c:>w$} |");
    }
    let _ = writeln!(out, "\n{border}");
    out
}

/// go-humanize's `Bytes`: SI units, e.g. `20 kB`, `1.6 MB`.
pub fn humanize_bytes(size: u64) -> String {
    if size < 10 {
        return format!("{size} B");
    }
    const SUFFIXES: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let exponent = ((size as f64).ln() / 1000f64.ln()).floor();
    let suffix = SUFFIXES[exponent as usize];
    let value = (size as f64 / 1000f64.powf(exponent) * 10.0 + 0.5).floor() / 10.0;
    if value < 10.0 {
        format!("{value:.1} {suffix}")
    } else {
        format!("{value:.0} {suffix}")
    }
}

/// Runs `snapshot status <file>`.
pub fn run(path: &str, format: &str) -> Result<(), Failure> {
    let format = Format::parse(format)?;
    let status = status(Path::new(path)).map_err(|e| Failure::error(EXIT_ERROR, e))?;
    print!("{}", print(format, &status)?);
    Ok(())
}
