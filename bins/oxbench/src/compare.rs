//! `oxbench compare`: oxcd against reference etcd binaries on the same machine in one run.
//!
//! Each round starts every server in turn, fresh, on the same ports with the same flags, and
//! runs every workload against it (this program run again as a child, with `--json`), so a
//! machine whose speed drifts during the run skews each server alike. The table gives each
//! measure's median over the rounds and oxcd's ratio to each reference. Memory and restart are
//! measured once per server, after loading `--keys` keys.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::cluster::{Cluster, Layout, Server};

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// The oxcd binary.
    #[arg(long, default_value = "target/release/oxcd")]
    oxcd: PathBuf,
    /// A reference etcd binary; repeat for several (e.g. 3.5 and 3.6).
    #[arg(long, required = true)]
    etcd: Vec<PathBuf>,
    /// Members per cluster.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=7))]
    members: u32,
    /// Rounds of the workloads; each measure's median over them is shown.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,
    /// Multiplies every workload's request total.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Keys loaded (256-byte values) before memory and restart are measured; 0 skips both.
    #[arg(long, default_value_t = 1_000_000)]
    keys: u64,
    /// Member i serves clients on this port + i.
    #[arg(long, default_value_t = 23790)]
    client_port: u16,
    /// Member i listens to its peers on this port + i.
    #[arg(long, default_value_t = 23800)]
    peer_port: u16,
    /// Where the data dirs and server logs go (those are removed at the end unless --keep; the
    /// directory too, if nothing else is in it).
    #[arg(long, default_value = "/tmp/oxbench-compare")]
    dir: PathBuf,
    /// Keep the data dirs and logs.
    #[arg(long)]
    keep: bool,
}

/// Whether a larger value of a measure is the better one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Better {
    Higher,
    Lower,
}

/// One workload run by a child oxbench, and what the table takes from its JSON.
struct Workload {
    name: &'static str,
    conns: u32,
    clients: u32,
    /// The subcommand and its arguments, split at spaces; `{total}` is replaced by the scaled
    /// total, `{key}` by [`RANGE_KEY`].
    args: &'static str,
    total: u64,
    measures: &'static [(&'static str, &'static str, Better)],
}

const RPS: (&str, &str, Better) = ("ops/s", "rps", Better::Higher);
const P50: (&str, &str, Better) = ("p50 ms", "p50_ms", Better::Lower);
const P99: (&str, &str, Better) = ("p99 ms", "p99_ms", Better::Lower);

/// The put workloads' arguments after the subcommand.
macro_rules! put_args {
    () => {
        " --total {total} --val-size 256 --key-space-size 100000"
    };
}

/// The issue's table: totals sized for a few seconds each on a small machine.
const WORKLOADS: &[Workload] = &[
    Workload {
        name: "put, 1 client",
        conns: 1,
        clients: 1,
        args: concat!("put", put_args!()),
        total: 5_000,
        measures: &[RPS, P50],
    },
    Workload {
        name: "put, 8 conns x 64 clients",
        conns: 8,
        clients: 64,
        args: concat!("put", put_args!()),
        total: 60_000,
        measures: &[RPS, P99],
    },
    Workload {
        name: "put, 16 conns x 256 clients",
        conns: 16,
        clients: 256,
        args: concat!("put", put_args!()),
        total: 80_000,
        measures: &[RPS, P99],
    },
    Workload {
        name: "txn-put, 8 x 64",
        conns: 8,
        clients: 64,
        args: concat!("txn-put", put_args!()),
        total: 60_000,
        measures: &[RPS],
    },
    Workload {
        name: "txn-put, 16 x 256",
        conns: 16,
        clients: 256,
        args: concat!("txn-put", put_args!()),
        total: 80_000,
        measures: &[RPS],
    },
    Workload {
        name: "range linearizable, 8 x 64",
        conns: 8,
        clients: 64,
        args: "range {key} --consistency l --total {total}",
        total: 100_000,
        measures: &[RPS],
    },
    Workload {
        name: "range serializable, 8 x 64",
        conns: 8,
        clients: 64,
        args: "range {key} --consistency s --total {total}",
        total: 100_000,
        measures: &[RPS],
    },
    Workload {
        name: "watch latency, 100 watchers",
        conns: 1,
        clients: 1,
        args: "watch-latency --put-total {total} --put-rate 200",
        total: 600,
        measures: &[P99],
    },
    Workload {
        name: "watch fan-out, 1,000 watchers, 16 writers",
        conns: 16,
        clients: 16,
        args: "watch-fanout --put-total {total} --streams 10 --watchers-per-stream 100",
        total: 2_000,
        measures: &[("events/s", "events_per_sec", Better::Higher), P99],
    },
    Workload {
        name: "watch fan-out, 1,000 watchers on 1,000 prefixes, 16 writers",
        conns: 16,
        clients: 16,
        args: "watch-fanout --put-total {total} --streams 10 --watchers-per-stream 100 --prefixes 1000",
        total: 20_000,
        measures: &[("events/s", "events_per_sec", Better::Higher), P99],
    },
];

