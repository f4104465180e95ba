//! The request loops, and the requests they send.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxcd_client::{ClientConfig, DialConfig};
use oxcd_proto::etcdserverpb::kv_client::KvClient;
use oxcd_proto::etcdserverpb::{request_op, PutRequest, RangeRequest, RequestOp, TxnRequest};

use crate::conn::{connect_all, Connection};
use crate::lease::KeepAliveClient;

/// How to drive the server: where, how wide, how much.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The endpoints, how connections are opened (the request timeout is set from
    /// `request_timeout`) and the user each one authenticates as.
    pub client: ClientConfig,
    /// HTTP/2 connections; `1..=clients`.
    pub conns: usize,
    /// Concurrent request loops; client `i` uses connection `i % conns`.
    pub clients: usize,
    /// Requests sent by all clients together.
    pub total: u64,
    pub request_timeout: Duration,
}

/// What each request does.
#[derive(Debug)]
pub enum Workload {
    Put(PutWorkload),
    /// The same puts, each alone in a Txn without compares.
    TxnPut(PutWorkload),
    Range(RangeWorkload),
    /// `KeepAliveOnce` on one lease per client.
    LeaseKeepalive,
}

/// Puts of `key_size`-byte keys drawn from `key_space_size` distinct ones, each with the same value.
#[derive(Debug)]
pub struct PutWorkload {
    key_size: usize,
    key_space_size: u64,
    sequential_keys: bool,
    value: Vec<u8>,
    kubernetes: Option<KubernetesKeys>,
}

/// Keys shaped like those Kubernetes stores: `/registry/<type>/<namespace>/<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KubernetesKeys {
    types: u64,
    namespaces: u64,
}

/// Resource types Kubernetes stores per namespace; more types than these are numbered.
const RESOURCE_TYPES: &[&str] = &[
    "pods",
    "configmaps",
    "secrets",
    "services",
    "endpointslices",
    "events",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "serviceaccounts",
    "roles",
    "rolebindings",
    "persistentvolumeclaims",
    "leases",
    "controllerrevisions",
    "poddisruptionbudgets",
    "networkpolicies",
];

impl KubernetesKeys {
    /// `TYPESxNAMESPACES`, both at least 1.
    pub fn parse(spec: &str) -> Result<KubernetesKeys, String> {
        let bad = || format!("--kubernetes-keys {spec:?}: expected TYPESxNAMESPACES, e.g. 20x50");
        let (types, namespaces) = spec.split_once('x').ok_or_else(bad)?;
        let types: u64 = types.parse().map_err(|_| bad())?;
        let namespaces: u64 = namespaces.parse().map_err(|_| bad())?;
        if types == 0 || namespaces == 0 {
            return Err(bad());
        }
        Ok(KubernetesKeys { types, namespaces })
    }

    /// Key number `index`: types and namespaces in turn, so that any count of keys spreads
    /// evenly over them.
    fn key(&self, index: u64) -> Vec<u8> {
        let kind = index % self.types;
        let kind = match RESOURCE_TYPES.get(kind as usize) {
            Some(name) => (*name).to_string(),
            None => format!("type-{kind:03}"),
        };
        let namespace = match (index / self.types) % self.namespaces {
            0 => "default".to_string(),
            1 => "kube-system".to_string(),
            n => format!("namespace-{n:03}"),
        };
        format!("/registry/{kind}/{namespace}/object-{index:08}").into_bytes()
    }
}

impl PutWorkload {
    pub fn new(
        key_size: usize,
        val_size: usize,
        key_space_size: u64,
        sequential_keys: bool,
    ) -> Result<Self, String> {
        assert!(key_size > 0 && key_space_size > 0, "checked by the parser");
        // The key index is stored big-endian in at most the key's last 8 bytes.
        let index_bytes = key_size.min(8) as u32;
        if index_bytes < 8 && key_space_size > 1u64 << (8 * index_bytes) {
            return Err(format!(
                "--key-space-size {key_space_size} does not fit in --key-size {key_size}"
            ));
        }
        let mut rng = SplitMix64::new(0x0bad_5eed);
        let value = (0..val_size).map(|_| rng.next() as u8).collect();
        Ok(Self {
            key_size,
            key_space_size,
            sequential_keys,
            value,
            kubernetes: None,
        })
    }

