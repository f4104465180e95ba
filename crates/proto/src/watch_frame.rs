//! [`WatchFrame`]: an `etcdserverpb.WatchResponse` held in its wire form, so that one event
//! sent to many watchers is encoded once rather than once per watcher.

use std::sync::{Arc, OnceLock};

use bytes::{Buf, BufMut, Bytes};
use prost::encoding::{self, DecodeContext, WireType};
use prost::{DecodeError, Message};
use smallvec::SmallVec;

use crate::etcdserverpb::{ResponseHeader, WatchResponse};
use crate::mvccpb::Event;

/// `WatchResponse.events`.
const EVENTS_FIELD: u32 = 11;

/// The most an events frame's head takes: a header of four 10-byte varints, a watch id and the
/// fragment flag, with their keys and the header's length.
const EVENTS_HEAD_MAX: usize = 64;

/// An encoded `mvccpb.Event`. prost writes its fields in number order and `prev_kv` (3) is the
/// last, so the encoding without `prev_kv` is a prefix of the one with it: one buffer serves
/// watchers that asked for `prev_kv` and those that did not.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedEvent {
    with_prev_kv: Bytes,
    without_prev_kv: usize,
}

impl EncodedEvent {
    pub fn new(event: &Event) -> EncodedEvent {
        let with_prev_kv = event.encode_to_vec();
        let prev_kv_len = event
            .prev_kv
            .as_ref()
            .map_or(0, |prev_kv| encoding::message::encoded_len(3, prev_kv));
        EncodedEvent {
            without_prev_kv: with_prev_kv.len() - prev_kv_len,
            with_prev_kv: with_prev_kv.into(),
        }
    }

    /// The length of [`bytes`](Self::bytes).
    pub fn len(&self, prev_kv: bool) -> usize {
        self.slice(prev_kv).len()
    }

    /// The event's encoding, with its `prev_kv` or without.
    pub fn bytes(&self, prev_kv: bool) -> Bytes {
        if prev_kv {
            self.with_prev_kv.clone()
        } else {
            self.with_prev_kv.slice(..self.without_prev_kv)
        }
    }

    fn slice(&self, prev_kv: bool) -> &[u8] {
        if prev_kv {
            &self.with_prev_kv
        } else {
            &self.with_prev_kv[..self.without_prev_kv]
        }
    }
}

/// One revision's events as a server fans them out to many watchers: every frame that carries
/// them shares them, and their wire form is made once, by the first frame that needs it.
#[derive(Debug)]
pub struct SharedEvents {
    events: Vec<Event>,
    wire: OnceLock<Wire>,
}

/// Equal when the events are, whether or not either has been encoded yet.
impl PartialEq for SharedEvents {
    fn eq(&self, other: &SharedEvents) -> bool {
        self.events == other.events
    }
}

/// The wire form of [`SharedEvents`], and its lengths without and with `prev_kv` (the index),
/// which every frame carrying them asks for.
#[derive(Debug)]
struct Wire {
    encoded: Vec<EncodedEvent>,
    events_len: [usize; 2],
    frame_len: [usize; 2],
}

impl SharedEvents {
    pub fn new(events: Vec<Event>) -> SharedEvents {
        SharedEvents {
            events,
            wire: OnceLock::new(),
        }
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Takes the events back, copying them if another holder still shares them.
    pub fn into_vec(shared: Arc<SharedEvents>) -> Vec<Event> {
        match Arc::try_unwrap(shared) {
            Ok(shared) => shared.events,
            Err(shared) => shared.events.clone(),
        }
    }

    /// Each event encoded, in order.
    pub fn encoded(&self) -> &[EncodedEvent] {
        &self.wire().encoded
    }

    fn wire(&self) -> &Wire {
        self.wire.get_or_init(|| {
            let encoded: Vec<EncodedEvent> = self.events.iter().map(EncodedEvent::new).collect();
            let lens = |prev_kv| encoded.iter().map(move |e| e.len(prev_kv));
            Wire {
                events_len: [false, true].map(|prev_kv| lens(prev_kv).sum()),
                frame_len: [false, true]
                    .map(|prev_kv| lens(prev_kv).map(WatchFrame::event_len).sum()),
                encoded,
            }
        })
    }
}

/// Events of a frame: one encoded event, or a revision's events shared with other frames (each
/// with its `prev_kv` or without).
#[derive(Debug, Clone, PartialEq)]
pub enum FramePart {
    Event(Bytes),
    Shared {
        events: Arc<SharedEvents>,
        prev_kv: bool,
    },
}

impl FramePart {
    /// How many events the part holds.
    pub fn count(&self) -> usize {
        match self {
            FramePart::Event(_) => 1,
            FramePart::Shared { events, .. } => events.events().len(),
        }
    }

    /// The encoded length of the part's events, without the frame's field keys and lengths.
    pub fn events_len(&self) -> usize {
        match self {
            FramePart::Event(event) => event.len(),
            FramePart::Shared { events, prev_kv } => events.wire().events_len[*prev_kv as usize],
        }
    }

