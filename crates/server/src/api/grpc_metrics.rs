//! grpc-prometheus' server counters, which etcd registers: every RPC is counted when it starts
//! and when it ends, by type, service and method, and at the end by its status code's name.
//! An RPC ends with its status: in the response headers when it failed before any message
//! (trailers-only), else in the trailers after the last message; a stream the client drops
//! before that ends `Canceled`, as grpc-go counts it. The bytes of the request and response
//! bodies are counted too (etcd's client traffic counters).

use prometheus::IntCounter;

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::Frame;
use tonic::Code;

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

/// The labels of one RPC, and when it started.
struct Rpc {
    kind: &'static str,
    service: String,
    method: String,
    started: std::time::Instant,
}

impl Rpc {
    fn of(path: &str) -> Option<Rpc> {
        let (service, method) = path.strip_prefix('/')?.split_once('/')?;
        let kind = STREAMS
            .iter()
            .find(|(s, m, _)| *s == service && *m == method)
            .map_or("unary", |(_, _, kind)| kind);
        Some(Rpc {
            kind,
            service: service.to_string(),
            method: method.to_string(),
            started: std::time::Instant::now(),
        })
    }

    fn handled(&self, metrics: &ServerMetrics, code: Code) {
        metrics
            .grpc_handled
            .with_label_values(&[
                self.kind,
                &self.service,
                &self.method,
                oxcd_client::code_name(code),
            ])
            .inc();
        if let Some(histogram) = &metrics.grpc_handling {
            histogram
                .with_label_values(&[self.kind, &self.service, &self.method])
                .observe(self.started.elapsed().as_secs_f64());
        }
    }
}

/// The middleware: counts the RPC in `request`, and its end once its status is known.
pub async fn count(metrics: Arc<ServerMetrics>, request: Request, next: Next) -> Response {
    let Some(rpc) = Rpc::of(request.uri().path()) else {
        return next.run(request).await;
    };
    let request = request.map(|body| {
        Body::new(Counted {
            inner: body,
            bytes: metrics.client_received_bytes.clone(),
            pending: None,
        })
    });
    metrics
        .grpc_started
        .with_label_values(&[rpc.kind, &rpc.service, &rpc.method])
        .inc();
    let response = next.run(request).await;
    if let Some(code) = status_of(response.headers()) {
        rpc.handled(&metrics, code);
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = Body::new(Counted {
        inner: body,
        bytes: metrics.client_sent_bytes.clone(),
        pending: Some((rpc, metrics)),
    });
    Response::from_parts(parts, body)
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
