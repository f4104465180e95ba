//! `-w simple`, etcdctl's default: keys and values on their own lines, `OK`, counts, and
//! comma-separated rows for the cluster commands.

use oxcd_proto::etcdserverpb::{
    response_op, DeleteRangeResponse, PutResponse, RangeResponse, TxnResponse,
};
use oxcd_proto::mvccpb::KeyValue;

use super::{EndpointHealth, Printer};
use crate::goformat;

fn push_line(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(bytes);
    out.push(b'\n');
}

fn kv(p: &Printer, out: &mut Vec<u8>, kv: &KeyValue) {
    if p.hex {
        if !p.value_only {
            push_line(out, goformat::hex_escaped(&kv.key).as_bytes());
        }
        push_line(out, goformat::hex_escaped(&kv.value).as_bytes());
    } else {
        if !p.value_only {
            push_line(out, &kv.key);
        }
        push_line(out, &kv.value);
    }
}

pub fn range(p: &Printer, r: &RangeResponse) -> Vec<u8> {
    let mut out = Vec::new();
    for item in &r.kvs {
        kv(p, &mut out, item);
    }
    out
}

pub fn put(p: &Printer, r: &PutResponse) -> Vec<u8> {
    let mut out = b"OK\n".to_vec();
    if let Some(prev) = &r.prev_kv {
        kv(p, &mut out, prev);
    }
    out
}

pub fn delete(p: &Printer, r: &DeleteRangeResponse) -> Vec<u8> {
    let mut out = format!("{}\n", r.deleted).into_bytes();
    for prev in &r.prev_kvs {
        kv(p, &mut out, prev);
    }
    out
}

pub fn txn(p: &Printer, r: &TxnResponse) -> Vec<u8> {
    let mut out = if r.succeeded {
        b"SUCCESS\n".to_vec()
    } else {
        b"FAILURE\n".to_vec()
    };
    for op in &r.responses {
        out.push(b'\n');
        match &op.response {
            Some(response_op::Response::ResponseRange(r)) => out.extend(range(p, r)),
            Some(response_op::Response::ResponsePut(r)) => out.extend(put(p, r)),
            Some(response_op::Response::ResponseDeleteRange(r)) => out.extend(delete(p, r)),
            Some(response_op::Response::ResponseTxn(r)) => out.extend(txn(p, r)),
            None => out.extend_from_slice(b"unexpected response {Response:<nil>}\n"),
        }
    }
    out
}

/// The table rows joined by ", ", one line each (member list, endpoint status).
pub fn rows(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::new();
    for row in rows {
        out.push_str(&row.join(", "));
        out.push('\n');
    }
    out.into_bytes()
}

/// The health report, which etcdctl writes to stderr.
pub fn health(list: &[EndpointHealth]) -> Vec<u8> {
    let mut out = String::new();
    for h in list {
        if h.error.is_empty() {
            out.push_str(&format!(
                "{} is healthy: successfully committed proposal: took = {}\n",
                h.endpoint, h.took
            ));
        } else {
            out.push_str(&format!(
                "{} is unhealthy: failed to commit proposal: {}\n",
                h.endpoint, h.error
            ));
        }
    }
    out.into_bytes()
}

/// etcdctl's simple `Watch`: per event its type, then the previous and the new key-value.
pub fn watch(p: &Printer, events: &[oxcd_proto::mvccpb::Event]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in events {
        push_line(&mut out, event_type_name(e.r#type).as_bytes());
        if let Some(prev) = &e.prev_kv {
            kv(p, &mut out, prev);
        }
        kv(p, &mut out, e.kv.as_ref().unwrap_or(&KeyValue::default()));
    }
    out
}

/// Go's `%v` of an `mvccpb.Event_EventType`.
pub fn event_type_name(t: i32) -> String {
    match t {
        0 => "PUT".to_string(),
        1 => "DELETE".to_string(),
        other => other.to_string(),
    }
}
