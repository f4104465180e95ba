//! `oxbench`: a load generator for etcd's v3 KV API, modelled on etcd's `tools/benchmark`.
//!
//! `--clients` request loops share `--conns` HTTP/2 connections round-robin and together send
//! `--total` requests; the report gives throughput, a latency histogram and percentiles, or one
//! JSON object with `--json` for scripts (see `scripts/bench-vs-etcd.sh`). With `--user`, each
//! connection authenticates once and every request carries its token.

mod cluster;
mod compare;
mod conn;
mod lease;
mod report;
mod run;
mod watch;
mod watch_wire;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use oxcd_client::{ask_password, ClientConfig, ClientTls, Credentials, DialConfig, TlsFiles};

use crate::report::Summary;
use crate::run::{KubernetesKeys, PutWorkload, RangeWorkload, RunConfig, Workload};

#[derive(Parser, Debug)]
#[command(
    name = "oxbench",
    version,
    about = "Benchmark an etcd-compatible server (oxcd or etcd) over gRPC"
)]
struct Cli {
    /// Comma-separated server addresses (`host:port`, `http://host:port` or `https://host:port`;
    /// `host:port` speaks TLS when --cacert, --cert or --key is given); connections are spread
    /// over them.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "127.0.0.1:2379",
        global = true
    )]
    endpoints: Vec<String>,
    /// Number of HTTP/2 connections (capped at the number of clients).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    conns: u32,
    /// Number of concurrent request loops, spread round-robin over the connections.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    clients: u32,
    /// Print one JSON object (throughput, latency percentiles in ms) instead of the text report.
    #[arg(long, global = true)]
    json: bool,
    /// Seconds to wait for each connection to be established.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    dial_timeout: u64,
    /// Verify certificates of HTTPS-enabled servers using this CA bundle.
    #[arg(long, default_value = "", global = true)]
    cacert: String,
    /// Identify HTTPS client using this SSL certificate file.
    #[arg(long, default_value = "", global = true)]
    cert: String,
    /// Identify HTTPS client using this SSL key file.
    // Its own id: `range`'s positional `key` would otherwise be the same argument.
    #[arg(long = "key", id = "key_file", default_value = "", global = true)]
    key_file: String,
    /// Skip server certificate verification (for testing only).
    #[arg(long, global = true)]
    insecure_skip_tls_verify: bool,
    /// Authenticate each connection as this user: `name:password`, or `name` to be asked for the
    /// password (once). Without a name or a password, connections do not authenticate.
    #[arg(long, default_value = "", global = true)]
    user: String,
    /// Seconds after which a single request counts as failed.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    request_timeout: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write keys with Put.
    Put(PutArgs),
    /// Write keys with Txn, one Put in each (etcd's `txn-put` with one op per txn).
    TxnPut(PutArgs),
    /// Read a key or a range [KEY, END) with Range.
    Range {
        /// Key to read (or the start of the range).
        key: String,
        /// End of the range, exclusive; `\0` means every key >= KEY.
        end: Option<String>,
        /// Total number of range requests.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
        total: u64,
        /// Read consistency: `l` (linearizable) or `s` (serializable).
        #[arg(long, value_enum, default_value_t = Consistency::L)]
        consistency: Consistency,
        /// Maximum number of keys returned per request (0: no limit).
        #[arg(long, default_value_t = 0)]
        limit: i64,
        /// Return only the count of keys.
        #[arg(long)]
        count_only: bool,
    },
    /// Renew leases with keep-alives: each client grants one lease, then every request opens a
    /// keep-alive stream, sends one renewal and waits for its answer (etcd's `lease-keepalive`).
    LeaseKeepalive {
        /// Total number of keep-alive requests.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
        total: u64,
    },
    /// Time from a put until each watcher receives it (etcd's `watch-latency`).
    WatchLatency(watch::LatencyArgs),
    /// Events per second delivered to many watchers while `--clients` loops put.
    WatchFanout(watch::FanoutArgs),
    /// Run oxcd and reference etcd binaries in turn on the same ports through every workload
    /// above, and print each measure's median and oxcd's ratios as a Markdown table.
    Compare(compare::CompareArgs),
}