    /// The same puts with keys shaped like Kubernetes'.
    pub fn kubernetes_keys(self, layout: KubernetesKeys) -> Self {
        Self {
            kubernetes: Some(layout),
            ..self
        }
    }

    /// The key of request number `n`: key number `n` (sequential) or a random one, zero-padded.
    fn key(&self, n: u64, rng: &mut SplitMix64) -> Vec<u8> {
        let index = if self.sequential_keys {
            n % self.key_space_size
        } else {
            rng.below(self.key_space_size)
        };
        if let Some(layout) = &self.kubernetes {
            return layout.key(index);
        }
        let mut key = vec![0u8; self.key_size];
        let index_bytes = self.key_size.min(8);
        let tail = self.key_size - index_bytes;
        key[tail..].copy_from_slice(&index.to_be_bytes()[8 - index_bytes..]);
        key
    }

    fn request(&self, n: u64, rng: &mut SplitMix64) -> PutRequest {
        PutRequest {
            key: self.key(n, rng),
            value: self.value.clone(),
            ..Default::default()
        }
    }
}

/// The same Range request, over and over.
#[derive(Debug)]
pub struct RangeWorkload {
    pub key: Vec<u8>,
    /// Empty: the single key.
    pub range_end: Vec<u8>,
    pub serializable: bool,
    pub limit: i64,
    pub count_only: bool,
}

impl RangeWorkload {
    fn request(&self) -> RangeRequest {
        RangeRequest {
            key: self.key.clone(),
            range_end: self.range_end.clone(),
            serializable: self.serializable,
            limit: self.limit,
            count_only: self.count_only,
            ..Default::default()
        }
    }
}

/// What all clients saw together.
#[derive(Debug)]
pub struct Outcome {
    /// From the first request sent to the last reply received (connecting is not counted).
    pub elapsed: Duration,
    /// One per successful request, in no particular order.
    pub latencies: Vec<Duration>,
    /// Failed requests by gRPC code and message.
    pub errors: BTreeMap<String, u64>,
}

/// Connects, runs `config.total` requests over `config.clients` loops, and collects the results.
pub async fn run(config: &RunConfig, workload: Workload) -> Result<Outcome, String> {
    assert!(
        config.conns >= 1 && config.conns <= config.clients,
        "checked by the caller"
    );
    let client = ClientConfig {
        dial: DialConfig {
            request_timeout: Some(config.request_timeout),
            ..config.client.dial.clone()
        },
        ..config.client.clone()
    };
    let connections = connect_all(&client, config.conns).await?;

    let workload = Arc::new(workload);
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(config.clients);
    for i in 0..config.clients {
        let connection = connections[i % connections.len()].clone();
        let seed = 0x5eed_0000 + i as u64;
        tasks.push(tokio::spawn(client_loop(
            connection,
            Arc::clone(&workload),
            Arc::clone(&next),
            config.total,
            seed,
        )));
    }

    let mut latencies = Vec::with_capacity(config.total.min(1 << 24) as usize);
    let mut errors = BTreeMap::new();
    for task in tasks {
        let result = task
            .await
            .map_err(|e| format!("a client task failed: {e}"))?;
        latencies.extend(result.latencies);
        for (error, count) in result.errors {
            *errors.entry(error).or_insert(0) += count;
        }
    }
    Ok(Outcome {
        elapsed: start.elapsed(),
        latencies,
        errors,
    })
}

struct ClientResult {
    latencies: Vec<Duration>,
    errors: BTreeMap<String, u64>,
}

