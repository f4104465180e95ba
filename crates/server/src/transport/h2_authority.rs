//! Repairs the HTTP/2 `:authority` pseudo-header of etcd clients before h2 sees it.
//!
//! etcd clients put values in `:authority` that are not URI authorities: etcdctl 3.4 sends the
//! endpoint URL (`http://127.0.0.1:2379`), clientv3 3.5 sends `#initially=[http://...]`, and
//! unix-socket clients send a path. Go's gRPC server, which etcd uses, ignores the value; the
//! `h2` crate resets such a stream with PROTOCOL_ERROR ("malformed authority").
//! [`AuthorityFixer`] sits between the accepted socket and hyper and repairs the value on the way
//! in:
//!
//! - A connection that does not open with the HTTP/2 client preface passes through untouched.
//! - After the preface every frame passes through unchanged, read straight into the caller's
//!   buffer, except header blocks (a HEADERS frame and its CONTINUATION frames).
//! - Each header block is decoded by an HPACK decoder that follows the client's dynamic table
//!   for the whole connection; an invalid `:authority` is cut down to the authority of the URL
//!   it holds, or dropped (h2 accepts a request without one; gRPC routes on `:path`). The block
//!   is re-encoded with literal fields that are never indexed, so h2's own decoder keeps an
//!   empty dynamic table and never needs the client's.
//! - A client keeps one authority per connection, so when the first header block needs no
//!   repair it goes on with the client's own HPACK bytes and the rest of the connection passes
//!   through untouched: well-behaved clients pay for one decode, not one per request (HPACK
//!   decoding had been a tenth of the server's CPU under load). A later bad authority on such a
//!   connection reaches h2 unrepaired.
//!
//! Writes pass straight through.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Buf, BufMut, BytesMut};
use http::uri::Authority;
use loona_hpack::decoder::DecoderError;
use loona_hpack::Decoder;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// What an HTTP/2 client sends first when it speaks HTTP/2 with prior knowledge (RFC 9113 §3.4).
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const FRAME_HEAD_LEN: usize = 9;
const FRAME_HEADERS: u8 = 0x1;
const FRAME_CONTINUATION: u8 = 0x9;
const FLAG_END_STREAM: u8 = 0x1;
const FLAG_END_HEADERS: u8 = 0x4;
const FLAG_PADDED: u8 = 0x8;
const FLAG_PRIORITY: u8 = 0x20;
/// Stream dependency (4 bytes) and weight (1 byte) of a HEADERS frame with PRIORITY set.
const PRIORITY_LEN: usize = 5;
/// Largest frame payload we emit: the initial SETTINGS_MAX_FRAME_SIZE, which h2 keeps.
const MAX_EMITTED_PAYLOAD: usize = 16_384;
/// Bound on one header block as the client sent it, over all its frames.
const MAX_BLOCK_BYTES: usize = 1 << 20;
/// Bound on one header block once rewritten: HPACK indexing lets a small block expand a lot.
const MAX_REWRITTEN_BYTES: usize = 1 << 20;
/// The SETTINGS_HEADER_TABLE_SIZE h2 advertises (the protocol default; serve.rs leaves it):
/// the largest dynamic table a client may ask our decoder to keep.
const MAX_DYNAMIC_TABLE_SIZE: usize = 4096;
/// Scratch buffers grown past this by a large block are released once it is rewritten.
const RETAINED_SCRATCH: usize = 64 * 1024;

/// Why a connection is closed instead of passed on to h2.
#[derive(Debug, thiserror::Error)]
pub enum HeaderRewriteError {
    #[error("header block on stream {stream_id} exceeds {MAX_BLOCK_BYTES} bytes")]
    BlockTooLarge { stream_id: u32 },
    #[error("decoded header block on stream {stream_id} exceeds {MAX_REWRITTEN_BYTES} bytes")]
    RewrittenTooLarge { stream_id: u32 },
    #[error("frame of type {kind:#x} on stream {stream_id} interrupts the header block of stream {open_stream_id}")]
    InterruptedBlock {
        kind: u8,
        stream_id: u32,
        open_stream_id: u32,
    },
    #[error(
        "HEADERS frame on stream {stream_id} is too short for its padding and priority fields"
    )]
    MalformedHeadersFrame { stream_id: u32 },
    #[error("HPACK decoding failed on stream {stream_id}: {source}")]
    Hpack {
        stream_id: u32,
        source: DecoderError,
    },
    #[error("connection closed in the middle of a header block")]
    TruncatedBlock,
}

impl From<HeaderRewriteError> for io::Error {
    fn from(e: HeaderRewriteError) -> io::Error {
        let kind = match e {
            HeaderRewriteError::TruncatedBlock => io::ErrorKind::UnexpectedEof,
            _ => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, e)
    }
}

/// An accepted client stream whose HTTP/2 `:authority` headers are repaired as they are read.
pub struct AuthorityFixer<S> {
    inner: S,
    rewriter: FrameRewriter,
    /// Bytes read from `inner` that `rewriter` has not examined yet. Only filled from one read
    /// into the caller's buffer, and `inner` is not read again until it is empty, so it never
    /// holds more than one caller buffer.
    unread: BytesMut,
}

