//! The writer: lays out a fresh, compact file the way a freshly compacted bbolt database looks.
//!
//! Page ids are assigned in the order pages are finished, which is also file order: the two meta
//! pages, an empty freelist, then each bucket's leaves followed by its branch levels bottom-up,
//! and last the tree of top-level buckets. Every page below the high-water mark is therefore
//! reachable, which is what bbolt's `tx.Check` demands of a file without free pages.
//!
//! Memory: pages go to the sink as they are finished, and the input iterators are consumed
//! lazily, so a file of any size costs one leaf's entries plus the first key of every page of the
//! bucket being added. The meta pages come first in the file but describe the finished tree, so
//! the sink must be seekable: [`Writer::finish`] goes back and writes them last.

use std::io::{Seek, SeekFrom, Write};

use crate::error::BoltError;
use crate::layout::{
    put_page_header, Meta, BRANCH_ELEMENT, BRANCH_PAGE, BUCKET_HEADER, BUCKET_LEAF_FLAG,
    FREELIST_PAGE, LEAF_ELEMENT, LEAF_PAGE, MAX_KEY_SIZE, MAX_VALUE_SIZE, PAGE_HEADER,
};

/// Pages 0 and 1 are the metas, page 2 the freelist.
const FIRST_TREE_PAGE: u64 = 3;
const FREELIST_PAGE_ID: u64 = 2;
/// Fill pages to 90%, as etcd's defragmentation does: full enough to be compact, with room for
/// an update to grow a value without splitting the page right away.
const FILL_PERCENT: usize = 90;
/// bbolt refuses to write a page of 0xFFFF elements (the count is a u16).
const MAX_ELEMENTS: usize = 0xFFFE;

/// Builds a bbolt file in `sink` from top-level buckets of sorted keys (see the module notes).
pub struct Writer<W: Write + Seek> {
    page_size: usize,
    pages: Pages<W>,
    /// Top-level buckets in the order added: name and bucket value (header, and the page of an
    /// inline bucket).
    buckets: Vec<(Vec<u8>, Vec<u8>)>,
}

impl<W: Write + Seek> Writer<W> {
    /// A writer of pages of `page_size` bytes (a power of two from 1 KiB to 64 KiB; etcd uses
    /// the OS page size, 4096 on amd64) into `sink`, from its start.
    pub fn new(page_size: usize, mut sink: W) -> Result<Writer<W>, BoltError> {
        if !page_size.is_power_of_two() || !(1024..=65536).contains(&page_size) {
            return Err(BoltError::Input(format!(
                "unsupported page size {page_size}"
            )));
        }
        // Room for the metas and the freelist, written by `finish`.
        sink.seek(SeekFrom::Start(FIRST_TREE_PAGE * page_size as u64))?;
        Ok(Writer {
            page_size,
            pages: Pages {
                page_size,
                next_id: FIRST_TREE_PAGE,
                out: sink,
            },
            buckets: Vec::new(),
        })
    }

    /// Adds a top-level bucket; `entries` must be in strictly increasing key order, with
    /// non-empty keys, as bbolt requires.
    pub fn add_bucket(
        &mut self,
        name: &[u8],
        entries: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
    ) -> Result<(), BoltError> {
        if name.is_empty() || name.len() > MAX_KEY_SIZE {
            return Err(BoltError::Input(format!(
                "bucket name of {} bytes",
                name.len()
            )));
        }
        if self.buckets.iter().any(|(n, _)| n == name) {
            return Err(BoltError::Input(format!(
                "bucket {} added twice",
                String::from_utf8_lossy(name)
            )));
        }
        let in_bucket = |e: BoltError| match e {
            BoltError::Input(e) => {
                BoltError::Input(format!("bucket {}: {e}", String::from_utf8_lossy(name)))
            }
            other => other,
        };
        let mut tree = TreeBuilder::new(self.page_size);
        for (key, value) in entries {
            tree.push(&mut self.pages, 0, key, value)
                .map_err(in_bucket)?;
        }
        let mut value = vec![0u8; BUCKET_HEADER];
        // bbolt keeps a bucket no bigger than a quarter page inside its parent's leaf.
        match tree.finish(&mut self.pages, Some(self.page_size / 4))? {
            Root::Inline(page) => value.extend_from_slice(&page),
            Root::Page(id) => value[..8].copy_from_slice(&id.to_le_bytes()),
        }
        self.buckets.push((name.to_vec(), value));
        Ok(())
    }

