//! The reader: picks the newest valid meta page, then walks and validates every page it reaches
//! before handing out anything, so that a damaged file is an error here and never a panic later.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::error::{corrupt, BoltError};
use crate::layout::{
    u16_at, u32_at, u64_at, Meta, BRANCH_ELEMENT, BRANCH_PAGE, BUCKET_HEADER, BUCKET_LEAF_FLAG,
    FREELIST_PAGE, LEAF_ELEMENT, LEAF_PAGE, PAGE_HEADER,
};

/// Deeper than any real tree (a bbolt B+tree of 2^64 pages is far shallower), but shallow enough
/// that a crafted chain of pages or nested inline buckets cannot overflow the stack.
const MAX_DEPTH: usize = 128;

/// The page sizes tried for the second meta page when the first one is unreadable.
const CANDIDATE_PAGE_SIZES: [u32; 8] = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

/// Reads and validates the bbolt file at `path`.
pub fn read(path: impl AsRef<Path>) -> Result<Db, BoltError> {
    Db::from_vec(std::fs::read(path)?)
}

/// A validated bbolt file, held in memory.
#[derive(Debug)]
pub struct Db {
    meta: Meta,
    root: Bucket,
    free: Vec<u64>,
}

/// One bucket: its key/value pairs and its nested buckets, both in key order.
#[derive(Debug)]
pub struct Bucket {
    data: Arc<Vec<u8>>,
    sequence: u64,
    entries: Vec<(Range<usize>, Range<usize>)>,
    buckets: Vec<(Range<usize>, Bucket)>,
}

impl Db {
    pub fn from_bytes(bytes: &[u8]) -> Result<Db, BoltError> {
        Db::from_vec(bytes.to_vec())
    }

    /// Takes the file's bytes without copying them (a snapshot can be gigabytes).
    pub fn from_vec(bytes: Vec<u8>) -> Result<Db, BoltError> {
        Db::parse(Arc::new(bytes))
    }

    fn parse(data: Arc<Vec<u8>>) -> Result<Db, BoltError> {
        let meta = choose_meta(&data)?;
        let page_size = meta.page_size as usize;
        let fits = meta
            .high_water
            .checked_mul(page_size as u64)
            .is_some_and(|end| end <= data.len() as u64);
        if !fits || meta.high_water < 2 {
            return Err(corrupt(
                meta.high_water,
                format!(
                    "high-water mark is not within the file ({} bytes of {page_size}-byte pages)",
                    data.len()
                ),
            ));
        }
        let mut walker = Walker {
            data: &data,
            page_size,
            high_water: meta.high_water,
            // The two meta pages count as reached, so a tree pointing at them is caught.
            seen: (0..meta.high_water).map(|id| id < 2).collect(),
        };
        let free = match meta.freelist {
            Some(id) => walker.freelist(id)?,
            None => Vec::new(),
        };
        let mut root = Bucket::new(data.clone(), meta.root_sequence);
        walker.tree(meta.root, 0, &mut root, &mut None)?;
        Ok(Db { meta, root, free })
    }

    /// The meta page in use: the valid one with the highest transaction id.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The pages the file's freelist records as free (empty when it keeps no freelist).
    pub fn free_pages(&self) -> &[u64] {
        &self.free
    }

    pub fn bucket(&self, name: &[u8]) -> Option<&Bucket> {
        self.root.bucket(name)
    }

    /// The top-level buckets in name order.
    pub fn buckets(&self) -> impl Iterator<Item = (&[u8], &Bucket)> {
        self.root.buckets()
    }
}

impl Bucket {
    fn new(data: Arc<Vec<u8>>, sequence: u64) -> Bucket {
        Bucket {
            data,
            sequence,
            entries: Vec::new(),
            buckets: Vec::new(),
        }
    }

