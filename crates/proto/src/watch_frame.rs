//! [`WatchFrame`]: an `etcdserverpb.WatchResponse` held in its wire form, so that one event
//! sent to many watchers is encoded once rather than once per watcher.

use bytes::{Buf, BufMut, Bytes};
use prost::encoding::{self, DecodeContext, WireType};
use prost::{DecodeError, Message};
use smallvec::SmallVec;

use crate::etcdserverpb::{ResponseHeader, WatchResponse};

/// `WatchResponse.events`.
const EVENTS_FIELD: u32 = 11;

/// The most an events frame's head takes: a header of four 10-byte varints, a watch id and the
/// fragment flag, with their keys and the header's length.
const EVENTS_HEAD_MAX: usize = 64;

/// A frame's encoded events: most frames carry one.
pub type EncodedEvents = SmallVec<[Bytes; 1]>;

/// A `WatchResponse` on the wire: every field but the events encoded in `head`, each event's
/// encoding (a `mvccpb.Event` message) in `events`, which may be slices of one buffer shared by
/// many frames. It encodes as prost encodes the same `WatchResponse` (fields in number order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WatchFrame {
    head: SmallVec<[u8; EVENTS_HEAD_MAX]>,
    events: EncodedEvents,
}

impl WatchFrame {
    /// The frame of `response`, encoded whole.
    pub fn from_response(response: &WatchResponse) -> WatchFrame {
        WatchFrame {
            head: SmallVec::from_vec(response.encode_to_vec()),
            events: EncodedEvents::new(),
        }
    }

    /// The frame of a response carrying `events` (each an encoded `mvccpb.Event`) for
    /// `watch_id`, marked as a fragment (not the last) when `fragment`.
    pub fn events(
        header: &ResponseHeader,
        watch_id: i64,
        fragment: bool,
        events: EncodedEvents,
    ) -> WatchFrame {
        let mut buf = [0u8; EVENTS_HEAD_MAX];
        let mut rest = &mut buf[..];
        encoding::message::encode(1, header, &mut rest);
        if watch_id != 0 {
            encoding::int64::encode(2, &watch_id, &mut rest);
        }
        if fragment {
            encoding::bool::encode(7, &fragment, &mut rest);
        }
        let len = EVENTS_HEAD_MAX - rest.len();
        WatchFrame {
            head: SmallVec::from_slice(&buf[..len]),
            events,
        }
    }

    /// The encoded length of [`events`](Self::events)' frame before its events.
    pub fn head_len(header: &ResponseHeader, watch_id: i64, fragment: bool) -> usize {
        let mut len = encoding::message::encoded_len(1, header);
        if watch_id != 0 {
            len += encoding::int64::encoded_len(2, &watch_id);
        }
        if fragment {
            len += encoding::bool::encoded_len(7, &fragment);
        }
        len
    }

    /// What one encoded event of `len` bytes adds to a frame.
    pub fn event_len(len: usize) -> usize {
        encoding::key_len(EVENTS_FIELD) + encoding::encoded_len_varint(len as u64) + len
    }

    /// The response this frame encodes.
    pub fn to_response(&self) -> Result<WatchResponse, DecodeError> {
        WatchResponse::decode(self.encode_to_vec().as_slice())
    }
}

