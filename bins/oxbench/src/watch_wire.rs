//! The watch stream as the benchmarks read it: each `WatchResponse` walked for the few fields they
//! measure (created, canceled, the cancel reason, how many events, each event's put number), not
//! decoded into messages. Decoding every event's key and value into buffers of their own took
//! about half of all the CPU of a fan-out run on two cores, which the server under test shares:
//! the less the load generator takes, the more a comparison measures the servers.

use oxcd_proto::etcdserverpb::WatchRequest;
use prost::bytes::Buf;
use prost::encoding::{self, WireType};
use prost::Message;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::Status;

/// What a benchmark needs of one `WatchResponse`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WatchSummary {
    pub created: bool,
    pub canceled: bool,
    pub cancel_reason: String,
    /// Events that carry a key-value (as etcd's are).
    pub events: u64,
    /// The number each event's value starts with (8 bytes, little-endian), for the values that
    /// are that long.
    pub numbers: Vec<u64>,
}

// Field numbers of etcd's `WatchResponse`, `Event` and `KeyValue`.
const RESPONSE_CREATED: u32 = 3;
const RESPONSE_CANCELED: u32 = 4;
const RESPONSE_CANCEL_REASON: u32 = 6;
const RESPONSE_EVENTS: u32 = 11;
const EVENT_KV: u32 = 2;
const KV_VALUE: u32 = 5;