impl<S> AuthorityFixer<S> {
    pub fn new(inner: S) -> Self {
        AuthorityFixer {
            inner,
            rewriter: FrameRewriter::new(),
            unread: BytesMut::new(),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for AuthorityFixer<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            // Rewritten bytes come first: they precede everything still unread.
            let pending = this.rewriter.pending();
            if !pending.is_empty() {
                let n = pending.len().min(buf.remaining());
                buf.put_slice(&pending[..n]);
                this.rewriter.consume_pending(n);
                return Poll::Ready(Ok(()));
            }
            if !this.unread.is_empty() {
                let window = this.unread.len().min(buf.remaining());
                let n = this.rewriter.pass_through(&this.unread[..window]);
                if n > 0 {
                    buf.put_slice(&this.unread[..n]);
                    this.unread.advance(n);
                    return Poll::Ready(Ok(()));
                }
                let n = this.rewriter.absorb(&this.unread)?;
                this.unread.advance(n);
                continue;
            }
            // Nothing held back: read straight into the caller's buffer and keep back only what
            // starts a header block or a frame header cut short.
            let before = buf.filled().len();
            ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
            let fresh = &buf.filled()[before..];
            if fresh.is_empty() {
                if this.rewriter.is_mid_frame() {
                    return Poll::Ready(Err(HeaderRewriteError::TruncatedBlock.into()));
                }
                return Poll::Ready(Ok(()));
            }
            let n = this.rewriter.pass_through(fresh);
            if n < fresh.len() {
                this.unread.extend_from_slice(&fresh[n..]);
                buf.set_filled(before + n);
            }
            if n > 0 {
                return Poll::Ready(Ok(()));
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for AuthorityFixer<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Where the rewriter is in the client's byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The first `matched` bytes of the HTTP/2 preface have been seen and passed on.
    Preface { matched: usize },
    /// Not an HTTP/2 prior-knowledge connection: every byte passes through.
    Opaque,
    /// At a frame boundary, with the first `held` bytes of the next frame header in `head`.
    Head { held: usize },
    /// Inside the payload of a frame that passes through unchanged.
    Forward { remaining: usize },
    /// Inside the payload of a header-block frame, collected into `fragment`.
    /// Invariant: `remaining > 0`.
    Collect { frame: FrameHead, remaining: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FrameHead {
    len: usize,
    kind: u8,
    flags: u8,
    stream_id: u32,
}

impl FrameHead {
    fn parse(bytes: &[u8; FRAME_HEAD_LEN]) -> FrameHead {
        FrameHead {
            len: usize::from(bytes[0]) << 16 | usize::from(bytes[1]) << 8 | usize::from(bytes[2]),
            kind: bytes[3],
            flags: bytes[4],
            stream_id: u32::from_be_bytes([bytes[5], bytes[6], bytes[7], bytes[8]]) & 0x7fff_ffff,
        }
    }
}

/// The header block being collected: its HEADERS frame has been seen, END_HEADERS has not.
#[derive(Debug, Clone, Copy)]
struct OpenBlock {
    stream_id: u32,
    end_stream: bool,
}

/// The I/O-free half of [`AuthorityFixer`]: follows the client's byte stream, says how much of
/// it passes unchanged, and takes in the rest, producing rewritten header blocks.
///
/// The caller hands out `pending()` before anything else, then offers the next unread bytes to
/// `pass_through`, and what that declines to `absorb`.
struct FrameRewriter {
    phase: Phase,
    head: [u8; FRAME_HEAD_LEN],
    block: Option<OpenBlock>,
    /// The HPACK fragment of `block` so far (for the HEADERS frame, its whole payload until the
    /// frame ends and padding and priority are cut off).
    fragment: Vec<u8>,
    /// Scratch for the re-encoded block.
    encoded: Vec<u8>,
    /// The client's HPACK context, shared by every header block of the connection.
    decoder: Decoder<'static>,
    /// Bytes to hand out before any unread byte: held-back frame headers and rewritten blocks.
    /// Holds at most one rewritten block, as nothing is absorbed while it is non-empty.
    out: BytesMut,
    /// Whether a block went out re-encoded: from then on h2's HPACK table differs from the
    /// client's, so every later block must be re-encoded too.
    rewrote_any: bool,
}

impl FrameRewriter {
    fn new() -> Self {
        let mut decoder = Decoder::new();
        decoder.set_max_allowed_table_size(MAX_DYNAMIC_TABLE_SIZE);
        FrameRewriter {
            phase: Phase::Preface { matched: 0 },
            head: [0; FRAME_HEAD_LEN],
            block: None,
            fragment: Vec::new(),
            encoded: Vec::new(),
            decoder,
            out: BytesMut::new(),
            rewrote_any: false,
        }
    }

    fn pending(&self) -> &[u8] {
        &self.out
    }

    fn consume_pending(&mut self, n: usize) {
        self.out.advance(n);
    }

    /// Whether bytes of a frame the client has not finished sending are held back.
    fn is_mid_frame(&self) -> bool {
        matches!(
            self.phase,
            Phase::Head { held: 1.. } | Phase::Collect { .. }
        ) || self.block.is_some()
    }

    /// Steps over the leading bytes of `data` that go to the caller unchanged and returns how
    /// many there are. Stops at a header-block frame or a frame header that `data` cuts short;
    /// those bytes are for `absorb`.
    fn pass_through(&mut self, data: &[u8]) -> usize {
        debug_assert!(
            self.out.is_empty(),
            "pending bytes go out before unread ones"
        );
        let mut pos = 0;
        while pos < data.len() {
            let rest = &data[pos..];
            match &mut self.phase {
                Phase::Opaque => return data.len(),
                Phase::Preface { matched } => {
                    // Matching bytes pass on whatever follows: they are the same either way.
                    let expected = &PREFACE[*matched..];
                    let n = expected.len().min(rest.len());
                    if rest[..n] != expected[..n] {
                        self.phase = Phase::Opaque;
                        return data.len();
                    }
                    *matched += n;
                    pos += n;
                    if *matched == PREFACE.len() {
                        self.phase = Phase::Head { held: 0 };
                    }
                }
                Phase::Forward { remaining } => {
                    let n = (*remaining).min(rest.len());
                    *remaining -= n;
                    pos += n;
                    if *remaining == 0 {
                        self.phase = Phase::Head { held: 0 };
                    }
                }
                Phase::Head { held: 0 } if self.block.is_none() && rest.len() >= FRAME_HEAD_LEN => {
                    let head = FrameHead::parse(
                        rest[..FRAME_HEAD_LEN].try_into().expect("length checked"),
                    );
                    if head.kind == FRAME_HEADERS {
                        return pos;
                    }
                    // A CONTINUATION here belongs to no block: h2 rejects it, as it should.
                    pos += FRAME_HEAD_LEN;
                    self.phase = forward(head.len);
                }
                Phase::Head { .. } | Phase::Collect { .. } => return pos,
            }
        }
        pos
    }

    /// Takes in leading bytes of `data` that `pass_through` declined, and returns how many;
    /// at least one when `data` is not empty. A completed header block lands in `pending()`.
    fn absorb(&mut self, data: &[u8]) -> Result<usize, HeaderRewriteError> {
        match self.phase {
            Phase::Head { held } => {
                let n = (FRAME_HEAD_LEN - held).min(data.len());
                self.head[held..held + n].copy_from_slice(&data[..n]);
                if held + n < FRAME_HEAD_LEN {
                    self.phase = Phase::Head { held: held + n };
                } else {
                    self.start_frame(FrameHead::parse(&self.head))?;
                }
                Ok(n)
            }
            Phase::Collect { frame, remaining } => {
                let n = remaining.min(data.len());
                self.fragment.extend_from_slice(&data[..n]);
                if n == remaining {
                    self.finish_frame(frame)?;
                } else {
                    self.phase = Phase::Collect {
                        frame,
                        remaining: remaining - n,
                    };
                }
                Ok(n)
            }
            Phase::Preface { .. } | Phase::Opaque | Phase::Forward { .. } => {
                unreachable!(
                    "pass_through takes at least one byte in phase {:?}",
                    self.phase
                )
            }
        }
    }

    /// Acts on a frame header taken in whole by `absorb`.
    fn start_frame(&mut self, frame: FrameHead) -> Result<(), HeaderRewriteError> {
        match (self.block, frame.kind) {
            (None, FRAME_HEADERS) => {
                self.block = Some(OpenBlock {
                    stream_id: frame.stream_id,
                    end_stream: frame.flags & FLAG_END_STREAM != 0,
                });
            }
            (Some(open), FRAME_CONTINUATION) if open.stream_id == frame.stream_id => {}
            (Some(open), _) => {
                // RFC 9113 §6.10: nothing may come between the frames of a header block.
                return Err(HeaderRewriteError::InterruptedBlock {
                    kind: frame.kind,
                    stream_id: frame.stream_id,
                    open_stream_id: open.stream_id,
                });
            }
            (None, _) => {
                // Held back only because it arrived cut short: hand it on as it was.
                self.out.extend_from_slice(&self.head);
                self.phase = forward(frame.len);
                return Ok(());
            }
        }
        if self.fragment.len() + frame.len > MAX_BLOCK_BYTES {
            return Err(HeaderRewriteError::BlockTooLarge {
                stream_id: frame.stream_id,
            });
        }
        if frame.len == 0 {
            self.finish_frame(frame)
        } else {
            self.phase = Phase::Collect {
                frame,
                remaining: frame.len,
            };
            Ok(())
        }
    }

    /// Acts on a header-block frame whose payload is all in `fragment`.
    fn finish_frame(&mut self, frame: FrameHead) -> Result<(), HeaderRewriteError> {
        self.phase = Phase::Head { held: 0 };
        if frame.kind == FRAME_HEADERS {
            // The HEADERS frame opens the block, so `fragment` is exactly its payload.
            let pad_len_field = usize::from(frame.flags & FLAG_PADDED != 0);
            let priority = if frame.flags & FLAG_PRIORITY != 0 {
                PRIORITY_LEN
            } else {
                0
            };
            let pad = match (pad_len_field, self.fragment.first()) {
                (0, _) => 0,
                (_, Some(&pad)) => usize::from(pad),
                (_, None) => {
                    return Err(HeaderRewriteError::MalformedHeadersFrame {
                        stream_id: frame.stream_id,
                    })
                }
            };
            let start = pad_len_field + priority;
            if start + pad > self.fragment.len() {
                return Err(HeaderRewriteError::MalformedHeadersFrame {
                    stream_id: frame.stream_id,
                });
            }
            self.fragment.truncate(self.fragment.len() - pad);
            self.fragment.drain(..start);
        }
        if frame.flags & FLAG_END_HEADERS != 0 {
            self.rewrite_block()?;
        }
        Ok(())
    }

    /// Decodes the complete block in `fragment` and queues it, re-encoded, as HEADERS and
    /// CONTINUATION frames.
    fn rewrite_block(&mut self) -> Result<(), HeaderRewriteError> {
        let block = self
            .block
            .take()
            .expect("a block is open while its frames are collected");
        let encoded = &mut self.encoded;
        encoded.clear();
        let mut too_large = false;
        let mut repaired = false;
        self.decoder
            .decode_with_cb(&self.fragment, |name, value| {
                // Decoding must go on to keep the client's table in step; output stops growing.
                if too_large {
                    return;
                }
                let value: &[u8] = if &name[..] == b":authority" {
                    match repair_authority(&value) {
                        AuthorityRepair::Valid => &value,
                        AuthorityRepair::Replace(host) => {
                            repaired = true;
                            host
                        }
                        AuthorityRepair::Drop => {
                            repaired = true;
                            return;
                        }
                    }
                } else {
                    &value
                };
                put_literal_field(encoded, &name, value);
                too_large = encoded.len() > MAX_REWRITTEN_BYTES;
            })
            .map_err(|source| HeaderRewriteError::Hpack {
                stream_id: block.stream_id,
                source,
            })?;
        // A client's authority is the same for every request of a connection (a gRPC channel
        // has one target): if its first block needs no repair, it goes on as the client encoded
        // it, h2's HPACK table stays the client's, and the rest of the connection passes through
        // untouched, so a well-behaved client pays for one decode only.
        let pass_on = !repaired && !self.rewrote_any;
        if too_large && !pass_on {
            return Err(HeaderRewriteError::RewrittenTooLarge {
                stream_id: block.stream_id,
            });
        }
        if pass_on {
            std::mem::swap(&mut self.encoded, &mut self.fragment);
        } else {
            self.rewrote_any = true;
        }

        let frames = self.encoded.len().div_ceil(MAX_EMITTED_PAYLOAD).max(1);
        self.out
            .reserve(self.encoded.len() + frames * FRAME_HEAD_LEN);
        for i in 0..frames {
            let chunk = &self.encoded
                [i * MAX_EMITTED_PAYLOAD..self.encoded.len().min((i + 1) * MAX_EMITTED_PAYLOAD)];
            let (kind, mut flags) = match i {
                0 if block.end_stream => (FRAME_HEADERS, FLAG_END_STREAM),
                0 => (FRAME_HEADERS, 0),
                _ => (FRAME_CONTINUATION, 0),
            };
            if i + 1 == frames {
                flags |= FLAG_END_HEADERS;
            }
            put_frame_head(&mut self.out, chunk.len(), kind, flags, block.stream_id);
            self.out.extend_from_slice(chunk);
        }

        self.fragment.clear();
        if self.fragment.capacity() > RETAINED_SCRATCH {
            self.fragment = Vec::new();
        }
        if self.encoded.capacity() > RETAINED_SCRATCH {
            self.encoded = Vec::new();
        }
        if pass_on {
            self.phase = Phase::Opaque;
        }
        Ok(())
    }
}

fn forward(len: usize) -> Phase {
    if len == 0 {
        Phase::Head { held: 0 }
    } else {
        Phase::Forward { remaining: len }
    }
}

/// What to do with a client's `:authority` value.
#[derive(Debug, PartialEq, Eq)]
enum AuthorityRepair<'a> {
    Valid,
    Replace(&'a [u8]),
    Drop,
}

/// `http://host:port/...` becomes `host:port`; anything else invalid is dropped. Validity is
/// `Authority::try_from`, the check h2 applies.
fn repair_authority(value: &[u8]) -> AuthorityRepair<'_> {
    if Authority::try_from(value).is_ok() {
        return AuthorityRepair::Valid;
    }
    let Some(scheme_end) = value.windows(3).position(|w| w == b"://") else {
        return AuthorityRepair::Drop;
    };
    let rest = &value[scheme_end + 3..];
    let host = rest
        .iter()
        .position(|&b| b == b'/')
        .map_or(rest, |slash| &rest[..slash]);
    if Authority::try_from(host).is_ok() {
        AuthorityRepair::Replace(host)
    } else {
        AuthorityRepair::Drop
    }
}

/// Appends a "literal header field without indexing, new name" (RFC 7541 §6.2.2) with plain
/// (not Huffman) strings: the receiver's dynamic table is never touched.
fn put_literal_field(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.push(0x00);
    put_string(out, name);
    put_string(out, value);
}

/// A string literal, RFC 7541 §5.2, with the Huffman bit clear.
fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    put_integer(out, 7, 0x00, s.len());
    out.extend_from_slice(s);
}

/// An integer with an N-bit prefix, RFC 7541 §5.1; `high_bits` fills the rest of the first byte.
fn put_integer(out: &mut Vec<u8>, prefix_bits: u32, high_bits: u8, value: usize) {
    let prefix_max = (1usize << prefix_bits) - 1;
    if value < prefix_max {
        out.push(high_bits | value as u8);
        return;
    }
    out.push(high_bits | prefix_max as u8);
    let mut rest = value - prefix_max;
    while rest >= 0x80 {
        out.push(0x80 | (rest & 0x7f) as u8);
        rest >>= 7;
    }
    out.push(rest as u8);
}

fn put_frame_head(out: &mut impl BufMut, len: usize, kind: u8, flags: u8, stream_id: u32) {
    assert!(len < 1 << 24, "frame payload length fits 24 bits");
    out.put_slice(&(len as u32).to_be_bytes()[1..]);
    out.put_u8(kind);
    out.put_u8(flags);
    out.put_u32(stream_id & 0x7fff_ffff);
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use loona_hpack::Encoder;
    use tokio::io::AsyncReadExt;

    use super::*;

    const FRAME_DATA: u8 = 0x0;
    const FRAME_SETTINGS: u8 = 0x4;
    const FRAME_WINDOW_UPDATE: u8 = 0x8;

    type Fields = Vec<(Vec<u8>, Vec<u8>)>;

    /// A client stream that hands out its bytes in the given pieces, one piece per read.
    struct Pieces(VecDeque<Vec<u8>>);

    impl AsyncRead for Pieces {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            if let Some(mut piece) = self.0.pop_front() {
                let n = piece.len().min(buf.remaining());
                buf.put_slice(&piece[..n]);
                if n < piece.len() {
                    self.0.push_front(piece.split_off(n));
                }
            }
            Poll::Ready(Ok(()))
        }
    }

    fn frame(kind: u8, flags: u8, stream_id: u32, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        put_frame_head(&mut out, payload.len(), kind, flags, stream_id);
        out.extend_from_slice(payload);
        out
    }

    fn request_fields(authority: &str) -> Fields {
        [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", "/etcdserverpb.KV/Range"),
            (":authority", authority),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        ]
        .iter()
        .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
    }

    fn encode(encoder: &mut Encoder<'_>, fields: &Fields) -> Vec<u8> {
        encoder.encode(fields.iter().map(|(n, v)| (&n[..], &v[..])))
    }

    /// The preface, a SETTINGS frame and a WINDOW_UPDATE, as a client opens a connection.
    fn client_start() -> Vec<u8> {
        let mut out = PREFACE.to_vec();
        out.extend(frame(FRAME_SETTINGS, 0, 0, &[0, 3, 0, 0, 0, 100]));
        out.extend(frame(FRAME_WINDOW_UPDATE, 0, 0, &[0, 1, 0, 0]));
        out
    }

    async fn run(pieces: Vec<Vec<u8>>, read_size: usize) -> io::Result<Vec<u8>> {
        let mut fixer = AuthorityFixer::new(Pieces(pieces.into()));
        let mut out = Vec::new();
        let mut buf = vec![0; read_size];
        loop {
            let n = fixer.read(&mut buf).await?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    async fn run_whole(input: &[u8]) -> io::Result<Vec<u8>> {
        run(vec![input.to_vec()], 64 * 1024).await
    }

    /// One frame of the rewritten stream; header blocks are decoded with a fresh decoder each,
    /// which proves they do not depend on any dynamic table.
    #[derive(Debug, PartialEq)]
    enum Seen {
        Frame {
            kind: u8,
            flags: u8,
            stream_id: u32,
            payload: Vec<u8>,
        },
        Headers {
            stream_id: u32,
            end_stream: bool,
            fields: Fields,
            frames: usize,
        },
    }

    fn parse_output(out: &[u8]) -> Vec<Seen> {
        assert!(out.starts_with(PREFACE), "preface passed on");
        let mut rest = &out[PREFACE.len()..];
        let mut seen = Vec::new();
        let mut block: Option<(u32, bool, Vec<u8>, usize)> = None;
        let mut decoder = Decoder::new();
        while !rest.is_empty() {
            let head = FrameHead::parse(rest[..FRAME_HEAD_LEN].try_into().unwrap());
            let payload = &rest[FRAME_HEAD_LEN..FRAME_HEAD_LEN + head.len];
            rest = &rest[FRAME_HEAD_LEN + head.len..];
            assert!(
                head.len <= MAX_EMITTED_PAYLOAD,
                "frame within the default max frame size"
            );
            match head.kind {
                FRAME_HEADERS => {
                    assert!(block.is_none());
                    assert_eq!(
                        head.flags & (FLAG_PADDED | FLAG_PRIORITY),
                        0,
                        "padding and priority dropped"
                    );
                    block = Some((
                        head.stream_id,
                        head.flags & FLAG_END_STREAM != 0,
                        payload.to_vec(),
                        1,
                    ));
                }
                FRAME_CONTINUATION => {
                    let open = block.as_mut().expect("CONTINUATION follows HEADERS");
                    assert_eq!(open.0, head.stream_id);
                    assert_eq!(head.flags & FLAG_END_STREAM, 0);
                    open.2.extend_from_slice(payload);
                    open.3 += 1;
                }
                kind => {
                    assert!(block.is_none(), "no frame inside a header block");
                    seen.push(Seen::Frame {
                        kind,
                        flags: head.flags,
                        stream_id: head.stream_id,
                        payload: payload.to_vec(),
                    });
                    continue;
                }
            }
            if head.flags & FLAG_END_HEADERS != 0 {
                let (stream_id, end_stream, fragment, frames) = block.take().unwrap();
                let fields = decoder.decode(&fragment).expect("the block decodes");
                seen.push(Seen::Headers {
                    stream_id,
                    end_stream,
                    fields,
                    frames,
                });
            }
        }
        assert!(block.is_none(), "every block ended");
        seen
    }

    fn headers_of(seen: &[Seen]) -> Vec<&Fields> {
        seen.iter()
            .filter_map(|s| match s {
                Seen::Headers { fields, .. } => Some(fields),
                Seen::Frame { .. } => None,
            })
            .collect()
    }

    fn authority_of(fields: &Fields) -> Option<&[u8]> {
        fields
            .iter()
            .find(|(n, _)| n == b":authority")
            .map(|(_, v)| &v[..])
    }

    #[test]
    fn repair_authority_cases() {
        let cases: [(&str, AuthorityRepair<'_>); 8] = [
            ("127.0.0.1:2379", AuthorityRepair::Valid),
            ("localhost", AuthorityRepair::Valid),
            ("[::1]:2379", AuthorityRepair::Valid),
            (
                "http://127.0.0.1:26479",
                AuthorityRepair::Replace(b"127.0.0.1:26479"),
            ),
            (
                "https://etcd.example:2379/v3/kv",
                AuthorityRepair::Replace(b"etcd.example:2379"),
            ),
            ("#initially=[http://127.0.0.1:2379]", AuthorityRepair::Drop),
            ("/tmp/etcd.sock", AuthorityRepair::Drop),
            ("unix:///tmp/etcd.sock", AuthorityRepair::Drop),
        ];
        for (value, want) in cases {
            assert_eq!(repair_authority(value.as_bytes()), want, "{value}");
        }
        assert_eq!(repair_authority(b""), AuthorityRepair::Drop);
    }

    #[test]
    fn put_integer_matches_rfc_examples() {
        // RFC 7541 C.1.1 to C.1.3.
        let mut out = Vec::new();
        put_integer(&mut out, 5, 0, 10);
        assert_eq!(out, [0x0a]);
        out.clear();
        put_integer(&mut out, 5, 0, 1337);
        assert_eq!(out, [0x1f, 0x9a, 0x0a]);
        out.clear();
        put_integer(&mut out, 8, 0, 42);
        assert_eq!(out, [0x2a]);
        out.clear();
        put_integer(&mut out, 7, 0, 127);
        assert_eq!(out, [0x7f, 0x00]);
    }

    #[tokio::test]
    async fn url_authority_is_cut_to_host_and_other_frames_pass_unchanged() {
        let mut encoder = Encoder::new();
        let mut input = client_start();
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_HEADERS,
            1,
            &encode(&mut encoder, &request_fields("http://127.0.0.1:26479")),
        ));
        input.extend(frame(FRAME_DATA, FLAG_END_STREAM, 1, b"\0\0\0\0\x03abc"));
        let out = run_whole(&input).await.unwrap();
        let seen = parse_output(&out);
        assert_eq!(seen.len(), 4);
        assert_eq!(
            seen[0],
            Seen::Frame {
                kind: FRAME_SETTINGS,
                flags: 0,
                stream_id: 0,
                payload: vec![0, 3, 0, 0, 0, 100]
            }
        );
        assert_eq!(
            seen[1],
            Seen::Frame {
                kind: FRAME_WINDOW_UPDATE,
                flags: 0,
                stream_id: 0,
                payload: vec![0, 1, 0, 0]
            }
        );
        assert_eq!(
            seen[2],
            Seen::Headers {
                stream_id: 1,
                end_stream: false,
                fields: request_fields("127.0.0.1:26479"),
                frames: 1
            }
        );
        assert_eq!(
            seen[3],
            Seen::Frame {
                kind: FRAME_DATA,
                flags: FLAG_END_STREAM,
                stream_id: 1,
                payload: b"\0\0\0\0\x03abc".to_vec()
            }
        );
    }

    #[tokio::test]
    async fn unrepairable_authority_is_dropped() {
        let mut encoder = Encoder::new();
        let mut input = client_start();
        let fields = request_fields("#initially=[http://127.0.0.1:2379]");
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_HEADERS | FLAG_END_STREAM,
            3,
            &encode(&mut encoder, &fields),
        ));
        let seen = parse_output(&run_whole(&input).await.unwrap());
        let without: Fields = fields
            .into_iter()
            .filter(|(n, _)| n != b":authority")
            .collect();
        assert_eq!(
            seen[2],
            Seen::Headers {
                stream_id: 3,
                end_stream: true,
                fields: without,
                frames: 1
            }
        );
    }

    #[tokio::test]
    async fn valid_authority_and_huffman_fields_are_kept() {
        // RFC 7541 C.4.1: GET http://www.example.com/, strings Huffman-coded.
        let block = [
            0x82, 0x86, 0x84, 0x41, 0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab,
            0x90, 0xf4, 0xff,
        ];
        let mut input = client_start();
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_HEADERS | FLAG_END_STREAM,
            1,
            &block,
        ));
        let seen = parse_output(&run_whole(&input).await.unwrap());
        let fields = headers_of(&seen);
        assert_eq!(authority_of(fields[0]), Some(&b"www.example.com"[..]));
        assert_eq!(fields[0].len(), 4);
    }

    #[tokio::test]
    async fn dynamic_table_is_followed_across_requests() {
        // RFC 7541 C.4.1 then C.4.2: the second request names :authority by dynamic index 62.
        let first = [
            0x82, 0x86, 0x84, 0x41, 0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab,
            0x90, 0xf4, 0xff,
        ];
        let second = [
            0x82, 0x86, 0x84, 0xbe, 0x58, 0x86, 0xa8, 0xeb, 0x10, 0x64, 0x9c, 0xbf,
        ];
        // Then a bad authority indexed on stream 5 (literal with incremental indexing, name
        // :authority) and named only by dynamic index 62 on stream 7.
        let mut third = vec![0x82, 0x86, 0x84, 0x41];
        put_string(&mut third, b"http://10.0.0.1:2379");
        let fourth = [0x82, 0x86, 0x84, 0xbe];
        // And an encoder that indexes what it can, sending the same request twice.
        let mut encoder = Encoder::new();
        let grpc = request_fields("http://10.0.0.1:2379");
        let grpc_first = encode(&mut encoder, &grpc);
        let grpc_again = encode(&mut encoder, &grpc);
        assert!(
            grpc_again.len() < grpc_first.len(),
            "the second encoding uses the dynamic table"
        );

        // The connection opens with a bad authority sent without indexing, so it is rewritten
        // from the start and the client's table is still empty for the RFC's examples.
        let mut opening = vec![0x82, 0x86, 0x84, 0x01];
        put_string(&mut opening, b"http://10.0.0.9:2379");

        let mut input = client_start();
        for (stream_id, block) in [
            (1, &opening[..]),
            (3, &first[..]),
            (5, &second),
            (7, &third),
            (9, &fourth),
            (11, &grpc_first),
            (13, &grpc_again),
        ] {
            input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, stream_id, block));
        }
        let seen = parse_output(&run_whole(&input).await.unwrap());
        let fields = headers_of(&seen);
        assert_eq!(fields.len(), 7);
        assert_eq!(authority_of(fields[0]), Some(&b"10.0.0.9:2379"[..]));
        assert_eq!(authority_of(fields[2]), Some(&b"www.example.com"[..]));
        assert!(fields[2].contains(&(b"cache-control".to_vec(), b"no-cache".to_vec())));
        assert_eq!(authority_of(fields[3]), Some(&b"10.0.0.1:2379"[..]));
        assert_eq!(fields[3], fields[4]);
        assert_eq!(fields[5], &request_fields("10.0.0.1:2379"));
        assert_eq!(fields[6], &request_fields("10.0.0.1:2379"));
    }

    #[tokio::test]
    async fn table_size_updates_are_applied() {
        let mut encoder = Encoder::new();
        let mut input = client_start();
        let first = encode(&mut encoder, &request_fields("http://10.0.0.1:2379"));
        input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 1, &first));
        // Shrink the table to nothing (evicting every entry) and back, then refer to entry 62.
        let mut second = vec![0x20];
        put_integer(&mut second, 5, 0x20, 4096);
        second.push(0x80 | 62);
        input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 3, &second));
        let err = run_whole(&input).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("HPACK"), "{err}");

        // Growing past what h2 advertises is refused too.
        let mut input = client_start();
        let mut block = Vec::new();
        put_integer(&mut block, 5, 0x20, MAX_DYNAMIC_TABLE_SIZE + 1);
        block.push(0x82);
        input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 1, &block));
        assert!(run_whole(&input)
            .await
            .unwrap_err()
            .to_string()
            .contains("HPACK"));
    }

    #[tokio::test]
    async fn block_split_over_continuation_frames_is_joined() {
        let mut encoder = Encoder::new();
        let block = encode(&mut encoder, &request_fields("http://127.0.0.1:2379"));
        let mut input = client_start();
        input.extend(frame(FRAME_HEADERS, FLAG_END_STREAM, 1, &block[..5]));
        input.extend(frame(FRAME_CONTINUATION, 0, 1, &block[5..7]));
        input.extend(frame(FRAME_CONTINUATION, 0, 1, &[]));
        input.extend(frame(FRAME_CONTINUATION, FLAG_END_HEADERS, 1, &block[7..]));
        input.extend(frame(FRAME_WINDOW_UPDATE, 0, 1, &[0, 0, 1, 0]));
        let seen = parse_output(&run_whole(&input).await.unwrap());
        assert_eq!(
            seen[2],
            Seen::Headers {
                stream_id: 1,
                end_stream: true,
                fields: request_fields("127.0.0.1:2379"),
                frames: 1
            }
        );
        assert_eq!(
            seen[3],
            Seen::Frame {
                kind: FRAME_WINDOW_UPDATE,
                flags: 0,
                stream_id: 1,
                payload: vec![0, 0, 1, 0]
            }
        );
    }

    #[tokio::test]
    async fn padding_and_priority_are_dropped() {
        let mut encoder = Encoder::new();
        let block = encode(&mut encoder, &request_fields("http://127.0.0.1:2379"));
        let mut payload = vec![4]; // pad length
        payload.extend([0x80, 0, 0, 0, 200]); // exclusive dependency on stream 0, weight 201
        payload.extend(&block);
        payload.extend([0; 4]);
        let mut input = client_start();
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_HEADERS | FLAG_PADDED | FLAG_PRIORITY | FLAG_END_STREAM,
            1,
            &payload,
        ));
        let seen = parse_output(&run_whole(&input).await.unwrap());
        assert_eq!(
            seen[2],
            Seen::Headers {
                stream_id: 1,
                end_stream: true,
                fields: request_fields("127.0.0.1:2379"),
                frames: 1
            }
        );

        // Padding longer than the frame is refused.
        let mut input = client_start();
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_HEADERS | FLAG_PADDED,
            1,
            &[9, 0x82],
        ));
        let err = run_whole(&input).await.unwrap_err();
        assert!(err.to_string().contains("padding"), "{err}");
    }

    #[tokio::test]
    async fn long_block_is_reframed_with_continuations() {
        let mut fields = request_fields("http://127.0.0.1:2379");
        fields.push((b"x-big".to_vec(), vec![b'v'; 40_000]));
        let mut encoder = Encoder::new();
        let block = encode(&mut encoder, &fields);
        let mut input = client_start();
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_STREAM | FLAG_END_HEADERS,
            1,
            &block,
        ));
        let seen = parse_output(&run_whole(&input).await.unwrap());
        fields[3].1 = b"127.0.0.1:2379".to_vec();
        assert_eq!(
            seen[2],
            Seen::Headers {
                stream_id: 1,
                end_stream: true,
                fields,
                frames: 3
            }
        );
    }

    /// Two requests with DATA frames, each of the four kinds of change above.
    fn busy_connection() -> Vec<u8> {
        let mut encoder = Encoder::new();
        let mut input = client_start();
        let block = encode(&mut encoder, &request_fields("http://127.0.0.1:2379"));
        input.extend(frame(FRAME_HEADERS, 0, 1, &block[..3]));
        input.extend(frame(FRAME_CONTINUATION, FLAG_END_HEADERS, 1, &block[3..]));
        input.extend(frame(FRAME_DATA, 0, 1, &[7; 100]));
        let block = encode(&mut encoder, &request_fields("http://127.0.0.1:2379"));
        let mut payload = vec![2, 0, 0, 0, 1, 15];
        payload.extend(&block);
        payload.extend([0, 0]);
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_PADDED | FLAG_PRIORITY | FLAG_END_HEADERS,
            3,
            &payload,
        ));
        input.extend(frame(FRAME_DATA, FLAG_END_STREAM, 1, &[8; 30]));
        input.extend(frame(FRAME_DATA, FLAG_END_STREAM, 3, &[]));
        input
    }

    #[tokio::test]
    async fn bytes_arriving_one_at_a_time_give_the_same_output() {
        let input = busy_connection();
        let whole = run_whole(&input).await.unwrap();
        let seen = parse_output(&whole);
        let expected = request_fields("127.0.0.1:2379");
        assert_eq!(headers_of(&seen), [&expected, &expected]);
        assert_eq!(seen.len(), 7);

        let one_by_one: Vec<Vec<u8>> = input.iter().map(|&b| vec![b]).collect();
        assert_eq!(run(one_by_one.clone(), 64 * 1024).await.unwrap(), whole);
        // Small caller buffers too, which leave bytes unread between calls.
        for read_size in [1, 2, 5, 9, 10, 33] {
            assert_eq!(
                run(vec![input.clone()], read_size).await.unwrap(),
                whole,
                "read size {read_size}"
            );
            assert_eq!(
                run(one_by_one.clone(), read_size).await.unwrap(),
                whole,
                "read size {read_size}"
            );
        }
        for piece in [2, 7, 13, 24, 25, 64] {
            let pieces = input.chunks(piece).map(<[u8]>::to_vec).collect();
            assert_eq!(run(pieces, 17).await.unwrap(), whole, "piece size {piece}");
        }
    }

    #[tokio::test]
    async fn http1_passes_through_byte_identical() {
        let request = b"POST /v3/kv/range HTTP/1.1\r\nHost: http://127.0.0.1:2379\r\nContent-Length: 12\r\n\r\n{\"key\":\"YQ\"}".to_vec();
        assert_eq!(run_whole(&request).await.unwrap(), request);
        let one_by_one = request.iter().map(|&b| vec![b]).collect();
        assert_eq!(run(one_by_one, 3).await.unwrap(), request);
        // Diverging from the preface late still passes everything.
        let almost = b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n\0\0\x05\x01\x04\0\0\0\x01".to_vec();
        let pieces = almost.iter().map(|&b| vec![b]).collect();
        assert_eq!(run(pieces, 4).await.unwrap(), almost);
    }

    #[tokio::test]
    async fn oversized_block_closes_the_connection() {
        let mut input = client_start();
        let piece = vec![0u8; MAX_EMITTED_PAYLOAD];
        input.extend(frame(FRAME_HEADERS, 0, 1, &piece));
        for _ in 0..(MAX_BLOCK_BYTES / MAX_EMITTED_PAYLOAD) {
            input.extend(frame(FRAME_CONTINUATION, 0, 1, &piece));
        }
        let err = run_whole(&input).await.unwrap_err();
        assert!(matches!(
            err.get_ref()
                .and_then(|e| e.downcast_ref::<HeaderRewriteError>()),
            Some(HeaderRewriteError::BlockTooLarge { stream_id: 1 })
        ));

        // A small block that indexing expands past the bound (on a connection being rewritten).
        let mut encoder = Encoder::new();
        let mut input = client_start();
        let mut opening = vec![0x82, 0x86, 0x84, 0x01];
        put_string(&mut opening, b"http://10.0.0.9:2379");
        input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 5, &opening));
        let big = vec![(b"x-big".to_vec(), vec![b'v'; 4000])];
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_HEADERS,
            1,
            &encode(&mut encoder, &big),
        ));
        let refs = vec![0x80 | 62; MAX_REWRITTEN_BYTES / 4000 + 1];
        input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 3, &refs));
        let err = run_whole(&input).await.unwrap_err();
        assert!(matches!(
            err.get_ref()
                .and_then(|e| e.downcast_ref::<HeaderRewriteError>()),
            Some(HeaderRewriteError::RewrittenTooLarge { stream_id: 3 })
        ));
    }

    #[tokio::test]
    async fn a_connection_whose_first_request_is_fine_passes_through_untouched() {
        let mut encoder = Encoder::new();
        let mut input = client_start();
        let good = encode(&mut encoder, &request_fields("10.0.0.1:2379"));
        let again = encode(&mut encoder, &request_fields("10.0.0.1:2379"));
        input.extend(frame(
            FRAME_HEADERS,
            FLAG_END_HEADERS | FLAG_PADDED,
            1,
            &[&[0u8][..], &good].concat(),
        ));
        input.extend(frame(FRAME_DATA, 0, 1, b"payload"));
        input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 3, &again));
        let out = run_whole(&input).await.unwrap();
        // The first block loses only its (empty) padding; everything after it is byte-identical.
        let mut expected = client_start();
        expected.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 1, &good));
        expected.extend(frame(FRAME_DATA, 0, 1, b"payload"));
        expected.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 3, &again));
        assert_eq!(out, expected);
        let fields = headers_of(&parse_output(&out))
            .into_iter()
            .cloned()
            .collect::<Vec<_>>();
        assert_eq!(
            fields,
            vec![
                request_fields("10.0.0.1:2379"),
                request_fields("10.0.0.1:2379")
            ]
        );
    }

    #[tokio::test]
    async fn frame_inside_a_block_or_truncated_block_is_an_error() {
        let mut input = client_start();
        input.extend(frame(FRAME_HEADERS, 0, 1, &[0x82]));
        input.extend(frame(FRAME_DATA, 0, 1, b"x"));
        let err = run_whole(&input).await.unwrap_err();
        assert!(err.to_string().contains("interrupts"), "{err}");

        let mut input = client_start();
        input.extend(frame(FRAME_HEADERS, FLAG_END_HEADERS, 1, &[0x82, 0x86]));
        input.truncate(input.len() - 1);
        let err = run_whole(&input).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn fixer_is_send_and_unpin() {
        fn assert_stream<T: AsyncRead + AsyncWrite + Unpin + Send>() {}
        assert_stream::<AuthorityFixer<tokio::net::TcpStream>>();
        assert_stream::<AuthorityFixer<tokio::net::UnixStream>>();
    }
}
