//! A client's HTTP/2 bytes as the `:authority` repair reads them
//! (`transport::h2_authority::AuthorityFixer`): frames pass through, header blocks are decoded
//! with the connection's HPACK state and re-encoded. Read sizes vary with the first byte, so
//! frames and blocks are split across reads.
#![no_main]

use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;
use oxcd_server::transport::h2_authority::AuthorityFixer;
use tokio::io::{AsyncRead, ReadBuf};

/// Inputs are what follows the client preface (without it, everything passes untouched).
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

fuzz_target!(|data: &[u8]| {
    let Some((&size, frames)) = data.split_first() else { return };
    let mut input = PREFACE.to_vec();
    input.extend_from_slice(frames);
    let mut fixer = AuthorityFixer::new(input.as_slice());
    let mut cx = Context::from_waker(Waker::noop());
    let mut out = vec![0u8; 1 + usize::from(size) * 67];
    loop {
        let mut buf = ReadBuf::new(&mut out);
        match Pin::new(&mut fixer).poll_read(&mut cx, &mut buf) {
            Poll::Ready(Ok(())) if buf.filled().is_empty() => break,
            Poll::Ready(Ok(())) => {}
            // A slice never waits; an error closes the connection.
            Poll::Ready(Err(_)) | Poll::Pending => break,
        }
    }
});
