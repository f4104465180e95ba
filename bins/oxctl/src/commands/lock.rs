//! `lock` and `elect`, on the server's Lock and Election services. Like etcdctl's, each runs in a
//! session: a lease (`--ttl` for lock, 60 s for elect) kept alive until the command ends, so a
//! killed process loses the lock or leadership once the lease expires. SIGINT and SIGTERM release
//! them at once.

use oxcd_client::{CallError, Client, ClientConfig};
use oxcd_proto::etcdserverpb::{RangeRequest, RangeResponse};
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::oneshot;

use super::{emit, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};

/// etcdctl's session TTL for `elect` (clientv3 concurrency's default).
const ELECT_SESSION_TTL: i64 = 60;

fn failed(err: CallError) -> CtlError {
    CtlError::new(EXIT_ERROR, err.message())
}

/// SIGINT or SIGTERM, whichever comes first; installed before the command starts waiting.
struct Interrupts {
    int: Signal,
    term: Signal,
}

impl Interrupts {
    fn install() -> CtlResult<Interrupts> {
        let install = |kind| signal(kind).map_err(|e| CtlError::new(EXIT_ERROR, e));
        Ok(Interrupts {
            int: install(SignalKind::interrupt())?,
            term: install(SignalKind::terminate())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
    }
}

/// clientv3 concurrency's `Session`: a lease kept alive in the background; `done` fires when
/// the lease is lost.
struct Session {
    lease: i64,
    done: oneshot::Receiver<()>,
}

impl Session {
    async fn start(config: &ClientConfig, ttl: i64) -> CtlResult<Session> {
        let mut client = Client::new(config.clone());
        let lease = client.lease_grant(ttl, false).await.map_err(failed)?.id;
        let (tx, done) = oneshot::channel();
        tokio::spawn(async move {
            client.lease_keep_alive_loop(lease, |_| {}).await;
            let _ = tx.send(());
        });
        Ok(Session { lease, done })
    }
}

/// Go's `exec.Cmd.Run` error text for a command that could not start.
fn start_error(program: &str, err: &std::io::Error) -> String {
    if err.kind() == std::io::ErrorKind::NotFound && !program.contains('/') {
        return format!("exec: \"{program}\": executable file not found in $PATH");
    }
    let text = err.to_string();
    let text = text
        .split(" (os error")
        .next()
        .unwrap_or(&text)
        .to_lowercase();
    format!("fork/exec {program}: {text}")
}

/// Go's `ExitError` text.
fn exit_error(status: std::process::ExitStatus) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    if status.success() {
        return None;
    }
    Some(match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(sig)) => format!("signal: {}", signal_name(sig)),
        _ => "exit status -1".to_string(),
    })
}

fn signal_name(sig: i32) -> String {
    match sig {
        1 => "hangup".into(),
        2 => "interrupt".into(),
        3 => "quit".into(),
        6 => "aborted".into(),
        9 => "killed".into(),
        13 => "broken pipe".into(),
        15 => "terminated".into(),
        other => format!("signal {other}"),
    }
}

/// etcdctl's `lock`: waits for the lock, then runs the command under it (and unlocks), or prints
/// the lock key and holds the lock until interrupted.
pub async fn lock(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.is_empty() {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lock takes a lock name argument and an optional command to execute",
        ));
    }
    let name = ctx.inv.args[0].clone();
    let command: Vec<String> = ctx.inv.args[1..]
        .iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let config = ctx.client_config()?;
    let printer = ctx.printer()?;
    let mut interrupts = Interrupts::install()?;
    let mut session = Session::start(&config, ctx.inv.flags.int("ttl")).await?;
    let mut client = Client::new(config);
    let locked = tokio::select! {
        locked = client.lock(name, session.lease) => locked.map_err(failed)?,
        // Dropping the call cancels it; the server then withdraws this waiter's key.
        _ = interrupts.recv() => return Err(CtlError::new(EXIT_ERROR, "context canceled")),
    };
    let key = locked.key;
    if let Some((program, args)) = command.split_first() {
        let revision = locked.header.map_or(0, |h| h.revision);
        let mut child = tokio::process::Command::new(program);
        child.args(args);
        // etcdctl puts these before its own environment, where an inherited value wins.
        if std::env::var_os("ETCD_LOCK_KEY").is_none() {
            child.env("ETCD_LOCK_KEY", String::from_utf8_lossy(&key).as_ref());
        }
        if std::env::var_os("ETCD_LOCK_REV").is_none() {
            child.env("ETCD_LOCK_REV", revision.to_string());
        }
        let outcome = match child.status().await {
            Ok(status) => exit_error(status),
            Err(e) => Some(start_error(program, &e)),
        };
        let unlocked = client.unlock(key).await;
        if let Some(message) = outcome {
            return Err(CtlError::new(EXIT_ERROR, message));
        }
        return unlocked.map_err(failed);
    }
    let held = client
        .range(RangeRequest {
            key: key.clone(),
            ..Default::default()
        })
        .await
        .map_err(failed)?;
    if held.kvs.is_empty() {
        return Err(CtlError::new(EXIT_ERROR, "lock lost on init"));
    }
    emit(printer.get(&held)?);
    tokio::select! {
        _ = interrupts.recv() => client.unlock(key).await.map_err(failed),
        _ = &mut session.done => Err(CtlError::new(EXIT_ERROR, "session expired")),
    }
}

/// etcdctl's `elect`: campaigns with the proposal and holds leadership until interrupted, or
/// with `-l` prints every leader as it is elected.
pub async fn elect(ctx: &mut Ctx) -> CtlResult<()> {
    let args = &ctx.inv.args;
    if args.len() != 1 && args.len() != 2 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "elect takes one election name argument and an optional proposal argument",
        ));
    }
    let listen = ctx.inv.flags.bool("listen");
    if args.len() == 1 && !listen {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "no proposal argument but -l not set",
        ));
    }
    if args.len() == 2 && listen {
        return Err(CtlError::new(EXIT_BAD_ARGS, "proposal given but -l is set"));
    }
    let name = args[0].clone();
    let proposal = args.get(1).cloned();
    let config = ctx.client_config()?;
    let printer = ctx.printer()?;
    let mut interrupts = Interrupts::install()?;
    let mut session = Session::start(&config, ELECT_SESSION_TTL).await?;
    let mut client = Client::new(config);

    let Some(proposal) = proposal else {
        let mut leaders = tokio::select! {
            stream = client.observe(name) => stream.map_err(failed)?,
            _ = interrupts.recv() => return Ok(()),
        };
        loop {
            tokio::select! {
                message = leaders.message() => match message {
                    Ok(Some(leader)) => emit(printer.get(&RangeResponse {
                        header: leader.header,
                        kvs: leader.kv.into_iter().collect(),
                        more: false,
                        count: 0,
                    })?),
                    _ => return Err(CtlError::new(EXIT_ERROR, "elect: observer lost")),
                },
                _ = interrupts.recv() => return Ok(()),
            }
        }
    };

    let leader = tokio::select! {
        leader = client.campaign(name, session.lease, proposal) => leader.map_err(failed)?,
        _ = interrupts.recv() => return Err(CtlError::new(EXIT_ERROR, "context canceled")),
    };
    let current = client
        .range(RangeRequest {
            key: leader.key.clone(),
            ..Default::default()
        })
        .await
        .map_err(failed)?;
    emit(printer.get(&current)?);
    tokio::select! {
        _ = interrupts.recv() => {}
        _ = &mut session.done => return Err(CtlError::new(EXIT_ERROR, "elect: session expired")),
    }
    client.resign(leader).await.map_err(failed)
}
