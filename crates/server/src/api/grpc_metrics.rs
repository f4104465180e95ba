//! grpc-prometheus' server counters, which etcd registers: every RPC is counted when it starts
//! and when it ends, by type, service and method, and at the end by its status code's name.
//! An RPC ends with its status: in the response headers when it failed before any message
//! (trailers-only), else in the trailers after the last message; a stream the client drops
//! before that ends `Canceled`, as grpc-go counts it. The bytes of the request and response
//! bodies are counted too (etcd's client traffic counters).

use prometheus::{Histogram, IntCounter};

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock, RwLock};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use http_body::Frame;
use tonic::Code;

use super::json::is_method;
use crate::metrics::ServerMetrics;

/// The streaming RPCs (grpc-prometheus' `grpc_type`); every other method is unary.
const STREAMS: &[(&str, &str, &str)] = &[
    ("etcdserverpb.Watch", "Watch", "bidi_stream"),
    ("etcdserverpb.Lease", "LeaseKeepAlive", "bidi_stream"),
    ("etcdserverpb.Maintenance", "Snapshot", "server_stream"),
    ("etcdserverpb.KV", "RangeStream", "server_stream"),
    ("v3electionpb.Election", "Observe", "server_stream"),
    ("grpc.health.v1.Health", "Watch", "server_stream"),
];

/// One method's series, found once: every call of it counts in them without looking its
/// labels up again.
struct Series {
    kind: &'static str,
    started: IntCounter,
    received: IntCounter,
    sent: IntCounter,
    /// `grpc_server_handled_total` by status code, each found at its first use.
    handled: [OnceLock<IntCounter>; 17],
    handling: Option<Histogram>,
    service: String,
    method: String,
}

/// The counters of every method called so far, by request path.
pub struct RpcCounters {
    metrics: Arc<ServerMetrics>,
    by_path: RwLock<HashMap<String, Arc<Series>>>,
}

impl RpcCounters {
    pub fn new(metrics: Arc<ServerMetrics>) -> RpcCounters {
        RpcCounters {
            metrics,
            by_path: RwLock::default(),
        }
    }

    /// The series of the method `path` names; none for a method no service has, which
    /// grpc-go answers before any interceptor (so etcd counts nothing) and which would otherwise
    /// let a client make series without end.
    fn series(&self, path: &str) -> Option<Arc<Series>> {
        if let Some(series) = self.by_path.read().expect("rpc series lock").get(path) {
            return Some(series.clone());
        }
        let (service, method) = path.strip_prefix('/')?.split_once('/')?;
        if !is_method(service, method) {
            return None;
        }
        let kind = STREAMS
            .iter()
            .find(|(s, m, _)| *s == service && *m == method)
            .map_or("unary", |(_, _, kind)| kind);
        let labels = [kind, service, method];
        let m = &self.metrics;
        let series = Series {
            kind,
            started: m.grpc_started.with_label_values(&labels),
            received: m.grpc_msg_received.with_label_values(&labels),
            sent: m.grpc_msg_sent.with_label_values(&labels),
            handled: Default::default(),
            handling: m
                .grpc_handling
                .as_ref()
                .map(|h| h.with_label_values(&labels)),
            service: service.to_string(),
            method: method.to_string(),
        };
        let mut by_path = self.by_path.write().expect("rpc series lock");
        Some(
            by_path
                .entry(path.to_string())
                .or_insert(Arc::new(series))
                .clone(),
        )
    }
}

/// One RPC's series, and when it started.
struct Rpc {
    series: Arc<Series>,
    started: std::time::Instant,
}

impl Rpc {
    fn handled(&self, metrics: &ServerMetrics, code: Code) {
        let s = &self.series;
        let Some(counter) = s.handled.get(code as usize) else {
            return;
        };
        let labels = [s.kind, &s.service, &s.method, oxcd_client::code_name(code)];
        counter
            .get_or_init(|| metrics.grpc_handled.with_label_values(&labels))
            .inc();
        if let Some(histogram) = &s.handling {
            histogram.observe(self.started.elapsed().as_secs_f64());
        }
    }
}

/// Counts the RPC in `request`, answered by `next`, and its end once its status is known.
pub async fn count<F>(
    counters: Arc<RpcCounters>,
    request: Request,
    next: impl FnOnce(Request) -> F,
) -> Response
where
    F: Future<Output = Response>,
{
    let Some(series) = counters.series(request.uri().path()) else {
        return next(request).await;
    };
    let metrics = counters.metrics.clone();
    // etcd's interceptor counts requests by the version its client says it speaks; anything
    // but a version number is "unknown", so a client cannot make series without end.
    let version = request
        .headers()
        .get("client-api-version")
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_api_version(v))
        .unwrap_or("unknown");
    let kind = if series.kind == "unary" {
        "unary"
    } else {
        "stream"
    };
    metrics
        .client_requests
        .with_label_values(&[kind, version])
        .inc();
    let request = request.map(|body| {
        Body::new(Counted {
            inner: body,
            bytes: metrics.client_received_bytes.clone(),
            messages: (Messages::default(), series.received.clone()),
            pending: None,
        })
    });
    series.started.inc();
    let rpc = Rpc {
        series,
        started: std::time::Instant::now(),
    };
    let response = next(request).await;
    if let Some(code) = status_of(response.headers()) {
        rpc.handled(&metrics, code);
        return response;
    }
    let (parts, body) = response.into_parts();
    let sent = rpc.series.sent.clone();
    let body = Body::new(Counted {
        inner: body,
        bytes: metrics.client_sent_bytes.clone(),
        messages: (Messages::default(), sent),
        pending: Some((rpc, metrics)),
    });
    Response::from_parts(parts, body)
}

