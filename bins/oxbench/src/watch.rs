//! Watch benchmarks: `watch-latency` (etcd's: puts at a fixed rate, the time until each watcher
//! receives each put) and `watch-fanout` (puts as fast as the clients go, events per second
//! delivered to every watcher; all watchers on one prefix, or spread over many as Kubernetes'
//! watchers are over its resources).
//!
//! Every put's value starts with its number (8 bytes, little-endian), so a receiver can find
//! when that put was sent without waiting for the put's own response.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxcd_client::ClientConfig;
use oxcd_proto::etcdserverpb::kv_client::KvClient;
use oxcd_proto::etcdserverpb::watch_request::RequestUnion;
use oxcd_proto::etcdserverpb::{PutRequest, WatchCreateRequest, WatchRequest};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::codegen::http::uri::PathAndQuery;

use crate::conn::{connect_all, Connection};
use crate::report::Summary;
use crate::watch_wire::WatchCodec;

/// How long receivers may wait for the last event after the last put.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(clap::Args, Debug)]
pub struct LatencyArgs {
    /// Number of puts.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    put_total: u64,
    /// Puts per second.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    put_rate: u64,
    /// Watch streams.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    streams: u32,
    /// Watchers per stream, all on the same key.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    watchers_per_stream: u32,
    /// Value size in bytes (at least 8).
    #[arg(long, default_value_t = 32)]
    val_size: u32,
}

#[derive(clap::Args, Debug)]
pub struct FanoutArgs {
    /// Number of puts (spread over `--clients` loops).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..))]
    put_total: u64,
    /// Watch streams.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    streams: u32,
    /// Watchers per stream.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    watchers_per_stream: u32,
    /// Prefixes the watchers are spread over, round robin, and the puts too: each put is an
    /// event for the watchers of its prefix only.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    prefixes: u32,
    /// Value size in bytes (at least 8).
    #[arg(long, default_value_t = 32)]
    val_size: u32,
}

/// The global flags the watch benchmarks use.
pub struct Common {
    /// The endpoints, how connections are opened and the user each one authenticates as.
    pub client: ClientConfig,
    pub conns: usize,
    pub clients: usize,
    pub json: bool,
}

/// `--conns` connections (at least one), spread over the endpoints.
async fn connections(common: &Common) -> Result<Vec<Connection>, String> {
    connect_all(&common.client, common.conns.max(1)).await
}

/// Received events per watcher stream: how many, and when each put's event arrived.
struct Received {
    latencies: Vec<Duration>,
    events: u64,
    last: Option<Instant>,
}

/// One watcher a benchmark opens: what it watches, and the events it is to receive.
struct PlannedWatcher {
    key: Vec<u8>,
    range_end: Vec<u8>,
    events: u64,
}

/// The watchers a benchmark opens: `streams` streams of `per_stream` watchers each.
struct WatcherSet<'a> {
    streams: u32,
    per_stream: u32,
    /// The watcher with this number (`stream * per_stream + index`).
    watcher: &'a dyn Fn(u32) -> PlannedWatcher,
}

impl WatcherSet<'_> {
    /// The events all the watchers are to receive.
    fn expected_events(&self) -> u64 {
        (0..self.streams * self.per_stream)
            .map(|w| (self.watcher)(w).events)
            .sum()
    }
}