/// The key the range workloads read (written once before them).
const RANGE_KEY: &str = "oxbench-compare-key";

/// Every value measured, by row (in the order rows were first measured), then by server.
#[derive(Default)]
struct Measures {
    rows: Vec<Row>,
}

struct Row {
    name: String,
    better: Better,
    /// One value per round, by server label.
    values: BTreeMap<String, Vec<f64>>,
}

impl Measures {
    fn record(&mut self, row: String, better: Better, server: &str, value: f64) {
        let index = match self.rows.iter().position(|r| r.name == row) {
            Some(index) => index,
            None => {
                self.rows.push(Row {
                    name: row,
                    better,
                    values: BTreeMap::new(),
                });
                self.rows.len() - 1
            }
        };
        self.rows[index]
            .values
            .entry(server.to_string())
            .or_default()
            .push(value);
    }
}

pub fn compare(args: &CompareArgs) -> Result<String, String> {
    let mut servers = vec![Server::probe(&args.oxcd)?];
    for bin in &args.etcd {
        let mut server = Server::probe(bin)?;
        // Two builds of one version are told apart by their paths.
        if servers.iter().any(|s| s.label == server.label) {
            server.label = format!("{} ({})", server.label, bin.display());
        }
        servers.push(server);
    }
    std::fs::create_dir_all(&args.dir).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    let layout = Layout {
        members: args.members as usize,
        client_port: args.client_port,
        peer_port: args.peer_port,
        dir: args.dir.clone(),
    };
    layout.check_ports_free()?;
    let mut measures = Measures::default();
    for round in 1..=args.rounds {
        for server in &servers {
            eprintln!("round {round}/{}: {}", args.rounds, server.label);
            run_workloads(server, &layout, args.scale, &mut measures)?;
        }
    }
    if args.keys > 0 {
        for server in &servers {
            eprintln!("{}: loading {} keys", server.label, args.keys);
            load_and_restart(server, &layout, args.keys, &mut measures)?;
        }
    }
    if !args.keep {
        layout.remove_files();
    }
    Ok(table(args, &servers, &measures))
}

fn run_workloads(
    server: &Server,
    layout: &Layout,
    scale: f64,
    measures: &mut Measures,
) -> Result<(), String> {
    let (cluster, _) = Cluster::start_fresh(server, layout)?;
    let endpoints = cluster.endpoints().join(",");
    cluster.put(RANGE_KEY, b"a value of some thirty bytes...")?;
    for workload in WORKLOADS {
        let total = ((workload.total as f64 * scale).round() as u64)
            .max(1)
            .to_string();
        let args: Vec<&str> = workload
            .args
            .split(' ')
            .map(|a| match a {
                "{total}" => total.as_str(),
                "{key}" => RANGE_KEY,
                _ => a,
            })
            .collect();
        let json = child_oxbench(&endpoints, workload.conns, workload.clients, &args)?;
        check_complete(&json).map_err(|e| format!("{} on {}: {e}", workload.name, server.label))?;
        for (unit, field, better) in workload.measures {
            let value = json
                .get(*field)
                .and_then(serde_json::Value::as_f64)
                .ok_or_else(|| format!("{}: no {field} in {json}", workload.name))?;
            measures.record(
                format!("{}, {unit}", workload.name),
                *better,
                &server.label,
                value,
            );
        }
    }
    cluster.stop();
    Ok(())
}