/// What to put, for `put` and `txn-put`.
#[derive(clap::Args, Debug)]
struct PutArgs {
    /// Total number of put requests.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    total: u64,
    /// Key size in bytes (the key index is written big-endian into its last bytes).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    key_size: u32,
    /// Value size in bytes (random bytes, the same for every request).
    #[arg(long, default_value_t = 8)]
    val_size: u32,
    /// Write keys 0, 1, 2, ... (modulo the key space) instead of random ones.
    #[arg(long)]
    sequential_keys: bool,
    /// Number of distinct keys written.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    key_space_size: u64,
    /// Keys shaped like Kubernetes' instead: `TYPESxNAMESPACES` (e.g. `20x50`) makes key
    /// number n `/registry/<type>/<namespace>/<name>`, types and namespaces taken in turn
    /// (`--key-size` is then unused).
    #[arg(long, value_name = "TYPESxNAMESPACES")]
    kubernetes_keys: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Consistency {
    /// Linearizable: goes through the leader's read index.
    #[value(name = "l", alias = "linearizable")]
    L,
    /// Serializable: served from the local store.
    #[value(name = "s", alias = "serializable")]
    S,
}

impl PutArgs {
    fn workload(&self) -> Result<PutWorkload, String> {
        let workload = PutWorkload::new(
            self.key_size as usize,
            self.val_size as usize,
            self.key_space_size,
            self.sequential_keys,
        )?;
        Ok(match &self.kubernetes_keys {
            Some(layout) => workload.kubernetes_keys(KubernetesKeys::parse(layout)?),
            None => workload,
        })
    }
}

impl Cli {
    /// The workload and the number of requests it asks for.
    fn workload(&self) -> Result<(Workload, u64), String> {
        match &self.command {
            Command::Put(args) => Ok((Workload::Put(args.workload()?), args.total)),
            Command::TxnPut(args) => Ok((Workload::TxnPut(args.workload()?), args.total)),
            Command::Range {
                key,
                end,
                total,
                consistency,
                limit,
                count_only,
            } => {
                if *limit < 0 {
                    return Err("--limit must not be negative".into());
                }
                let workload = RangeWorkload {
                    key: key.as_bytes().to_vec(),
                    range_end: end.as_deref().map(range_end_bytes).unwrap_or_default(),
                    serializable: *consistency == Consistency::S,
                    limit: *limit,
                    count_only: *count_only,
                };
                Ok((Workload::Range(workload), *total))
            }
            Command::LeaseKeepalive { total } => Ok((Workload::LeaseKeepalive, *total)),
            Command::WatchLatency(_) | Command::WatchFanout(_) | Command::Compare(_) => {
                Err("watch benchmarks and compare have no request workload".into())
            }
        }
    }

    fn run_config(&self, total: u64, client: ClientConfig) -> RunConfig {
        RunConfig {
            client,
            conns: self.conns.min(self.clients) as usize,
            clients: self.clients as usize,
            total,
            request_timeout: Duration::from_secs(self.request_timeout),
        }
    }

    /// Where and how every connection is opened, and the user it authenticates as; asks for
    /// the password with `ask` when `--user` has none.
    fn client_config(
        &self,
        ask: impl FnOnce() -> std::io::Result<String>,
    ) -> Result<ClientConfig, String> {
        let dial = self.dial_config()?;
        Ok(ClientConfig {
            endpoints: self.endpoints.clone(),
            // clientv3 gives connecting the dial timeout, then fetching the token as much again.
            command_timeout: dial.timeout * 2,
            dial,
            credentials: user_credentials(&self.user, ask)?,
        })
    }