/// Opens the watchers of `set` and starts a receiver per stream that waits for its watchers'
/// events; returns once every watcher is created.
async fn start_watchers(
    connections: &[Connection],
    set: WatcherSet<'_>,
    sent_at: Arc<Vec<AtomicU64>>,
    origin: Instant,
) -> Result<Vec<tokio::task::JoinHandle<Received>>, String> {
    let per_stream = set.per_stream;
    let mut receivers = Vec::new();
    for s in 0..set.streams {
        let (tx, rx) = mpsc::channel(per_stream as usize + 1);
        let mut expected = 0;
        for index in 0..per_stream {
            let watcher = (set.watcher)(s * per_stream + index);
            expected += watcher.events;
            let create = WatchCreateRequest {
                key: watcher.key,
                range_end: watcher.range_end,
                ..Default::default()
            };
            tx.send(WatchRequest {
                request_union: Some(RequestUnion::CreateRequest(create)),
            })
            .await
            .map_err(|_| "watch request queue closed".to_string())?;
        }
        let connection = &connections[s as usize % connections.len()];
        let mut grpc = tonic::client::Grpc::new(connection.channel.clone())
            .max_decoding_message_size(usize::MAX);
        grpc.ready()
            .await
            .map_err(|e| format!("watch: connection not ready: {e}"))?;
        let mut stream = grpc
            .streaming(
                connection.request(ReceiverStream::new(rx)),
                PathAndQuery::from_static("/etcdserverpb.Watch/Watch"),
                WatchCodec,
            )
            .await
            .map_err(|e| format!("watch: {}", e.message()))?
            .into_inner();
        let mut created = 0;
        while created < per_stream {
            match stream.message().await {
                Ok(Some(r)) if r.created && !r.canceled => created += 1,
                Ok(Some(r)) if r.created => {
                    return Err(format!("watch refused: {}", r.cancel_reason))
                }
                Ok(Some(_)) => {}
                Ok(None) => return Err("watch stream ended".into()),
                Err(e) => return Err(format!("watch: {}", e.message())),
            }
        }
        let sent_at = sent_at.clone();
        receivers.push(tokio::spawn(async move {
            let _keep_open = tx;
            let mut got = Received {
                latencies: Vec::new(),
                events: 0,
                last: None,
            };
            while got.events < expected {
                let Ok(Ok(Some(response))) =
                    tokio::time::timeout(DRAIN_TIMEOUT, stream.message()).await
                else {
                    break;
                };
                let now = Instant::now();
                got.events += response.events;
                for n in response.numbers {
                    if let Some(sent) = usize::try_from(n).ok().and_then(|n| sent_at.get(n)) {
                        let at = Duration::from_nanos(sent.load(Ordering::Acquire));
                        got.latencies
                            .push(now.duration_since(origin).saturating_sub(at));
                    }
                }
                got.last = Some(now);
            }
            got
        }));
    }
    Ok(receivers)
}

fn value(n: u64, size: usize) -> Vec<u8> {
    let mut v = n.to_le_bytes().to_vec();
    v.resize(size.max(8), b'v');
    v
}

async fn gather(
    receivers: Vec<tokio::task::JoinHandle<Received>>,
) -> (Vec<Duration>, u64, Option<Instant>) {
    let mut latencies = Vec::new();
    let mut events = 0;
    let mut last: Option<Instant> = None;
    for r in receivers {
        if let Ok(got) = r.await {
            latencies.extend(got.latencies);
            events += got.events;
            last = match (last, got.last) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
    }
    (latencies, events, last)
}

/// `watch-latency`.
pub async fn latency(common: &Common, args: &LatencyArgs) -> Result<String, String> {
    let connections = connections(common).await?;
    let key = b"watch-latency-key".to_vec();
    let sent_at: Arc<Vec<AtomicU64>> =
        Arc::new((0..args.put_total).map(|_| AtomicU64::new(0)).collect());
    let origin = Instant::now();
    let watchers = WatcherSet {
        streams: args.streams,
        per_stream: args.watchers_per_stream,
        watcher: &|_| PlannedWatcher {
            key: key.clone(),
            range_end: Vec::new(),
            events: args.put_total,
        },
    };
    let receivers = start_watchers(&connections, watchers, sent_at.clone(), origin).await?;
    let mut kv = KvClient::new(connections[0].channel.clone());
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / args.put_rate as f64));
    let start = Instant::now();
    for n in 0..args.put_total {
        ticker.tick().await;
        sent_at[n as usize].store(origin.elapsed().as_nanos() as u64, Ordering::Release);
        let put = PutRequest {
            key: key.clone(),
            value: value(n, args.val_size as usize),
            ..Default::default()
        };
        if let Err(e) = kv.put(connections[0].request(put)).await {
            *errors.entry(e.message().to_string()).or_default() += 1;
        }
    }
    let (latencies, _, _) = gather(receivers).await;
    let total = args.put_total * (args.streams * args.watchers_per_stream) as u64;
    let missing = total.saturating_sub(latencies.len() as u64);
    if missing > 0 {
        *errors.entry("event not received".into()).or_default() += missing;
    }
    let summary = Summary::new(start.elapsed(), latencies, errors);
    if summary.ok() == 0 {
        return Err("no event was received".into());
    }
    let watchers = (args.streams * args.watchers_per_stream) as usize;
    Ok(if common.json {
        summary.to_json("watch-latency", watchers, connections.len(), total)
    } else {
        summary.to_text()
    })
}

