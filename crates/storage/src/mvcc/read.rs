//! Range requests: choosing keys from the index, then values from the backend, then etcd's
//! filters, sorting and limit. Shared by plain reads and reads inside a write batch.

use std::cmp::Ordering;

use oxcd_proto::etcdserverpb::range_request::{SortOrder, SortTarget};
use oxcd_proto::etcdserverpb::{RangeRequest, RangeResponse, ResponseHeader};
use oxcd_proto::mvccpb::KeyValue;
use prost::Message;
use redb::ReadableTable;

use super::error::MvccError;
use super::key_index::{Collect, KeyRange, Selection};
use super::revision::Revision;
use super::revision::RevisionKey;
use crate::backend::{Backend, StorageError};

/// A header carrying only `revision`; the server fills in the rest.
pub(crate) fn header(revision: i64) -> Option<ResponseHeader> {
    Some(ResponseHeader {
        revision,
        ..ResponseHeader::default()
    })
}

/// The revision a read at `requested` sees, given the store's current and compacted revisions.
pub(crate) fn read_revision(
    requested: i64,
    current: i64,
    compacted: i64,
) -> Result<i64, MvccError> {
    if requested > current {
        return Err(MvccError::FutureRevision);
    }
    let at = if requested <= 0 { current } else { requested };
    if at < compacted {
        return Err(MvccError::Compacted);
    }
    Ok(at)
}

/// How a validated range request is answered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RangePlan {
    /// Sort order after etcd's defaulting; `None` means key order as selected.
    order: SortOrder,
    target: SortTarget,
    /// Whether values must be fetched for every key before filtering/sorting and the limit.
    fetch_all: bool,
    /// What to collect from the index.
    pub(crate) collect: Collect,
}

impl RangePlan {
    /// Validates the sort options and decides how much of the range to read.
    pub(crate) fn new(req: &RangeRequest) -> Result<RangePlan, MvccError> {
        let order =
            SortOrder::try_from(req.sort_order).map_err(|_| MvccError::InvalidSortOption)?;
        let target =
            SortTarget::try_from(req.sort_target).map_err(|_| MvccError::InvalidSortOption)?;
        // etcd: a non-key target without an order sorts ascending; key order is the default.
        let order = match (target, order) {
            (SortTarget::Key, SortOrder::Ascend) => SortOrder::None,
            (SortTarget::Key, order) => order,
            (_, SortOrder::None) => SortOrder::Ascend,
            (_, order) => order,
        };
        let filtered = req.min_mod_revision != 0
            || req.max_mod_revision != 0
            || req.min_create_revision != 0
            || req.max_create_revision != 0;
        let limit = usize::try_from(req.limit)
            .ok()
            .filter(|&l| l > 0)
            .unwrap_or(usize::MAX);
        let key_order = target == SortTarget::Key;
        let fetch_all = filtered || !key_order;
        let collect = if req.count_only {
            Collect::Nothing
        } else if fetch_all {
            Collect::First(usize::MAX)
        } else if order == SortOrder::Descend {
            Collect::LastReversed(limit)
        } else {
            Collect::First(limit)
        };
        Ok(RangePlan {
            order,
            target,
            fetch_all,
            collect,
        })
    }

    /// Builds the response from the selected keys, reading their values from `table`.
    pub(crate) fn finish<T>(
        &self,
        req: &RangeRequest,
        selection: Selection,
        table: &T,
        backend: &Backend,
        header_revision: i64,
    ) -> Result<RangeResponse, MvccError>
    where
        T: ReadableTable<&'static [u8], &'static [u8]>,
    {
        let mut response = RangeResponse {
            header: header(header_revision),
            count: selection.count as i64,
            ..RangeResponse::default()
        };
        if req.count_only {
            return Ok(response);
        }
        let mut kvs = selection
            .revs
            .iter()
            .map(|&rev| read_value(table, backend, rev))
            .collect::<Result<Vec<_>, _>>()?;
        if self.fetch_all {
            kvs.retain(|kv| passes_filters(req, kv));
            // A stable sort from key order: ties stay in ascending key order either way.
            let target = self.target;
            match self.order {
                SortOrder::Ascend => kvs.sort_by(|a, b| compare_by(target, a, b)),
                SortOrder::Descend => kvs.sort_by(|a, b| compare_by(target, b, a)),
                SortOrder::None => {}
            }
        }
        let limit = usize::try_from(req.limit).unwrap_or(0);
        let total = if self.fetch_all {
            kvs.len()
        } else {
            selection.count
        };
        if limit > 0 && total > limit {
            kvs.truncate(limit);
            response.more = true;
        }
        if req.keys_only {
            for kv in &mut kvs {
                kv.value.clear();
            }
        }
        response.kvs = kvs;
        Ok(response)
    }
}

/// Whether `kv` passes the request's min/max mod/create revision filters (0 = no bound).
fn passes_filters(req: &RangeRequest, kv: &KeyValue) -> bool {
    (req.min_mod_revision == 0 || kv.mod_revision >= req.min_mod_revision)
        && (req.max_mod_revision == 0 || kv.mod_revision <= req.max_mod_revision)
        && (req.min_create_revision == 0 || kv.create_revision >= req.min_create_revision)
        && (req.max_create_revision == 0 || kv.create_revision <= req.max_create_revision)
}