    /// Writes the tree of top-level buckets, then the metas and the freelist at the start of
    /// the file; returns the file's length in bytes and the sink, flushed.
    pub fn finish(mut self) -> Result<(u64, W), BoltError> {
        self.buckets.sort_by(|a, b| a.0.cmp(&b.0));
        let mut tree = TreeBuilder::new(self.page_size);
        for (name, value) in std::mem::take(&mut self.buckets) {
            tree.push(&mut self.pages, BUCKET_LEAF_FLAG, name, value)?;
        }
        let Root::Page(root) = tree.finish(&mut self.pages, None)? else {
            unreachable!("the root bucket is never inline");
        };
        let high_water = self.pages.next_id;
        let meta = |txid| Meta {
            page_size: self.page_size as u32,
            flags: 0,
            root,
            root_sequence: 0,
            freelist: Some(FREELIST_PAGE_ID),
            high_water,
            txid,
        };
        // Like a freshly created bbolt file: both metas describe the same tree, and each page
        // holds the txid of its parity, as bbolt's commits alternate between them.
        let out = &mut self.pages.out;
        out.seek(SeekFrom::Start(0))?;
        out.write_all(&meta(0).encode_page(0))?;
        out.write_all(&meta(1).encode_page(1))?;
        let mut freelist = vec![0u8; self.page_size];
        put_page_header(&mut freelist, FREELIST_PAGE_ID, FREELIST_PAGE, 0, 0);
        out.write_all(&freelist)?;
        out.flush()?;
        Ok((high_water * self.page_size as u64, self.pages.out))
    }
}

/// Where finished pages go, and the id the next one gets.
struct Pages<W> {
    page_size: usize,
    next_id: u64,
    out: W,
}

impl<W: Write> Pages<W> {
    /// Appends `page` (header included, id not yet set) padded to whole pages; returns its id.
    fn push(&mut self, mut page: Vec<u8>) -> Result<u64, BoltError> {
        let id = self.next_id;
        let span = page.len().div_ceil(self.page_size).max(1);
        page.resize(span * self.page_size, 0);
        page[..8].copy_from_slice(&id.to_le_bytes());
        // Values are capped at 2 GiB, so a page spans far fewer than 2^32 pages.
        let overflow = (span - 1) as u32;
        page[12..16].copy_from_slice(&overflow.to_le_bytes());
        self.out.write_all(&page)?;
        self.next_id += span as u64;
        Ok(id)
    }
}

enum Root {
    Inline(Vec<u8>),
    Page(u64),
}

struct Leaf {
    flags: u32,
    key: Vec<u8>,
    value: Vec<u8>,
}

/// Builds one bucket's B+tree bottom-up from keys in order: leaves are written as they fill,
/// and only the first key of each leaf is kept for the branch levels.
struct TreeBuilder {
    threshold: usize,
    leaf: Vec<Leaf>,
    leaf_size: usize,
    /// The last key of the leaves already written, which the next key must exceed.
    last_written: Option<Vec<u8>>,
    /// First key and page id of each written leaf.
    children: Vec<(Vec<u8>, u64)>,
}

impl TreeBuilder {
    fn new(page_size: usize) -> TreeBuilder {
        TreeBuilder {
            threshold: page_size * FILL_PERCENT / 100,
            leaf: Vec::new(),
            leaf_size: PAGE_HEADER,
            last_written: None,
            children: Vec::new(),
        }
    }

    fn push<W: Write>(
        &mut self,
        pages: &mut Pages<W>,
        flags: u32,
        key: Vec<u8>,
        value: Vec<u8>,
    ) -> Result<(), BoltError> {
        if key.is_empty() || key.len() > MAX_KEY_SIZE {
            return Err(BoltError::Input(format!("key of {} bytes", key.len())));
        }
        if value.len() > MAX_VALUE_SIZE {
            return Err(BoltError::Input(format!("value of {} bytes", value.len())));
        }
        let previous = self
            .leaf
            .last()
            .map(|l| &l.key)
            .or(self.last_written.as_ref());
        if previous.is_some_and(|p| *p >= key) {
            return Err(BoltError::Input(format!(
                "key {:?} is not above the key before it",
                String::from_utf8_lossy(&key)
            )));
        }
        let size = LEAF_ELEMENT + key.len() + value.len();
        if !self.leaf.is_empty()
            && (self.leaf_size + size > self.threshold || self.leaf.len() == MAX_ELEMENTS)
        {
            self.flush_leaf(pages)?;
        }
        self.leaf_size += size;
        self.leaf.push(Leaf { flags, key, value });
        Ok(())
    }