impl Message for WatchFrame {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.head);
        for event in &self.events {
            encoding::encode_key(EVENTS_FIELD, WireType::LengthDelimited, buf);
            encoding::encode_varint(event.len() as u64, buf);
            buf.put_slice(event);
        }
    }

    /// Decoding keeps the events apart and every other field, re-encoded, in the head.
    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        if tag == EVENTS_FIELD && wire_type == WireType::LengthDelimited {
            let mut event = Bytes::new();
            encoding::bytes::merge(wire_type, &mut event, buf, ctx)?;
            self.events.push(event);
            return Ok(());
        }
        let mut field = Vec::new();
        encoding::encode_key(tag, wire_type, &mut field);
        match wire_type {
            WireType::Varint => {
                let value = encoding::decode_varint(buf)?;
                encoding::encode_varint(value, &mut field);
            }
            WireType::LengthDelimited => {
                let mut value = Vec::new();
                encoding::bytes::merge(wire_type, &mut value, buf, ctx)?;
                encoding::encode_varint(value.len() as u64, &mut field);
                field.extend_from_slice(&value);
            }
            WireType::SixtyFourBit => {
                let mut value = 0u64;
                encoding::fixed64::merge(wire_type, &mut value, buf, ctx)?;
                field.put_u64_le(value);
            }
            WireType::ThirtyTwoBit => {
                let mut value = 0u32;
                encoding::fixed32::merge(wire_type, &mut value, buf, ctx)?;
                field.put_u32_le(value);
            }
            // No field of a WatchResponse is a group: prost's own refusal of the wire type.
            WireType::StartGroup | WireType::EndGroup => {
                encoding::check_wire_type(WireType::LengthDelimited, wire_type)?;
            }
        }
        self.head.extend_from_slice(&field);
        Ok(())
    }

    fn encoded_len(&self) -> usize {
        self.head.len()
            + self
                .events
                .iter()
                .map(|e| Self::event_len(e.len()))
                .sum::<usize>()
    }

    fn clear(&mut self) {
        self.head.clear();
        self.events.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mvccpb::{event::EventType, Event, KeyValue};

    fn event(key: &str, revision: i64, prev: bool) -> Event {
        let kv = |rev: i64| KeyValue {
            key: Bytes::from(key.to_string()),
            value: Bytes::from(vec![7u8; 300]),
            create_revision: 2,
            mod_revision: rev,
            version: 3,
            lease: 0,
        };
        Event {
            r#type: EventType::Put as i32,
            kv: Some(kv(revision)),
            prev_kv: prev.then(|| kv(revision - 1)),
        }
    }

    #[test]
    fn an_events_frame_encodes_as_prost_encodes_the_same_response() {
        let header = ResponseHeader {
            cluster_id: 14841639068965178418,
            member_id: 10276657743932975437,
            revision: 42,
            raft_term: 3,
        };
        let largest = ResponseHeader {
            cluster_id: u64::MAX,
            member_id: u64::MAX,
            revision: -1,
            raft_term: u64::MAX,
        };
        let cases = [
            (header, 0, false, false),
            (header, 5, true, true),
            (header, -1, false, true),
            (largest, i64::MIN, true, false),
        ];
        for (header, watch_id, fragment, prev) in cases {
            let events = vec![event("a", 41, prev), event("b", 42, prev)];
            let response = WatchResponse {
                header: Some(header),
                watch_id,
                fragment,
                events: events.clone(),
                ..Default::default()
            };
            let encoded = events.iter().map(|e| e.encode_to_vec().into()).collect();
            let frame = WatchFrame::events(&header, watch_id, fragment, encoded);
            let bytes = frame.encode_to_vec();
            assert_eq!(bytes, response.encode_to_vec());
            assert_eq!(frame.encoded_len(), bytes.len());
            assert_eq!(
                WatchFrame::head_len(&header, watch_id, fragment)
                    + events
                        .iter()
                        .map(|e| WatchFrame::event_len(e.encoded_len()))
                        .sum::<usize>(),
                bytes.len()
            );
            assert_eq!(frame.to_response().unwrap(), response);
            assert_eq!(WatchFrame::decode(bytes.as_slice()).unwrap(), frame);
        }
    }

    #[test]
    fn a_whole_response_round_trips_through_decoding() {
        let response = WatchResponse {
            header: Some(ResponseHeader {
                revision: 9,
                ..Default::default()
            }),
            watch_id: 3,
            canceled: true,
            compact_revision: 7,
            cancel_reason: "mvcc: required revision has been compacted".into(),
            events: vec![event("k", 9, false)],
            ..Default::default()
        };
        let frame = WatchFrame::from_response(&response);
        let bytes = frame.encode_to_vec();
        assert_eq!(bytes, response.encode_to_vec());
        assert_eq!(frame.to_response().unwrap(), response);
        let decoded = WatchFrame::decode(bytes.as_slice()).unwrap();
        assert_eq!(decoded.encode_to_vec(), bytes);
    }

    #[test]
    fn truncated_input_is_an_error() {
        let frame = WatchFrame::from_response(&WatchResponse {
            watch_id: 1,
            events: vec![event("k", 9, false)],
            ..Default::default()
        });
        let bytes = frame.encode_to_vec();
        // Cut inside the watch id, inside the event's length, inside the event.
        for cut in [1, 3, bytes.len() - 1] {
            assert!(WatchFrame::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
