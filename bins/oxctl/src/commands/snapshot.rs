//! `snapshot save|status|restore`, as etcdctl 3.4's v3 commands.
//!
//! `snapshot save`, as etcdctl 3.4's (clientv3/snapshot's `Save`): the
//! Maintenance.Snapshot stream of one endpoint into `<file>.part`, which must end in the SHA-256
//! trailer, fsynced and renamed to `<file>`; then `Snapshot saved at <file>`. The `.part` file is
//! removed whatever happens. Without `--command-timeout` on the command line there is no deadline,
//! as in etcdctl. etcdctl's zap info lines are written to stderr in its JSON shape; a progress
//! bar is drawn on stderr when it is a terminal.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use oxcd_proto::etcdserverpb::{maintenance_client::MaintenanceClient, SnapshotRequest};

use oxcd_client::go_io_reason;
use oxcd_server::member::restore::{restore_snapshot, snapshot_status, RestoreOptions};

use super::{emit, only_arg, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_ERROR, EXIT_INTERRUPTED};
use crate::goformat;
use crate::progress::{tracked, Progress};

/// etcd's SHA-256 trailer: a snapshot's size modulo 512 is exactly the digest's length.
const SHA256_SIZE: u64 = 32;

/// Far enough away to stand for etcdctl's context without a deadline.
const NO_DEADLINE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

pub async fn save(ctx: &mut Ctx) -> CtlResult<()> {
    let path = only_arg(ctx, "snapshot save expects one argument")?;
    let timeout = ctx
        .inv
        .flags
        .changed("command-timeout")
        .then(|| ctx.inv.flags.duration("command-timeout"));
    let mut config = ctx.client_config()?;
    if config.endpoints.len() != 1 {
        return Err(CtlError::new(
            EXIT_INTERRUPTED,
            format!(
                "snapshot must be requested to one selected node, not multiple [{}]",
                config.endpoints.join(" ")
            ),
        ));
    }
    let endpoint = config.endpoints[0].clone();
    config.command_timeout = timeout.unwrap_or(NO_DEADLINE);
    let part = format!("{path}.part");
    let result = match timeout {
        Some(limit) => tokio::time::timeout(limit, fetch(config, &endpoint, &part, &path))
            .await
            .unwrap_or_else(|_| Err(oxcd_client::DEADLINE_EXCEEDED.to_string())),
        None => fetch(config, &endpoint, &part, &path).await,
    };
    // etcdctl's `defer os.RemoveAll(partpath)`.
    let _ = std::fs::remove_file(&part);
    result.map_err(|e| CtlError::new(EXIT_INTERRUPTED, e))?;
    println!("Snapshot saved at {path}");
    Ok(())
}

/// `snapshot status <file>`: offline, of a snapshot saved from etcd or oxcd.
pub fn status(ctx: &mut Ctx) -> CtlResult<()> {
    let path = only_arg(ctx, "snapshot status requires exactly one argument")?;
    let printer = ctx.printer()?;
    let status = snapshot_status(Path::new(&path)).map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    emit(printer.db_status(&status)?);
    Ok(())
}

/// `snapshot restore <file>`: a new data dir (etcdctl 3.4's flags and checks) from a snapshot of
/// etcd or oxcd, which oxcd then starts on; a progress bar on stderr when it is a terminal.
pub fn restore(ctx: &mut Ctx) -> CtlResult<()> {
    let snapshot = only_arg(ctx, "snapshot restore requires exactly one argument")?;
    let flags = &ctx.inv.flags;
    let name = flags.string("name");
    let data_dir = match flags.string("data-dir") {
        dir if dir.is_empty() => format!("{name}.etcd"),
        dir => dir,
    };
    let wal_dir = Some(flags.string("wal-dir")).filter(|d| !d.is_empty());
    let shown_wal = wal_dir
        .clone()
        .unwrap_or_else(|| format!("{data_dir}/member/wal"));
    let snap_dir = format!("{data_dir}/member/snap");
    let fields = [
        ("path", snapshot.as_str()),
        ("wal-dir", shown_wal.as_str()),
        ("data-dir", data_dir.as_str()),
        ("snap-dir", snap_dir.as_str()),
    ];
    let opts = RestoreOptions {
        snapshot: snapshot.clone().into(),
        name,
        data_dir: data_dir.clone().into(),
        wal_dir: wal_dir.clone().map(Into::into),
        initial_cluster: flags.string("initial-cluster"),
        initial_cluster_token: flags.string("initial-cluster-token"),
        initial_advertise_peer_urls: flags.string("initial-advertise-peer-urls"),
        skip_hash_check: flags.bool("skip-hash-check"),
        mark_compacted: false,
        bump_revision: 0,
        refuse_existing_data_dir: true,
    };
    log("snapshot/v3_snapshot.go:296", "restoring snapshot", &fields);
    let result = tracked("restoring", |progress| restore_snapshot(&opts, progress));
    result.map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    log("snapshot/v3_snapshot.go:309", "restored snapshot", &fields);
    Ok(())
}