/// Walks an encoded `WatchResponse`.
pub fn summarize(mut message: &[u8]) -> Result<WatchSummary, String> {
    let mut summary = WatchSummary::default();
    while !message.is_empty() {
        match next_field(&mut message)? {
            (RESPONSE_CREATED, Field::Varint(v)) => summary.created = v != 0,
            (RESPONSE_CANCELED, Field::Varint(v)) => summary.canceled = v != 0,
            (RESPONSE_CANCEL_REASON, Field::Bytes(reason)) => {
                summary.cancel_reason = String::from_utf8_lossy(reason).into_owned();
            }
            (RESPONSE_EVENTS, Field::Bytes(mut event)) => {
                while !event.is_empty() {
                    let (EVENT_KV, Field::Bytes(mut kv)) = next_field(&mut event)? else {
                        continue;
                    };
                    summary.events += 1;
                    while !kv.is_empty() {
                        if let (KV_VALUE, Field::Bytes(value)) = next_field(&mut kv)? {
                            if let Some(number) = value.first_chunk::<8>() {
                                summary.numbers.push(u64::from_le_bytes(*number));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(summary)
}

enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// Reads the field at the start of `buf` and moves past it.
fn next_field<'a>(buf: &mut &'a [u8]) -> Result<(u32, Field<'a>), String> {
    let (number, wire_type) = encoding::decode_key(buf).map_err(|e| e.to_string())?;
    let field = match wire_type {
        WireType::Varint => Field::Varint(varint(buf)?),
        WireType::SixtyFourBit => take(buf, 8).map(|_| Field::Fixed)?,
        WireType::LengthDelimited => {
            let len = usize::try_from(varint(buf)?).map_err(|_| "length out of range")?;
            Field::Bytes(take(buf, len)?)
        }
        WireType::ThirtyTwoBit => take(buf, 4).map(|_| Field::Fixed)?,
        WireType::StartGroup | WireType::EndGroup => {
            return Err(format!("wire type {wire_type:?} not expected"))
        }
    };
    Ok((number, field))
}

fn varint(buf: &mut &[u8]) -> Result<u64, String> {
    encoding::decode_varint(buf).map_err(|e| e.to_string())
}

fn take<'a>(buf: &mut &'a [u8], len: usize) -> Result<&'a [u8], String> {
    if buf.len() < len {
        return Err("field runs past the message".into());
    }
    let (taken, rest) = buf.split_at(len);
    *buf = rest;
    Ok(taken)
}

/// The codec of the Watch stream for [`tonic::client::Grpc::streaming`]: requests encoded by
/// prost, responses summarized.
#[derive(Clone, Copy, Default)]
pub struct WatchCodec;

impl Codec for WatchCodec {
    type Encode = WatchRequest;
    type Decode = WatchSummary;
    type Encoder = WatchCodec;
    type Decoder = WatchCodec;

    fn encoder(&mut self) -> WatchCodec {
        WatchCodec
    }

    fn decoder(&mut self) -> WatchCodec {
        WatchCodec
    }
}

impl Encoder for WatchCodec {
    type Item = WatchRequest;
    type Error = Status;

    fn encode(&mut self, item: WatchRequest, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        item.encode(dst)
            .map_err(|e| Status::internal(format!("encoding a watch request: {e}")))
    }
}

impl Decoder for WatchCodec {
    type Item = WatchSummary;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<WatchSummary>, Status> {
        let len = src.remaining();
        let summary = if src.chunk().len() >= len {
            let summary = summarize(&src.chunk()[..len]);
            src.advance(len);
            summary
        } else {
            summarize(&src.copy_to_bytes(len))
        };
        summary.map(Some).map_err(Status::internal)
    }
}

#[cfg(test)]
mod tests {
    use oxcd_proto::etcdserverpb::{ResponseHeader, WatchResponse};
    use oxcd_proto::mvccpb::{Event, KeyValue};

    use super::*;

    fn event(value: &[u8], with_prev: bool) -> Event {
        let kv = |value: &[u8]| KeyValue {
            key: b"fanout/7".to_vec().into(),
            create_revision: 5,
            mod_revision: 900,
            version: 3,
            value: value.to_vec().into(),
            lease: 0x1234_5678_9abc,
        };
        Event {
            r#type: 0,
            kv: Some(kv(value)),
            prev_kv: with_prev.then(|| kv(&7u64.to_le_bytes())),
        }
    }

    #[test]
    fn reads_what_prost_decodes() {
        let numbered = |n: u64| {
            let mut v = n.to_le_bytes().to_vec();
            v.extend_from_slice(b"vvvvvvvvvvvvvvvvvvvvvvvv");
            v
        };
        let responses = [
            WatchResponse {
                header: Some(ResponseHeader {
                    cluster_id: u64::MAX,
                    member_id: 3,
                    revision: 1 << 40,
                    raft_term: 9,
                }),
                watch_id: 42,
                created: true,
                ..Default::default()
            },
            WatchResponse {
                watch_id: -1,
                created: true,
                canceled: true,
                cancel_reason: "etcdserver: permission denied".into(),
                ..Default::default()
            },
            WatchResponse {
                watch_id: 7,
                compact_revision: 12,
                fragment: true,
                events: vec![
                    event(&numbered(1), false),
                    event(&numbered(u64::MAX - 3), true),
                    event(b"short", false),
                    Event {
                        r#type: 1,
                        kv: None,
                        prev_kv: None,
                    },
                    event(&numbered(1 << 33), false),
                ],
                ..Default::default()
            },
        ];
        for response in responses {
            let summary = summarize(&response.encode_to_vec()).unwrap();
            let expected = WatchSummary {
                created: response.created,
                canceled: response.canceled,
                cancel_reason: response.cancel_reason.clone(),
                events: response.events.iter().filter(|e| e.kv.is_some()).count() as u64,
                numbers: response
                    .events
                    .iter()
                    .filter_map(|e| e.kv.as_ref()?.value.first_chunk::<8>().copied())
                    .map(u64::from_le_bytes)
                    .collect(),
            };
            assert_eq!(summary, expected, "{response:?}");
        }
    }

    #[test]
    fn a_cut_message_is_an_error() {
        let whole = WatchResponse {
            events: vec![event(&3u64.to_le_bytes(), true)],
            ..Default::default()
        }
        .encode_to_vec();
        for len in 1..whole.len() {
            assert!(summarize(&whole[..len]).is_err(), "cut at {len}");
        }
        assert!(summarize(&[0x80; 11]).is_err());
        assert!(summarize(&[(1 << 3) | 3]).is_err(), "groups are not etcd's");
    }
}