/// `watch-fanout`.
pub async fn fanout(common: &Common, args: &FanoutArgs) -> Result<String, String> {
    let connections = connections(common).await?;
    let watchers = (args.streams * args.watchers_per_stream) as u64;
    let sent_at: Arc<Vec<AtomicU64>> =
        Arc::new((0..args.put_total).map(|_| AtomicU64::new(0)).collect());
    let origin = Instant::now();
    let prefixes = u64::from(args.prefixes);
    // Put `n` goes to prefix `n % prefixes`, so a prefix gets this many of the puts.
    let puts_to =
        |prefix: u64| args.put_total / prefixes + u64::from(prefix < args.put_total % prefixes);
    let set = WatcherSet {
        streams: args.streams,
        per_stream: args.watchers_per_stream,
        watcher: &|watcher| {
            let prefix = u64::from(watcher) % prefixes;
            PlannedWatcher {
                key: format!("fanout/{prefix}/").into_bytes(),
                range_end: format!("fanout/{prefix}0").into_bytes(),
                events: puts_to(prefix),
            }
        },
    };
    let expected = set.expected_events();
    let receivers = start_watchers(&connections, set, sent_at.clone(), origin).await?;
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut writers = Vec::new();
    for c in 0..common.clients.max(1) {
        let connection = connections[c % connections.len()].clone();
        let mut kv = KvClient::new(connection.channel.clone());
        let (next, sent_at) = (next.clone(), sent_at.clone());
        let (total, size) = (args.put_total, args.val_size as usize);
        writers.push(tokio::spawn(async move {
            let mut failed = 0u64;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    return failed;
                }
                sent_at[n as usize].store(origin.elapsed().as_nanos() as u64, Ordering::Release);
                let put = PutRequest {
                    key: format!("fanout/{}/{}", n % prefixes, n / prefixes % 1000).into_bytes(),
                    value: value(n, size),
                    ..Default::default()
                };
                if kv.put(connection.request(put)).await.is_err() {
                    failed += 1;
                }
            }
        }));
    }
    let mut failed = 0;
    for w in writers {
        failed += w.await.unwrap_or(0);
    }
    let puts_done = start.elapsed();
    let (latencies, events, last) = gather(receivers).await;
    let seconds = last
        .map_or(puts_done, |l| l.duration_since(start))
        .as_secs_f64();
    let summary = Summary::new(Duration::from_secs_f64(seconds), latencies, BTreeMap::new());
    let p99 = summary
        .percentile(990)
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    let events_per_sec = events as f64 / seconds;
    Ok(if common.json {
        format!(
            concat!(
                "{{\"workload\":\"watch-fanout\",\"watchers\":{},\"prefixes\":{},\"puts\":{},",
                "\"failed_puts\":{},",
                "\"events\":{},\"expected_events\":{},\"seconds\":{:.3},\"events_per_sec\":{:.0},",
                "\"put_rps\":{:.0},\"p99_ms\":{:.3}}}"
            ),
            watchers,
            prefixes,
            args.put_total,
            failed,
            events,
            expected,
            seconds,
            events_per_sec,
            args.put_total as f64 / puts_done.as_secs_f64(),
            p99
        )
    } else {
        format!(
            "Watch fan-out: {watchers} watchers on {prefixes} prefixes, {} puts ({failed} failed)\n  events: {events} of {expected} in {seconds:.3}s\n  events/s: {events_per_sec:.0}\n  delivery p99: {p99:.3} ms\n",
            args.put_total
        )
    })
}