    fn flush_leaf<W: Write>(&mut self, pages: &mut Pages<W>) -> Result<(), BoltError> {
        let id = pages.push(encode_leaf(&self.leaf, self.leaf_size))?;
        let mut leaf = std::mem::take(&mut self.leaf);
        self.leaf_size = PAGE_HEADER;
        // Only the root of an empty tree is an empty leaf, and a root needs no key.
        let first = leaf.first().map(|l| l.key.clone()).unwrap_or_default();
        self.children.push((first, id));
        if let Some(last) = leaf.pop() {
            self.last_written = Some(last.key);
        }
        Ok(())
    }

    /// Writes what is left and the branch levels; `inline_limit` is the size up to which a
    /// bucket that fits in one leaf is kept inline instead.
    fn finish<W: Write>(
        mut self,
        pages: &mut Pages<W>,
        inline_limit: Option<usize>,
    ) -> Result<Root, BoltError> {
        if self.children.is_empty() && inline_limit.is_some_and(|limit| self.leaf_size <= limit) {
            return Ok(Root::Inline(encode_leaf(&self.leaf, self.leaf_size)));
        }
        if !self.leaf.is_empty() || self.children.is_empty() {
            self.flush_leaf(pages)?;
        }
        let mut level = self.children;
        while level.len() > 1 {
            level = branch_level(pages, level, self.threshold)?;
        }
        Ok(Root::Page(level.first().map_or(0, |(_, id)| *id)))
    }
}

/// Writes branch pages over `children`; returns their first keys and ids, the next level up.
fn branch_level<W: Write>(
    pages: &mut Pages<W>,
    children: Vec<(Vec<u8>, u64)>,
    threshold: usize,
) -> Result<Vec<(Vec<u8>, u64)>, BoltError> {
    let mut parents = Vec::new();
    let mut group: Vec<(Vec<u8>, u64)> = Vec::new();
    let mut size = PAGE_HEADER;
    for child in children {
        let child_size = BRANCH_ELEMENT + child.0.len();
        // At least two children a page, or a key longer than the threshold would leave a
        // level as wide as the one below it, forever.
        if group.len() >= 2 && (size + child_size > threshold || group.len() == MAX_ELEMENTS) {
            parents.push(write_branch(pages, std::mem::take(&mut group), size)?);
            size = PAGE_HEADER;
        }
        size += child_size;
        group.push(child);
    }
    if !group.is_empty() {
        parents.push(write_branch(pages, group, size)?);
    }
    Ok(parents)
}

fn write_branch<W: Write>(
    pages: &mut Pages<W>,
    group: Vec<(Vec<u8>, u64)>,
    size: usize,
) -> Result<(Vec<u8>, u64), BoltError> {
    let mut page = vec![0u8; size];
    put_page_header(&mut page, 0, BRANCH_PAGE, group.len() as u16, 0);
    let mut data = PAGE_HEADER + group.len() * BRANCH_ELEMENT;
    for (i, (key, child)) in group.iter().enumerate() {
        let at = PAGE_HEADER + i * BRANCH_ELEMENT;
        page[at..at + 4].copy_from_slice(&((data - at) as u32).to_le_bytes());
        page[at + 4..at + 8].copy_from_slice(&(key.len() as u32).to_le_bytes());
        page[at + 8..at + 16].copy_from_slice(&child.to_le_bytes());
        page[data..data + key.len()].copy_from_slice(key);
        data += key.len();
    }
    let id = pages.push(page)?;
    let first = group
        .into_iter()
        .next()
        .map(|(key, _)| key)
        .unwrap_or_default();
    Ok((first, id))
}

/// A leaf page of `size` bytes (header included) with page id 0; [`Pages::push`] sets the id.
fn encode_leaf(leaf: &[Leaf], size: usize) -> Vec<u8> {
    let mut page = vec![0u8; size];
    put_page_header(&mut page, 0, LEAF_PAGE, leaf.len() as u16, 0);
    let mut data = PAGE_HEADER + leaf.len() * LEAF_ELEMENT;
    for (i, item) in leaf.iter().enumerate() {
        let at = PAGE_HEADER + i * LEAF_ELEMENT;
        page[at..at + 4].copy_from_slice(&item.flags.to_le_bytes());
        page[at + 4..at + 8].copy_from_slice(&((data - at) as u32).to_le_bytes());
        page[at + 8..at + 12].copy_from_slice(&(item.key.len() as u32).to_le_bytes());
        page[at + 12..at + 16].copy_from_slice(&(item.value.len() as u32).to_le_bytes());
        page[data..data + item.key.len()].copy_from_slice(&item.key);
        data += item.key.len();
        page[data..data + item.value.len()].copy_from_slice(&item.value);
        data += item.value.len();
    }
    page
}