    /// The key/value pairs in key order; nested buckets are left out (see [`Bucket::buckets`]).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&[u8], &[u8])> + DoubleEndedIterator {
        self.entries
            .iter()
            .map(|(k, v)| (&self.data[k.clone()], &self.data[v.clone()]))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.buckets.is_empty()
    }

    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        let i = self
            .entries
            .binary_search_by(|(k, _)| self.data[k.clone()].cmp(key))
            .ok()?;
        self.entries.get(i).map(|(_, v)| &self.data[v.clone()])
    }

    /// The bucket's sequence number (bbolt's `NextSequence` counter).
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    pub fn bucket(&self, name: &[u8]) -> Option<&Bucket> {
        let i = self
            .buckets
            .binary_search_by(|(k, _)| self.data[k.clone()].cmp(name))
            .ok()?;
        self.buckets.get(i).map(|(_, b)| b)
    }

    /// The nested buckets in name order.
    pub fn buckets(&self) -> impl ExactSizeIterator<Item = (&[u8], &Bucket)> {
        self.buckets.iter().map(|(k, b)| (&self.data[k.clone()], b))
    }
}

fn choose_meta(data: &[u8]) -> Result<Meta, BoltError> {
    let sane = |m: Meta| {
        if m.page_size.is_power_of_two() && (512..=1 << 30).contains(&m.page_size) {
            Ok(m)
        } else {
            Err(format!("unsupported page size {}", m.page_size))
        }
    };
    let meta0 = Meta::decode(data).and_then(sane);
    let meta1 = match &meta0 {
        Ok(m0) => meta_at(data, m0.page_size).and_then(|m1| {
            if m1.page_size == m0.page_size {
                sane(m1)
            } else {
                Err(format!("page size {} differs from meta 0", m1.page_size))
            }
        }),
        // bbolt also looks for the second meta at the usual page sizes when the first is lost.
        Err(_) => CANDIDATE_PAGE_SIZES
            .iter()
            .find_map(|&size| meta_at(data, size).ok().filter(|m| m.page_size == size))
            .ok_or_else(|| "not found at any usual page size".to_string())
            .and_then(sane),
    };
    match (meta0, meta1) {
        (Ok(a), Ok(b)) => Ok(if b.txid > a.txid { b } else { a }),
        (Ok(m), Err(_)) | (Err(_), Ok(m)) => Ok(m),
        (Err(meta0), Err(meta1)) => Err(BoltError::NoValidMeta { meta0, meta1 }),
    }
}

fn meta_at(data: &[u8], page_size: u32) -> Result<Meta, String> {
    let page = data
        .get(page_size as usize..)
        .ok_or_else(|| "file too short for a second meta page".to_string())?;
    Meta::decode(page)
}

/// A page's bytes: a file page with its overflow pages, or an inline bucket's page inside a value.
struct PageView {
    /// The file page that holds it, for error messages.
    id: u64,
    start: usize,
    len: usize,
    flags: u16,
    count: usize,
}

struct Walker<'a> {
    data: &'a [u8],
    page_size: usize,
    high_water: u64,
    /// Every page reached so far, so that a page referenced twice (a cycle) is an error.
    seen: Vec<bool>,
}