fn compare_by(target: SortTarget, a: &KeyValue, b: &KeyValue) -> Ordering {
    match target {
        SortTarget::Key => a.key.cmp(&b.key),
        SortTarget::Version => a.version.cmp(&b.version),
        SortTarget::Create => a.create_revision.cmp(&b.create_revision),
        SortTarget::Mod => a.mod_revision.cmp(&b.mod_revision),
        SortTarget::Value => a.value.cmp(&b.value),
    }
}

/// Reads and decodes the value stored at a live (non-tombstone) revision.
pub(crate) fn read_value<T>(
    table: &T,
    backend: &Backend,
    rev: Revision,
) -> Result<KeyValue, StorageError>
where
    T: ReadableTable<&'static [u8], &'static [u8]>,
{
    let key = RevisionKey::new(rev, false);
    let guard = table.get(key.as_bytes())?.ok_or_else(|| {
        backend.corrupt(format!(
            "revision {}_{} is in the key index but not in the key table",
            rev.main, rev.sub
        ))
    })?;
    decode_kv(backend, rev, guard.value())
}

/// Decodes a `key` table value.
pub(crate) fn decode_kv(
    backend: &Backend,
    rev: Revision,
    bytes: &[u8],
) -> Result<KeyValue, StorageError> {
    KeyValue::decode(bytes).map_err(|err| {
        backend.corrupt(format!(
            "value at revision {}_{} does not decode: {err}",
            rev.main, rev.sub
        ))
    })
}

/// A `key` table value's key and the length of its value, borrowed rather than decoded into a
/// `KeyValue`: rebuilding the key index at start reads every revision and needs no more of it.
/// Malformed bytes are refused as [`decode_kv`] refuses them.
pub(crate) fn decode_key_and_value_len<'b>(
    backend: &Backend,
    rev: Revision,
    bytes: &'b [u8],
) -> Result<(&'b [u8], usize), StorageError> {
    use prost::encoding::{decode_key, decode_varint, skip_field, DecodeContext, WireType};
    // KeyValue's `key` and `value` fields; its others (create_revision, mod_revision, version,
    // lease) are int64s.
    const KEY: u32 = 1;
    const VALUE: u32 = 5;
    const INTEGERS: [u32; 4] = [2, 3, 4, 6];
    let corrupt = |detail: &dyn std::fmt::Display| {
        backend.corrupt(format!(
            "value at revision {}_{} does not decode: {detail}",
            rev.main, rev.sub
        ))
    };
    let (mut key, mut value_len) = (&bytes[..0], 0);
    let mut buf = bytes;
    while !buf.is_empty() {
        let (tag, wire_type) = decode_key(&mut buf).map_err(|e| corrupt(&e))?;
        if tag != KEY && tag != VALUE {
            if INTEGERS.contains(&tag) && wire_type != WireType::Varint {
                return Err(corrupt(&format_args!("field {tag} is not a varint")));
            }
            skip_field(wire_type, tag, &mut buf, DecodeContext::default())
                .map_err(|e| corrupt(&e))?;
            continue;
        }
        if wire_type != WireType::LengthDelimited {
            return Err(corrupt(&format_args!(
                "field {tag} is not length-delimited"
            )));
        }
        let len = decode_varint(&mut buf).map_err(|e| corrupt(&e))?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&len| len <= buf.len())
            .ok_or_else(|| corrupt(&"buffer underflow"))?;
        let (field, rest) = buf.split_at(len);
        match tag {
            KEY => key = field,
            _ => value_len = len,
        }
        buf = rest;
    }
    Ok((key, value_len))
}

/// The range a request addresses.
pub(crate) fn request_range(req: &RangeRequest) -> KeyRange<'_> {
    KeyRange::new(&req.key, &req.range_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_and_value_length_are_read_as_the_full_decode_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let backend = Backend::open(&dir.path().join("db")).unwrap();
        let rev = Revision { main: 2, sub: 0 };
        for kv in [
            KeyValue::default(),
            KeyValue {
                key: b"/registry/pods/default/a".to_vec().into(),
                create_revision: 2,
                mod_revision: 9,
                version: 3,
                value: vec![7; 300].into(),
                lease: 0x1234,
            },
            KeyValue {
                key: b"k".to_vec().into(),
                lease: -1,
                ..KeyValue::default()
            },
        ] {
            let bytes = kv.encode_to_vec();
            let (key, value_len) = decode_key_and_value_len(&backend, rev, &bytes).unwrap();
            assert_eq!((key, value_len), (&kv.key[..], kv.value.len()));
            // Truncated anywhere inside a field, it is refused like the full decode refuses it.
            for cut in 1..bytes.len() {
                let short = &bytes[..cut];
                assert_eq!(
                    decode_key_and_value_len(&backend, rev, short).is_err(),
                    decode_kv(&backend, rev, short).is_err(),
                    "{kv:?} cut at {cut}"
                );
            }
        }
        // A field of the wrong kind is a corrupt value, as the full decode finds.
        for wrong in [
            &[0x08, 0x01][..],
            &[0x12, 0x00],
            &[0x35, 0x00, 0x00, 0x00, 0x00],
        ] {
            assert!(decode_kv(&backend, rev, wrong).is_err(), "{wrong:?}");
            assert!(
                decode_key_and_value_len(&backend, rev, wrong).is_err(),
                "{wrong:?}"
            );
        }
    }
}
