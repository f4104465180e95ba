//! Record framing, and telling a torn tail from corruption.
//!
//! Every record is a 13-byte header followed by its payload:
//!
//! ```text
//! offset 0  u32 LE  payload length
//! offset 4  u8      record type (codec::RecordType; never 0), | 0x80 on the first record
//!                   of each write (see WRITE_START)
//! offset 5  u32 LE  CRC32C of the type byte followed by the payload
//! offset 9  u32 LE  CRC32C of header bytes 0..9
//! ```
//!
//! The header's own checksum lets a reader trust the length before reading the payload, and
//! lets [`is_torn`] test any byte offset for "a valid record starts here" in constant time
//! unless the header matches.

use crate::codec::RecordType;
use crate::error::WalError;

pub(crate) const HEADER_LEN: usize = 13;

/// The unit in which a disk may lose part of an unsynced write (a sector; pages are
/// multiples of it): a torn write leaves such blocks zero-filled.
const SECTOR: usize = 512;

/// Type-byte flag on the first record of each write. Writes are serialized and each is
/// synced before the next begins, so a record followed by a later write's start was synced:
/// if it fails its checks, that is corruption, never a torn write.
const WRITE_START: u8 = 0x80;

/// Appends one framed record to `out`; `fill` appends the payload. `out` holds exactly one
/// write: its first record is flagged [`WRITE_START`].
pub(crate) fn append(
    out: &mut Vec<u8>,
    kind: RecordType,
    fill: impl FnOnce(&mut Vec<u8>),
) -> Result<(), WalError> {
    let start = out.len();
    out.extend_from_slice(&[0; HEADER_LEN]);
    fill(out);
    let payload = &out[start + HEADER_LEN..];
    let Ok(len) = u32::try_from(payload.len()) else {
        let len = payload.len();
        out.truncate(start);
        return Err(WalError::RecordTooLarge { len });
    };
    let type_byte = kind as u8 | if start == 0 { WRITE_START } else { 0 };
    let crc = crc32c::crc32c_append(crc32c::crc32c(&[type_byte]), payload);
    let header = &mut out[start..start + HEADER_LEN];
    header[0..4].copy_from_slice(&len.to_le_bytes());
    header[4] = type_byte;
    header[5..9].copy_from_slice(&crc.to_le_bytes());
    let header_crc = crc32c::crc32c(&header[0..9]);
    header[9..13].copy_from_slice(&header_crc.to_le_bytes());
    Ok(())
}

/// One record found in a segment.
pub(crate) struct Record<'a> {
    pub offset: u64,
    pub kind: RecordType,
    pub starts_write: bool,
    pub payload: &'a [u8],
}

/// Where and why the records of a segment stopped.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// At the end of the file, or where only zeros (preallocated space) remain.
    Clean { offset: u64 },
    /// At a record that is incomplete or fails a check; nonzero bytes remain from `offset`.
    Broken { offset: u64, reason: &'static str },
}

/// Reads the records of a whole segment, stopping at the first that does not check out.
pub(crate) fn read_all(buf: &[u8]) -> (Vec<Record<'_>>, End) {
    let mut records = Vec::new();
    let mut pos = 0;
    loop {
        if pos == buf.len() {
            return (records, End::Clean { offset: pos as u64 });
        }
        match parse_at(buf, pos) {
            Ok(record) => {
                pos += HEADER_LEN + record.payload.len();
                records.push(record);
            }
            Err(_) if all_zero(&buf[pos..]) => {
                return (records, End::Clean { offset: pos as u64 });
            }
            Err(reason) => {
                return (
                    records,
                    End::Broken {
                        offset: pos as u64,
                        reason,
                    },
                )
            }
        }
    }
}

/// Whether `bytes` are all zero. A segment's preallocated tail is most of a new segment, so this
/// compares words rather than bytes.
pub(crate) fn all_zero(bytes: &[u8]) -> bool {
    let words = bytes.chunks_exact(16);
    let rest = words.remainder();
    rest.iter().all(|&b| b == 0)
        && words
            .map(|w| u128::from_ne_bytes(w.try_into().expect("16 bytes")))
            .fold(0, |acc, w| acc | w)
            == 0
}

/// Parses the record starting at `pos`.
fn parse_at(buf: &[u8], pos: usize) -> Result<Record<'_>, &'static str> {
    let Some(header) = buf.get(pos..pos + HEADER_LEN) else {
        return Err("incomplete record header");
    };
    let field = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    if crc32c::crc32c(&header[0..9]) != field(9) {
        return Err("header crc mismatch");
    }
    let kind = RecordType::from_byte(header[4] & !WRITE_START).ok_or("unknown record type")?;
    let start = pos + HEADER_LEN;
    let payload = buf
        .get(start..start + field(0) as usize)
        .ok_or("incomplete record")?;
    if crc32c::crc32c_append(crc32c::crc32c(&[header[4]]), payload) != field(5) {
        return Err("crc mismatch");
    }
    let starts_write = header[4] & WRITE_START != 0;
    Ok(Record {
        offset: pos as u64,
        kind,
        starts_write,
        payload,
    })
}

/// Decides whether the broken record at `offset` (the first that failed; see [`End::Broken`])
/// is the torn tail of an unfinished write rather than corruption.
///
/// A crash while appending leaves a prefix of the one write in flight, possibly with whole
/// sectors of it still zero (the disk wrote later sectors before earlier ones). So the record
/// is torn if no valid record follows it, or if only records of its own write follow (no
/// [`WRITE_START`]) with a zero-filled sector between it and them. Anything else has intact,
/// synced data after it: corruption.
pub(crate) fn is_torn(buf: &[u8], offset: usize) -> bool {
    let mut next_valid = None;
    let mut pos = offset + 1;
    while pos + HEADER_LEN <= buf.len() {
        // Cheap filter first: most offsets do not even carry a known type byte.
        let plausible = RecordType::from_byte(buf[pos + 4] & !WRITE_START).is_some();
        match plausible.then(|| parse_at(buf, pos).ok()).flatten() {
            Some(record) if record.starts_write => return false,
            Some(record) => {
                next_valid.get_or_insert(pos);
                pos += HEADER_LEN + record.payload.len();
            }
            None => pos += 1,
        }
    }
    let Some(next) = next_valid else {
        return true;
    };
    let mut sector = offset.next_multiple_of(SECTOR);
    while sector + SECTOR <= next {
        if buf[sector..sector + SECTOR].iter().all(|&b| b == 0) {
            return true;
        }
        sector += SECTOR;
    }
    false
}