    /// How connections are opened: etcd's benchmark rule, which is clientv3's (`https://`
    /// endpoints speak TLS, and `host:port` ones too once a TLS file is named).
    fn dial_config(&self) -> Result<DialConfig, String> {
        let file = |name: &str| (!name.is_empty()).then(|| PathBuf::from(name));
        let files = TlsFiles {
            ca_file: file(&self.cacert),
            cert_file: file(&self.cert),
            key_file: file(&self.key_file),
            insecure_skip_verify: self.insecure_skip_tls_verify,
            server_name: None,
        };
        let named =
            files.ca_file.is_some() || files.cert_file.is_some() || files.key_file.is_some();
        let tls = if named || files.insecure_skip_verify {
            Some(ClientTls::load(&files).map_err(|e| e.to_string())?)
        } else {
            None
        };
        Ok(DialConfig {
            tls,
            tls_without_scheme: named,
            ..DialConfig::new(Duration::from_secs(self.dial_timeout))
        })
    }
}

/// etcd's benchmark `--user`: split at the first colon, or the whole flag as the name with the
/// password asked for; clientv3 authenticates only with both a name and a password.
fn user_credentials(
    user: &str,
    ask: impl FnOnce() -> std::io::Result<String>,
) -> Result<Option<Credentials>, String> {
    Credentials::from_flags(user, "", ask).map_err(|e| format!("bad user information: {user} {e}"))
}

/// The range end as the user typed it, with etcdctl's spelling `\0` for "all keys from KEY on".
fn range_end_bytes(end: &str) -> Vec<u8> {
    if end == "\\0" {
        vec![0]
    } else {
        end.as_bytes().to_vec()
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Compare(args) = &cli.command {
        // Not async: it starts servers and runs this program against them.
        return match compare::compare(args) {
            Ok(table) => {
                print!("{table}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("oxbench compare: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // One request loop gains nothing from a thread pool, and hopping between worker threads on
    // every reply would add wake-up latency to what it measures.
    let runtime = if cli.clients == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    match runtime {
        Ok(runtime) => runtime.block_on(bench(cli)),
        Err(e) => {
            eprintln!("oxbench: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(cli: Cli) -> ExitCode {
    let client = match cli.client_config(|| ask_password("Password: ")) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("oxbench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let common = watch::Common {
        client: client.clone(),
        conns: cli.conns as usize,
        clients: cli.clients as usize,
        json: cli.json,
    };
    let watch_result = match &cli.command {
        Command::WatchLatency(args) => Some(watch::latency(&common, args).await),
        Command::WatchFanout(args) => Some(watch::fanout(&common, args).await),
        _ => None,
    };
    match watch_result {
        Some(Ok(report)) => {
            print!("{report}");
            if cli.json {
                println!();
            }
            return ExitCode::SUCCESS;
        }
        Some(Err(e)) => {
            eprintln!("oxbench: {e}");
            return ExitCode::FAILURE;
        }
        None => {}
    }
    let (workload, total) = match cli.workload() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("oxbench: {e}");
            return ExitCode::from(2);
        }
    };
    let config = cli.run_config(total, client);
    let outcome = match run::run(&config, workload).await {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("oxbench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let summary = Summary::new(outcome.elapsed, outcome.latencies, outcome.errors);
    if cli.json {
        let name = match cli.command {
            Command::Put(_) => "put",
            Command::TxnPut(_) => "txn-put",
            Command::Range { .. } => "range",
            Command::LeaseKeepalive { .. } => "lease-keepalive",
            Command::WatchLatency(_) | Command::WatchFanout(_) | Command::Compare(_) => {
                unreachable!("served above")
            }
        };
        println!(
            "{}",
            summary.to_json(name, config.clients, config.conns, total)
        );
    } else {
        print!("{}", summary.to_text());
    }
    if summary.ok() == 0 {
        eprintln!("oxbench: no request succeeded");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("oxbench").chain(args.iter().copied()))
    }

    #[test]
    fn put_defaults_match_etcd_benchmark() {
        let cli = parse(&["put"]).expect("valid");
        assert_eq!(cli.endpoints, vec!["127.0.0.1:2379"]);
        assert_eq!((cli.conns, cli.clients, cli.json), (1, 1, false));
        match cli.command {
            Command::Put(PutArgs {
                total,
                key_size,
                val_size,
                sequential_keys,
                key_space_size,
                kubernetes_keys,
            }) => {
                assert_eq!((total, key_size, val_size), (10_000, 8, 8));
                assert_eq!(kubernetes_keys, None);
                assert!(!sequential_keys);
                assert_eq!(key_space_size, 1);
            }
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        let cli = parse(&[
            "--endpoints",
            "a:1,http://b:2",
            "--conns",
            "16",
            "range",
            "foo",
            "fop",
            "--clients=64",
            "--consistency",
            "s",
            "--total",
            "5",
            "--json",
        ])
        .expect("valid");
        assert_eq!(cli.endpoints, vec!["a:1", "http://b:2"]);
        assert_eq!((cli.conns, cli.clients, cli.json), (16, 64, true));
        let (workload, total) = cli.workload().expect("valid workload");
        assert_eq!(total, 5);
        match workload {
            Workload::Range(r) => {
                assert_eq!(r.key, b"foo");
                assert_eq!(r.range_end, b"fop");
                assert!(r.serializable);
            }
            other => panic!("parsed as {other:?}"),
        }
        assert_eq!(
            cli.run_config(total, ClientConfig::new(cli.endpoints.clone()))
                .conns,
            16
        );
    }

    #[test]
    fn txn_put_takes_the_put_flags() {
        let cli = parse(&["txn-put", "--total", "7", "--val-size", "256"]).expect("valid");
        let (workload, total) = cli.workload().expect("valid workload");
        assert!(matches!(workload, Workload::TxnPut(_)));
        assert_eq!(total, 7);
        assert!(
            parse(&["txn-put", "--key-size", "2", "--key-space-size", "70000"])
                .expect("parses")
                .workload()
                .is_err()
        );
    }

    #[test]
    fn lease_keepalive_takes_a_total() {
        let cli = parse(&["--clients", "8", "lease-keepalive", "--total", "50"]).expect("valid");
        let (workload, total) = cli.workload().expect("valid workload");
        assert!(matches!(workload, Workload::LeaseKeepalive));
        assert_eq!((total, cli.clients), (50, 8));
    }

    #[test]
    fn conns_are_capped_at_clients() {
        let cli = parse(&["--conns", "16", "put"]).expect("valid");
        assert_eq!(
            cli.run_config(10, ClientConfig::new(cli.endpoints.clone()))
                .conns,
            1
        );
    }

    fn no_prompt() -> std::io::Result<String> {
        panic!("the password was given")
    }

    #[test]
    fn user_is_split_at_the_first_colon_as_etcd_benchmark_does() {
        let cli = parse(&["put", "--user", "bench:pw:with:colons"]).expect("valid");
        let client = cli.client_config(no_prompt).expect("valid user");
        let credentials = client.credentials.expect("authenticates");
        assert_eq!(credentials.user, "bench");
        assert_eq!(credentials.password, "pw:with:colons");
        assert_eq!(client.endpoints, vec!["127.0.0.1:2379"]);
        assert_eq!(client.command_timeout, Duration::from_secs(4));
    }

    #[test]
    fn user_without_a_password_is_asked_for_it() {
        let cli = parse(&["--user", "alice", "range", "k"]).expect("valid");
        let credentials = user_credentials(&cli.user, || Ok("secret".into()))
            .expect("asked")
            .expect("authenticates");
        assert_eq!(
            (credentials.user, credentials.password),
            ("alice".into(), "secret".into())
        );
        let failed = user_credentials("alice", || Err(std::io::ErrorKind::BrokenPipe.into()));
        assert!(failed.is_err());
    }

    #[test]
    fn no_name_or_no_password_means_no_authentication() {
        let cli = parse(&["put"]).expect("valid");
        assert!(cli
            .client_config(no_prompt)
            .expect("valid")
            .credentials
            .is_none());
        for user in ["root:", ":pw"] {
            assert!(
                user_credentials(user, no_prompt).expect("valid").is_none(),
                "{user}"
            );
        }
        assert!(user_credentials("root", || Ok(String::new()))
            .expect("valid")
            .is_none());
    }

    #[test]
    fn bad_arguments_are_rejected() {
        assert!(parse(&["--clients", "0", "put"]).is_err());
        assert!(parse(&["put", "--total", "0"]).is_err());
        assert!(parse(&["range", "k", "--consistency", "x"]).is_err());
        assert!(parse(&["range"]).is_err());
        // Two bytes cannot name 70,000 keys.
        let cli = parse(&["put", "--key-size", "2", "--key-space-size", "70000"]).expect("parses");
        assert!(cli.workload().is_err());
    }

    #[test]
    fn consistency_defaults_to_linearizable() {
        let cli = parse(&["range", "k", "\\0"]).expect("valid");
        match cli.workload().expect("valid").0 {
            Workload::Range(r) => {
                assert!(!r.serializable);
                assert_eq!(r.range_end, vec![0]);
            }
            other => panic!("parsed as {other:?}"),
        }
    }
}
