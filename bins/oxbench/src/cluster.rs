//! Server processes for `oxbench compare`: a fresh cluster of one binary (oxcd or an etcd) on
//! fixed local ports, started with etcd's flags, waited for, measured and stopped.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oxcd_client::{Client, ClientConfig, DialConfig};
use oxcd_proto::etcdserverpb::kv_client::KvClient;
use oxcd_proto::etcdserverpb::{PutRequest, RangeRequest};
use tonic::transport::Channel;

/// How long a cluster may take to answer its first linearizable read.
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a member may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// A server binary under comparison and the name its `--version` gives it.
#[derive(Debug, Clone)]
pub struct Server {
    pub bin: PathBuf,
    /// `oxcd 0.1.0`, `etcd 3.5.1`.
    pub label: String,
}

impl Server {
    /// Asks `bin --version` for its name: etcd prints `etcd Version: 3.5.1`, oxcd `oxcd 0.1.0`.
    pub fn probe(bin: &Path) -> Result<Server, String> {
        let output = Command::new(bin)
            .arg("--version")
            .output()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let first = text.lines().next().unwrap_or_default().trim();
        let label = first.replace(" Version:", "");
        if !output.status.success() || label.is_empty() {
            return Err(format!("{}: --version printed nothing", bin.display()));
        }
        Ok(Server {
            bin: bin.to_path_buf(),
            label,
        })
    }
}

/// Where a cluster lives: members `i` listen on `client_port + i` and `peer_port + i`, with
/// their data dirs and logs under `dir`.
#[derive(Debug, Clone)]
pub struct Layout {
    pub members: usize,
    pub client_port: u16,
    pub peer_port: u16,
    pub dir: PathBuf,
}

impl Layout {
    pub fn endpoints(&self) -> Vec<String> {
        (0..self.members)
            .map(|i| format!("http://127.0.0.1:{}", self.client_port as usize + i))
            .collect()
    }

    /// Removes the members' data dirs and logs, and `dir` itself if nothing else is left in it.
    pub fn remove_files(&self) {
        for i in 0..self.members {
            let _ = std::fs::remove_dir_all(data_dir(self, i));
            let _ = std::fs::remove_file(self.dir.join(format!("m{i}.log")));
        }
        let _ = std::fs::remove_dir(&self.dir);
    }

    fn peer_url(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.peer_port as usize + i)
    }

    /// Refuses ports another process holds (its answers would be measured instead), client and
    /// peer ranges that overlap, and ranges past the last port.
    pub fn check_ports_free(&self) -> Result<(), String> {
        let range = |first: u16| first as usize..first as usize + self.members;
        let (clients, peers) = (range(self.client_port), range(self.peer_port));
        if clients.end > usize::from(u16::MAX) + 1 || peers.end > usize::from(u16::MAX) + 1 {
            return Err("the ports run past 65535".into());
        }
        if clients.start < peers.end && peers.start < clients.end {
            return Err(format!(
                "client ports {clients:?} and peer ports {peers:?} overlap"
            ));
        }
        for i in 0..self.members {
            for port in [self.client_port, self.peer_port] {
                let port = port as usize + i;
                TcpListener::bind(("127.0.0.1", port as u16))
                    .map_err(|e| format!("port {port} is not free: {e}"))?;
            }
        }
        Ok(())
    }
}

/// A running cluster; its members are killed if it is dropped without [`stop`](Self::stop).
pub struct Cluster {
    layout: Layout,
    server: Server,
    members: Vec<Child>,
}

impl Cluster {
    /// Starts `server` in fresh data dirs (removed first) and waits until it serves a
    /// linearizable read on every member; returns it with the time that took.
    pub fn start_fresh(server: &Server, layout: &Layout) -> Result<(Cluster, Duration), String> {
        for i in 0..layout.members {
            let dir = data_dir(layout, i);
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
        }
        Cluster::start(server, layout)
    }

    /// Starts `server` on the data dirs as they are (a restart after [`stop`](Self::stop)).
    pub fn start(server: &Server, layout: &Layout) -> Result<(Cluster, Duration), String> {
        layout.check_ports_free()?;
        let started = Instant::now();
        let mut cluster = Cluster {
            layout: layout.clone(),
            server: server.clone(),
            members: Vec::new(),
        };
        for i in 0..layout.members {
            let child = cluster.spawn(i)?;
            cluster.members.push(child);
        }
        wait_for_first_read(&layout.endpoints(), &mut cluster.members)?;
        Ok((cluster, started.elapsed()))
    }