impl Walker<'_> {
    /// The file page `id` with its overflow pages, checked to lie in the file and reached once.
    fn page(&mut self, id: u64) -> Result<PageView, BoltError> {
        if id >= self.high_water {
            return Err(corrupt(
                id,
                format!("out of range (high-water mark {})", self.high_water),
            ));
        }
        // In range: high_water * page_size was checked to fit in the file.
        let start = id as usize * self.page_size;
        let header = |at| self.data.get(start + at..);
        let found = header(0).and_then(|h| u64_at(h, 0)).unwrap_or(u64::MAX);
        if found != id {
            return Err(corrupt(id, format!("header names page {found}")));
        }
        let flags = header(8).and_then(|h| u16_at(h, 0)).unwrap_or_default();
        let count = header(10).and_then(|h| u16_at(h, 0)).unwrap_or_default();
        let overflow = header(12).and_then(|h| u32_at(h, 0)).unwrap_or_default();
        let last = id + u64::from(overflow);
        if last >= self.high_water {
            return Err(corrupt(
                id,
                format!("{overflow} overflow pages run past the high-water mark"),
            ));
        }
        for p in id..=last {
            let seen = &mut self.seen[p as usize];
            if *seen {
                return Err(corrupt(id, format!("page {p} is referenced twice")));
            }
            *seen = true;
        }
        Ok(PageView {
            id,
            start,
            len: (overflow as usize + 1) * self.page_size,
            flags,
            count: count as usize,
        })
    }

    fn freelist(&mut self, id: u64) -> Result<Vec<u64>, BoltError> {
        let page = self.page(id)?;
        if page.flags != FREELIST_PAGE {
            return Err(corrupt(
                id,
                format!("freelist page has flags {:#x}", page.flags),
            ));
        }
        let body = &self.data[page.start + PAGE_HEADER..page.start + page.len];
        // A count of 0xFFFF means the real count is the first u64 of the body.
        let (skip, count) = if page.count == 0xFFFF {
            let n = u64_at(body, 0).ok_or_else(|| corrupt(id, "freelist count is cut off"))?;
            (1, n)
        } else {
            (0, page.count as u64)
        };
        let fits = (skip + count)
            .checked_mul(8)
            .is_some_and(|n| n <= body.len() as u64);
        if !fits {
            return Err(corrupt(
                id,
                format!("freelist of {count} ids overruns the page"),
            ));
        }
        (skip..skip + count)
            .map(|i| {
                let free = u64_at(body, i as usize * 8).unwrap_or(u64::MAX);
                if free < 2 || free >= self.high_water {
                    Err(corrupt(id, format!("freelist entry {i} names page {free}")))
                } else {
                    Ok(free)
                }
            })
            .collect()
    }

    /// Collects the tree rooted at file page `id` into `bucket`.
    fn tree(
        &mut self,
        id: u64,
        depth: usize,
        bucket: &mut Bucket,
        last: &mut Option<Range<usize>>,
    ) -> Result<(), BoltError> {
        if depth > MAX_DEPTH {
            return Err(corrupt(
                id,
                format!("tree nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let page = self.page(id)?;
        match page.flags {
            LEAF_PAGE => self.leaf(&page, depth, bucket, last),
            BRANCH_PAGE => {
                let mut previous: Option<Range<usize>> = None;
                for i in 0..self.element_count(&page, BRANCH_ELEMENT)? {
                    let at = PAGE_HEADER + i * BRANCH_ELEMENT;
                    let pos = self.u32_in(&page, at)?;
                    let ksize = self.u32_in(&page, at + 4)?;
                    let child = self.u64_in(&page, at + 8)?;
                    let key = self.span(&page, i, at, pos, ksize, 0)?.0;
                    if let Some(p) = &previous {
                        if self.data[p.clone()] >= self.data[key.clone()] {
                            return Err(corrupt(id, format!("branch key {i} is out of order")));
                        }
                    }
                    previous = Some(key);
                    self.tree(child, depth + 1, bucket, last)?;
                }
                if page.count == 0 {
                    return Err(corrupt(id, "empty branch page"));
                }
                Ok(())
            }
            flags => Err(corrupt(
                id,
                format!("expected a branch or leaf page, found flags {flags:#x}"),
            )),
        }
    }

    /// Collects a leaf's elements into `bucket`; `last` is the bucket's previous key, which
    /// every key must follow.
    fn leaf(
        &mut self,
        page: &PageView,
        depth: usize,
        bucket: &mut Bucket,
        last: &mut Option<Range<usize>>,
    ) -> Result<(), BoltError> {
        for i in 0..self.element_count(page, LEAF_ELEMENT)? {
            let at = PAGE_HEADER + i * LEAF_ELEMENT;
            let flags = self.u32_in(page, at)?;
            let pos = self.u32_in(page, at + 4)?;
            let ksize = self.u32_in(page, at + 8)?;
            let vsize = self.u32_in(page, at + 12)?;
            let (key, value) = self.span(page, i, at, pos, ksize, vsize)?;
            if let Some(previous) = last {
                if self.data[previous.clone()] >= self.data[key.clone()] {
                    return Err(corrupt(
                        page.id,
                        format!("key of element {i} is not above the key before it"),
                    ));
                }
            }
            *last = Some(key.clone());
            if flags & BUCKET_LEAF_FLAG == 0 {
                bucket.entries.push((key, value));
            } else {
                let child = self.nested(page.id, value, depth, bucket.data.clone())?;
                bucket.buckets.push((key, child));
            }
        }
        Ok(())
    }

    /// A nested bucket from its value in the parent leaf (on page `id`).
    fn nested(
        &mut self,
        id: u64,
        value: Range<usize>,
        depth: usize,
        data: Arc<Vec<u8>>,
    ) -> Result<Bucket, BoltError> {
        if depth > MAX_DEPTH {
            return Err(corrupt(
                id,
                format!("buckets nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let header = self.data.get(value.clone()).unwrap_or_default();
        let (Some(root), Some(sequence)) = (u64_at(header, 0), u64_at(header, 8)) else {
            return Err(corrupt(
                id,
                format!("bucket value of {} bytes", value.len()),
            ));
        };
        let mut bucket = Bucket::new(data, sequence);
        let mut last = None;
        if root != 0 {
            self.tree(root, depth + 1, &mut bucket, &mut last)?;
            return Ok(bucket);
        }
        // An inline bucket: a leaf page, without padding, follows the bucket header.
        let start = value.start + BUCKET_HEADER;
        let body = &self.data[start..value.end];
        let (Some(flags), Some(count)) = (u16_at(body, 8), u16_at(body, 10)) else {
            return Err(corrupt(id, "inline bucket is too short for a page header"));
        };
        if flags != LEAF_PAGE {
            return Err(corrupt(
                id,
                format!("inline bucket page has flags {flags:#x}"),
            ));
        }
        let page = PageView {
            id,
            start,
            len: body.len(),
            flags,
            count: count as usize,
        };
        self.leaf(&page, depth + 1, &mut bucket, &mut last)?;
        Ok(bucket)
    }

    fn element_count(&self, page: &PageView, size: usize) -> Result<usize, BoltError> {
        if PAGE_HEADER + page.count * size > page.len {
            return Err(corrupt(
                page.id,
                format!("{} elements do not fit in {} bytes", page.count, page.len),
            ));
        }
        Ok(page.count)
    }

    fn u32_in(&self, page: &PageView, at: usize) -> Result<u32, BoltError> {
        u32_at(&self.data[page.start..page.start + page.len], at)
            .ok_or_else(|| corrupt(page.id, format!("element field at {at} is cut off")))
    }

    fn u64_in(&self, page: &PageView, at: usize) -> Result<u64, BoltError> {
        u64_at(&self.data[page.start..page.start + page.len], at)
            .ok_or_else(|| corrupt(page.id, format!("element field at {at} is cut off")))
    }

    /// The absolute ranges of element `i`'s key and value; `pos` counts from the element itself.
    fn span(
        &self,
        page: &PageView,
        i: usize,
        at: usize,
        pos: u32,
        ksize: u32,
        vsize: u32,
    ) -> Result<(Range<usize>, Range<usize>), BoltError> {
        let key = at as u64 + u64::from(pos);
        let value = key + u64::from(ksize);
        let end = value + u64::from(vsize);
        if end > page.len as u64 {
            return Err(corrupt(
                page.id,
                format!(
                    "element {i} (pos {pos}, key {ksize} bytes, value {vsize} bytes) \
                     runs past the page's {} bytes",
                    page.len
                ),
            ));
        }
        let base = page.start;
        Ok((
            base + key as usize..base + value as usize,
            base + value as usize..base + end as usize,
        ))
    }
}