async fn fetch(
    config: oxcd_client::ClientConfig,
    endpoint: &str,
    part: &str,
    path: &str,
) -> Result<(), String> {
    let mut client = oxcd_client::Client::new(config);
    let mut file = open_part(part)?;
    log(
        "snapshot/v3_snapshot.go:119",
        "created temporary db file",
        &[("path", part)],
    );
    let started = Instant::now();
    let channel = client.connection().await.map_err(|e| e.message())?;
    let mut stream = MaintenanceClient::new(channel)
        .max_decoding_message_size(usize::MAX)
        .snapshot(client.authorized(SnapshotRequest {}))
        .await
        .map_err(|s| oxcd_client::status_message(&s))?
        .into_inner();
    log(
        "snapshot/v3_snapshot.go:127",
        "fetching snapshot",
        &[("endpoint", endpoint)],
    );
    let mut size = 0u64;
    let mut bar: Option<Progress> = None;
    while let Some(chunk) = stream
        .message()
        .await
        .map_err(|s| oxcd_client::status_message(&s))?
    {
        file.write_all(&chunk.blob).map_err(|e| e.to_string())?;
        size += chunk.blob.len() as u64;
        bar.get_or_insert_with(|| Progress::new("snapshot", size + chunk.remaining_bytes))
            .advance(chunk.blob.len() as u64);
    }
    if let Some(bar) = bar.as_mut() {
        bar.finish();
    }
    if size % 512 != SHA256_SIZE {
        return Err(format!("sha256 checksum not found [bytes: {size}]"));
    }
    file.sync_all()
        .map_err(|e| format!("sync {part}: {}", go_io_reason(&e)))?;
    drop(file);
    let took = format!("{:.9}", started.elapsed().as_secs_f64());
    let took = took.trim_end_matches('0');
    log_raw(
        "snapshot/v3_snapshot.go:142",
        "fetched snapshot",
        &format!(
            ",\"endpoint\":{},\"size\":{},\"took\":{took}",
            goformat::quote_str(endpoint),
            goformat::quote_str(&goformat::humanize_bytes(size))
        ),
    );
    std::fs::rename(part, path).map_err(|e| {
        format!(
            "could not rename {part} to {path} (rename {part} {path}: {})",
            go_io_reason(&e)
        )
    })?;
    log("snapshot/v3_snapshot.go:152", "saved", &[("path", path)]);
    Ok(())
}

/// `os.OpenFile(partpath, O_WRONLY|O_CREATE|O_TRUNC, 0600)` and etcdctl's wording of its failure.
fn open_part(part: &str) -> Result<std::fs::File, String> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(Path::new(part))
        .map_err(|e| format!("could not open {part} (open {part}: {})", go_io_reason(&e)))
}

/// One of etcdctl's zap production (JSON) info lines on stderr.
fn log(caller: &str, msg: &str, fields: &[(&str, &str)]) {
    let extra: String = fields
        .iter()
        .map(|(k, v)| format!(",{}:{}", goformat::quote_str(k), goformat::quote_str(v)))
        .collect();
    log_raw(caller, msg, &extra);
}

fn log_raw(caller: &str, msg: &str, extra: &str) {
    let ts = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{{\"level\":\"info\",\"ts\":{ts},\"caller\":{},\"msg\":{}{extra}}}",
        goformat::quote_str(caller),
        goformat::quote_str(msg)
    );
}
