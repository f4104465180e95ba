//! Frames of one WAL segment and the CRC chain across segments.
//!
//! A frame is an 8-byte little-endian length word, then a `walpb.Record` padded to 8 bytes.
//! The length word's top bit says padding follows and bits 56..58 say how much, so the word
//! itself is always 8-aligned and can never be torn. A zero word is the preallocated tail.

use std::fs::File;
use std::io::{BufReader, ErrorKind, Read};
use std::path::{Path, PathBuf};

use prost::Message;

use crate::error::EtcdWalError;
use crate::pb::Record;

pub(crate) const CRC_TYPE: i64 = 4;

const FRAME_HEADER: u64 = 8;
/// Torn writes are detected per disk sector, the unit the kernel may fail to persist.
const SECTOR: u64 = 512;
/// Large enough that most segments are read in a handful of system calls; records bigger than
/// the buffer are read straight into their own allocation.
const READ_BUFFER: usize = 1 << 20;

/// One segment opened for a single front-to-back pass.
pub(crate) struct Segment {
    path: PathBuf,
    reader: BufReader<File>,
    size: u64,
    /// Offset of the next frame's length word.
    offset: u64,
    /// Only the newest segment can end in a torn write; elsewhere damage is corruption.
    last: bool,
}

/// What the next read of a segment found.
pub(crate) enum Step {
    Record {
        offset: u64,
        record: Record,
    },
    /// A zero length word or the end of the file: the segment holds nothing more.
    End,
    /// The record at `offset` of the last segment was only partly written before a crash.
    Torn {
        offset: u64,
    },
}

impl Segment {
    pub(crate) fn open(path: &Path, last: bool) -> Result<Self, EtcdWalError> {
        let file = File::open(path).map_err(|e| EtcdWalError::io(path, e))?;
        let size = file
            .metadata()
            .map_err(|e| EtcdWalError::io(path, e))?
            .len();
        Ok(Segment {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(READ_BUFFER, file),
            size,
            offset: 0,
            last,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Fills `buf` as far as the file allows, returning how many bytes it got.
    fn read_up_to(&mut self, buf: &mut [u8]) -> Result<usize, EtcdWalError> {
        let mut got = 0;
        while got < buf.len() {
            match self.reader.read(&mut buf[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(EtcdWalError::io(&self.path, e)),
            }
        }
        Ok(got)
    }

    /// A frame that ends early: a torn write in the last segment, corruption anywhere else.
    fn short(&self, offset: u64, reason: String) -> Result<Step, EtcdWalError> {
        if self.last {
            Ok(Step::Torn { offset })
        } else {
            Err(EtcdWalError::BadLength {
                path: self.path.clone(),
                offset,
                reason,
            })
        }
    }

    /// Reads the next frame, checking its record against the running CRC `chain`.
    pub(crate) fn next(&mut self, chain: &mut u32) -> Result<Step, EtcdWalError> {
        let offset = self.offset;
        let mut word = [0u8; 8];
        let got = self.read_up_to(&mut word)?;
        if got == 0 {
            return Ok(Step::End);
        }
        if got < word.len() {
            return self.short(offset, format!("only {got} of 8 bytes of length word"));
        }
        let word = u64::from_le_bytes(word);
        if word == 0 {
            return Ok(Step::End);
        }
        let record_len = word & !(0xff << 56);
        let pad = if word >> 63 == 1 {
            (word >> 56) & 0x7
        } else {
            0
        };
        let room = self.size.saturating_sub(offset + FRAME_HEADER);
        let body_len = record_len + pad;
        if body_len > room {
            return self.short(
                offset,
                format!("record of {record_len} bytes (+{pad} padding) but only {room} bytes left"),
            );
        }
        // Bounded by the file size just checked, so a corrupt word cannot ask for a huge buffer.
        let mut body = vec![0u8; body_len as usize];
        let got = self.read_up_to(&mut body)?;
        if got < body.len() {
            return self.short(offset, format!("file ended {got} bytes into the record"));
        }
        self.offset = offset + FRAME_HEADER + body_len;
        let record_bytes = &body[..record_len as usize];

        let record = match Record::decode(record_bytes) {
            Ok(record) => record,
            Err(_) if self.is_torn(offset, &body) => return Ok(Step::Torn { offset }),
            Err(e) => {
                return Err(EtcdWalError::Undecodable {
                    path: self.path.clone(),
                    offset,
                    what: "walpb.Record",
                    reason: e.to_string(),
                })
            }
        };
        if record.record_type == CRC_TYPE {
            // A crc record carries the chain's value at the end of the previous segment. A fresh
            // chain (0) has nothing to compare with: the first segment, or the first one read.
            if *chain != 0 && record.crc != *chain {
                return Err(EtcdWalError::CrcMismatch {
                    path: self.path.clone(),
                    offset,
                    stored: record.crc,
                    computed: *chain,
                });
            }
            *chain = record.crc;
        } else {
            let computed = crc32c::crc32c_append(*chain, &record.data);
            if computed != record.crc {
                if self.is_torn(offset, &body) {
                    return Ok(Step::Torn { offset });
                }
                return Err(EtcdWalError::CrcMismatch {
                    path: self.path.clone(),
                    offset,
                    stored: record.crc,
                    computed,
                });
            }
            *chain = computed;
        }
        Ok(Step::Record { offset, record })
    }

    /// Whether a bad record looks like a write the crash cut short: in the last segment, with
    /// some sector-aligned piece of it still all zeros (the preallocated fill never overwritten).
    fn is_torn(&self, offset: u64, body: &[u8]) -> bool {
        if !self.last {
            return false;
        }
        let mut file_offset = offset + FRAME_HEADER;
        let mut rest = body;
        while !rest.is_empty() {
            let to_boundary = SECTOR - file_offset % SECTOR;
            let take = rest.len().min(to_boundary as usize);
            let (chunk, tail) = rest.split_at(take);
            if chunk.iter().all(|&b| b == 0) {
                return true;
            }
            file_offset += take as u64;
            rest = tail;
        }
        false
    }
}