    fn spawn(&self, i: usize) -> Result<Child, String> {
        let layout = &self.layout;
        let initial_cluster = (0..layout.members)
            .map(|m| format!("m{m}={}", layout.peer_url(m)))
            .collect::<Vec<_>>()
            .join(",");
        let client_url = &layout.endpoints()[i];
        let log_path = layout.dir.join(format!("m{i}.log"));
        let log = File::options()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| format!("{}: {e}", log_path.display()))?;
        let log_err = log
            .try_clone()
            .map_err(|e| format!("{}: {e}", log_path.display()))?;
        Command::new(&self.server.bin)
            .arg(format!("--name=m{i}"))
            .arg(format!("--data-dir={}", data_dir(layout, i).display()))
            .arg(format!("--listen-client-urls={client_url}"))
            .arg(format!("--advertise-client-urls={client_url}"))
            .arg(format!("--listen-peer-urls={}", layout.peer_url(i)))
            .arg(format!(
                "--initial-advertise-peer-urls={}",
                layout.peer_url(i)
            ))
            .arg(format!("--initial-cluster={initial_cluster}"))
            .arg("--initial-cluster-token=oxbench-compare")
            .arg("--initial-cluster-state=new")
            // Room for the memory row's keys on every server alike.
            .arg("--quota-backend-bytes=8589934592")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("{}: {e}", self.server.bin.display()))
    }

    pub fn endpoints(&self) -> Vec<String> {
        self.layout.endpoints()
    }

    /// Writes `key` through the first member.
    pub fn put(&self, key: &str, value: &[u8]) -> Result<(), String> {
        let endpoint = &self.layout.endpoints()[0];
        block_on(async {
            let mut kv = KvClient::new(connect(endpoint).await?);
            let request = PutRequest {
                key: key.as_bytes().to_vec(),
                value: value.to_vec(),
                ..Default::default()
            };
            kv.put(request)
                .await
                .map_err(|e| format!("{endpoint}: put {key}: {e}"))?;
            Ok(())
        })?
    }

    /// The members' resident memory together, in bytes.
    pub fn rss_bytes(&self) -> Result<u64, String> {
        let mut total = 0;
        for child in &self.members {
            let path = format!("/proc/{}/status", child.id());
            let status = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            let kib = status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
                .ok_or_else(|| format!("{path} has no VmRSS"))?;
            total += kib * 1024;
        }
        Ok(total)
    }

    /// The members' data dirs together, in bytes allocated on disk (as `du` counts them).
    pub fn data_dir_bytes(&self) -> u64 {
        (0..self.layout.members)
            .map(|i| allocated_bytes(&data_dir(&self.layout, i)))
            .sum()
    }

    /// SIGTERM to every member, SIGKILL to those still running after [`STOP_TIMEOUT`].
    pub fn stop(mut self) {
        for child in &self.members {
            // SAFETY: kill(2) with a pid of a child this process spawned and has not reaped.
            unsafe {
                libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
            }
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        for child in &mut self.members {
            while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        // Dropping the cluster kills and reaps whatever is still running.
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.members {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn data_dir(layout: &Layout, i: usize) -> PathBuf {
    layout.dir.join(format!("m{i}.data"))
}

fn allocated_bytes(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    let own = meta.blocks() * 512;
    if !meta.is_dir() {
        return own;
    }
    let children = std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| allocated_bytes(&entry.path()))
                .sum()
        })
        .unwrap_or(0);
    own + children
}

/// Polls every endpoint with a linearizable read until each answers, failing early if a
/// member exits.
fn wait_for_first_read(endpoints: &[String], members: &mut [Child]) -> Result<(), String> {
    let deadline = Instant::now() + START_TIMEOUT;
    block_on(async {
        for endpoint in endpoints {
            while !read_once(endpoint).await {
                for child in members.iter_mut() {
                    if let Ok(Some(status)) = child.try_wait() {
                        return Err(format!("a member exited while starting: {status}"));
                    }
                }
                if Instant::now() > deadline {
                    return Err(format!(
                        "{endpoint} did not answer within {START_TIMEOUT:?}"
                    ));
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        Ok(())
    })?
}

/// Runs `work` on a runtime of its own: the comparison itself is not async.
fn block_on<T>(work: impl std::future::Future<Output = T>) -> Result<T, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(work))
}

/// A connection to `endpoint` with one-second dial and request timeouts.
async fn connect(endpoint: &str) -> Result<Channel, String> {
    let timeout = Duration::from_secs(1);
    let config = ClientConfig {
        dial: DialConfig {
            request_timeout: Some(timeout),
            ..DialConfig::new(timeout)
        },
        ..ClientConfig::new(vec![endpoint.to_string()])
    };
    Client::for_endpoint(&config, endpoint)
        .connection()
        .await
        .map_err(|e| format!("{endpoint}: {e}"))
}

/// Whether a linearizable read on `endpoint` succeeds.
async fn read_once(endpoint: &str) -> bool {
    let Ok(channel) = connect(endpoint).await else {
        return false;
    };
    let request = RangeRequest {
        key: b"oxbench-compare".to_vec(),
        ..Default::default()
    };
    KvClient::new(channel).range(request).await.is_ok()
}