/// Loads `keys` keys, measures memory and the data dir, restarts, and times the first read.
fn load_and_restart(
    server: &Server,
    layout: &Layout,
    keys: u64,
    measures: &mut Measures,
) -> Result<(), String> {
    const MIB: f64 = 1024.0 * 1024.0;
    let (cluster, _) = Cluster::start_fresh(server, layout)?;
    let keys_arg = keys.to_string();
    child_oxbench(
        &cluster.endpoints().join(","),
        8,
        64,
        &[
            "put",
            "--total",
            &keys_arg,
            "--key-space-size",
            &keys_arg,
            "--sequential-keys",
            "--key-size",
            "16",
            "--val-size",
            "256",
        ],
    )?;
    // Let background work after the load (snapshots, compaction of the raft log) settle.
    std::thread::sleep(Duration::from_secs(3));
    let label = &server.label;
    let rss = cluster.rss_bytes()? as f64 / MIB;
    measures.record(
        format!("RSS after loading {keys} keys, MiB"),
        Better::Lower,
        label,
        rss,
    );
    let disk = cluster.data_dir_bytes() as f64 / MIB;
    measures.record(
        format!("data dir after {keys} keys, MiB"),
        Better::Lower,
        label,
        disk,
    );
    cluster.stop();
    let (cluster, took) = Cluster::start(server, layout)?;
    let rss = cluster.rss_bytes()? as f64 / MIB;
    measures.record(
        format!("RSS after a restart with {keys} keys, MiB"),
        Better::Lower,
        label,
        rss,
    );
    measures.record(
        format!("restart to first read, {keys} keys, s"),
        Better::Lower,
        label,
        took.as_secs_f64(),
    );
    cluster.stop();
    Ok(())
}

/// Runs this program again with `args` and returns the JSON object it printed.
fn child_oxbench(
    endpoints: &str,
    conns: u32,
    clients: u32,
    args: &[&str],
) -> Result<serde_json::Value, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find oxbench itself: {e}"))?;
    let output = Command::new(exe)
        .arg(format!("--endpoints={endpoints}"))
        .arg(format!("--conns={conns}"))
        .arg(format!("--clients={clients}"))
        .arg("--json")
        .args(args)
        .output()
        .map_err(|e| format!("oxbench {}: {e}", args.join(" ")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "oxbench {} failed: {}{}",
            args.join(" "),
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_str(stdout.trim())
        .map_err(|e| format!("oxbench {}: not JSON ({e}): {stdout}", args.join(" ")))
}

/// Refuses a run that did not do all its work: a server that failed requests or lost events
/// would otherwise be measured as if it had not.
fn check_complete(json: &serde_json::Value) -> Result<(), String> {
    let count = |field: &str| json.get(field).and_then(serde_json::Value::as_u64);
    for field in ["errors", "failed_puts"] {
        if let Some(failed) = count(field).filter(|&n| n > 0) {
            return Err(format!("{failed} requests failed: {json}"));
        }
    }
    if let (Some(events), Some(expected)) = (count("events"), count("expected_events")) {
        if events != expected {
            return Err(format!("{events} events received of {expected}: {json}"));
        }
    }
    Ok(())
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The Markdown table: each measure's median per server, and oxcd's ratio to each reference,
/// marked when it is the better one.
fn table(args: &CompareArgs, servers: &[Server], measures: &Measures) -> String {
    let (oxcd, references) = servers.split_first().expect("oxcd is always first");
    let mut out = format!(
        "{} member(s), median of {} round(s); ratio = oxcd / reference (ops/s and events/s: higher is better; ms, s and MiB: lower is better)\n\n",
        args.members, args.rounds
    );
    out += &format!("| workload | {} |", oxcd.label);
    for reference in references {
        out += &format!(" {} | ratio |", reference.label);
    }
    out += "\n|---|---:|";
    out += &"---:|---:|".repeat(references.len());
    out += "\n";
    for row in &measures.rows {
        let value = |server: &Server| row.values.get(&server.label).and_then(|v| median(v));
        let ours = value(oxcd);
        out += &format!("| {} | {} |", row.name, format_value(ours));
        for reference in references {
            let theirs = value(reference);
            let ratio = match (ours, theirs) {
                (Some(o), Some(t)) if t > 0.0 => {
                    let ratio = o / t;
                    let ahead = match row.better {
                        Better::Higher => ratio > 1.0,
                        Better::Lower => ratio < 1.0,
                    };
                    format!("{ratio:.2}{}", if ahead { " ✓" } else { "" })
                }
                _ => "-".into(),
            };
            out += &format!(" {} | {ratio} |", format_value(theirs));
        }
        out += "\n";
    }
    out
}

fn format_value(value: Option<f64>) -> String {
    match value {
        None => "-".into(),
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) if v >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.3}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn a_run_with_failures_or_missing_events_is_refused() {
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert!(check_complete(&json(r#"{"errors":0,"rps":10}"#)).is_ok());
        assert!(check_complete(&json(r#"{"errors":2,"rps":10}"#)).is_err());
        let fanout = |failed: u64, events: u64| {
            json(&format!(
                r#"{{"failed_puts":{failed},"events":{events},"expected_events":20}}"#
            ))
        };
        assert!(check_complete(&fanout(0, 20)).is_ok());
        assert!(check_complete(&fanout(1, 20)).is_err());
        assert!(check_complete(&fanout(0, 19)).is_err());
    }
}
