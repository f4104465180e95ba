//! The on-disk layout: byte offsets of bbolt's structures as laid out by Go on amd64 (natural
//! alignment, little-endian), and the meta page's encoding.

pub(crate) const MAGIC: u32 = 0xED0C_DAED;
pub(crate) const VERSION: u32 = 2;

/// Page header: id u64, flags u16, count u16, overflow u32.
pub(crate) const PAGE_HEADER: usize = 16;
/// Leaf element: flags u32, pos u32, ksize u32, vsize u32.
pub(crate) const LEAF_ELEMENT: usize = 16;
/// Branch element: pos u32, ksize u32, pgid u64.
pub(crate) const BRANCH_ELEMENT: usize = 16;
/// A bucket value starts with root pgid u64 and sequence u64.
pub(crate) const BUCKET_HEADER: usize = 16;
/// The meta follows the page header: magic, version, page size, flags (u32 each), root bucket
/// (pgid, sequence), freelist pgid, high-water pgid, txid, checksum (u64 each).
pub(crate) const META_SIZE: usize = 64;
const META_CHECKSUMMED: usize = 56;

pub(crate) const BRANCH_PAGE: u16 = 0x01;
pub(crate) const LEAF_PAGE: u16 = 0x02;
pub(crate) const META_PAGE: u16 = 0x04;
pub(crate) const FREELIST_PAGE: u16 = 0x10;
pub(crate) const BUCKET_LEAF_FLAG: u32 = 0x01;

/// A meta's freelist field when the freelist is not persisted (bbolt's `NoFreelistSync`).
pub(crate) const NO_FREELIST: u64 = u64::MAX;

/// bbolt's own limits, which its `Put` enforces: the writer refuses what Go could not have written.
pub(crate) const MAX_KEY_SIZE: usize = 32_768;
pub(crate) const MAX_VALUE_SIZE: usize = (1 << 31) - 2;

pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub(crate) fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// FNV-1a, 64 bit: the meta page's checksum.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The fields of a page header, encoded into the first 16 bytes of `out`.
pub(crate) fn put_page_header(out: &mut [u8], id: u64, flags: u16, count: u16, overflow: u32) {
    out[0..8].copy_from_slice(&id.to_le_bytes());
    out[8..10].copy_from_slice(&flags.to_le_bytes());
    out[10..12].copy_from_slice(&count.to_le_bytes());
    out[12..16].copy_from_slice(&overflow.to_le_bytes());
}

/// A meta page's contents: which tree and freelist a transaction committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub page_size: u32,
    pub flags: u32,
    /// The page of the bucket of top-level buckets.
    pub root: u64,
    pub root_sequence: u64,
    /// `None` when the file does not persist its freelist.
    pub freelist: Option<u64>,
    /// The first page id past the end of the used file.
    pub high_water: u64,
    pub txid: u64,
}

impl Meta {
    /// Decodes and validates the meta that follows a page header at the start of `page`.
    pub(crate) fn decode(page: &[u8]) -> Result<Meta, String> {
        let m = page
            .get(PAGE_HEADER..PAGE_HEADER + META_SIZE)
            .ok_or_else(|| format!("file too short for a meta page ({} bytes)", page.len()))?;
        let field = |at| u64_at(m, at).unwrap_or_default();
        let word = |at| u32_at(m, at).unwrap_or_default();
        if word(0) != MAGIC {
            return Err(format!("bad magic {:#010x}", word(0)));
        }
        if word(4) != VERSION {
            return Err(format!("unsupported version {}", word(4)));
        }
        let stored = field(56);
        let computed = fnv1a64(&m[..META_CHECKSUMMED]);
        if stored != computed {
            return Err(format!(
                "bad checksum {stored:#018x}, computed {computed:#018x}"
            ));
        }
        let freelist = field(32);
        Ok(Meta {
            page_size: word(8),
            flags: word(12),
            root: field(16),
            root_sequence: field(24),
            freelist: (freelist != NO_FREELIST).then_some(freelist),
            high_water: field(40),
            txid: field(48),
        })
    }

    /// A whole meta page with id `id` and a fresh checksum.
    pub(crate) fn encode_page(&self, id: u64) -> Vec<u8> {
        let mut page = vec![0u8; self.page_size as usize];
        put_page_header(&mut page, id, META_PAGE, 0, 0);
        let m = &mut page[PAGE_HEADER..PAGE_HEADER + META_SIZE];
        m[0..4].copy_from_slice(&MAGIC.to_le_bytes());
        m[4..8].copy_from_slice(&VERSION.to_le_bytes());
        m[8..12].copy_from_slice(&self.page_size.to_le_bytes());
        m[12..16].copy_from_slice(&self.flags.to_le_bytes());
        m[16..24].copy_from_slice(&self.root.to_le_bytes());
        m[24..32].copy_from_slice(&self.root_sequence.to_le_bytes());
        m[32..40].copy_from_slice(&self.freelist.unwrap_or(NO_FREELIST).to_le_bytes());
        m[40..48].copy_from_slice(&self.high_water.to_le_bytes());
        m[48..56].copy_from_slice(&self.txid.to_le_bytes());
        let sum = fnv1a64(&m[..META_CHECKSUMMED]);
        m[56..64].copy_from_slice(&sum.to_le_bytes());
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn meta_round_trips_and_detects_a_flipped_bit() {
        let meta = Meta {
            page_size: 4096,
            flags: 0,
            root: 7,
            root_sequence: 3,
            freelist: None,
            high_water: 9,
            txid: 42,
        };
        let mut page = meta.encode_page(1);
        assert_eq!(Meta::decode(&page), Ok(meta));
        page[PAGE_HEADER + 20] ^= 1;
        assert!(Meta::decode(&page).unwrap_err().contains("checksum"));
    }
}