/// `MAJOR.MINOR`, each of one or two digits, as clientv3 sends it.
fn is_api_version(v: &str) -> bool {
    let number = |n: &str| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit());
    v.split_once('.')
        .is_some_and(|(major, minor)| number(major) && number(minor))
}

/// Finds where gRPC messages end in a body's bytes (each is a flag byte and a 4-byte
/// big-endian length, then that many bytes), however the frames cut them.
#[derive(Default)]
struct Messages {
    header: [u8; 5],
    header_len: usize,
    remaining: u64,
}

impl Messages {
    /// How many messages end in `data`.
    fn ended_in(&mut self, mut data: &[u8]) -> u64 {
        let mut ended = 0;
        while !data.is_empty() {
            if self.header_len < self.header.len() {
                let take = (self.header.len() - self.header_len).min(data.len());
                self.header[self.header_len..self.header_len + take].copy_from_slice(&data[..take]);
                self.header_len += take;
                data = &data[take..];
                if self.header_len < self.header.len() {
                    break;
                }
                let [_, a, b, c, d] = self.header;
                self.remaining = u64::from(u32::from_be_bytes([a, b, c, d]));
            }
            let take = self.remaining.min(data.len() as u64);
            self.remaining -= take;
            data = &data[take as usize..];
            if self.remaining == 0 {
                ended += 1;
                self.header_len = 0;
            }
        }
        ended
    }
}

fn status_of(headers: &http::HeaderMap) -> Option<Code> {
    let value = headers
        .get("grpc-status")?
        .to_str()
        .ok()?
        .parse::<i32>()
        .ok()?;
    Some(Code::from_i32(value))
}

/// A body whose data bytes are counted; for a response, one that also counts its RPC as handled
/// when its trailers pass, or when it is dropped before them.
struct Counted {
    inner: Body,
    bytes: IntCounter,
    messages: (Messages, IntCounter),
    pending: Option<(Rpc, Arc<ServerMetrics>)>,
}

impl http_body::Body for Counted {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled {
            if let Some(data) = frame.data_ref() {
                self.bytes.inc_by(data.len() as u64);
                let (messages, counter) = &mut self.messages;
                counter.inc_by(messages.ended_in(data));
            }
            if let Some(code) = frame.trailers_ref().and_then(status_of) {
                if let Some((rpc, metrics)) = self.pending.take() {
                    rpc.handled(&metrics, code);
                }
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        if let Some((rpc, metrics)) = self.pending.take() {
            rpc.handled(&metrics, Code::Cancelled);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Messages;

    fn framed(payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0];
        out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    #[test]
    fn only_the_methods_served_and_version_numbers_make_series() {
        let counters = super::RpcCounters::new(std::sync::Arc::new(
            crate::metrics::ServerMetrics::new(false),
        ));
        for path in [
            "/etcdserverpb.KV/Put",
            "/etcdserverpb.Watch/Watch",
            "/grpc.health.v1.Health/Check",
            "/v3lockpb.Lock/Lock",
            "/v3electionpb.Election/Observe",
        ] {
            assert!(counters.series(path).is_some(), "{path}");
            assert!(counters.series(path).is_some(), "{path} again");
        }
        for path in [
            "/etcdserverpb.KV/Nope",
            "/made.Up/Put",
            "/etcdserverpb.KV",
            "nope",
        ] {
            assert!(counters.series(path).is_none(), "{path}");
        }
        assert_eq!(counters.by_path.read().unwrap().len(), 5);
        for (version, ok) in [
            ("3.4", true),
            ("3.10", true),
            ("3", false),
            ("3.4.1", false),
        ] {
            assert_eq!(super::is_api_version(version), ok, "{version}");
        }
        assert!(!super::is_api_version("x.y"));
    }

    #[test]
    fn messages_are_counted_however_the_bytes_are_cut() {
        let mut body = framed(b"first message");
        body.extend(framed(b""));
        body.extend(framed(&[7; 300]));
        for cut in [1, 2, 3, 5, 7, 64, body.len()] {
            let mut messages = Messages::default();
            let counted: u64 = body.chunks(cut).map(|c| messages.ended_in(c)).sum();
            assert_eq!(counted, 3, "chunks of {cut} bytes");
        }
        let mut messages = Messages::default();
        assert_eq!(
            messages.ended_in(&body[..body.len() - 1]),
            2,
            "the last is not whole yet"
        );
    }
}
