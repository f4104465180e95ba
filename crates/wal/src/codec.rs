//! Payloads of the five record types: fixed field order, little-endian integers,
//! byte strings and id lists prefixed by a u32 count.
//!
//! ```text
//! Metadata:  version u8 (= 1) | metadata bytes (rest of the payload)
//! Entry:     index u64 | term u64 | entry_type i32 | data_len u32 | data
//!            | context_len u32 | context
//! HardState: term u64 | vote u64 | commit u64
//! Snapshot:  index u64 | term u64 | auto_leave u8 (0 or 1)
//!            | voters | learners | voters_outgoing | learners_next (each: count u32 | count × u64)
//! Installed: as Snapshot (a snapshot received from the leader: the entries before it are void)
//! ```

use crate::types::{Entry, HardState, SnapshotMark};

/// Bumped if a payload layout ever changes, so an old binary refuses a newer log.
const FORMAT_VERSION: u8 = 1;

/// The kind of a record; the discriminant is the type byte on disk (0 is never valid, so
/// zero-filled space cannot look like a record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordType {
    Metadata = 1,
    Entry = 2,
    HardState = 3,
    Snapshot = 4,
    Installed = 5,
}

impl RecordType {
    pub(crate) fn from_byte(b: u8) -> Option<RecordType> {
        match b {
            1 => Some(RecordType::Metadata),
            2 => Some(RecordType::Entry),
            3 => Some(RecordType::HardState),
            4 => Some(RecordType::Snapshot),
            5 => Some(RecordType::Installed),
            _ => None,
        }
    }
}

/// A decoded record payload.
#[derive(Debug)]
pub(crate) enum Payload {
    Metadata(Vec<u8>),
    Entry(Entry),
    HardState(HardState),
    Snapshot(SnapshotMark),
    Installed(SnapshotMark),
}

pub(crate) fn encode_metadata(metadata: &[u8], out: &mut Vec<u8>) {
    out.push(FORMAT_VERSION);
    out.extend_from_slice(metadata);
}

pub(crate) fn encode_entry(e: &Entry, out: &mut Vec<u8>) {
    out.extend_from_slice(&e.index.to_le_bytes());
    out.extend_from_slice(&e.term.to_le_bytes());
    out.extend_from_slice(&e.entry_type.to_le_bytes());
    put_bytes(&e.data, out);
    put_bytes(&e.context, out);
}

pub(crate) fn encode_hard_state(hs: &HardState, out: &mut Vec<u8>) {
    for v in [hs.term, hs.vote, hs.commit] {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

pub(crate) fn encode_snapshot(m: &SnapshotMark, out: &mut Vec<u8>) {
    out.extend_from_slice(&m.index.to_le_bytes());
    out.extend_from_slice(&m.term.to_le_bytes());
    out.push(u8::from(m.auto_leave));
    for list in [&m.voters, &m.learners, &m.voters_outgoing, &m.learners_next] {
        put_len(list.len(), out);
        for id in list {
            out.extend_from_slice(&id.to_le_bytes());
        }
    }
}

/// Writes a u32 length; the record framing rejects any payload over u32::MAX bytes, and
/// a byte string or list longer than that would make its record longer still.
fn put_len(len: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(&(len as u32).to_le_bytes());
}

fn put_bytes(b: &[u8], out: &mut Vec<u8>) {
    put_len(b.len(), out);
    out.extend_from_slice(b);
}

/// Decodes a payload whose checksum already matched; an error here means the writer and
/// reader disagree on the layout, which is corruption, not a torn write.
pub(crate) fn decode(kind: RecordType, payload: &[u8]) -> Result<Payload, &'static str> {
    let mut r = Reader { buf: payload };
    let decoded = match kind {
        RecordType::Metadata => {
            if r.u8()? != FORMAT_VERSION {
                return Err("unsupported format version");
            }
            Payload::Metadata(r.take(r.buf.len())?.to_vec())
        }
        RecordType::Entry => Payload::Entry(Entry {
            index: r.u64()?,
            term: r.u64()?,
            entry_type: i32::from_le_bytes(r.array()?),
            data: r.bytes()?,
            context: r.bytes()?,
        }),
        RecordType::HardState => Payload::HardState(HardState {
            term: r.u64()?,
            vote: r.u64()?,
            commit: r.u64()?,
        }),
        RecordType::Snapshot | RecordType::Installed => {
            let index = r.u64()?;
            let term = r.u64()?;
            let auto_leave = match r.u8()? {
                0 => false,
                1 => true,
                _ => return Err("bad auto_leave flag"),
            };
            let mark = SnapshotMark {
                index,
                term,
                auto_leave,
                voters: r.ids()?,
                learners: r.ids()?,
                voters_outgoing: r.ids()?,
                learners_next: r.ids()?,
            };
            if kind == RecordType::Installed {
                Payload::Installed(mark)
            } else {
                Payload::Snapshot(mark)
            }
        }
    };
    if !r.buf.is_empty() {
        return Err("trailing bytes in payload");
    }
    Ok(decoded)
}

/// A cursor over a payload that never reads past its end.
struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        if self.buf.len() < n {
            return Err("payload shorter than its fields");
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], &'static str> {
        Ok(self
            .take(N)?
            .try_into()
            .expect("take returned exactly N bytes"))
    }

    fn u8(&mut self) -> Result<u8, &'static str> {
        Ok(self.take(1)?[0])
    }

    fn u64(&mut self) -> Result<u64, &'static str> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn len(&mut self) -> Result<usize, &'static str> {
        Ok(u32::from_le_bytes(self.array()?) as usize)
    }

    fn bytes(&mut self) -> Result<Vec<u8>, &'static str> {
        let n = self.len()?;
        Ok(self.take(n)?.to_vec())
    }

    fn ids(&mut self) -> Result<Vec<u64>, &'static str> {
        let n = self.len()?;
        // Check before allocating, so a bad count cannot ask for gigabytes.
        if n > self.buf.len() / 8 {
            return Err("id list longer than its payload");
        }
        (0..n).map(|_| self.u64()).collect()
    }
}