/// Takes request numbers from `next` until `total` have been handed out, so the loop always ends.
async fn client_loop(
    connection: Connection,
    workload: Arc<Workload>,
    next: Arc<AtomicU64>,
    total: u64,
    seed: u64,
) -> ClientResult {
    let mut rng = SplitMix64::new(seed);
    let mut result = ClientResult {
        latencies: Vec::new(),
        errors: BTreeMap::new(),
    };
    let mut kv = KvClient::new(connection.channel.clone());
    let mut lease = None;
    if let Workload::LeaseKeepalive = &*workload {
        match KeepAliveClient::grant(connection.clone()).await {
            Ok(client) => lease = Some(client),
            Err(status) => {
                let error = format!("{:?}: {}", status.code(), status.message());
                result.errors.insert(error, 1);
                return result;
            }
        }
    }
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        if n >= total {
            break;
        }
        // Build the request before starting the clock: only the round trip is measured.
        let reply = match &*workload {
            Workload::Put(put) => {
                let request = connection.request(put.request(n, &mut rng));
                let start = Instant::now();
                kv.put(request).await.map(|_| start.elapsed())
            }
            Workload::TxnPut(put) => {
                let request = connection.request(TxnRequest {
                    success: vec![RequestOp {
                        request: Some(request_op::Request::RequestPut(put.request(n, &mut rng))),
                    }],
                    ..Default::default()
                });
                let start = Instant::now();
                kv.txn(request).await.map(|_| start.elapsed())
            }
            Workload::Range(range) => {
                let request = connection.request(range.request());
                let start = Instant::now();
                kv.range(request).await.map(|_| start.elapsed())
            }
            Workload::LeaseKeepalive => {
                let lease = lease.as_mut().expect("granted before the loop");
                let start = Instant::now();
                lease.keep_alive_once().await.map(|_| start.elapsed())
            }
        };
        match reply {
            Ok(latency) => result.latencies.push(latency),
            Err(status) => {
                let error = format!("{:?}: {}", status.code(), status.message());
                *result.errors.entry(error).or_insert(0) += 1;
            }
        }
    }
    result
}

/// A small, fast, seedable generator (SplitMix64); benchmark keys need spread, not secrecy.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`; the modulo bias is negligible for key spaces far below 2^64.
    fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0);
        self.next() % bound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_keys_are_zero_padded_big_endian_indexes() {
        let put = PutWorkload::new(10, 4, 1000, true).expect("fits");
        let mut rng = SplitMix64::new(1);
        assert_eq!(put.key(0, &mut rng), vec![0; 10]);
        assert_eq!(put.key(258, &mut rng), vec![0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(put.key(1258, &mut rng), put.key(258, &mut rng));
        assert_eq!(put.value.len(), 4);
    }

    #[test]
    fn short_keys_hold_small_key_spaces() {
        let put = PutWorkload::new(1, 0, 256, false).expect("256 keys fit in a byte");
        let mut rng = SplitMix64::new(7);
        for n in 0..100 {
            assert_eq!(put.key(n, &mut rng).len(), 1);
        }
        assert!(PutWorkload::new(1, 0, 257, false).is_err());
    }

    #[test]
    fn kubernetes_keys_spread_over_types_and_namespaces() {
        let layout = KubernetesKeys::parse("21x3").expect("valid");
        let put = PutWorkload::new(8, 0, 1000, true)
            .expect("fits")
            .kubernetes_keys(layout);
        let mut rng = SplitMix64::new(1);
        let key = |n| String::from_utf8(put.key(n, &mut SplitMix64::new(1))).unwrap();
        assert_eq!(key(0), "/registry/pods/default/object-00000000");
        assert_eq!(key(20), "/registry/type-020/default/object-00000020");
        assert_eq!(key(22), "/registry/configmaps/kube-system/object-00000022");
        assert_eq!(key(42), "/registry/pods/namespace-002/object-00000042");
        assert_eq!(put.key(1042, &mut rng), put.key(42, &mut rng));
        for bad in ["20", "0x5", "5x0", "ax5", "5x", "x5", "5x5x5"] {
            assert!(KubernetesKeys::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn random_keys_stay_in_the_key_space() {
        let put = PutWorkload::new(8, 0, 3, false).expect("fits");
        let mut rng = SplitMix64::new(7);
        let mut seen = [false; 3];
        for n in 0..100 {
            let key = put.key(n, &mut rng);
            let index = u64::from_be_bytes(key.try_into().expect("8 bytes"));
            seen[index as usize] = true;
        }
        assert_eq!(seen, [true; 3]);
    }
}