    /// What the part adds to a frame.
    pub fn frame_len(&self) -> usize {
        match self {
            FramePart::Event(event) => WatchFrame::event_len(event.len()),
            FramePart::Shared { events, prev_kv } => events.wire().frame_len[*prev_kv as usize],
        }
    }

    /// Each of the part's events on its own.
    pub fn into_events(self) -> Vec<Bytes> {
        match self {
            FramePart::Event(event) => vec![event],
            FramePart::Shared { events, prev_kv } => {
                events.encoded().iter().map(|e| e.bytes(prev_kv)).collect()
            }
        }
    }

    /// Calls `f` with each event's encoding, in order.
    fn for_each_event(&self, mut f: impl FnMut(&[u8])) {
        match self {
            FramePart::Event(event) => f(event),
            FramePart::Shared { events, prev_kv } => {
                for event in events.encoded() {
                    f(event.slice(*prev_kv));
                }
            }
        }
    }
}

/// A frame's events: most frames carry one part.
pub type FrameEvents = SmallVec<[FramePart; 1]>;

/// A `WatchResponse` on the wire: every field but the events encoded in `head`, the events in
/// `events`, which may be shared by many frames. It encodes as prost encodes the same
/// `WatchResponse` (fields in number order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WatchFrame {
    head: SmallVec<[u8; EVENTS_HEAD_MAX]>,
    events: FrameEvents,
}

impl WatchFrame {
    /// The frame of `response`, encoded whole.
    pub fn from_response(response: &WatchResponse) -> WatchFrame {
        WatchFrame {
            head: SmallVec::from_vec(response.encode_to_vec()),
            events: FrameEvents::new(),
        }
    }

    /// The frame of a response carrying `events` for `watch_id`, marked as a fragment (not the
    /// last) when `fragment`.
    pub fn events(
        header: &ResponseHeader,
        watch_id: i64,
        fragment: bool,
        events: FrameEvents,
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
        for part in &self.events {
            part.for_each_event(|event| {
                encoding::encode_key(EVENTS_FIELD, WireType::LengthDelimited, buf);
                encoding::encode_varint(event.len() as u64, buf);
                buf.put_slice(event);
            });
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
            self.events.push(FramePart::Event(event));
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
        self.head.len() + self.events.iter().map(FramePart::frame_len).sum::<usize>()
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
            let encoded = events
                .iter()
                .map(|e| FramePart::Event(e.encode_to_vec().into()))
                .collect();
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
    fn an_encoded_event_is_prosts_encoding_with_and_without_prev_kv() {
        for r#type in [EventType::Put, EventType::Delete] {
            for prev in [false, true] {
                let mut event = event("key", 5, prev);
                event.r#type = r#type as i32;
                let encoded = EncodedEvent::new(&event);
                assert_eq!(encoded.bytes(true), event.encode_to_vec());
                let without = Event {
                    prev_kv: None,
                    ..event.clone()
                };
                assert_eq!(encoded.bytes(false), without.encode_to_vec());
                assert_eq!(encoded.len(false), without.encoded_len());
            }
        }
    }

    #[test]
    fn shared_parts_encode_as_their_events_with_or_without_prev_kv() {
        let header = ResponseHeader {
            revision: 43,
            ..Default::default()
        };
        let first = Arc::new(SharedEvents::new(vec![
            event("a", 42, true),
            event("b", 42, true),
        ]));
        let second = Arc::new(SharedEvents::new(vec![event("c", 43, true)]));
        let lone = event("d", 43, false);
        for prev_kv in [false, true] {
            let parts: FrameEvents = [
                FramePart::Shared {
                    events: first.clone(),
                    prev_kv,
                },
                FramePart::Event(lone.encode_to_vec().into()),
                FramePart::Shared {
                    events: second.clone(),
                    prev_kv,
                },
            ]
            .into_iter()
            .collect();
            let mut events: Vec<Event> = first.events().to_vec();
            events.push(lone.clone());
            events.extend(second.events().iter().cloned());
            if !prev_kv {
                events.iter_mut().for_each(|e| e.prev_kv = None);
            }
            let response = WatchResponse {
                header: Some(header),
                watch_id: 7,
                events: events.clone(),
                ..Default::default()
            };
            assert_eq!(parts.iter().map(FramePart::count).sum::<usize>(), 4);
            let lens: usize = parts.iter().map(FramePart::events_len).sum();
            assert_eq!(lens, events.iter().map(Message::encoded_len).sum::<usize>());
            let one_by_one: Vec<Bytes> = parts
                .clone()
                .into_iter()
                .flat_map(FramePart::into_events)
                .collect();
            let want: Vec<Vec<u8>> = events.iter().map(Message::encode_to_vec).collect();
            assert_eq!(one_by_one, want);
            let frame = WatchFrame::events(&header, 7, false, parts);
            assert_eq!(frame.encode_to_vec(), response.encode_to_vec());
            assert_eq!(frame.encoded_len(), response.encoded_len());
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
