//! `watch` and `exec-watch`: long polls of `/v2/keys/<key>?wait=true`, each asking for the
//! index after the last event seen, until interrupted (Ctrl+C ends them with status 0).

use std::process::Command;

use crate::error::{CtlError, CtlResult};

use super::client::Client;
use super::error::V2Error;
use super::keys::{self, KeysResponse};
use super::kv::print_response;
use super::{Session, EXIT_BAD_ARGS, EXIT_SERVER_ERROR};

/// `httpWatcher`: the next event at or after `next_index` (0: the next one to happen).
struct Watcher {
    key: String,
    recursive: bool,
    next_index: u64,
}

impl Watcher {
    fn new(key: String, after_index: i64, recursive: bool) -> Self {
        let after = after_index as u64;
        Watcher {
            key,
            recursive,
            next_index: if after > 0 { after.wrapping_add(1) } else { 0 },
        }
    }

    async fn next(&mut self, client: &mut Client) -> Result<KeysResponse, V2Error> {
        loop {
            let action = keys::wait(&self.key, self.next_index, self.recursive);
            let answer = client.call(&action, None).await?;
            match keys::parse_answer(&answer) {
                // A wait the server ended without an event (its own timeout): wait again.
                Err(V2Error::Other { message, .. })
                    if message == "client: response body is empty" =>
                {
                    continue
                }
                Err(err) => return Err(err),
                Ok(response) => {
                    self.next_index = response.node().modified_index + 1;
                    return Ok(response);
                }
            }
        }
    }
}

/// Runs `work` until it ends or Ctrl+C, which ends the run with status 0 as etcdctl's handler
/// does.
async fn until_interrupted(
    work: impl std::future::Future<Output = CtlResult<()>>,
) -> CtlResult<()> {
    tokio::select! {
        result = work => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

pub async fn watch(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = s
        .args()
        .first()
        .cloned()
        .ok_or_else(|| s.fail(EXIT_BAD_ARGS, "key required"))?;
    let recursive = s.inv.local.bool("recursive");
    let forever = s.inv.local.bool("forever");
    let mut watcher = Watcher::new(key, s.inv.local.int("after-index"), recursive);
    let output = s.output();
    until_interrupted(async {
        loop {
            let response = watcher
                .next(&mut client)
                .await
                .map_err(|err| s.error(EXIT_SERVER_ERROR, &err))?;
            let node = response.node();
            if node.dir {
                continue;
            }
            if recursive {
                println!("[{}] {}", response.action, node.key);
            }
            print_response(&response, &output);
            if !forever {
                return Ok(());
            }
        }
    })
    .await
}

pub async fn exec_watch(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let args = s.args().to_vec();
    if args.len() < 2 {
        return Err(s.fail(EXIT_BAD_ARGS, "key and command to exec required"));
    }
    let separated = args.iter().skip(1).any(|a| a == "--");
    let (key, command) = if separated {
        (args[0].clone(), args[2..].to_vec())
    } else {
        (
            args[args.len() - 1].clone(),
            args[..args.len() - 1].to_vec(),
        )
    };
    let recursive = s.inv.local.bool("recursive");
    let mut watcher = Watcher::new(key, s.inv.local.int("after-index"), recursive);
    until_interrupted(async {
        loop {
            let response = watcher
                .next(&mut client)
                .await
                .map_err(|err| s.error(EXIT_SERVER_ERROR, &err))?;
            let node = response.node();
            if node.dir {
                eprintln!("Ignored dir {} change", node.key);
                continue;
            }
            let Some((program, program_args)) = command.split_first() else {
                // etcdctl indexes `cmdArgs[0]` here and panics; nothing sensible to run.
                return Err(CtlError::panic(
                    "runtime error: index out of range [0] with length 0",
                ));
            };
            let mut child = Command::new(program);
            child
                .args(program_args)
                .env_remove("ETCDCTL_API")
                .env("ETCD_WATCH_ACTION", &response.action)
                .env("ETCD_WATCH_MODIFIED_INDEX", node.modified_index.to_string())
                .env("ETCD_WATCH_KEY", &node.key)
                .env("ETCD_WATCH_VALUE", &node.value);
            match child.spawn() {
                // Not waited for, as etcdctl does not wait; a thread reaps it.
                Ok(mut running) => {
                    std::thread::spawn(move || running.wait());
                }
                Err(err) => {
                    return Err(CtlError::raw(1, start_error(program, &err)));
                }
            }
        }
    })
    .await
}

/// Go's `exec.Cmd.Start` error for a program that cannot be run.
fn start_error(program: &str, err: &std::io::Error) -> String {
    let quoted = crate::goformat::quote_str(program);
    if err.kind() == std::io::ErrorKind::NotFound && !program.contains('/') {
        format!("exec: {quoted}: executable file not found in $PATH")
    } else {
        format!(
            "fork/exec {program}: {}",
            err.to_string().split(" (os error").next().unwrap_or("")
        )
    }
}
